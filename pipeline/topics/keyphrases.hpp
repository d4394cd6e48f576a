// bzpeer — keyphrases from a work's title and abstract: the fine topic layer.
//
// 1. Candidates (no POS tagger): the text is cut into maximal runs of content words —
//    stop words, punctuation, numbers, TeX math and one-letter tokens end a run. Words
//    that rarely start or end an English noun phrase are trimmed (adverbs in -ly at
//    either end, a leading -ing word, a trailing -ed participle); runs longer than
//    `max_words` keep their last `max_words` words (the head noun is at the end). The
//    tails of a run ("timing variations" in "transit timing variations") are candidates
//    too, at half weight, and need 3 occurrences when never seen as a whole run.
// 2. Variants merge by Porter stem: "planet candidates" and "planet candidate" are one
//    candidate with key "planet candid".
// 3. Generic phrases ("proposed method", "our results", "this paper", "results") never
//    become candidates.
// 4. Ranking: TF-IDF against document frequencies over a corpus (keys counted once per
//    document; see document_keys), doubled for phrases in the title and multiplied by
//    the number of words (Inspec's keyphrases are mostly 2-3 words long).
//
// Pure functions; the store keeps the document frequencies (index/store/topic_store.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::topics {

/// Bumped whenever candidates, keys or scores change; a store whose keyphrases were
/// computed by another version recomputes them (and its document frequencies).
inline constexpr int kKeyphraseVersion = 1;

struct Candidate {
  std::string key;      ///< Porter stems joined by one space: "transit time variat"
  std::string surface;  ///< the most frequent written form, lowercased unless an acronym
  int count = 0;        ///< occurrences in the document
  int whole = 0;        ///< occurrences as a whole run
  double tf = 0;        ///< occurrences weighted: 1 as a whole run, sub_phrase_weight inside one
  int first = 0;        ///< word offset of the first occurrence (title words come first)
  int words = 0;        ///< number of words
  bool in_title = false;
};

struct KeyphraseOptions {
  int max_words = 4;  ///< longest candidate
  /// 0: whole runs only; 1: also the tails of runs ("timing variations", "variations");
  /// 2: every n-gram inside a run. Tails measured best on Inspec (see eval_topics.cpp).
  int sub_phrases = 1;
  double sub_phrase_weight = 0.5;  ///< term-frequency weight of an occurrence inside a run
  int min_embedded = 3;       ///< a phrase seen only inside longer runs needs this many occurrences
  std::size_t top_k = 10;     ///< keyphrases returned
  double title_bonus = 1.0;   ///< score multiplier (1 + bonus) for phrases in the title
  double length_bonus = 1.0;  ///< score multiplier (1 + bonus * (words - 1))
  /// A phrase in more than this share of the documents is treated as generic (only
  /// applied once the corpus has at least `min_docs_for_generic` documents).
  double max_df_share = 0.05;
  std::int64_t min_docs_for_generic = 1000;
};

struct Keyphrase {
  std::string key;
  std::string surface;
  double score = 0;
};

/// Candidates of one document, merged by stem key, in order of first occurrence.
[[nodiscard]] std::vector<Candidate> extract_candidates(std::string_view title,
                                                        std::string_view abstract,
                                                        const KeyphraseOptions& options = {});

/// The keys a document contributes to the document frequencies: its distinct candidate
/// keys, sorted. The store and the evaluation count exactly these.
[[nodiscard]] std::vector<std::string> document_keys(const std::vector<Candidate>& candidates);

/// Document frequency of a key (0 when unseen).
using DfLookup = std::function<std::int64_t(std::string_view key)>;

/// The top keyphrases by TF-IDF: tf * ln((N + 1) / (df + 1)) + title/length bonuses, where
/// N is the number of documents counted in `df` (the document itself included). Phrases
/// A phrase in more than max_df_share of a large corpus is skipped as generic.
[[nodiscard]] std::vector<Keyphrase> rank_keyphrases(const std::vector<Candidate>& candidates,
                                                     const DfLookup& df, std::int64_t n_docs,
                                                     const KeyphraseOptions& options = {});

/// Porter-stemmed key of any phrase, tokenised like the candidates ("Transit-timing
/// variations" -> "transit-tim variat"). Used to compare with gold keyphrases.
[[nodiscard]] std::string phrase_key(std::string_view phrase);

/// True for words that end candidate runs (English function words and scholarly
/// boilerplate verbs); `word` is lowercase.
[[nodiscard]] bool is_stop_word(std::string_view word);

/// True for a candidate (given by its stem key) too generic to describe a work
/// ("result", "propos method", "paper").
[[nodiscard]] bool is_generic_key(std::string_view key);

}  // namespace bzpeer::topics
