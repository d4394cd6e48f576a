// bzpeer — the Xapian search index: writer, reader, rebuild.
//
// Layout under the index root (e.g. var/index):
//   current          a Xapian stub file ("auto builds/<name>") — the live build
//   builds/<name>/   one Xapian database per build
// Readers open `current`. A rebuild writes a new build and swaps `current` with rename(),
// so readers never see a half-built index. Exactly one writer at a time (the caller holds
// the storage lock); readers reopen() and retry on DatabaseModifiedError.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/search/index_document.hpp"
#include "pipeline/model/error.hpp"

namespace bzpeer::search {

inline constexpr int kSchemaVersion = 1;

/// Adds, replaces and deletes work documents in the live build. Not thread-safe.
class IndexWriter {
 public:
  /// Opens the live build for writing, creating an empty first build when there is none.
  [[nodiscard]] static Result<IndexWriter> open(const std::filesystem::path& index_root);
  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();

  [[nodiscard]] Result<void> upsert(const IndexDocument& doc);   ///< keyed by work_id
  [[nodiscard]] Result<void> remove(std::int64_t work_id);
  [[nodiscard]] Result<void> commit();
  [[nodiscard]] std::uint64_t document_count() const;

 private:
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

enum class SortOrder { relevance, newest, oldest };

struct SearchRequest {
  std::string query;                 ///< user query language (fields, phrases, AND/OR/NOT, …)
  std::size_t offset = 0;
  std::size_t limit = 10;
  SortOrder sort = SortOrder::relevance;
  std::optional<int> year_from;      ///< filter, inclusive; does not change relevance
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
  int percent = 0;        ///< Xapian relevance percentage
  std::string snippet;    ///< abstract excerpt with matched terms marked [like this]
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::uint64_t total_estimate = 0;
  std::string parsed_query;  ///< Xapian's description, for --debug
};

/// Opens the live build read-only. Safe to use while a writer or a rebuild runs.
class IndexReader {
 public:
  [[nodiscard]] static Result<IndexReader> open(const std::filesystem::path& index_root);
  IndexReader(IndexReader&&) noexcept;
  IndexReader& operator=(IndexReader&&) noexcept;
  ~IndexReader();

  /// A malformed query gives ErrorCode::invalid_argument naming the problem.
  [[nodiscard]] Result<SearchResponse> search(const SearchRequest& request);
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
};

/// Builds a complete new index from `next` (called until it returns false), then swaps
/// `current` to it atomically and removes builds that are no longer live.
[[nodiscard]] Result<RebuildStats> rebuild(const std::filesystem::path& index_root,
                                           const std::function<bool(IndexDocument&)>& next);

}  // namespace bzpeer::search
