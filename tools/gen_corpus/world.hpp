// bzpeer — a seeded synthetic world of researchers and works, written as arXivRaw
// OAI-PMH ListRecords pages (the shape of tests/fixtures/oai/arxivraw-sample) plus a truth
// file. Header-only so that tests can generate a world in-process; `gen-corpus` is the
// command-line front end. Issue #10 grows it into the benchmark corpus.
//
// The world: persons in fields (arXiv categories), grouped into communities of co-authors.
// Every work is written by members of one community (now and then with a guest from
// another). Persons print their names in variants: full ("Natalie M. Batalha"), initials
// ("N. M. Batalha"), middle name dropped ("Natalie Batalha"), TeX accents
// ("Schr\"odinger" for Schrödinger). Some names are shared by different persons in
// different fields. Person 0 and person 1 write together most often (a known closest
// collaborator for tests).
//
// Output files in the target directory: page-NNN.xml (`per_page` records each) and
// truth.tsv with one line per author mention: arxiv_id, position (1-based), person id,
// printed name.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace bzpeer::gen_corpus {

struct WorldOptions {
  std::uint64_t seed = 42;
  int works = 500;
  int communities = 24;
  int persons_per_community = 6;
  int per_page = 100;
  int first_year = 2015;
  int last_year = 2023;
};

struct Person {
  int id = 0;
  std::string first, middle, family;  ///< Unicode; family may carry accents
  std::string family_tex;             ///< TeX spelling of the family name ("Schr\"odinger")
  int community = 0;
  std::string category;
};

struct Mention {
  int person = 0;
  std::string printed;
};

struct GeneratedWork {
  std::string arxiv_id;
  int year = 0, month = 1, day = 1;
  std::string category, title, abstract;
  std::vector<Mention> authors;
};

struct World {
  std::vector<Person> persons;
  std::vector<GeneratedWork> works;
};

namespace detail {

inline const std::vector<std::string>& first_names() {
  static const std::vector<std::string> v{
      "Natalie", "William", "Samuel", "Maria", "Wei",   "Jun",    "Anna",   "Thomas",
      "Elena",   "David",   "Yuki",   "Ahmed", "Laura", "Pierre", "Sofia",  "Jonas",
      "Priya",   "Carlos",  "Ingrid", "Kenji", "Olga",  "Marco",  "Hannah", "Ravi",
      "Clara",   "Lukas",   "Mei",    "Tomas", "Aisha", "Felix"};
  return v;
}
inline const std::vector<std::string>& middle_names() {
  static const std::vector<std::string> v{"", "", "M.", "J.", "A.", "Louise", "K.", "R.", "", "S."};
  return v;
}
/// Family names: {Unicode, TeX}.
inline const std::vector<std::pair<std::string, std::string>>& families() {
  static const std::vector<std::pair<std::string, std::string>> v{
      {"Batalha", "Batalha"},
      {"Borucki", "Borucki"},
      {"Schrödinger", "Schr\\\"odinger"},
      {"Müller", "M\\\"uller"},
      {"García", "Garc\\'{\\i}a"},
      {"Wang", "Wang"},
      {"Li", "Li"},
      {"Nováková", "Nov\\'akov\\'a"},
      {"Kowalski", "Kowalski"},
      {"Okafor", "Okafor"},
      {"Tanaka", "Tanaka"},
      {"Dubois", "Dubois"},
      {"Lindqvist", "Lindqvist"},
      {"Rossi", "Rossi"},
      {"Haddad", "Haddad"},
      {"Petrov", "Petrov"},
      {"Sørensen", "S{\\o}rensen"},
      {"Fischer", "Fischer"},
      {"Nguyen", "Nguyen"},
      {"Kim", "Kim"},
      {"Moreau", "Moreau"},
      {"Andersson", "Andersson"},
      {"Chen", "Chen"},
      {"Zhang", "Zhang"}};
  return v;
}
inline const std::vector<std::string>& categories() {
  static const std::vector<std::string> v{"astro-ph.EP", "hep-th",          "cs.LG",
                                          "math.CO",     "cond-mat.str-el", "q-bio.NC"};
  return v;
}
inline std::string set_spec(const std::string& category) {
  const auto dot = category.find('.');
  const std::string archive = category.substr(0, dot);
  std::string group = "physics";
  if (archive == "cs" || archive == "math" || archive == "q-bio") group = archive;
  std::string spec = group + ":" + archive;
  if (dot != std::string::npos) spec += ":" + category.substr(dot + 1);
  return spec;
}
/// Title words: each community draws most of its words from its own slice (fields have
/// their own vocabulary), the rest from the general words at the front.
inline const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> v{
      "new",         "results",        "study",       "analysis",   "method",        "approach",
      "towards",     "revisited",      "transit",     "planet",     "spectra",       "stellar",
      "exoplanet",   "photometry",     "orbit",       "kepler",     "gauge",         "duality",
      "string",      "brane",          "holography",  "anomaly",    "supersymmetry", "moduli",
      "neural",      "network",        "learning",    "gradient",   "kernel",        "inference",
      "transformer", "bandit",         "graph",       "coloring",   "matroid",       "partition",
      "polytope",    "tableau",        "permutation", "hypergraph", "spin",          "liquid",
      "magnon",      "superconductor", "lattice",     "fermion",    "hubbard",       "phonon",
      "cortex",      "neuron",         "spike",       "synapse",    "plasticity",    "dendrite",
      "hippocampus", "oscillation"};
  return v;
}

