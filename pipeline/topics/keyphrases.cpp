// bzpeer — keyphrase candidates (n-grams of stop-word delimited runs) and their ranking.
#include "pipeline/topics/keyphrases.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>

#include "pipeline/topics/porter.hpp"

namespace bzpeer::topics {
namespace {

/// A word as written, with where it stands.
struct Token {
  std::string lower;     ///< lowercased
  std::string original;  ///< as written
  int sentence = 0;      ///< index of its sentence (the title is sentence 0)
  bool content = false;  ///< can be part of a candidate: not a stop word, number or letter
  bool joined = false;   ///< only spaces separate it from the previous token
  bool sentence_start = false;
};

bool is_word_codepoint(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ND: return true;
    default: return false;
  }
}

bool is_space_codepoint(utf8proc_int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

void append_codepoint(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

/// Splits text into tokens. Punctuation, TeX math ($...$) and TeX commands separate
/// tokens (the next token is not `joined`); '.', '!' and '?' before a space also end the
/// sentence. Spaces and apostrophes only end a word. A hyphen between two word
/// characters stays inside the word.
class Splitter {
 public:
  explicit Splitter(std::vector<Token>& tokens) : tokens_(tokens) {}

  void feed(std::string_view text) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    const auto size = static_cast<utf8proc_ssize_t>(text.size());
    utf8proc_ssize_t i = 0;
    auto peek = [&](utf8proc_ssize_t at, utf8proc_int32_t& cp) {
      if (at >= size) return utf8proc_ssize_t{0};
      auto n = utf8proc_iterate(p + at, size - at, &cp);
      return n > 0 ? n : utf8proc_ssize_t{1};
    };
    while (i < size) {
      utf8proc_int32_t cp = -1;
      auto n = peek(i, cp);
      if (cp >= 0 && is_word_codepoint(cp)) {
        append_codepoint(word_.original, cp);
        append_codepoint(word_.lower, cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp)
                                                : utf8proc_tolower(cp));
        ++letters_;
        i += n;
        continue;
      }
      if (cp == '-' && !word_.lower.empty()) {
        utf8proc_int32_t next = -1;
        peek(i + n, next);
        if (next >= 0 && is_word_codepoint(next)) {
          word_.original += '-';
          word_.lower += '-';
          i += n;
          continue;
        }
      }
      end_word();
      if (cp >= 0 && is_space_codepoint(cp)) {
        i += n;
        continue;
      }
      if (cp == '\'' || cp == 0x2019) {  // "Kepler's": the "s" becomes a one-letter word
        i += n;
        continue;
      }
      gap_ = true;
      i += n;
      if (cp == '.' || cp == '!' || cp == '?') {
        utf8proc_int32_t next = -1;
        peek(i, next);
        if (next < 0 || is_space_codepoint(next)) end_sentence();
      } else if (cp == '$') {  // inline math: skip to the closing dollar
        auto close = text.find('$', static_cast<std::size_t>(i));
        if (close != std::string_view::npos) i = static_cast<utf8proc_ssize_t>(close) + 1;
      } else if (cp == '\\') {  // a TeX command name
        while (i < size && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z'))) ++i;
      }
    }
    end_word();
    gap_ = true;
  }

  /// Ends the current sentence (if it has a word): the title is a sentence of its own.
  void end_sentence() {
    gap_ = true;
    if (!tokens_.empty() && tokens_.back().sentence == sentence_) {
      ++sentence_;
      sentence_start_ = true;
    }
  }

  [[nodiscard]] int sentences() const {
    return !tokens_.empty() && tokens_.back().sentence == sentence_ ? sentence_ + 1 : sentence_;
  }

 private:
  void end_word() {
    if (word_.lower.empty()) return;
    bool has_letter = std::ranges::any_of(word_.lower, [](char c) {
      return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    });
    // Numbers and citation years ("2011a") are no content; neither are one-letter words.
    bool numeric = word_.lower[0] >= '0' && word_.lower[0] <= '9';
    word_.content = has_letter && !numeric && letters_ >= 2 && !is_stop_word(word_.lower);
    word_.sentence = sentence_;
    word_.joined = !gap_;
    word_.sentence_start = sentence_start_;
    tokens_.push_back(std::move(word_));
    word_ = {};
    letters_ = 0;
    gap_ = false;
    sentence_start_ = false;
  }

  std::vector<Token>& tokens_;
  Token word_;
  int letters_ = 0;
  int sentence_ = 0;
  bool gap_ = true;
  bool sentence_start_ = true;
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Adverbs ("efficiently") cannot start or end a noun phrase.
bool is_adverb(std::string_view w) {
  return w.size() > 4 && ends_with(w, "ly");
}

/// A word in -ing starting a run is most often a verb ("using", "suggesting significant
/// ...") rather than a noun, so it is trimmed when more words follow.
bool is_gerund(std::string_view w) {
  return w.size() > 5 && ends_with(w, "ing");
}

/// A past participle at the end of a run is a verb ("the method proposed").
bool is_trailing_verb(std::string_view w) {
  return w.size() > 4 && ends_with(w, "ed") && !ends_with(w, "eed");
}

/// Acronyms and mixed case ("TTVs", "LaTeX") keep their case; other words are lowered.
std::string display_word(const Token& w) {
  int upper = 0;
  for (std::size_t i = 1; i < w.original.size(); ++i) {
    if (w.original[i] >= 'A' && w.original[i] <= 'Z') ++upper;
  }
  return upper > 0 ? w.original : w.lower;
}

/// Written with a capital inside a sentence ("Orkut"), or in capitals ("LDA").
bool is_marked_case(const Token& w) {
  const auto& o = w.original;
  if (o.empty() || !(o[0] >= 'A' && o[0] <= 'Z')) return false;
  if (!w.sentence_start) return true;
  return o.size() > 1 && std::ranges::none_of(o, [](char c) { return c >= 'a' && c <= 'z'; });
}

/// Adjectives rarely end an English noun phrase ("dynamic resource", "efficient").
bool is_adjective_like(std::string_view w) {
  for (std::string_view suffix : {"al", "ive", "ous", "ic", "able", "ible", "ful", "less", "ary"}) {
    if (w.size() > suffix.size() + 2 && ends_with(w, suffix)) return true;
  }
  return false;
}

}  // namespace

std::string phrase_key(std::string_view phrase) {
  std::vector<Token> tokens;
  Splitter splitter(tokens);
  splitter.feed(phrase);
  std::string key;
  for (const auto& w : tokens) {
    if (!key.empty()) key += ' ';
    key += porter_stem(w.lower);
  }
  return key;
}

std::vector<Candidate> extract_candidates(std::string_view title, std::string_view abstract,
                                          const KeyphraseOptions& options) {
  std::vector<Token> tokens;
  Splitter splitter(tokens);
  splitter.feed(title);
  splitter.end_sentence();
  const std::size_t title_tokens = tokens.size();
  // A title in Title Case says nothing about its words' case: only its acronyms count.
  std::size_t content = 0, capitalised = 0;
  for (std::size_t i = 0; i < title_tokens; ++i) {
    if (!tokens[i].content) continue;
    ++content;
    capitalised += tokens[i].original[0] >= 'A' && tokens[i].original[0] <= 'Z' ? 1 : 0;
  }
  if (content > 1 && 2 * capitalised > content) {
    for (std::size_t i = 0; i < title_tokens; ++i) tokens[i].sentence_start = true;
  }
  splitter.feed(abstract);

  std::vector<std::string> stems(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].content) stems[i] = porter_stem(tokens[i].lower);
  }

