// bzpeer — "more like this": related works by Xapian's relevance feedback.
#include <xapian.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "index/search/reader_impl.hpp"

namespace bzpeer::search {
namespace {

/// Expand terms used for the "more like this" query.
constexpr Xapian::termcount kRelatedTerms = 25;

/// English function words (as stemmed in the index) that relevance feedback must not
/// pick; the index keeps them so phrases work. Sorted, for binary search.
constexpr std::string_view kStopwords[] = {
    "a",    "about", "after", "all",   "also",  "an",    "and",   "ani",   "are",   "as",
    "at",   "be",    "been",  "both",  "but",   "by",    "can",   "could", "do",    "doe",
    "each", "for",   "from",  "had",   "has",   "have",  "here",  "how",   "if",    "in",
    "into", "is",    "it",    "its",   "may",   "more",  "most",  "no",    "not",   "of",
    "on",   "onli",  "or",    "other", "our",   "over",  "so",    "some",  "such",  "than",
    "that", "the",   "their", "them",  "then",  "there", "these", "they",  "this",  "those",
    "thus", "to",    "two",   "under", "up",    "use",   "veri",  "was",   "we",    "were",
    "what", "when",  "where", "which", "while", "who",   "will",  "with",  "would",
};

/// Accepts the plain (unprefixed, stemmed) words of title, abstract and author names
/// that some other work has too. Prefixed terms repeat those words per field or are exact
/// values (ids, categories); numbers, one- or two-letter words and function words say
/// little about what a work is about; and a word no other work has finds nothing (yet
/// relevance feedback ranks such words highest).
class SharedWords : public Xapian::ExpandDecider {
 public:
  explicit SharedWords(const Xapian::Database& db) : db_(db) {}

  bool operator()(const std::string& term) const override {
    if (term.size() < 3) return false;
    const auto first = static_cast<unsigned char>(term[0]);
    if (first >= 'A' && first <= 'Z') return false;  // a prefix (Omega convention)
    if (std::all_of(term.begin(), term.end(),
                    [](unsigned char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
      return false;
    }
    return !std::binary_search(std::begin(kStopwords), std::end(kStopwords), term) &&
           db_.get_termfreq(term) > 1;
  }

 private:
  const Xapian::Database& db_;
};

constexpr bool sorted_stopwords() {
  for (std::size_t i = 1; i < std::size(kStopwords); ++i) {
    if (kStopwords[i] < kStopwords[i - 1]) return false;
  }
  return true;
}
static_assert(sorted_stopwords(), "kStopwords must be sorted");

}  // namespace

Result<std::vector<SearchHit>> IndexReader::Impl::related(std::int64_t work_id, std::size_t limit) {
  const std::string id = id_term(work_id);
  Xapian::PostingIterator posting = db.postlist_begin(id);
  if (posting == db.postlist_end(id)) {
    return fail(ErrorCode::not_found, "work " + std::to_string(work_id) + " is not in the index " +
                                          resolve_target(root, target).string());
  }
  std::vector<SearchHit> hits;
  if (limit == 0) return hits;

  Xapian::RSet relevant;
  relevant.add_document(*posting);
  Xapian::Enquire enquire(db);
  const SharedWords shared_words(db);
  const Xapian::ESet terms = enquire.get_eset(kRelatedTerms, relevant, &shared_words);
  if (terms.empty()) return hits;  // nothing to go by (a work without words)

  const Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id)));
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
  hits.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    std::string abstract;
    auto hit = make_hit(it, abstract);
    if (!hit) return std::unexpected(hit.error());
    hit->snippet = leading_excerpt(abstract, kSnippetBytes);
    hits.push_back(std::move(*hit));
  }
  return hits;
}

}  // namespace bzpeer::search
