// bzpeer — keyphrase candidates (stop-word delimited runs) and TF-IDF ranking.
#include "pipeline/topics/keyphrases.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "pipeline/topics/porter.hpp"

namespace bzpeer::topics {
namespace {

struct Word {
  std::string lower;     ///< lowercased
  std::string original;  ///< as written
};

/// One run of content words between boundaries.
using Run = std::vector<Word>;

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

/// Splits text into runs of words. Punctuation, TeX math ($...$), TeX commands,
/// numbers, one-letter words and stop words end a run; spaces and apostrophes only end
/// a word. A hyphen between two word characters stays inside the word.
class Splitter {
 public:
  /// With `keep_all`, every word is kept (for comparing whole phrases).
  explicit Splitter(std::vector<Run>& runs, bool keep_all = false)
      : runs_(runs), keep_all_(keep_all) {
    runs_.emplace_back();
  }

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
      boundary();
      i += n;
      if (cp == '$') {  // inline math: skip to the closing dollar
        auto close = text.find('$', static_cast<std::size_t>(i));
        if (close != std::string_view::npos) i = static_cast<utf8proc_ssize_t>(close) + 1;
      } else if (cp == '\\') {  // a TeX command name
        while (i < size && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z'))) ++i;
      }
    }
    end_word();
    boundary();
  }

 private:
  void end_word() {
    if (word_.lower.empty()) return;
    bool has_letter = std::ranges::any_of(word_.lower, [](char c) {
      return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    });
    // Numbers and citation years ("2011a") end a run; so do one-letter words.
    bool numeric = word_.lower[0] >= '0' && word_.lower[0] <= '9';
    if (!keep_all_ && (!has_letter || numeric || letters_ < 2 || is_stop_word(word_.lower))) {
      boundary();
    } else {
      runs_.back().push_back(std::move(word_));
    }
    word_ = {};
    letters_ = 0;
  }
  void boundary() {
    if (!runs_.back().empty()) runs_.emplace_back();
  }

  std::vector<Run>& runs_;
  bool keep_all_;
  Word word_;
  int letters_ = 0;
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
std::string display_word(const Word& w) {
  int upper = 0;
  for (std::size_t i = 1; i < w.original.size(); ++i) {
    if (w.original[i] >= 'A' && w.original[i] <= 'Z') ++upper;
  }
  return upper > 0 ? w.original : w.lower;
}

}  // namespace

std::string phrase_key(std::string_view phrase) {
  std::vector<Run> runs;
  Splitter splitter(runs, /*keep_all=*/true);
  splitter.feed(phrase);
  std::string key;
  for (const auto& run : runs) {
    for (const auto& w : run) {
      if (!key.empty()) key += ' ';
      key += porter_stem(w.lower);
    }
  }
  return key;
}

std::vector<Candidate> extract_candidates(std::string_view title, std::string_view abstract,
                                          const KeyphraseOptions& options) {
  std::vector<Run> runs;
  Splitter splitter(runs);
  splitter.feed(title);
  std::size_t title_runs = runs.back().empty() ? runs.size() - 1 : runs.size();
  splitter.feed(abstract);
  if (runs.back().empty()) runs.pop_back();

  std::vector<Candidate> out;
  std::unordered_map<std::string, std::size_t> by_key;
  std::vector<std::map<std::string, int>> surfaces;
  int offset = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    std::size_t begin = 0, end = run.size();
    while (begin < end &&
           (is_adverb(run[begin].lower) || (end - begin > 1 && is_gerund(run[begin].lower)))) {
      ++begin;
    }
    while (end > begin && (is_adverb(run[end - 1].lower) || is_trailing_verb(run[end - 1].lower))) {
      --end;
    }
    if (end - begin > static_cast<std::size_t>(options.max_words)) {
      begin = end - static_cast<std::size_t>(options.max_words);
    }
    offset += static_cast<int>(run.size());
    auto add = [&](std::size_t b, std::size_t e, bool whole) {
      const double weight = whole ? 1.0 : options.sub_phrase_weight;
      std::string key, surface;
      for (std::size_t i = b; i < e; ++i) {
        if (i > b) key += ' ', surface += ' ';
        key += porter_stem(run[i].lower);
        surface += display_word(run[i]);
      }
      if (is_generic_key(key)) return;
      auto [it, fresh] = by_key.try_emplace(key, out.size());
      if (fresh) {
        out.push_back({key,
                       {},
                       0,
                       0,
                       0.0,
                       offset - static_cast<int>(run.size()) + static_cast<int>(b),
                       static_cast<int>(e - b),
                       false});
        surfaces.emplace_back();
      }
      Candidate& c = out[it->second];
      ++c.count;
      c.tf += weight;
      if (whole) ++c.whole;
      c.in_title = c.in_title || r < title_runs;
      ++surfaces[it->second][surface];
    };
    if (begin == end) continue;
    add(begin, end, true);
    if (options.sub_phrases == 1) {
      for (std::size_t b = begin + 1; b < end; ++b) add(b, end, false);
    } else if (options.sub_phrases == 2) {
      for (std::size_t b = begin; b < end; ++b) {
        for (std::size_t e = b + 1; e <= end; ++e) {
          if (b != begin || e != end) add(b, e, false);
        }
      }
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
  std::vector<Keyphrase> scored;
  const double n = static_cast<double>(std::max<std::int64_t>(n_docs, 1));
  const bool filter_generic = n_docs >= options.min_docs_for_generic;
  for (const auto& c : candidates) {
    auto d = static_cast<double>(std::max<std::int64_t>(df(c.key), 1));
    if (filter_generic && d > options.max_df_share * n) continue;
    if (c.whole == 0 && c.count < options.min_embedded) continue;
    double idf = std::log((n + 1) / (d + 1)) + 1;
    double score = c.tf * idf * (c.in_title ? 1 + options.title_bonus : 1) *
                   (1 + options.length_bonus * (c.words - 1));
    scored.push_back({c.key, c.surface, score});
  }
  std::ranges::stable_sort(
      scored, [](const Keyphrase& a, const Keyphrase& b) { return a.score > b.score; });
  if (scored.size() > options.top_k) scored.resize(options.top_k);
  return scored;
}

}  // namespace bzpeer::topics