  std::vector<Candidate> out;
  std::unordered_map<std::string, std::size_t> by_key;
  std::vector<std::map<std::string, int>> surfaces;
  std::vector<int> last_sentence;
  // Adds the occurrence tokens[b, e) of a run that ends at run_end.
  auto add = [&](std::size_t b, std::size_t e, std::size_t run_begin, std::size_t run_end) {
    std::string key, surface;
    bool marked = true;
    for (std::size_t i = b; i < e; ++i) {
      if (i > b) key += ' ', surface += ' ';
      key += stems[i];
      surface += display_word(tokens[i]);
      marked = marked && is_marked_case(tokens[i]);
    }
    if (is_generic_key(key)) return;
    auto [it, fresh] = by_key.try_emplace(key, out.size());
    if (fresh) {
      Candidate c;
      c.key = key;
      c.first = static_cast<int>(b);
      c.words = static_cast<int>(e - b);
      c.adjective_end = is_adjective_like(tokens[e - 1].lower);
      out.push_back(std::move(c));
      surfaces.emplace_back();
      last_sentence.push_back(-1);
    }
    const std::size_t at = it->second;
    Candidate& c = out[at];
    ++c.count;
    if (b == run_begin && e == run_end) ++c.whole;
    if (e == run_end) ++c.tail;
    if (marked) ++c.marked;
    c.in_title = c.in_title || b < title_tokens;
    if (last_sentence[at] != tokens[b].sentence) {
      last_sentence[at] = tokens[b].sentence;
      ++c.sentences;
    }
    ++surfaces[at][surface];
  };

