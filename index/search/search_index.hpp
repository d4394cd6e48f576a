// bzpeer — the Xapian search index: writer, reader, rebuild.
//
// Layout under the index root (e.g. var/index):
//   current          a Xapian stub file ("auto builds/<name>") — the live build
//   builds/<name>/   one Xapian database per build
// Readers open `current`. A rebuild writes a new build and swaps `current` with rename(),
// so readers never see a half-built index. Exactly one writer at a time (the caller holds
// the storage lock); readers reopen() and retry on DatabaseModifiedError.
//
// What is indexed and how fields are queried is in index/search/schema.hpp (one table for
// both sides). Query language, for SearchRequest::query:
//   words             all must match (default AND) in title, abstract or author names;
//                     title words weigh 3x; English stemming (planets finds planet)
//   "a phrase"        words in this order within one field (never across title/abstract)
//   title: abstract: author: topic:        a word or "phrase" in one field
//   category: doi: arxiv: type: source: year: id: authorid: status:
//                     exact values, case-insensitive where the schema folds them;
//                     category:astro-ph matches every astro-ph.* category;
//                     quote values with parentheses: doi:"10.1007/jhep01(2011)139"
//   year:2019..2022   year range (also year:2019.. and year:..2022)
//   AND OR NOT ( )    in any case; +word -word; NOT alone excludes; tang* right truncation
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/search/index_document.hpp"
#include "pipeline/model/error.hpp"

namespace bzpeer::search {

/// Version of the index schema (schema.hpp), stored in the index metadata under
/// "bzpeer.schema_version". Readers and writers refuse an index with another version.
inline constexpr int kSchemaVersion = 1;

/// Marks around matched words in SearchHit::snippet. The snippet is plain text (not
/// HTML-escaped); beware that abstracts can contain '[' and ']' of their own.
inline constexpr std::string_view kSnippetMarkStart = "[";
inline constexpr std::string_view kSnippetMarkEnd = "]";

/// Adds, replaces and deletes work documents in the live build. Not thread-safe.
/// Errors: ErrorCode::locked when another writer holds the build; ErrorCode::index for any
/// other Xapian failure (the message names the build path); ErrorCode::io for the layout.
/// Changes become visible to readers at commit(). Destroying a writer also commits pending
/// changes (Xapian does so, ignoring errors): call commit() to learn about failures.
class IndexWriter {
 public:
  /// Opens the live build for writing, creating an empty first build (and `current`) when
  /// there is none. Refuses (ErrorCode::index) a build with another schema version.
  [[nodiscard]] static Result<IndexWriter> open(const std::filesystem::path& index_root);
  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();

  [[nodiscard]] Result<void> upsert(const IndexDocument& doc);  ///< keyed by work_id
  [[nodiscard]] Result<void> remove(std::int64_t work_id);      ///< unknown id: no-op
  [[nodiscard]] Result<void> commit();
  [[nodiscard]] std::uint64_t document_count() const;

 private:
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

enum class SortOrder { relevance, newest, oldest };

struct SearchRequest {
  std::string query;  ///< user query language (fields, phrases, AND/OR/NOT, …)
  std::size_t offset = 0;
  std::size_t limit = 10;
  SortOrder sort = SortOrder::relevance;
  std::optional<int> year_from;  ///< filter, inclusive; does not change relevance
  std::optional<int> year_to;
  std::vector<std::string> categories;  ///< filter: any of these
};

struct SearchHit {
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
  int percent = 0;    ///< Xapian relevance percentage
  double weight = 0;  ///< Xapian relevance weight; comparable within one response only
  /// Abstract excerpt (about 240 bytes, "…" where cut) with matched words marked
  /// [like this] (kSnippetMarkStart/End). Plain text. Words are marked by stem, and
  /// phrases when matched word for word; words that only a NOT excludes may be marked too.
  std::string snippet;
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::uint64_t total_estimate = 0;
  std::string parsed_query;  ///< Xapian's description, for --debug
};

/// Opens the live build read-only. Safe to use while a writer or a rebuild runs: each
/// search first re-reads `current` and opens the new build after a rebuild, or else
/// reopen()s to see the latest commit. Not thread-safe: one reader per thread.
class IndexReader {
 public:
  /// ErrorCode::not_found when there is no index under `index_root`; ErrorCode::index when
  /// it cannot be opened or has another schema version (rebuild it).
  [[nodiscard]] static Result<IndexReader> open(const std::filesystem::path& index_root);
  IndexReader(IndexReader&&) noexcept;
  IndexReader& operator=(IndexReader&&) noexcept;
  ~IndexReader();

  /// A malformed query gives ErrorCode::invalid_argument naming the problem and the
  /// query. An empty query matches every work. Filters (years, categories) select without
  /// changing relevance. Retries up to 3 times on Xapian's DatabaseModifiedError.
  [[nodiscard]] Result<SearchResponse> search(const SearchRequest& request);
  /// Documents in the live build (0 if the index cannot be read).
  [[nodiscard]] std::uint64_t document_count();

 private:
  struct Impl;
  explicit IndexReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct RebuildStats {
  std::uint64_t documents = 0;
  double seconds = 0;
  std::string build_name;
  std::vector<std::string> removed_builds;  ///< old builds deleted after the swap
};

/// Builds a complete new index from `next` (called with a default-constructed document
/// until it returns false; a work_id given twice keeps the last), commits every 10,000
/// documents and at the end, verifies the document count, then swaps `current` to it
/// atomically and removes every build `current` no longer names. Open readers keep
/// answering and move to the new build on their next search. On failure the new build is
/// deleted and `current` is untouched. The caller holds the storage lock (one writer or
/// rebuild at a time; a build being written by someone else would be removed).
[[nodiscard]] Result<RebuildStats> rebuild(const std::filesystem::path& index_root,
                                           const std::function<bool(IndexDocument&)>& next);

}  // namespace bzpeer::search
