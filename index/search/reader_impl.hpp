// bzpeer — IndexReader's insides, shared by index_reader.cpp (search) and
// related_works.cpp ("more like this"). Not for other modules.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>
#include <utility>

#include "index/search/facets.hpp"
#include "index/search/index_files.hpp"
#include "index/search/query_parser.hpp"
#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {

/// Bytes of abstract a snippet aims at (Xapian may take slightly more).
inline constexpr std::size_t kSnippetBytes = 240;

/// The start of `text`, cut at a space after at most `bytes` bytes (so never inside a
/// UTF-8 sequence), with "…" when something was cut.
[[nodiscard]] std::string leading_excerpt(const std::string& text, std::size_t bytes);

struct IndexReader::Impl {
  explicit Impl(std::filesystem::path index_root) : root(std::move(index_root)) {}

  std::filesystem::path root;
  std::string target;  ///< the stub target of the build `db` has open
  Xapian::Database db;
  Xapian::QueryParser parser = make_query_parser();  // owned: not thread-safe
  SnippetQuery snippet_query;
  Xapian::Stem stemmer{std::string(kStemLanguage)};
  FacetCache facets;  ///< facet values of the open revision, for requests with facets

  /// Opens `current` afresh (it is a stub file Xapian reads) and checks its schema.
  Result<void> open_current(const std::string& new_target);
  /// Before each search: follow `current` to a new build after a rebuild, or else
  /// reopen() to see the writer's latest commit (cheap when nothing changed).
  Result<void> refresh();

  /// Runs `fn` on a fresh view of the index (refresh()), retrying on
  /// DatabaseModifiedError, and turns Xapian's exceptions into errors (a query parser
  /// error is the caller's: invalid_argument naming `query`). Defined in index_reader.cpp.
  template <class Fn>
  auto guarded(const std::string& query, Fn&& fn) -> decltype(fn());

  Result<SearchResponse> run(const SearchRequest& request);
  Result<std::vector<SearchHit>> related(std::int64_t work_id, std::size_t limit);

  /// The hit for the document at `it`, without snippet; its abstract into `abstract`.
  Result<SearchHit> make_hit(const Xapian::MSetIterator& it, std::string& abstract) const;
};

}  // namespace bzpeer::search
