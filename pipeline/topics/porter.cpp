// bzpeer — Porter (1980) suffix stripping, steps 1a–5b as published.
#include "pipeline/topics/porter.hpp"

#include <algorithm>
#include <array>

namespace bzpeer::topics {
namespace {

/// The word being stemmed: `b` holds the letters, `k` is one past the current end and
/// `j` one past the end of the stem left when a suffix is removed.
class Stemmer {
 public:
  explicit Stemmer(std::string word) : b_(std::move(word)), k_(b_.size()) {}

  std::string run() {
    step1ab();
    if (k_ > 1) {
      step1c();
      step2();
      step3();
      step4();
      step5();
    }
    b_.resize(k_);
    return b_;
  }

 private:
  // A consonant is a letter other than a, e, i, o, u, and other than y preceded by a
  // consonant.
  [[nodiscard]] bool cons(std::size_t i) const {
    switch (b_[i]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u': return false;
      case 'y': return i == 0 || !cons(i - 1);
      default: return true;
    }
  }

  /// m, the number of VC sequences in the stem b[0, j): [C](VC){m}[V].
  [[nodiscard]] int measure() const {
    int n = 0;
    std::size_t i = 0;
    while (i < j_ && cons(i)) ++i;
    while (i < j_) {
      while (i < j_ && !cons(i)) ++i;
      if (i >= j_) break;
      ++n;
      while (i < j_ && cons(i)) ++i;
    }
    return n;
  }

  /// *v*: the stem contains a vowel.
  [[nodiscard]] bool vowel_in_stem() const {
    for (std::size_t i = 0; i < j_; ++i) {
      if (!cons(i)) return true;
    }
    return false;
  }

  /// *d: b[0, end) ends with a double consonant.
  [[nodiscard]] bool double_cons(std::size_t end) const {
    return end >= 2 && b_[end - 1] == b_[end - 2] && cons(end - 1);
  }

  /// *o: b[0, end) ends consonant-vowel-consonant, the last not w, x or y.
  [[nodiscard]] bool cvc(std::size_t end) const {
    if (end < 3 || !cons(end - 1) || cons(end - 2) || !cons(end - 3)) return false;
    char c = b_[end - 1];
    return c != 'w' && c != 'x' && c != 'y';
  }

  /// True when b[0, k) ends with `s`; sets j to where the suffix starts.
  bool ends(std::string_view s) {
    if (s.size() > k_) return false;
    if (std::string_view(b_).substr(k_ - s.size(), s.size()) != s) return false;
    j_ = k_ - s.size();
    return true;
  }

  /// Replaces b[j, k) with `s`.
  void set_to(std::string_view s) {
    b_.replace(j_, k_ - j_, s);
    k_ = j_ + s.size();
    b_.resize(k_);
  }

  /// set_to(s) when m > 0.
  void r(std::string_view s) {
    if (measure() > 0) set_to(s);
  }

  void step1ab() {
    if (b_[k_ - 1] == 's') {
      if (ends("sses")) {
        k_ -= 2;
      } else if (ends("ies")) {
        set_to("i");
      } else if (k_ >= 2 && b_[k_ - 2] != 's') {
        --k_;
      }
      b_.resize(k_);
    }
    if (ends("eed")) {
      if (measure() > 0) --k_;
    } else if ((ends("ed") || ends("ing")) && vowel_in_stem()) {
      k_ = j_;
      b_.resize(k_);
      if (ends("at")) {
        set_to("ate");
      } else if (ends("bl")) {
        set_to("ble");
      } else if (ends("iz")) {
        set_to("ize");
      } else if (double_cons(k_)) {
        char c = b_[k_ - 1];
        if (c != 'l' && c != 's' && c != 'z') --k_;
      } else {
        j_ = k_;
        if (measure() == 1 && cvc(k_)) {
          b_.resize(k_);
          b_ += 'e';
          ++k_;
        }
      }
    }
    b_.resize(k_);
  }

  void step1c() {
    if (ends("y") && vowel_in_stem()) b_[k_ - 1] = 'i';
  }

  struct Rule {
    std::string_view suffix, replacement;
  };

  /// Applies the first rule whose suffix matches (longest first within the table's
  /// grouping) when the stem has m > 0.
  template <std::size_t N>
  void apply_m0(const std::array<Rule, N>& rules) {
    for (const auto& rule : rules) {
      if (ends(rule.suffix)) {
        r(rule.replacement);
        return;
      }
    }
  }

  void step2() {
    static constexpr std::array<Rule, 20> kRules{{
        {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"},   {"anci", "ance"},
        {"izer", "ize"},    {"abli", "able"},   {"alli", "al"},     {"entli", "ent"},
        {"eli", "e"},       {"ousli", "ous"},   {"ization", "ize"}, {"ation", "ate"},
        {"ator", "ate"},    {"alism", "al"},    {"iveness", "ive"}, {"fulness", "ful"},
        {"ousness", "ous"}, {"aliti", "al"},    {"iviti", "ive"},   {"biliti", "ble"},
    }};
    apply_m0(kRules);
  }

  void step3() {
    static constexpr std::array<Rule, 7> kRules{{
        {"icate", "ic"},
        {"ative", ""},
        {"alize", "al"},
        {"iciti", "ic"},
        {"ical", "ic"},
        {"ful", ""},
        {"ness", ""},
    }};
    apply_m0(kRules);
  }

  void step4() {
    // Longest suffixes first where one is a suffix of another (ement, ment, ent).
    static constexpr std::array<std::string_view, 19> kSuffixes{
        "al",  "ance", "ence", "er",  "ic",  "able", "ible", "ant", "ement", "ment",
        "ent", "ion",  "ou",   "ism", "ate", "iti",  "ous",  "ive", "ize"};
    std::string_view found;
    std::size_t best_j = 0;
    for (auto s : kSuffixes) {
      if (ends(s) && (found.empty() || s.size() > found.size())) {
        found = s;
        best_j = j_;
      }
    }
    if (found.empty()) return;
    j_ = best_j;
    if (found == "ion" && !(j_ > 0 && (b_[j_ - 1] == 's' || b_[j_ - 1] == 't'))) return;
    if (measure() > 1) {
      k_ = j_;
      b_.resize(k_);
    }
  }

  void step5() {
    j_ = k_;
    if (b_[k_ - 1] == 'e') {
      j_ = k_ - 1;
      int m = measure();
      if (m > 1 || (m == 1 && !cvc(k_ - 1))) --k_;
    }
    j_ = k_;
    if (b_[k_ - 1] == 'l' && double_cons(k_) && measure() > 1) --k_;
    b_.resize(k_);
  }

  std::string b_;
  std::size_t k_;
  std::size_t j_ = 0;
};

bool plain_word(std::string_view w) {
  return std::ranges::all_of(w, [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::string porter_stem(std::string_view word) {
  if (auto dash = word.rfind('-'); dash != std::string_view::npos && dash + 1 < word.size()) {
    return std::string(word.substr(0, dash + 1)) + porter_stem(word.substr(dash + 1));
  }
  if (word.size() <= 2 || !plain_word(word)) return std::string(word);
  return Stemmer(std::string(word)).run();
}

}  // namespace bzpeer::topics