inline std::string xml_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}
inline std::string initial(const std::string& word) {
  if (word.empty()) return {};
  if (word.size() == 2 && word[1] == '.') return word;
  return word.substr(0, 1) + ".";
}

}  // namespace detail

/// A printed variant of a person's name, chosen by `r` in [0, 1).
inline std::string print_name(const Person& p, double r) {
  const bool tex = p.family_tex != p.family && r < 0.5;
  const std::string family = tex ? p.family_tex : p.family;
  std::string given;
  if (r < 0.55) {
    given = p.first + (p.middle.empty() ? "" : " " + p.middle);  // full
  } else if (r < 0.8) {
    given = detail::initial(p.first) + (p.middle.empty() ? "" : " " + detail::initial(p.middle));
  } else {
    given = p.first;  // middle name dropped
  }
  return given + " " + family;
}

inline World make_world(const WorldOptions& o) {
  std::mt19937_64 rng(o.seed);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  auto real = [&] { return static_cast<double>(rng() >> 11) / 9007199254740992.0; };
  World w;
  const auto& firsts = detail::first_names();
  const auto& fams = detail::families();
  for (int c = 0; c < o.communities; ++c) {
    const std::string category =
        detail::categories()[static_cast<std::size_t>(c) % detail::categories().size()];
    for (int k = 0; k < o.persons_per_community; ++k) {
      Person p;
      p.id = static_cast<int>(w.persons.size());
      p.community = c;
      p.category = category;
      const auto& fam = fams[static_cast<std::size_t>(uniform(static_cast<int>(fams.size())))];
      p.family = fam.first;
      p.family_tex = fam.second;
      p.first = firsts[static_cast<std::size_t>(uniform(static_cast<int>(firsts.size())))];
      p.middle = detail::middle_names()[static_cast<std::size_t>(uniform(10))];
      w.persons.push_back(p);
    }
  }
  // Shared names across fields: every 7th person takes the name of a person in another
  // community (a different person with the same printed name).
  for (std::size_t i = 7; i < w.persons.size(); i += 7) {
    auto& p = w.persons[i];
    const auto& q =
        w.persons[(i + static_cast<std::size_t>(o.persons_per_community) * 3) % w.persons.size()];
    if (q.community == p.community) continue;
    p.first = q.first, p.middle = q.middle, p.family = q.family, p.family_tex = q.family_tex;
  }
  const auto per = o.persons_per_community;
  for (int i = 0; i < o.works; ++i) {
    GeneratedWork work;
    // Community 0 writes more; persons 0 and 1 sign most of its works together.
    const int community = real() < 0.15 ? 0 : uniform(o.communities);
    work.category = w.persons[static_cast<std::size_t>(community * per)].category;
    work.year = o.first_year + uniform(o.last_year - o.first_year + 1);
    work.month = 1 + uniform(12);
    work.day = 1 + uniform(28);
    char id[32];
    std::snprintf(id, sizeof id, "%02d%02d.%05d", work.year % 100, work.month, i + 1);
    work.arxiv_id = id;
    std::vector<int> members;
    if (community == 0) {
      members.push_back(0);
      if (real() < 0.9) members.push_back(1);
    }
    const int size = 2 + uniform(3);
    while (static_cast<int>(members.size()) < size) {
      const int m = community * per + uniform(per);
      if (community == 0 && m == 1) continue;  // person 1 only through the rule above
      if (std::ranges::find(members, m) == members.end()) members.push_back(m);
    }
    if (real() < 0.1) {  // a guest from another community
      const int g = uniform(static_cast<int>(w.persons.size()));
      if (w.persons[static_cast<std::size_t>(g)].community != community && g > 1 &&
          std::ranges::find(members, g) == members.end()) {
        members.push_back(g);
      }
    }
    std::ranges::shuffle(members, rng);
    for (int m : members)
      work.authors.push_back({m, print_name(w.persons[static_cast<std::size_t>(m)], real())});
    const auto& vocab = detail::vocabulary();
    const int slices = static_cast<int>(vocab.size()) / 8 - 1;
    const int slice = 1 + (community + uniform(2) * 7) % slices;  // mostly its own slice
    for (int k = 0; k < 6; ++k) {
      if (k) work.title += ' ';
      const int word = real() < 0.75 ? slice * 8 + uniform(8) : uniform(8);
      work.title += vocab[static_cast<std::size_t>(word)];
    }
    work.title[0] = static_cast<char>(work.title[0] - 'a' + 'A');
    work.abstract = "We study " + work.title + " in " + work.category + ".";
    w.works.push_back(std::move(work));
  }
  return w;
}