  const auto max_words = static_cast<std::size_t>(std::max(options.max_words, 1));
  for (std::size_t i = 0; i < tokens.size();) {
    if (!tokens[i].content) {
      ++i;
      continue;
    }
    std::size_t begin = i, end = i + 1;
    while (end < tokens.size() && tokens[end].content && tokens[end].joined) ++end;
    i = end;
    while (begin < end && (is_adverb(tokens[begin].lower) ||
                           (end - begin > 1 && is_gerund(tokens[begin].lower)))) {
      ++begin;
    }
    while (end > begin &&
           (is_adverb(tokens[end - 1].lower) || is_trailing_verb(tokens[end - 1].lower))) {
      --end;
    }
    // A run longer than max_words counts as whole in its last max_words words (the head
    // noun is at the end).
    const std::size_t whole_begin = end - std::min(end - begin, max_words);
    for (std::size_t b = begin; b < end; ++b) {
      for (std::size_t e = b + 1; e <= end && e - b <= max_words; ++e) add(b, e, whole_begin, end);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    int best = 0;
    for (const auto& [s, n] : surfaces[i]) {
      if (n > best) best = n, out[i].surface = s;
    }
  }
  return out;
}

std::vector<std::string> document_keys(const std::vector<Candidate>& candidates) {
  std::vector<std::string> keys;
  keys.reserve(candidates.size());
  for (const auto& c : candidates) keys.push_back(c.key);
  std::ranges::sort(keys);
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<Keyphrase> rank_keyphrases(const std::vector<Candidate>& candidates, const DfLookup& df,
                                       std::int64_t n_docs, const KeyphraseOptions& options) {
  return rank_candidates(
      candidates, [&](std::size_t i) { return df(candidates[i].key); }, n_docs, options);
}

std::vector<Keyphrase> rank_candidates(const std::vector<Candidate>& candidates,
                                       const CandidateDfLookup& df, std::int64_t n_docs,
                                       const KeyphraseOptions& options) {
  const double n = static_cast<double>(std::max<std::int64_t>(n_docs, 1));
  const bool filter_generic = n_docs >= options.min_docs_for_generic;
  // Everything in a score but the idf factor; the same product, in the same order, as the
  // score itself, so that scores and ties do not change in the last bit.
  auto score_with = [&](const Candidate& c, double idf) {
    double score = std::pow(1.0 + c.whole, options.whole_weight) *
                   std::pow(idf, options.idf_weight) *
                   std::pow(1.0 + c.first, -options.position_weight) *
                   std::pow(std::max(c.sentences, 1), options.spread_weight);
    if (c.words == 1) score *= options.single_word;
    if (c.words >= 4) score *= options.long_phrase;
    if (c.marked > 0) score *= options.marked_case;
    if (c.adjective_end) score *= options.adjective_end;
    if (c.tail > 0) score *= options.run_tail;
    return score;
  };
  // Document frequencies are the costly part (a store lookup each), and only the top_k
  // count: candidates are visited best bound first, where the bound is the score with the
  // largest idf any phrase can have (df = 1), and the visit stops once no bound can reach
  // the k-th best score found. The result is exactly that of scoring every candidate.
  const double idf_max = std::log((n + 1) / 2) + 1;
  std::vector<std::pair<double, std::size_t>> bounds;  // upper bound, candidate
  bounds.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    bounds.emplace_back(score_with(candidates[i], idf_max) * (1 + 1e-9), i);
  }
  std::ranges::sort(bounds, [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::pair<double, std::size_t>> scored;  // score, candidate
  scored.reserve(candidates.size());
  std::vector<double> best;  // min-heap of the top_k scores found so far
  const bool prune = options.top_k > 0 && options.idf_weight >= 0;
  for (const auto& [bound, i] : bounds) {
    if (prune && best.size() == options.top_k && bound < best.front()) break;
    const Candidate& c = candidates[i];
    auto d = static_cast<double>(std::max<std::int64_t>(df(i), 1));
    if (filter_generic && d > options.max_df_share * n) continue;
    const double idf = std::log((n + 1) / (d + 1)) + 1;
    const double score = score_with(c, idf);
    scored.emplace_back(score, i);
    if (options.top_k == 0) continue;
    if (best.size() < options.top_k) {
      best.push_back(score);
      std::ranges::push_heap(best, std::greater<>());
    } else if (score > best.front()) {
      std::ranges::pop_heap(best, std::greater<>());
      best.back() = score;
      std::ranges::push_heap(best, std::greater<>());
    }
  }
  // Best first; ties keep the order of first occurrence.
  const auto k = std::min(options.top_k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k), scored.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  std::vector<Keyphrase> out;
  out.reserve(k);
  for (std::size_t i = 0; i < k; ++i) {
    const Candidate& c = candidates[scored[i].second];
    out.push_back({c.key, c.surface, scored[i].first});
  }
  return out;
}

}  // namespace bzpeer::topics
