// bzpeer — the arXiv-shaped benchmark corpus (see arxiv_corpus.hpp for the distributions).
#include "tools/gen_corpus/arxiv_corpus.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/json_escape.hpp"
#include "tools/gen_corpus/world.hpp"

namespace bzpeer::gen_corpus {
namespace {

namespace fs = std::filesystem;

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct Rng {
  std::mt19937_64 engine;
  explicit Rng(std::uint64_t seed) : engine(seed) {}
  double real() { return static_cast<double>(engine() >> 11) / 9007199254740992.0; }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : engine() % n; }
  double lognormal(double mu, double sigma) {
    std::normal_distribution<double> normal(mu, sigma);
    return std::exp(normal(engine));
  }
};

/// Zipf(s) over ranks 0..n-1, sampled by binary search in the cumulative weights.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r)
      cdf_[r] = sum += 1.0 / std::pow(static_cast<double>(r + 1), s);
    for (auto& c : cdf_) c /= sum;
  }
  std::size_t operator()(Rng& rng) const {
    const auto it = std::ranges::lower_bound(cdf_, rng.real());
    return std::min(static_cast<std::size_t>(it - cdf_.begin()), cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

/// Distinct pronounceable synthetic words: `syllables` consonant-vowel pairs spelling `k`.
std::string synthetic_word(std::size_t k, int syllables) {
  static constexpr std::string_view kConsonants = "bdfgklmnprstvzchjwxy";  // 20
  static constexpr std::string_view kVowels = "aeiou";
  std::string out;
  for (int i = 0; i < syllables; ++i) {
    const std::size_t s = k % 100;
    k /= 100;
    out += kConsonants[s / 5];
    out += kVowels[s % 5];
  }
  return out;
}

const std::vector<std::string>& head_words() {
  // Common words of English scientific abstracts, most frequent first (our own list).
  static const std::vector<std::string> v{
      "the",          "of",           "and",         "in",           "a",
      "to",           "we",           "is",          "for",          "that",
      "with",         "on",           "this",        "by",           "are",
      "as",           "be",           "from",        "which",        "an",
      "at",           "these",        "our",         "can",          "it",
      "also",         "model",        "show",        "results",      "data",
      "using",        "two",          "new",         "paper",        "time",
      "method",       "field",        "energy",      "system",       "study",
      "based",        "large",        "high",        "present",      "between",
      "find",         "such",         "one",         "non",          "both",
      "function",     "problem",      "order",       "number",       "approach",
      "theory",       "state",        "phase",       "space",        "quantum",
      "network",      "learning",     "structure",   "analysis",     "mass",
      "general",      "first",        "power",       "effect",       "low",
      "linear",       "distribution", "properties",  "algorithm",    "performance",
      "models",       "systems",      "dynamics",    "different",    "spin",
      "magnetic",     "local",        "temperature", "finite",       "case",
      "set",          "optimal",      "we",          "galaxies",     "star",
      "dark",         "matter",       "graph",       "group",        "equation",
      "equations",    "solutions",    "boundary",    "random",       "neural",
      "training",     "images",       "language",    "observations", "galaxy",
      "stellar",      "black",        "hole",        "gauge",        "scalar",
      "symmetry",     "lattice",      "surface",     "transition",   "density",
      "electron",     "wave",         "frequency",   "observed",     "framework",
      "propose",      "demonstrate",  "provide",     "obtain",       "consider",
      "prove",        "estimate",     "simulations", "numerical",    "experimental",
      "measurements", "significant",  "parameters",  "constraints",  "limit",
      "scale",        "dimension",    "manifold",    "operator",     "algebra",
      "invariant",    "bound",        "bounds",      "sample",       "samples",
      "inference",    "robust",       "efficient",   "accuracy",     "datasets"};
  return v;
}

constexpr std::size_t kVocabulary = 120'000;
constexpr std::size_t kSharedHead = 40;  // ranks every field shares (function words)

class Vocabulary {
 public:
  Vocabulary() : zipf_(kVocabulary, 1.0) {
    words_ = head_words();
    for (std::size_t k = 0; words_.size() < kVocabulary; ++k)
      words_.push_back(synthetic_word(k * 7 + 3, 3));
  }
  /// A word for a field: shared function words at the top, the rest skewed per field.
  const std::string& word(Rng& rng, std::size_t field, bool content_only) const {
    std::size_t r = zipf_(rng);
    if (content_only) r = kSharedHead + r % (kVocabulary - kSharedHead);
    if (r < kSharedHead) return words_[r];
    const std::size_t span = kVocabulary - kSharedHead;
    return words_[kSharedHead + (r - kSharedHead + field * 9973) % span];
  }

 private:
  Zipf zipf_;
  std::vector<std::string> words_;
};

struct Category {
  const char* name;
  double weight;  // rough share of primary categories (not measured)
};
const std::vector<Category>& categories() {
  static const std::vector<Category> v{{"cs.LG", 9},
                                       {"cs.CV", 7},
                                       {"cs.CL", 5},
                                       {"cs.AI", 3},
                                       {"cs.RO", 1.5},
                                       {"cs.CR", 1.5},
                                       {"cs.DS", 1},
                                       {"cs.IT", 1.5},
                                       {"quant-ph", 5},
                                       {"hep-ph", 4},
                                       {"hep-th", 3.5},
                                       {"hep-ex", 1.2},
                                       {"gr-qc", 2},
                                       {"astro-ph.GA", 2.5},
                                       {"astro-ph.CO", 2},
                                       {"astro-ph.SR", 2},
                                       {"astro-ph.HE", 1.8},
                                       {"astro-ph.EP", 1},
                                       {"astro-ph.IM", 1},
                                       {"cond-mat.mtrl-sci", 3},
                                       {"cond-mat.str-el", 2},
                                       {"cond-mat.mes-hall", 2.2},
                                       {"cond-mat.stat-mech", 1.5},
                                       {"cond-mat.soft", 1},
                                       {"cond-mat.supr-con", 0.8},
                                       {"math.PR", 1.8},
                                       {"math.AP", 2},
                                       {"math.CO", 2},
                                       {"math.AG", 1.5},
                                       {"math.NT", 1.2},
                                       {"math.OC", 1.8},
                                       {"math.NA", 1.5},
                                       {"math.DG", 1.2},
                                       {"math-ph", 1},
                                       {"physics.optics", 1.8},
                                       {"physics.flu-dyn", 1.2},
                                       {"nucl-th", 1},
                                       {"eess.SP", 1.5},
                                       {"eess.IV", 1},
                                       {"stat.ME", 1.2},
                                       {"stat.ML", 1.5},
                                       {"q-bio.NC", 0.8},
                                       {"q-fin.ST", 0.3},
                                       {"econ.EM", 0.3},
                                       {"nlin.CD", 0.4}};
  return v;
}

std::string archive_of(const std::string& category) {
  return category.substr(0, category.find('.'));
}

std::string oai_set_spec(const std::string& category) {
  const std::string archive = archive_of(category);
  static const std::vector<std::string> own{"cs", "math", "q-bio", "q-fin", "stat", "eess", "econ"};
  const std::string group = std::ranges::find(own, archive) != own.end() ? archive : "physics";
  std::string spec = group + ":" + archive;
  if (const auto dot = category.find('.'); dot != std::string::npos)
    spec += ":" + category.substr(dot + 1);
  return spec;
}

/// Family names: a real head {Unicode, TeX}, Zipf-weighted, then a synthetic tail.
const std::vector<std::pair<std::string, std::string>>& family_head() {
  static const std::vector<std::pair<std::string, std::string>> v{
      {"Wang", "Wang"},
      {"Zhang", "Zhang"},
      {"Li", "Li"},
      {"Liu", "Liu"},
      {"Chen", "Chen"},
      {"Yang", "Yang"},
      {"Kim", "Kim"},
      {"Lee", "Lee"},
      {"Smith", "Smith"},
      {"Wu", "Wu"},
      {"Zhao", "Zhao"},
      {"Huang", "Huang"},
      {"Müller", "M\\\"uller"},
      {"Nguyen", "Nguyen"},
      {"Kumar", "Kumar"},
      {"Singh", "Singh"},
      {"García", "Garc\\'{\\i}a"},
      {"Park", "Park"},
      {"Tanaka", "Tanaka"},
      {"Sato", "Sato"},
      {"Rossi", "Rossi"},
      {"Schmidt", "Schmidt"},
      {"Johnson", "Johnson"},
      {"Brown", "Brown"},
      {"Martin", "Martin"},
      {"Dubois", "Dubois"},
      {"Fernández", "Fern\\'andez"},
      {"Ivanov", "Ivanov"},
      {"Petrov", "Petrov"},
      {"Kowalski", "Kowalski"},
      {"Novák", "Nov\\'ak"},
      {"Sørensen", "S{\\o}rensen"},
      {"Schrödinger", "Schr\\\"odinger"},
      {"Andersson", "Andersson"},
      {"Fischer", "Fischer"},
      {"Moreau", "Moreau"},
      {"Haddad", "Haddad"},
      {"Okafor", "Okafor"},
      {"Lindqvist", "Lindqvist"},
      {"Batalha", "Batalha"},
      {"Borucki", "Borucki"},
      {"Silva", "Silva"},
      {"Santos", "Santos"},
      {"Ghosh", "Ghosh"},
      {"Das", "Das"},
      {"Yilmaz", "Y{\\i}lmaz"},
      {"Cohen", "Cohen"},
      {"Weber", "Weber"},
      {"Ricci", "Ricci"},
      {"Jensen", "Jensen"}};
  return v;
}
const std::vector<std::string>& first_head() {
  static const std::vector<std::string> v{
      "Wei",    "Jun",     "Yu",    "Hao",    "Jian",  "Lei",     "Xin",       "Min",
      "David",  "Michael", "John",  "Maria",  "Anna",  "Thomas",  "Daniel",    "Alexander",
      "Sergey", "Andrea",  "Marco", "Laura",  "Elena", "Natalie", "William",   "Samuel",
      "Yuki",   "Kenji",   "Ahmed", "Priya",  "Rahul", "Carlos",  "Ingrid",    "Olga",
      "Pierre", "Sofia",   "Jonas", "Hannah", "Ravi",  "Clara",   "Lukas",     "Mei",
      "Tomas",  "Aisha",   "Felix", "Paul",   "Peter", "Martin",  "Christian", "Sarah",
      "Emma",   "Julia"};
  return v;
}
std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

struct CorpusPerson {
  Person person;  // names and field
  double weight = 1;
};

struct Field {
  std::vector<int> members;  // person ids
  std::vector<double> cumw;  // cumulative productivity weights
};

struct Printed {
  std::string given, family;
  [[nodiscard]] std::string full() const { return given.empty() ? family : given + " " + family; }
};

Printed printed_name(const Person& p, double r) {
  const std::string name = print_name(p, r);  // "given family" (family may be TeX)
  const std::string family = (p.family_tex != p.family && r < 0.5) ? p.family_tex : p.family;
  return {name.substr(0, name.size() - family.size() - 1), family};
}

struct Author {
  int person = 0;
  Printed printed;
};

struct CorpusWork {
  long index = 0;
  std::string arxiv_id;
  std::vector<std::string> categories;  // primary first
  std::string title, abstract, comments;
  std::vector<Author> authors;
  std::vector<std::array<int, 3>> versions;  // y, m, d
  std::string datestamp;
  std::string doi, journal;  // doi empty: no published version
  bool doi_in_arxiv = false;
  int pub_year = 0, pub_month = 1, pub_day = 1;
};

std::string iso(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::array<int, 3> add_days(std::array<int, 3> ymd, int days) {
  using namespace std::chrono;
  const sys_days start{year_month_day{year{ymd[0]}, month{static_cast<unsigned>(ymd[1])},
                                      day{static_cast<unsigned>(ymd[2])}}};
  const year_month_day out{start + std::chrono::days{days}};
  return {static_cast<int>(out.year()), static_cast<int>(static_cast<unsigned>(out.month())),
          static_cast<int>(static_cast<unsigned>(out.day()))};
}

class Generator {
 public:
  explicit Generator(const ArxivCorpusOptions& o)
      : o_(o), first_zipf_(2000, 1.0), family_zipf_(40000, 1.0) {
    const auto& cats = categories();
    double sum = 0;
    for (const auto& c : cats) cat_cdf_.push_back(sum += c.weight);
    for (auto& c : cat_cdf_) c /= sum;
    fields_.resize(cats.size());
    Rng rng(mix(o.seed ^ 0x5eedULL));
    const long persons = std::max(50L, static_cast<long>(0.9 * static_cast<double>(o.works)));
    persons_.reserve(static_cast<std::size_t>(persons));
    for (long i = 0; i < persons; ++i) {
      CorpusPerson cp;
      cp.person.id = static_cast<int>(i);
      const std::size_t field = pick_category(rng);
      cp.person.community = static_cast<int>(field);
      cp.person.category = cats[field].name;
      const std::size_t f = family_zipf_(rng);
      if (f < family_head().size()) {
        cp.person.family = family_head()[f].first;
        cp.person.family_tex = family_head()[f].second;
      } else {
        cp.person.family = cp.person.family_tex = capitalised(synthetic_word(f * 13 + 1, 3));
      }
      const std::size_t g = first_zipf_(rng);
      cp.person.first =
          g < first_head().size() ? first_head()[g] : capitalised(synthetic_word(g * 3 + 7, 2));
      if (rng.real() < 0.35)
        cp.person.middle = std::string(1, "ABCDEHJKLMNPRSTW"[rng.below(16)]) + ".";
      cp.weight = std::pow(1.0 - rng.real(), -1.0 / 1.15);  // Pareto(1.15): a few very prolific
      auto& fd = fields_[field];
      fd.members.push_back(cp.person.id);
      fd.cumw.push_back((fd.cumw.empty() ? 0 : fd.cumw.back()) + cp.weight);
      persons_.push_back(std::move(cp));
    }
    // Every field needs someone to write its works.
    for (std::size_t f = 0; f < fields_.size(); ++f) {
      if (!fields_[f].members.empty()) continue;
      const int id = static_cast<int>(f % persons_.size());
      fields_[f].members.push_back(id);
      fields_[f].cumw.push_back(persons_[static_cast<std::size_t>(id)].weight);
    }
    months_ = (o.last_year + 1) * 12 - (o.first_year * 12 + 3);  // from April of first_year
  }

  [[nodiscard]] long person_count() const { return static_cast<long>(persons_.size()); }

  /// Submissions grow over time (arXiv: about 5,000 a month in 2007, over 20,000 in
  /// 2024): month m has weight 1 + 3 m / M, so the cumulative share of months [0, x) is
  /// (x + 1.5 x^2 / M) / 2.5 M. month_of inverts it for work i.
  [[nodiscard]] long month_of(long i) const {
    const double f = static_cast<double>(i) / static_cast<double>(o_.works);
    const double m = static_cast<double>(months_);
    const long month = static_cast<long>(m * (std::sqrt(1.0 + 15.0 * f) - 1.0) / 3.0);
    return std::clamp(month, 0L, months_ - 1);
  }
  [[nodiscard]] double first_index_estimate(long month) const {
    const double x = static_cast<double>(month), m = static_cast<double>(months_);
    return std::ceil(static_cast<double>(o_.works) * (x + 1.5 * x * x / m) / (2.5 * m));
  }

  /// Work `i` (0-based; i >= works: a new work of the update set, dated `update`).
  CorpusWork make(long i, const std::array<int, 3>* update) const {
    Rng rng(mix(o_.seed * 0x100000001B3ULL + static_cast<std::uint64_t>(i)));
    CorpusWork w;
    w.index = i;
    std::array<int, 3> date{};
    char id[32];
    if (update == nullptr) {
      const long month = month_of(i);
      long first_of_month = std::min(i, static_cast<long>(first_index_estimate(month)));
      while (first_of_month > 0 && month_of(first_of_month - 1) == month) --first_of_month;
      while (month_of(first_of_month) < month) ++first_of_month;
      const long abs_month = o_.first_year * 12 + 3 + month;
      date = {static_cast<int>(abs_month / 12), static_cast<int>(abs_month % 12) + 1,
              1 + static_cast<int>(rng.below(28))};
      // arXiv ids: YYMM.NNNN until 1412, YYMM.NNNNN from 1501.
      std::snprintf(id, sizeof id, date[0] < 2015 ? "%02d%02d.%04ld" : "%02d%02d.%05ld",
                    date[0] % 100, date[1], i - first_of_month + 1);
    } else {
      date = *update;
      std::snprintf(id, sizeof id, "%02d%02d.%05ld", date[0] % 100, date[1], i - o_.works + 1);
    }
    w.arxiv_id = id;

    const std::size_t field = pick_category(rng);
    const auto& cats = categories();
    w.categories.push_back(cats[field].name);
    const double c = rng.real();
    const int cross = c < 0.61 ? 0 : c < 0.89 ? 1 : c < 0.97 ? 2 : 3;
    for (int k = 0; k < cross; ++k) {
      // Mostly the same archive, else anywhere.
      std::string other = cats[pick_category(rng)].name;
      for (int tries = 0;
           tries < 8 && archive_of(other) != archive_of(w.categories[0]) && rng.real() < 0.7;
           ++tries)
        other = cats[pick_category(rng)].name;
      if (std::ranges::find(w.categories, other) == w.categories.end())
        w.categories.push_back(other);
    }

    // Title and abstract lengths: log-normal fitted to the real capture.
    const int title_words =
        std::clamp(static_cast<int>(std::lround(rng.lognormal(2.14, 0.36))), 2, 30);
    const int abstract_words =
        std::clamp(static_cast<int>(std::lround(rng.lognormal(4.632, 0.494))), 10, 450);
    for (int k = 0; k < title_words; ++k) {
      if (k) w.title += ' ';
      w.title += vocab_.word(rng, field, true);
    }
    w.title = capitalised(w.title);
    if (rng.real() < 0.1) w.title += " with $\\mathcal{O}(n^2)$ terms";
    int sentence = 0;
    for (int k = 0; k < abstract_words; ++k) {
      const std::string& word = vocab_.word(rng, field, false);
      w.abstract += sentence == 0 ? capitalised(word) : word;
      ++sentence;
      if (k + 1 == abstract_words || (sentence > 8 && rng.real() < 0.08)) {
        w.abstract += ". ";
        sentence = 0;
      } else {
        w.abstract += ' ';
      }
    }
    while (!w.abstract.empty() && w.abstract.back() == ' ') w.abstract.pop_back();

    pick_authors(rng, field, w);
    char comments[64];
    std::snprintf(comments, sizeof comments, "%d pages, %d figures",
                  4 + static_cast<int>(rng.below(40)), static_cast<int>(rng.below(15)));
    w.comments = comments;

    const double v = rng.real();
    const int versions = v < 0.51 ? 1 : v < 0.84 ? 2 : v < 0.95 ? 3 : v < 0.98 ? 4 : 5;
    w.versions.push_back(date);
    const std::array<int, 3> cap{o_.last_year + 1, 6, 30};
    for (int k = 1; k < versions && update == nullptr; ++k) {
      auto next = add_days(w.versions.back(), 5 + static_cast<int>(rng.below(55)));
      if (next > cap) break;
      w.versions.push_back(next);
    }
    const auto& last = w.versions.back();
    w.datestamp = iso(last[0], last[1], last[2]);

    if (rng.real() < 0.40) {  // a published version in Crossref
      static const char* kPrefix[] = {"10.1103", "10.1007", "10.1109", "10.3847", "10.1016"};
      const std::string archive = archive_of(w.categories[0]);
      const int p =
          archive == "cs" || archive == "eess"                                                 ? 2
          : archive == "math"                                                                  ? 1
          : archive == "astro-ph"                                                              ? 3
          : archive.starts_with("hep") || archive.starts_with("cond") || archive == "quant-ph" ? 0
                                                                                               : 4;
      auto pub = add_days(date, 60 + static_cast<int>(rng.below(480)));
      w.pub_year = pub[0], w.pub_month = pub[1], w.pub_day = pub[2];
      w.journal = "Journal of " + capitalised(vocab_.word(rng, field, true)) + " " +
                  capitalised(std::string(archive == "cs" ? "computing" : "physics"));
      w.doi = std::string(kPrefix[p]) + "/bzp." + std::to_string(w.pub_year) + "." +
              std::to_string(i + 1);
      w.doi_in_arxiv = rng.real() < 0.6;
    }
    return w;
  }

  /// A changed version of work `i`: one more version dated `update`, a reworded title
  /// and a longer abstract.
  CorpusWork changed(long i, const std::array<int, 3>& update) const {
    CorpusWork w = make(i, nullptr);
    Rng rng(mix(o_.seed ^ (0xC4A96EULL + static_cast<std::uint64_t>(i))));
    w.versions.push_back(update);
    w.datestamp = iso(update[0], update[1], update[2]);
    w.title = "Revised: " + w.title;
    w.abstract += " This version adds " + vocab_.word(rng, 0, true) + " and corrects the " +
                  vocab_.word(rng, 0, true) + " analysis.";
    return w;
  }

 private:
  std::size_t pick_category(Rng& rng) const {
    const auto it = std::ranges::lower_bound(cat_cdf_, rng.real());
    return std::min(static_cast<std::size_t>(it - cat_cdf_.begin()), cat_cdf_.size() - 1);
  }
  int pick_weighted(Rng& rng, const Field& f) const {
    const double x = rng.real() * f.cumw.back();
    const auto it = std::ranges::upper_bound(f.cumw, x);
    return f.members[std::min(static_cast<std::size_t>(it - f.cumw.begin()), f.members.size() - 1)];
  }

  void pick_authors(Rng& rng, std::size_t field, CorpusWork& w) const {
    static constexpr double kCore[] = {0.20, 0.45, 0.65, 0.78, 0.86, 0.91, 0.945, 0.97, 0.985, 1.0};
    int k = 0;
    const double t = rng.real();
    if (t < 0.0003) {
      k = static_cast<int>(std::lround(100.0 * std::pow(10.0, rng.real())));  // 100..1000
    } else if (t < 0.0223) {
      k = static_cast<int>(std::lround(11.0 * std::pow(60.0 / 11.0, rng.real())));  // 11..60
    } else {
      const double u = rng.real();
      while (k < 9 && u > kCore[k]) ++k;
      ++k;
    }
    const Field& f = fields_[field];
    const std::size_t pool = f.members.size() + (k > 10 ? persons_.size() / 4 : 0);
    k = static_cast<int>(
        std::min<std::size_t>(static_cast<std::size_t>(k), std::max<std::size_t>(1, pool)));
    std::vector<int> chosen;
    chosen.push_back(pick_weighted(rng, f));
    // The lead's group: 16 neighbours in the field's member list (a lab or collaboration).
    const auto lead_pos =
        static_cast<std::size_t>(std::ranges::find(f.members, chosen[0]) - f.members.begin());
    const std::size_t group_start = lead_pos / 16 * 16;
    const std::size_t group_size = std::min<std::size_t>(16, f.members.size() - group_start);
    int failures = 0;
    while (static_cast<int>(chosen.size()) < k && failures < 50 * k) {
      const double r = rng.real();
      int p = 0;
      if (k <= 10 && r < 0.65) {
        // The busier of two group members (labs have their regulars).
        const int a = f.members[group_start + rng.below(group_size)];
        const int b = f.members[group_start + rng.below(group_size)];
        p = persons_[static_cast<std::size_t>(a)].weight >=
                    persons_[static_cast<std::size_t>(b)].weight
                ? a
                : b;
      } else if (r < 0.9) {
        p = pick_weighted(rng, f);
      } else {
        p = static_cast<int>(rng.below(persons_.size()));
      }
      if (std::ranges::find(chosen, p) != chosen.end()) {
        ++failures;
        continue;
      }
      chosen.push_back(p);
    }
    for (const int p : chosen)
      w.authors.push_back(
          {p, printed_name(persons_[static_cast<std::size_t>(p)].person, rng.real())});
  }

  ArxivCorpusOptions o_;
  Zipf first_zipf_, family_zipf_;
  Vocabulary vocab_;
  std::vector<double> cat_cdf_;
  std::vector<CorpusPerson> persons_;
  std::vector<Field> fields_;
  long months_ = 1;

 public:
  [[nodiscard]] const Person& person(int id) const {
    return persons_[static_cast<std::size_t>(id)].person;
  }
};

std::string authors_line(const CorpusWork& w) {
  std::string s;
  for (std::size_t k = 0; k < w.authors.size(); ++k) {
    if (k) s += k + 1 == w.authors.size() ? " and " : ", ";
    s += w.authors[k].printed.full();
  }
  return s;
}

/// A page file of arXivRaw records.
class PageWriter {
 public:
  PageWriter(fs::path dir, int per_page) : dir_(std::move(dir)), per_page_(std::max(1, per_page)) {
    fs::create_directories(dir_);
  }
  bool add(const CorpusWork& w) {
    if (in_page_ == 0) open();
    std::string versions;
    for (std::size_t v = 0; v < w.versions.size(); ++v) {
      const auto& d = w.versions[v];
      versions += "<version version=\"v" + std::to_string(v + 1) + "\"><date>" +
                  rfc822(d[0], d[1], d[2]) + "</date><size>" +
                  std::to_string(100 + (w.index * 37 + static_cast<long>(v)) % 2000) +
                  "kb</size><source_type>D</source_type></version>";
    }
    std::string categories;
    for (const auto& c : w.categories) categories += (categories.empty() ? "" : " ") + c;
    out_ << "<record>\n<header>\n <identifier>oai:arXiv.org:" << w.arxiv_id
         << "</identifier>\n <datestamp>" << w.datestamp << "</datestamp>\n <setSpec>"
         << oai_set_spec(w.categories[0]) << "</setSpec>\n</header>\n<metadata>\n"
         << " <arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:schemaLocation=\"http://arxiv.org/OAI/arXivRaw/ "
            "http://arxiv.org/OAI/arXivRaw.xsd\">\n"
         << " <id>" << w.arxiv_id << "</id><submitter>"
         << detail::xml_escape(w.authors[0].printed.full()) << "</submitter>" << versions
         << "<title>" << detail::xml_escape(w.title) << "</title><authors>"
         << detail::xml_escape(authors_line(w)) << "</authors><categories>" << categories
         << "</categories><comments>" << w.comments << "</comments>";
    if (w.doi_in_arxiv) {
      out_ << "<journal-ref>" << detail::xml_escape(w.journal) << " " << w.pub_year
           << "</journal-ref><doi>" << w.doi << "</doi>";
    }
    out_ << "<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>  "
         << detail::xml_escape(w.abstract) << "\n</abstract></arXivRaw>\n</metadata>\n</record>\n";
    if (++in_page_ == per_page_) return close();
    return static_cast<bool>(out_);
  }
  bool close() {
    if (in_page_ == 0) return true;
    out_ << "</ListRecords>\n</OAI-PMH>\n";
    out_.close();
    in_page_ = 0;
    return !out_.fail();
  }

 private:
  void open() {
    char name[32];
    std::snprintf(name, sizeof name, "page-%05d.xml", ++pages_);
    out_.open(dir_ / name, std::ios::trunc);
    out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
            "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n"
            "<responseDate>2026-01-15T12:00:00Z</responseDate>\n"
            "<request verb=\"ListRecords\" "
            "metadataPrefix=\"arXivRaw\">https://oaipmh.arxiv.org/oai</request>\n"
            "<ListRecords>\n";
  }
  fs::path dir_;
  int per_page_;
  int in_page_ = 0;
  int pages_ = 0;
  std::ofstream out_;
};

/// Crossref /works cursor pages (message-type work-list) of the published versions.
class CrossrefWriter {
 public:
  CrossrefWriter(fs::path dir, int rows, long total)
      : dir_(std::move(dir)), rows_(std::max(1, rows)), total_(total) {
    fs::create_directories(dir_);
  }
  bool add(const CorpusWork& w, const Generator& g) {
    if (!items_.empty()) items_ += ",\n";
    // The published title differs a little from the preprint's now and then.
    std::string title = w.title;
    if (w.index % 3 == 0) {
      bool start = true;
      for (auto& ch : title) {
        if (start && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        start = ch == ' ';
      }
    }
    std::string authors;
    for (std::size_t k = 0; k < w.authors.size(); ++k) {
      const Person& p = g.person(w.authors[k].person);
      if (k) authors += ",";
      authors += "{\"given\":\"" +
                 json_escaped(p.first + (p.middle.empty() ? "" : " " + p.middle)) +
                 "\",\"family\":\"" + json_escaped(p.family) + "\",\"sequence\":\"" +
                 (k == 0 ? "first" : "additional") + "\",\"affiliation\":[]}";
    }
    const std::string date = "[[" + std::to_string(w.pub_year) + "," + std::to_string(w.pub_month) +
                             "," + std::to_string(w.pub_day) + "]]";
    const std::string prefix = w.doi.substr(0, w.doi.find('/'));
    items_ +=
        "{\"indexed\":{\"date-parts\":[[2026,1,15]],\"date-time\":\"2026-01-15T12:00:00Z\"},"
        "\"publisher\":\"Generated Society of " +
        json_escaped(archive_of(w.categories[0])) + "\",\"DOI\":\"" + w.doi +
        "\",\"type\":\"journal-article\",\"created\":{\"date-parts\":" + date +
        "},\"source\":\"Crossref\",\"title\":[\"" + json_escaped(title) + "\"],\"prefix\":\"" +
        prefix + "\",\"author\":[" + authors + "],\"container-title\":[\"" +
        json_escaped(w.journal) + "\"],\"published-print\":{\"date-parts\":" + date +
        "},\"issued\":{\"date-parts\":" + date + "},";
    if (w.index % 2 == 0)
      items_ += "\"abstract\":\"<jats:p>" + json_escaped(w.abstract) + "</jats:p>\",";
    items_ += "\"URL\":\"https://doi.org/" + w.doi + "\"}";
    ++count_;
    if (++in_page_ == rows_) return flush();
    return true;
  }
  bool flush() {
    if (in_page_ == 0) return true;
    char name[40];
    std::snprintf(name, sizeof name, "crossref-%05d.json", ++pages_);
    std::ofstream out(dir_ / name, std::ios::trunc);
    out << "{\"status\":\"ok\",\"message-type\":\"work-list\",\"message-version\":\"1.0.0\","
           "\"message\":{"
           "\"facets\":{},\"next-cursor\":\"bzpeer-gen-cursor-"
        << pages_ << "\",\"total-results\":" << total_ << ",\"items\":[\n"
        << items_ << "],\"items-per-page\":" << rows_
        << ",\"query\":{\"start-index\":0,\"search-terms\":null}}}\n";
    items_.clear();
    in_page_ = 0;
    return static_cast<bool>(out);
  }
  [[nodiscard]] long count() const { return count_; }

 private:
  fs::path dir_;
  int rows_;
  long total_;
  int in_page_ = 0, pages_ = 0;
  long count_ = 0;
  std::string items_;
};

void snapshot_line(std::ostream& out, const CorpusWork& w) {
  out << "{\"id\":\"" << w.arxiv_id << "\",\"submitter\":\""
      << json_escaped(w.authors[0].printed.full()) << "\",\"authors\":\""
      << json_escaped(authors_line(w)) << "\",\"title\":\"" << json_escaped(w.title)
      << "\",\"comments\":\"" << w.comments << "\",\"journal-ref\":";
  if (w.doi_in_arxiv)
    out << '"' << json_escaped(w.journal) << ' ' << w.pub_year << "\",\"doi\":\"" << w.doi << '"';
  else
    out << "null,\"doi\":null";
  std::string categories;
  for (const auto& c : w.categories) categories += (categories.empty() ? "" : " ") + c;
  out << ",\"report-no\":null,\"categories\":\"" << categories
      << "\",\"license\":\"http://arxiv.org/licenses/nonexclusive-distrib/1.0/\",\"abstract\":\"  "
      << json_escaped(w.abstract) << "\\n\",\"versions\":[";
  for (std::size_t v = 0; v < w.versions.size(); ++v) {
    const auto& d = w.versions[v];
    out << (v ? "," : "") << "{\"version\":\"v" << v + 1 << "\",\"created\":\""
        << rfc822(d[0], d[1], d[2]) << "\"}";
  }
  out << "],\"update_date\":\"" << w.datestamp << "\",\"authors_parsed\":[";
  for (std::size_t k = 0; k < w.authors.size(); ++k) {
    out << (k ? "," : "") << "[\"" << json_escaped(w.authors[k].printed.family) << "\",\""
        << json_escaped(w.authors[k].printed.given) << "\",\"\"]";
  }
  out << "]}\n";
}

void truth_lines(std::ostream& truth, const CorpusWork& w) {
  for (std::size_t k = 0; k < w.authors.size(); ++k) {
    truth << w.arxiv_id << '\t' << k + 1 << '\t' << w.authors[k].person << '\t'
          << w.authors[k].printed.full() << '\n';
  }
}

bool parse_date(const std::string& text, int& y, int& m, int& d) {
  return text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 &&
         d >= 1 &&
         std::chrono::year_month_day{std::chrono::year{y},
                                     std::chrono::month{static_cast<unsigned>(m)},
                                     std::chrono::day{static_cast<unsigned>(d)}}
             .ok();
}

}  // namespace

bool valid_date(const std::string& text) {
  int y = 0, m = 0, d = 0;
  return parse_date(text, y, m, d);
}

bool write_arxiv_corpus(const ArxivCorpusOptions& o, const fs::path& dir,
                        ArxivCorpusCounts& counts) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "gen-corpus: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    return false;
  }
  const Generator g(o);
  counts.persons = g.person_count();
  PageWriter pages(dir / "pages", o.per_page);
  std::optional<CrossrefWriter> crossref;
  if (o.crossref)
    crossref.emplace(dir / "crossref", o.crossref_rows,
                     static_cast<long>(0.4 * static_cast<double>(o.works)));
  std::ofstream snapshot;
  if (o.snapshot) snapshot.open(dir / "snapshot.jsonl", std::ios::trunc);
  std::ofstream truth(dir / "truth.tsv", std::ios::trunc);
  std::ofstream works_truth(dir / "works-truth.tsv", std::ios::trunc);
  works_truth << "arxiv_id\tdoi\tdoi_in_arxiv\n";
  bool ok = true;
  for (long i = 0; i < o.works && ok; ++i) {
    const CorpusWork w = g.make(i, nullptr);
    ok = pages.add(w);
    if (o.snapshot) snapshot_line(snapshot, w);
    truth_lines(truth, w);
    counts.mentions += static_cast<long>(w.authors.size());
    if (!w.doi.empty()) {
      works_truth << w.arxiv_id << '\t' << w.doi << '\t' << (w.doi_in_arxiv ? 1 : 0) << '\n';
      if (crossref) ok = ok && crossref->add(w, g);
    }
  }
  ok = ok && pages.close() && (!crossref || crossref->flush());
  counts.works = o.works;
  if (crossref) counts.crossref_items = crossref->count();

  if (ok && o.update_fraction > 0) {
    int y = 0, m = 0, d = 0;
    if (!parse_date(o.update_date, y, m, d)) {
      std::fprintf(stderr, "gen-corpus: --update-date expects YYYY-MM-DD, got \"%s\"\n",
                   o.update_date.c_str());
      return false;
    }
    const std::array<int, 3> update{y, m, d};
    const long total = std::max(2L, std::lround(o.update_fraction * static_cast<double>(o.works)));
    const long fresh = total / 2, changed = std::min(o.works, total - fresh);
    PageWriter upd(dir / "update", o.per_page);
    std::ofstream upd_truth(dir / "update-truth.tsv", std::ios::trunc);
    const long stride = std::max(1L, o.works / std::max(1L, changed));
    for (long k = 0; k < changed && ok; ++k) {
      Rng rng(mix(o.seed ^ (0xABCDEFULL + static_cast<std::uint64_t>(k))));
      const long i = std::min(
          o.works - 1, k * stride + static_cast<long>(rng.below(static_cast<std::size_t>(stride))));
      const CorpusWork w = g.changed(i, update);
      ok = upd.add(w);
      truth_lines(upd_truth, w);
    }
    for (long k = 0; k < fresh && ok; ++k) {
      const CorpusWork w = g.make(o.works + k, &update);
      ok = upd.add(w);
      truth_lines(upd_truth, w);
    }
    ok = ok && upd.close();
    counts.update_new = fresh;
    counts.update_changed = changed;
  }
  ok = ok && truth && works_truth && (!o.snapshot || snapshot);
  if (!ok) std::fprintf(stderr, "gen-corpus: write error under %s\n", dir.c_str());
  return ok;
}

}  // namespace bzpeer::gen_corpus
