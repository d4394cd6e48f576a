// bzpeer — the document data of a work in the search index: what a hit list shows.
//
// Stored with Xapian::Document::set_data so a search needs no store lookup. The encoding is
// ours and compact: a format byte, then each field in a fixed order; strings as a varint
// length plus bytes, lists as a varint count plus items, integers as zigzag varints.
// Adding a field means a new format byte (and a new kSchemaVersion).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/search/index_document.hpp"

namespace bzpeer::search {

/// The stored fields of one work (a SearchHit without the per-query parts, plus the
/// abstract, from which the snippet is cut).
struct StoredWork {
  std::int64_t work_id = 0;
  std::string arxiv_id;
  std::string title;
  std::vector<std::string> authors;
  std::vector<std::int64_t> author_ids;
  std::vector<std::string> categories;
  std::string type;
  std::string venue;
  std::string date;
  int year = 0;
  bool withdrawn = false;
  std::string abstract;
};

[[nodiscard]] std::string encode_document_data(const IndexDocument& doc);

/// Decodes what encode_document_data wrote; nullopt when the bytes are not such data.
[[nodiscard]] std::optional<StoredWork> decode_document_data(std::string_view data);

}  // namespace bzpeer::search
