// bzpeer — IndexReader: searches the live build, following `current` across rebuilds.
#include <xapian.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "index/search/document_data.hpp"
#include "index/search/facets.hpp"
#include "index/search/reader_impl.hpp"

namespace bzpeer::search {
namespace fs = std::filesystem;

namespace {

/// Retries after DatabaseModifiedError (the writer committed twice under us).
constexpr int kModifiedRetries = 3;

/// A query word that at least this share of the works contain (1 in 10,000) is taken as
/// spelt right and not looked up in the spelling table (see has_rare_word()).
constexpr double kSpellCheckShare = 0.0001;

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

/// MSet::snippet escapes for HTML; our snippet is plain text with [ ] marks.
std::string unescape_html(const std::string& s) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},
      {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (std::string_view(s).substr(i, entity.size()) == entity) {
          out.push_back(c);
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

}  // namespace

std::string leading_excerpt(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t cut = text.rfind(' ', bytes);
  if (cut == std::string::npos || cut == 0) {
    cut = bytes;  // one very long word: back up to a UTF-8 character boundary
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut) + "…";
}

Result<void> IndexReader::Impl::open_current(const std::string& new_target) {
  Xapian::Database fresh(stub_path(root).string());
  if (auto ok = check_schema_version(fresh, resolve_target(root, new_target)); !ok) return ok;
  db = std::move(fresh);
  target = new_target;
  return {};
}

Result<void> IndexReader::Impl::refresh() {
  auto now = read_stub(root);
  if (!now) {
    // Keep answering from the open build if the stub is briefly unreadable.
    if (target.empty()) return std::unexpected(now.error());
    db.reopen();
    return {};
  }
  if (*now != target) return open_current(*now);
  db.reopen();
  return {};
}

Result<SearchHit> IndexReader::Impl::make_hit(const Xapian::MSetIterator& it,
                                              std::string& abstract) const {
  const Xapian::Document doc = it.get_document();
  auto stored = decode_document_data(doc.get_data());
  if (!stored) {
    return fail(ErrorCode::index, "document " + std::to_string(*it) + " in " +
                                      resolve_target(root, target).string() +
                                      " has unreadable data; rebuild the index");
  }
  SearchHit hit;
  hit.work_id = stored->work_id;
  hit.arxiv_id = std::move(stored->arxiv_id);
  hit.title = std::move(stored->title);
  hit.authors = std::move(stored->authors);
  hit.author_ids = std::move(stored->author_ids);
  hit.categories = std::move(stored->categories);
  hit.type = std::move(stored->type);
  hit.venue = std::move(stored->venue);
  hit.date = std::move(stored->date);
  hit.year = stored->year;
  hit.withdrawn = stored->withdrawn;
  hit.percent = it.get_percent();
  hit.weight = it.get_weight();
  abstract = std::move(stored->abstract);
  return hit;
}

namespace {

/// The user's query, with the request's filters applied through OP_FILTER.
Xapian::Query filtered(Xapian::Query query, const SearchRequest& request) {
  if (auto filter = request_filter(request)) {
    return Xapian::Query(Xapian::Query::OP_FILTER, query, *filter);
  }
  return query;
}

/// Whether `query` has a word worth a spelling lookup: a free-text (unprefixed) term that
/// no work, or fewer than kSpellCheckShare of the works, contain. Lucene's spell checker
/// by default looks up only words absent from the index (SuggestMode
/// SUGGEST_WHEN_NOT_IN_INDEX); the small share also catches a typo that a few works share.
/// A lookup (QueryParser::FLAG_SPELLING_CORRECTION) scans the spelling table's n-gram lists
/// for every word of the query, ~10 ms per word on 200,000 works, so it is worth skipping.
bool has_rare_word(const Xapian::Query& query, const Xapian::Database& db) {
  const double below = std::max(1.0, kSpellCheckShare * static_cast<double>(db.get_doccount()));
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string term = *t;
    if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // a field's term
    if (static_cast<double>(db.get_termfreq(term)) < below) return true;
  }
  return false;
}

}  // namespace

Result<SearchResponse> IndexReader::Impl::run(const SearchRequest& request) {
  parser.set_database(db);  // for wildcard expansion and spelling correction
  const std::string text = trim(request.query);
  // No spelling correction yet: it looks up every word in the spelling table, which
  // costs more than the whole match on a large index. It is asked for below, and only
  // when the query found little.
  const Xapian::Query parsed =
      text.empty() ? Xapian::Query::MatchAll : parser.parse_query(text, kQueryFlags);
  const Xapian::Query query = filtered(parsed, request);

  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  switch (request.sort) {
    case SortOrder::relevance: break;
    case SortOrder::newest:
      enquire.set_sort_by_value_then_relevance(slot(ValueSlot::date), true);
      break;
    case SortOrder::oldest:
      enquire.set_sort_by_value_then_relevance(slot(ValueSlot::date), false);
      break;
  }
  // Facets count over every match: one match visits them all (and finds the page), a
  // spy notes their ids, and the ids are counted afterwards in the FacetTable of this
  // revision (loaded by the first request with facets after a change).
  MatchedDocuments matched;
  Xapian::doccount check_at_least = 0;
  if (request.facets) {
    enquire.add_matchspy(&matched);      // not owned by Xapian
    check_at_least = db.get_doccount();  // visit every match, so counts are exact
  }
  // Xapian turns check_at_least off when the limit passes (a POSIX timer).
  if (request.time_limit_ms > 0) enquire.set_time_limit(request.time_limit_ms / 1000.0);
  const Xapian::MSet mset =
      enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                       static_cast<Xapian::doccount>(request.limit), check_at_least);
  enquire.clear_matchspies();