inline std::string rfc822(int year, int month, int day) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const weekday wd{sys_days{ymd}};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %d %s %d 10:00:00 GMT", days[wd.c_encoding()], day,
                months[month - 1], year);
  return buf;
}

/// Writes the pages and truth.tsv into `dir` (created if missing). Returns false on I/O error.
inline bool write_world(const World& w, const WorldOptions& o, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream truth(dir / "truth.tsv");
  const int per_page = std::max(1, o.per_page);
  const int pages = (static_cast<int>(w.works.size()) + per_page - 1) / per_page;
  for (int page = 0; page < pages; ++page) {
    char name[32];
    std::snprintf(name, sizeof name, "page-%03d.xml", page + 1);
    std::ofstream out(dir / name);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
           "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n"
           "<responseDate>2026-01-15T12:00:00Z</responseDate>\n"
           "<request verb=\"ListRecords\" "
           "metadataPrefix=\"arXivRaw\">https://oaipmh.arxiv.org/oai</request>\n"
           "<ListRecords>\n";
    const int end = std::min(static_cast<int>(w.works.size()), (page + 1) * per_page);
    for (int i = page * per_page; i < end; ++i) {
      const auto& work = w.works[static_cast<std::size_t>(i)];
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", work.year, work.month, work.day);
      std::string authors;
      for (std::size_t k = 0; k < work.authors.size(); ++k) {
        if (k) authors += k + 1 == work.authors.size() ? " and " : ", ";
        authors += work.authors[k].printed;
        truth << work.arxiv_id << '\t' << k + 1 << '\t' << work.authors[k].person << '\t'
              << work.authors[k].printed << '\n';
      }
      out << "<record>\n<header>\n <identifier>oai:arXiv.org:" << work.arxiv_id
          << "</identifier>\n <datestamp>" << date << "</datestamp>\n <setSpec>"
          << detail::set_spec(work.category) << "</setSpec>\n</header>\n<metadata>\n"
          << " <arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"http://arxiv.org/OAI/arXivRaw/ "
             "http://arxiv.org/OAI/arXivRaw.xsd\">\n"
          << " <id>" << work.arxiv_id << "</id><submitter>"
          << detail::xml_escape(work.authors[0].printed)
          << "</submitter><version version=\"v1\"><date>" << rfc822(work.year, work.month, work.day)
          << "</date><size>12kb</size></version><title>" << detail::xml_escape(work.title)
          << "</title><authors>" << detail::xml_escape(authors) << "</authors><categories>"
          << work.category
          << "</categories><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
          << "</license><abstract>  " << detail::xml_escape(work.abstract)
          << "</abstract></arXivRaw>\n</metadata>\n</record>\n";
    }
    out << "</ListRecords>\n</OAI-PMH>\n";
    if (!out) return false;
  }
  return static_cast<bool>(truth);
}

}  // namespace bzpeer::gen_corpus
