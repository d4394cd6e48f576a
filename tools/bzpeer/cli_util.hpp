// bzpeer — helpers shared by the command line's verbs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "index/queries/queries.hpp"
#include "index/store/store.hpp"
#include "tools/bzpeer/config.hpp"
#include "tools/bzpeer/json_writer.hpp"

namespace bzpeer::cli {

/// Opens the configured store read-only (readers never take the storage lock).
[[nodiscard]] Result<store::Store> open_store(const Config& config);
/// Cuts text to about `max` bytes at a word boundary, never inside a UTF-8 sequence.
[[nodiscard]] std::string shorten(const std::string& text, std::size_t max);
[[nodiscard]] std::string join(const std::vector<std::string>& items, const char* sep);
/// "2011" or "2010..2012" (either end may be open).
[[nodiscard]] Result<std::pair<int, int>> parse_year_range(const std::string& text);
void write_work_json(JsonWriter& j, const queries::ProfileWork& w);
void write_collaborator_json(JsonWriter& j, const queries::Collaborator& c);

}  // namespace bzpeer::cli