  SearchResponse response;
  response.total_estimate = mset.get_matches_estimated();
  response.parsed_query = query.get_description();
  if (request.facets) {
    const std::vector<Xapian::docid>& ids = matched.ids();
    const auto table = facets.get(db, root.string() + "\n" + target);
    for (std::size_t i = 0; i < std::size(kFacets); ++i) {
      response.facets.emplace(std::string(kFacets[i].name),
                              table != nullptr && table->has(i)
                                  ? table->count(i, ids, request.facet_limit)
                                  : count_facet(db, kFacets[i], ids, request.facet_limit));
    }
    // A complete match shows every match to the spy and knows the exact count; a match
    // the time limit cut short skipped some.
    response.truncated = ids.size() < mset.get_matches_upper_bound() ||
                         mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
  }

  // "Did you mean": only when the query found little and the correction finds more.
  // Only now is the text parsed with spelling correction (see above).
  if (!text.empty() && response.total_estimate < request.suggest_below &&
      has_rare_word(parsed, db)) {
    try {
      (void)parser.parse_query(text, kQueryFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
      const std::string corrected = parser.get_corrected_query_string();
      if (!corrected.empty() && corrected != text) {
        Xapian::Enquire fixed(db);
        fixed.set_query(filtered(parser.parse_query(corrected, kQueryFlags), request));
        const auto enough = static_cast<Xapian::doccount>(response.total_estimate + 1);
        if (fixed.get_mset(0, 0, enough).get_matches_estimated() > response.total_estimate) {
          response.suggestion = corrected;
        }
      }
    } catch (const Xapian::QueryParserError&) {
      // A correction that does not parse is no suggestion.
    }
  }

  // The snippet marks come from a query over plain terms (see SnippetQuery). With nothing
  // to mark, Xapian would pick "interesting" words from anywhere; the start of the
  // abstract reads better.
  std::optional<Xapian::MSet> marks;
  if (!text.empty() && !mset.empty()) {
    if (auto marking = snippet_query.parse(text, db)) {
      Xapian::Enquire mark_enquire(db);
      mark_enquire.set_query(*marking);
      marks = mark_enquire.get_mset(0, 0);
    }
  }

  response.hits.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    std::string abstract;
    auto hit = make_hit(it, abstract);
    if (!hit) return std::unexpected(hit.error());
    if (marks) {
      // Empty when no query word occurs in the abstract (say, a category-only query). The
      // window is chosen by the query words it holds (exhaustively: the best one, not the
      // first good enough). No SNIPPET_BACKGROUND_MODEL: it also weighs every other word
      // of the abstract by its frequency in the index, a term lookup per distinct word
      // (~150 per abstract, ~10 ms a page on 200,000 works), only to prefer a window with
      // rarer words around the same query words.
      hit->snippet = unescape_html(marks->snippet(
          abstract, kSnippetBytes, stemmer,
          Xapian::MSet::SNIPPET_EXHAUSTIVE | Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH,
          std::string(kSnippetMarkStart), std::string(kSnippetMarkEnd), "…"));
    }
    if (hit->snippet.empty()) hit->snippet = leading_excerpt(abstract, kSnippetBytes);
    response.hits.push_back(std::move(*hit));
  }
  return response;
}

IndexReader::IndexReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexReader::IndexReader(IndexReader&&) noexcept = default;
IndexReader& IndexReader::operator=(IndexReader&&) noexcept = default;
IndexReader::~IndexReader() = default;

Result<IndexReader> IndexReader::open(const fs::path& index_root) {
  auto impl = std::make_unique<Impl>(index_root);
  try {
    auto target = read_stub(index_root);
    if (!target) return std::unexpected(target.error());
    if (auto ok = impl->open_current(*target); !ok) return std::unexpected(ok.error());
  } catch (const Xapian::Error& e) {
    return std::unexpected(xapian_error(e, "cannot open search index", stub_path(index_root)));
  }
  return IndexReader(std::move(impl));
}

template <class Fn>
auto IndexReader::Impl::guarded(const std::string& query, Fn&& fn) -> decltype(fn()) {
  Impl& impl = *this;
  for (int attempt = 0;; ++attempt) {
    try {
      if (auto ok = impl.refresh(); !ok) return std::unexpected(ok.error());
      return fn();
    } catch (const Xapian::QueryParserError& e) {
      return fail(ErrorCode::invalid_argument,
                  "cannot parse query \"" + query + "\": " + e.get_msg());
    } catch (const Xapian::DatabaseModifiedError& e) {
      // The revision we read was discarded by two commits; refresh() reopens.
      if (attempt == kModifiedRetries) {
        return std::unexpected(
            xapian_error(e, "search index kept changing while searching", stub_path(impl.root)));
      }
    } catch (const Xapian::Error& e) {
      return std::unexpected(xapian_error(e, "cannot search", stub_path(impl.root)));
    }
  }
}

Result<SearchResponse> IndexReader::search(const SearchRequest& request) {
  return impl_->guarded(request.query, [&] { return impl_->run(request); });
}

Result<std::vector<SearchHit>> IndexReader::related(std::int64_t work_id, std::size_t limit) {
  return impl_->guarded("", [&] { return impl_->related(work_id, limit); });
}

std::uint64_t IndexReader::document_count() {
  try {
    (void)impl_->refresh();  // on failure, count what the open build holds
    return impl_->db.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

}  // namespace bzpeer::search
