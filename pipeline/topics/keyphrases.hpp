// bzpeer — keyphrases from a work's title and abstract: the fine topic layer.
//
// 1. Candidates (no POS tagger): the text is cut into runs of content words — stop words
//    (function words and the verbs abstracts use around their subject), punctuation,
//    numbers, TeX math and one-letter tokens end a run. Words that rarely start or end
//    an English noun phrase are trimmed (adverbs in -ly at either end, a leading -ing
//    word, a trailing -ed participle). Every n-gram of up to `max_words` words inside a
//    run is a candidate ("resource provisioning" inside "dynamic resource provisioning");
//    a run longer than that counts as whole in its last `max_words` words.
// 2. Variants merge by Porter stem: "planet candidates" and "planet candidate" are one
//    candidate with key "planet candid".
// 3. Generic phrases ("proposed method", "our results", "this paper", "results") never
//    become candidates; in a corpus of at least `min_docs_for_generic` works, neither
//    does a phrase found in more than `max_df_share` of them.
// 4. Ranking (rank_keyphrases): a product of factors, TF-IDF combined with statistics in
//    the manner of YAKE (Campos et al., Information Sciences 509, 2020) —
//      (1 + occurrences as a whole run)^whole_weight     whole noun phrases, repeated
//      x idf^idf_weight, idf = ln((N + 1) / (df + 1)) + 1 against the corpus
//      x (1 + offset of the first occurrence)^-position_weight    title, then early text
//      x (sentences it occurs in)^spread_weight
//      x single_word for one word, long_phrase for 4 words or more
//      x marked_case when written at least once capitalised mid-sentence or in capitals
//        (the words of a Title Case title do not count)
//      x adjective_end when the last word ends like an adjective ("-al", "-ive", ...)
//      x run_tail when it ends a run at least once (the head noun ends an English NP).
//    The weights were fitted once, jointly on Inspec Training and half of WWW, to the
//    F1@10 that `bzpeer eval topics` prints; the evaluation and the store use the same
//    defaults (KeyphraseOptions).
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
inline constexpr int kKeyphraseVersion = 2;

struct Candidate {
  std::string key;      ///< Porter stems joined by one space: "transit time variat"
  std::string surface;  ///< the most frequent written form, lowercased unless an acronym
  int count = 0;        ///< occurrences in the document (inside longer runs included)
  int whole = 0;        ///< occurrences as a whole run
  int tail = 0;         ///< occurrences that end a run
  int marked = 0;       ///< occurrences with every word capitalised mid-sentence or in capitals
  int first = 0;        ///< token offset of the first occurrence (title tokens come first)
  int sentences = 0;    ///< distinct sentences it occurs in (the title is one)
  int words = 0;        ///< number of words
  bool in_title = false;
  bool adjective_end = false;  ///< the last word ends like an adjective ("-al", "-ive", ...)
};

/// Defaults are the measured setting (see the header comment); the store and the
/// evaluation both use them.
struct KeyphraseOptions {
  int max_words = 4;       ///< longest candidate
  std::size_t top_k = 10;  ///< keyphrases returned
  double whole_weight = 1.36;
  double idf_weight = 0.5;
  double position_weight = 0.4;
  double spread_weight = 0.5;
  double single_word = 0.17;
  double long_phrase = 0.86;
  double marked_case = 2.4;
  double adjective_end = 0.45;
  double run_tail = 3.9;
  /// A phrase in more than this share of the documents is treated as generic (only
  /// applied once the corpus has at least `min_docs_for_generic` documents).
  double max_df_share = 0.1;
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

/// The top keyphrases by the score of the header comment, best first, where N is the
/// number of documents counted in `df` (the document itself included). A phrase in more
/// than max_df_share of a large corpus is skipped as generic.
[[nodiscard]] std::vector<Keyphrase> rank_keyphrases(const std::vector<Candidate>& candidates,
                                                     const DfLookup& df, std::int64_t n_docs,
                                                     const KeyphraseOptions& options = {});

/// Document frequency of candidates[i] (0 when unseen).
using CandidateDfLookup = std::function<std::int64_t(std::size_t candidate)>;

/// rank_keyphrases with the document frequencies given per candidate (same scores, same
/// order). It asks for the frequencies of the candidates it visits, best bound first, and
/// of no other: a caller that batches its lookups can learn which ones matter.
[[nodiscard]] std::vector<Keyphrase> rank_candidates(const std::vector<Candidate>& candidates,
                                                     const CandidateDfLookup& df,
                                                     std::int64_t n_docs,
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
