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
#include <map>
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
/// 1: first release. 2: value slots for facets (categories, type, topics), XTOPIC: terms
/// for the topic filter, spelling data for "did you mean".
inline constexpr int kSchemaVersion = 2;

/// Marks around matched words in SearchHit::snippet. The snippet is plain text (not
/// HTML-escaped); beware that abstracts can contain '[' and ']' of their own.
inline constexpr std::string_view kSnippetMarkStart = "[";
inline constexpr std::string_view kSnippetMarkEnd = "]";

/// Adds, replaces and deletes work documents in the live build. Not thread-safe.
/// Errors: ErrorCode::locked when another writer holds the build; ErrorCode::index for any
/// other Xapian failure (the message names the build path); ErrorCode::io for the layout.
/// Changes become visible to readers at commit(), which the writer also does by itself
/// every few hundred changes (small batches index faster; see index_writer.cpp), so a
/// long run shows its progress and a crash loses at most the last batch: a caller that
/// must know what was committed (the store's pending-index marks) clears its marks only
/// after its own final commit(). Spelling words are counted per batch and written with
/// the batch, one add_spelling per distinct word. Destroying a writer also commits
/// pending changes (Xapian does so, ignoring errors): call commit() to learn about failures.
class IndexWriter {
 public:
  /// Opens the live build for writing, creating an empty first build (and `current`) when
  /// there is none. Refuses (ErrorCode::index) a build with another schema version.
  [[nodiscard]] static Result<IndexWriter> open(const std::filesystem::path& index_root);
  /// Changes (upserts and removals) after which the writer commits by itself.
  static constexpr std::uint64_t kCommitEvery = 512;
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

/// Facet names, in the order responses list them.
inline constexpr std::string_view kFacetNames[] = {"year", "category", "topic", "type"};

/// SearchRequest::time_limit_ms unless the caller says otherwise (the CLI and the server
/// take it from the config's [search] time_limit_ms).
inline constexpr std::uint32_t kDefaultTimeLimitMs = 2000;

struct SearchRequest {
  std::string query;  ///< user query language (fields, phrases, AND/OR/NOT, …)
  std::size_t offset = 0;
  std::size_t limit = 10;
  SortOrder sort = SortOrder::relevance;
  // Filters select without changing relevance. Values within one filter OR; filters AND.
  std::optional<int> year_from;  ///< inclusive
  std::optional<int> year_to;
  std::vector<std::string> categories;  ///< category (cs.LG) or archive (astro-ph); any case
  std::vector<std::string> types;       ///< work types (preprint, article, …); any case
  std::vector<std::string> topics;      ///< whole topic labels; ASCII case-insensitive
  /// Count year, category, topic and type over every match (query and filters), not
  /// just the page. Costs a full match: every matching document is visited (and the
  /// first request with facets after each change to the index reads every work's facet
  /// values into memory, about 40 bytes per work, shared by the process's readers).
  bool facets = false;
  std::size_t facet_limit = 10;  ///< values per facet, most frequent first; 0 = all
  /// Look for a spelling correction when the query finds fewer works than this
  /// (0 = never). See SearchResponse::suggestion.
  std::size_t suggest_below = 10;
  /// Time limit for counting, in milliseconds (0 = none): Xapian's
  /// Enquire::set_time_limit. Counting every match (facets, an exact total) stops after
  /// this long and the match finishes with Xapian's usual shortcuts: the page still holds
  /// the best hits, but facet counts cover only the matches visited and the total is an
  /// estimate; SearchResponse::truncated says so. Xapian 1.4 cannot cut a match short
  /// otherwise, so a query without facets is not limited (it never counts every match).
  std::uint32_t time_limit_ms = kDefaultTimeLimitMs;
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

/// One value of a facet and how many matching works have it.
struct FacetValue {
  std::string value;  ///< as indexed: "2011", "astro-ph.EP", "preprint", a topic label
  std::uint64_t count = 0;
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::uint64_t total_estimate = 0;  ///< exact when facets were asked for (and not truncated)
  std::string parsed_query;          ///< Xapian's description, for --debug
  /// With SearchRequest::facets: "year", "category", "topic" and "type" (kFacetNames),
  /// each most frequent first (ties by value), at most facet_limit values; a facet no
  /// match has a value for is present and empty. A work counts once per category or
  /// topic it has. Without facets: empty.
  std::map<std::string, std::vector<FacetValue>, std::less<>> facets;
  /// "Did you mean": the query with misspelt words replaced, when the query found fewer
  /// than suggest_below works and the corrected query finds more (with the same
  /// filters). Words are corrected from the titles and abstracts in the index, within two
  /// edits; only words without a field are corrected, and only when one of them is rare:
  /// in no work, or in fewer than 1 in 10,000 works (a word more works use is taken as
  /// spelt right). Empty when there is none.
  std::string suggestion;
  /// The time limit (SearchRequest::time_limit_ms) stopped the count of matches: facet
  /// counts cover only part of the matches and total_estimate is an estimate. The hits
  /// are still the best ones for the page.
  bool truncated = false;
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
  /// "More like this": up to `limit` works most like work `work_id`, never that work
  /// itself, best first. Uses relevance feedback: the work's own document is the relevant
  /// set, Xapian picks its most telling words (from title, abstract and author names) and
  /// searches with them. Hits carry no marks: the snippet is the start of the abstract.
  /// ErrorCode::not_found when the work is not in the index.
  [[nodiscard]] Result<std::vector<SearchHit>> related(std::int64_t work_id, std::size_t limit);
  /// Documents in the live build (0 if the index cannot be read).
  [[nodiscard]] std::uint64_t document_count();

