// bzpeer — the replay server's record pool: every <record> taken out of recorded OAI-PMH
// responses, keyed by (metadata prefix, identifier), with its bytes kept as captured.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::replay {

struct PoolRecord {
  std::string prefix;             ///< metadataPrefix, e.g. "arXivRaw"
  std::string identifier;         ///< OAI identifier, e.g. "oai:arXiv.org:0704.0001"
  std::string datestamp;          ///< YYYY-MM-DD
  std::vector<std::string> sets;  ///< setSpecs in document order
  bool deleted = false;
  std::string record_xml;  ///< the <record> element, serialised without reformatting
  std::string header_xml;  ///< its <header> element, for ListIdentifiers
};

struct MetadataFormat {
  std::string prefix;
  std::string schema;
  std::string ns;
};

/// Query for ListRecords / ListIdentifiers. Empty strings mean "no restriction".
struct ListQuery {
  std::string prefix;
  std::string from;   ///< YYYY-MM-DD, inclusive
  std::string until;  ///< YYYY-MM-DD, inclusive
  std::string set;
};

class RecordPool {
 public:
  /// Loads every *.xml below `dir` (recursively, in path order) and calls finish(). Files
  /// that do not parse are skipped with a message in `warnings`, as are records without
  /// identifier or datestamp. Returns false when `dir` is not a readable directory.
  bool load(const std::filesystem::path& dir, std::vector<std::string>& warnings);

  /// Adds the records of one OAI-PMH response document. Returns the number added.
  std::size_t add_document(std::string_view xml, const std::string& origin,
                           std::vector<std::string>& warnings);

  /// Adds one record; the newest datestamp wins for the same (prefix, identifier), a later
  /// addition wins on a tie. Call finish() after the last add().
  void add(PoolRecord record);
  void finish();

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t count(std::string_view prefix) const;
  [[nodiscard]] bool has_prefix(std::string_view prefix) const;
  [[nodiscard]] std::vector<MetadataFormat> formats() const;
  /// Formats in which `identifier` exists (empty when the identifier is unknown).
  [[nodiscard]] std::vector<MetadataFormat> formats_of(std::string_view identifier) const;
  [[nodiscard]] const std::vector<std::string>& sets() const { return sets_; }
  /// Earliest datestamp of all records; empty when the pool is empty.
  [[nodiscard]] std::string earliest_datestamp() const;

  [[nodiscard]] const PoolRecord* find(std::string_view prefix, std::string_view identifier) const;
  [[nodiscard]] bool has_identifier(std::string_view identifier) const;

  /// Matching records of the query, ordered by (datestamp, identifier).
  [[nodiscard]] std::vector<const PoolRecord*> list(const ListQuery& query) const;

  /// True when `spec` equals `set` or lies below it ("physics:hep-th" is in "physics").
  static bool in_set(std::string_view spec, std::string_view set);

 private:
  using ById = std::map<std::string, PoolRecord, std::less<>>;
  std::map<std::string, ById, std::less<>> records_;  // prefix -> identifier -> record
  std::map<std::string, std::vector<const PoolRecord*>, std::less<>> ordered_;
  std::map<std::string, MetadataFormat, std::less<>> formats_;
  std::vector<std::string> sets_;
};

/// Namespace and schema of the usual arXiv and Dublin Core formats.
std::optional<MetadataFormat> known_format(std::string_view prefix);

}  // namespace bzpeer::replay
