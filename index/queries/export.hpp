// bzpeer — export of the store as records (the CLI writes them as JSON Lines).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "index/store/store.hpp"

namespace bzpeer::queries {

struct ExportWork {
  std::int64_t work_id = 0;
  std::string arxiv_id;
  std::vector<std::string> dois;
  std::string title;
  int year = 0;
  std::string type;
  std::vector<std::string> sources;
  std::vector<std::string> topics;
  bool withdrawn = false;
};

struct ExportAuthor {
  std::int64_t author_id = 0;
  std::string name;
  std::vector<std::string> variants;
  std::string orcid;
  std::int64_t works = 0;
  std::vector<std::string> topics;
};

struct ExportAuthorship {
  std::int64_t work_id = 0;
  std::string arxiv_id;
  std::string source;
  int position = 0;
  std::string name;
  std::int64_t author_id = 0;  ///< 0 for collaborations and unresolved mentions
};

/// Each calls `fn` once per row, in a stable order (by id, then position).
[[nodiscard]] Result<void> export_works(store::Store& store,
                                        const std::function<void(const ExportWork&)>& fn);
[[nodiscard]] Result<void> export_authors(store::Store& store,
                                          const std::function<void(const ExportAuthor&)>& fn);
[[nodiscard]] Result<void> export_authorships(
    store::Store& store, const std::function<void(const ExportAuthorship&)>& fn);

}  // namespace bzpeer::queries