 private:
  struct Impl;
  explicit IndexReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct RebuildOptions {
  /// Databases written in parallel, one writer thread each, then merged with Xapian's
  /// compaction. 0 = one per hardware thread (2 when that is unknown); 1 = write the
  /// build directly, without shards or compaction.
  unsigned shards = 0;
  /// With shards: each writer starts a new database ("part") after this many documents,
  /// and the compaction merges all parts, so that the databases a writer commits to stay
  /// small (commits into a large database get slower). Each later part holds a quarter of
  /// this more than the one before, so that the number of parts grows with the square
  /// root of the number of works. 0 = the default (5,000).
  std::uint64_t part_documents = 0;
};

/// Where a rebuild's wall-clock time went, in seconds. `feed` is time spent inside the
/// caller's `next` (with shards it overlaps `write`, which runs until the last writer has
/// committed); the rest are consecutive.
struct RebuildPhases {
  double feed = 0;      ///< in the document source
  double write = 0;     ///< building and writing documents, until every writer committed
  double spelling = 0;  ///< writing the collected spelling words (with shards: inside
                        ///< `write`, summed over the writers)
  double compact = 0;   ///< merging the parts into the build (0 when written directly)
  double sync = 0;      ///< fsync of the finished build
  double verify = 0;    ///< checks before the swap
  double swap = 0;      ///< stubs renamed, old builds pruned
};

struct RebuildStats {
  std::uint64_t documents = 0;
  unsigned shards = 1;  ///< writers used
  double seconds = 0;
  RebuildPhases phases;
  std::string build_name;
  /// The build that was live before the swap, kept (and named by the `previous` stub) for
  /// rollback(); empty when there was none.
  std::string previous_build;
  std::vector<std::string> removed_builds;  ///< older builds deleted after the swap
};

/// Builds a complete new index from `next` (called with a default-constructed document
/// until it returns false, always from the calling thread; a work_id given twice keeps
/// the last), verifies it (document count, schema version, the first document findable by
/// id), then swaps `current` to it atomically. The build `current` named until then is
/// kept, named by the stub `previous`, for rollback(); every other build is removed, so a
/// rebuild leaves exactly two. Open readers keep answering and move to the new build on
/// their next search. On failure the new build is deleted and `current` is untouched.
///
/// With several shards, each document goes to the shard chosen by a hash of its work_id
/// (so a repeated id replaces its earlier version in the same shard); one thread per shard
/// builds and writes documents into a series of small databases (parts), committing small
/// batches; the parts of all shards are then compacted into the build directory and
/// deleted. Peak disk use is about four times the index size
/// (the previous and the live build, the shards and the compacted build).
/// The caller holds the storage lock (one writer or rebuild at a time; a build being
/// written by someone else would be removed).
[[nodiscard]] Result<RebuildStats> rebuild(const std::filesystem::path& index_root,
                                           const std::function<bool(IndexDocument&)>& next,
                                           const RebuildOptions& options = {});

struct RollbackStats {
  std::string build_name;      ///< the build `current` names now (the former previous)
  std::string previous_build;  ///< the build rolled back from, now `previous`
};

/// Puts the previous build back: `current` is pointed at the build `previous` names (by
/// the rename of a new stub, as in rebuild()), and `previous` at the build that was live,
/// so a second rollback undoes the first. Readers move on their next search. The build
/// rolled back to lacks whatever incremental updates (harvests) went into the newer build
/// after the rebuild; run a rebuild once the cause is fixed.
/// Errors: ErrorCode::not_found when there is no index, no previous build, or its directory
/// is gone (nothing changes); ErrorCode::index when the previous build cannot be opened or
/// has another schema version; ErrorCode::io when a stub cannot be written. The caller holds
/// the storage lock, as for rebuild().
[[nodiscard]] Result<RollbackStats> rollback(const std::filesystem::path& index_root);

}  // namespace bzpeer::search
