// bzpeer — what the search index holds for one work. Built from the store only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bzpeer::search {

struct IndexDocument {
  std::int64_t work_id = 0;  ///< the store's stable work id
  std::string arxiv_id;      ///< versionless, may be empty
  std::vector<std::string> dois;
  std::string title;
  std::string abstract;
  std::vector<std::string> author_names;  ///< display order
  std::vector<std::int64_t> author_ids;   ///< same order as author_names (0 = unresolved)
  std::vector<std::string> categories;    ///< arXiv categories, primary first
  std::vector<std::string> topics;        ///< topic labels
  std::string type = "preprint";          ///< WorkType string
  std::vector<std::string> sources;       ///< source names that gave this work
  std::string venue;
  std::string date;  ///< first-version / publication date, ISO
  int year = 0;
  bool withdrawn = false;
};

}  // namespace bzpeer::search
