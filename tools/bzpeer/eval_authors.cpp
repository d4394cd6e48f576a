// bzpeer — `bzpeer eval authors`: B3 precision, recall and F1 of the author clusterer on a
// labelled set. Three layouts:
// - andez: TEEDLab/ANDez (CRLF TSV). signatures_test.txt + clusters_test.txt are scored
//   (signatures_train.txt + clusters_train.txt when there is no test split); records.txt,
//   when present, gives co-authors, year, venue and title stems. The ORCID column is the
//   gold label and is never shown to the clusterer.
// - inspire: inspirehep/beard wang_signatures.json + wang_clusters.json (any
//   *signatures.json / *clusters.json); no records, so names, affiliations and
//   publication ids only.
// - s2and: S2AND signatures.json + clusters.json, papers.json optional (co-authors, venue,
//   year, title words).
// Mentions are blocked by name_block_key (folded family name + first initial) and each block
// is clustered on its own, with the default options the store uses; how common each
// co-author's name key is comes from every author list of the set (records / papers), as
// the store counts it over all its authorships. Only signatures that appear in a gold
// cluster are scored.
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "pipeline/dedupe/author_clusterer.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/eval.hpp"

namespace bzpeer::cli {
namespace {

namespace fs = std::filesystem;

struct EvalMention {
  std::string id;
  dedupe::AuthorSignature sig;
};

struct Dataset {
  std::vector<EvalMention> mentions;
  std::unordered_map<std::string, std::string> gold;  // mention id -> gold cluster
  /// Mentions per name key over every author of every paper (each paper once): how common
  /// a co-author's name is in the corpus.
  std::unordered_map<std::string, int> name_key_counts;
};

struct B3 {
  double precision = 0, recall = 0, f1 = 0;
  std::size_t scored = 0, predicted_clusters = 0, gold_clusters = 0;
};

bool read_text(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::vector<std::string> split_fields(std::string_view line, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto end = line.find(sep, start);
    out.emplace_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

/// Calls fn(fields) per non-empty line of a TSV file with CRLF or LF line ends.
bool for_each_tsv(const fs::path& path,
                  const std::function<void(const std::vector<std::string>&)>& fn) {
  std::string text;
  if (!read_text(path, text)) return false;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) fn(split_fields(line, '\t'));
  }
  return true;
}

std::string coauthor_key(std::string_view name) {
  const auto p = normalise::parse_person_name(name);
  return normalise::name_block_key(p.given, p.family);
}

/// The given name without a leading title ("Dr A'bdul" → "A'bdul"), which S2AND data
/// sometimes carries.
std::string strip_title(std::string given) {
  for (const std::string_view title :
       {"Dr. ", "Dr ", "Prof. ", "Prof ", "Mr. ", "Mr ", "Ms. ", "Ms ", "Mrs. ", "Mrs "}) {
    if (given.size() > title.size() && given.starts_with(title)) return given.substr(title.size());
  }
  return given;
}

/// Folded title words of more than two letters.
std::vector<std::string> title_words(std::string_view title) {
  std::vector<std::string> out;
  for (const auto& w : split_fields(normalise::fold_key(title), ' ')) {
    std::string clean;
    for (char c : w) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) clean += c;
    }
    if (clean.size() > 2) out.push_back(clean);
  }
  return out;
}

std::optional<Dataset> read_andez(const fs::path& dir) {
  const bool test = fs::exists(dir / "signatures_test.txt");
  const std::string split = test ? "test" : "train";
  struct Record {
    int year = 0;
    std::string venue;
    std::vector<std::string> authors, words;
  };
  std::unordered_map<std::string, Record> records;
  Dataset ds;
  for_each_tsv(dir / "records.txt", [&](const std::vector<std::string>& f) {
    if (f.size() < 4) return;
    Record r;
    r.year = std::atoi(f[1].c_str());
    r.venue = f[2];
    r.authors = split_fields(f[3], '|');
    for (const auto& a : r.authors) ++ds.name_key_counts[coauthor_key(a)];
    if (f.size() > 4) {
      for (auto& w : split_fields(f[4], ' ')) {
        if (!w.empty()) r.words.push_back(w);
      }
    }
    records[f[0]] = std::move(r);
  });
  const bool ok =
      for_each_tsv(dir / ("signatures_" + split + ".txt"), [&](const std::vector<std::string>& f) {
        if (f.size() < 4) return;
        EvalMention m;
        m.id = f[0];
        const auto name = normalise::parse_person_name(f[3]);
        m.sig.given = name.given;
        m.sig.family = name.family;
        m.sig.suffix = name.suffix;
        if (f.size() > 5) m.sig.affiliation = f[5];
        m.sig.work_id = std::atoll(f[1].c_str());
        const int position = std::atoi(f[2].c_str());
        if (auto it = records.find(f[1]); it != records.end()) {
          const auto& r = it->second;
          m.sig.year = r.year;
          m.sig.venue = r.venue;
          m.sig.words = r.words;
          for (std::size_t k = 0; k < r.authors.size(); ++k) {
            if (static_cast<int>(k) + 1 != position)
              m.sig.coauthors.push_back(coauthor_key(r.authors[k]));
          }
        }
        ds.mentions.push_back(std::move(m));
      });
  if (!ok) return std::nullopt;
  for_each_tsv(dir / ("clusters_" + split + ".txt"), [&](const std::vector<std::string>& f) {
    if (f.size() < 2) return;
    for (auto& id : split_fields(f[1], '|')) ds.gold[id] = f[0];
  });
  return ds;
}

std::string json_id(simdjson::dom::element e) {
  if (e.is_string()) return std::string(std::string_view(e.get_string()));
  if (e.is_int64()) return std::to_string(int64_t(e.get_int64()));
  if (e.is_uint64()) return std::to_string(uint64_t(e.get_uint64()));
  return {};
}

std::string json_text(simdjson::dom::element e, const char* key) {
  auto v = e[key];
  if (v.error() || !v.is_string()) return {};
  return std::string(std::string_view(v.get_string()));
}

std::optional<fs::path> find_json(const fs::path& dir, std::string_view suffix) {
  std::set<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().ends_with(suffix)) found.insert(entry.path());
  }
  if (found.empty()) return std::nullopt;
  return *found.begin();
}

std::optional<Dataset> read_inspire(const fs::path& dir) {
  auto sig_path = find_json(dir, "signatures.json");
  auto clu_path = find_json(dir, "clusters.json");
  if (!sig_path || !clu_path) return std::nullopt;
  simdjson::dom::parser parser;
  Dataset ds;
  simdjson::dom::element sigs;
  if (parser.load(sig_path->string()).get(sigs) || !sigs.is_array()) return std::nullopt;
  for (auto s : sigs.get_array()) {
    EvalMention m;
    m.id = json_id(s["signature_id"].value_unsafe());
    const auto name = normalise::parse_person_name(json_text(s, "author_name"));
    m.sig.given = name.given;
    m.sig.family = name.family;
    m.sig.suffix = name.suffix;
    m.sig.affiliation = json_text(s, "author_affiliation");
    if (auto p = s["publication_id"]; !p.error())
      m.sig.work_id = std::atoll(json_id(p.value_unsafe()).c_str());
    ds.mentions.push_back(std::move(m));
  }
  simdjson::dom::element clusters;
  if (parser.load(clu_path->string()).get(clusters) || !clusters.is_object()) return std::nullopt;
  for (auto [key, members] : clusters.get_object()) {
    if (!members.is_array()) continue;
    for (auto id : members.get_array()) ds.gold[json_id(id)] = std::string(key);
  }
  return ds;
}

std::optional<Dataset> read_s2and(const fs::path& dir) {
  simdjson::dom::parser parser;
  struct Paper {
    int year = 0;
    std::string venue;
    std::vector<std::pair<int, std::string>> authors;
    std::vector<std::string> words;
  };
  std::unordered_map<std::string, Paper> papers;
  Dataset ds;
  simdjson::dom::element root;
  if (fs::exists(dir / "papers.json") && !parser.load((dir / "papers.json").string()).get(root) &&
      root.is_object()) {
    for (auto [key, p] : root.get_object()) {
      Paper paper;
      if (auto y = p["year"]; !y.error() && y.is_int64())
        paper.year = static_cast<int>(int64_t(y.get_int64()));
      paper.venue = json_text(p, "venue");
      if (paper.venue.empty()) paper.venue = json_text(p, "journal_name");
      paper.words = title_words(json_text(p, "title"));
      if (auto a = p["authors"]; !a.error() && a.is_array()) {
        for (auto author : a.get_array()) {
          int pos = -1;
          if (auto ps = author["position"]; !ps.error() && ps.is_int64())
            pos = static_cast<int>(int64_t(ps.get_int64()));
          paper.authors.emplace_back(pos, json_text(author, "author_name"));
          ++ds.name_key_counts[coauthor_key(paper.authors.back().second)];
        }
      }
      papers[std::string(key)] = std::move(paper);
    }
  }
  if (parser.load((dir / "signatures.json").string()).get(root) || !root.is_object())
    return std::nullopt;
  for (auto [key, s] : root.get_object()) {
    EvalMention m;
    m.id = std::string(key);
    auto info = s["author_info"];
    if (info.error()) continue;
    auto ai = info.value_unsafe();
    const std::string first = json_text(ai, "first");
    const std::string middle = json_text(ai, "middle");
    m.sig.given = strip_title(middle.empty() ? first : first + " " + middle);
    m.sig.family = json_text(ai, "last");
    m.sig.suffix = json_text(ai, "suffix");
    if (auto affs = ai["affiliations"]; !affs.error() && affs.is_array()) {
      for (auto a : affs.get_array()) {
        if (!a.is_string()) continue;
        if (!m.sig.affiliation.empty()) m.sig.affiliation += "; ";
        m.sig.affiliation += std::string_view(a.get_string());
      }
    }
    int position = -1;
    if (auto ps = ai["position"]; !ps.error() && ps.is_int64())
      position = static_cast<int>(int64_t(ps.get_int64()));
    const std::string paper_id = s["paper_id"].error() ? "" : json_id(s["paper_id"].value_unsafe());
    m.sig.work_id = std::atoll(paper_id.c_str());
    if (auto it = papers.find(paper_id); it != papers.end()) {
      m.sig.year = it->second.year;
      m.sig.venue = it->second.venue;
      m.sig.words = it->second.words;
      for (const auto& [pos, name] : it->second.authors) {
        if (pos != position) m.sig.coauthors.push_back(coauthor_key(name));
      }
    }
    ds.mentions.push_back(std::move(m));
  }
  if (parser.load((dir / "clusters.json").string()).get(root) || !root.is_object())
    return std::nullopt;
  for (auto [key, c] : root.get_object()) {
    auto ids = c["signature_ids"];
    if (ids.error() || !ids.is_array()) continue;
    for (auto id : ids.get_array()) ds.gold[json_id(id)] = std::string(key);
  }
  return ds;
}

/// Clusters each name block and returns the predicted cluster of every mention.
std::vector<std::string> predict(const Dataset& ds, dedupe::AuthorClusterOptions options) {
  if (!ds.name_key_counts.empty()) options.coauthor_counts = &ds.name_key_counts;
  std::map<std::string, std::vector<std::size_t>> blocks;
  for (std::size_t i = 0; i < ds.mentions.size(); ++i) {
    const auto& s = ds.mentions[i].sig;
    blocks[normalise::name_block_key(s.given, s.family)].push_back(i);
  }
  std::vector<std::string> out(ds.mentions.size());
  std::vector<dedupe::AuthorSignature> sigs;
  for (const auto& [key, items] : blocks) {
    sigs.clear();
    for (auto i : items) sigs.push_back(ds.mentions[i].sig);
    const auto labels = dedupe::cluster_authors(sigs, options);
    for (std::size_t k = 0; k < items.size(); ++k)
      out[items[k]] = key + "#" + std::to_string(labels[k]);
  }
  return out;
}

B3 score_b3(const Dataset& ds, const std::vector<std::string>& predicted) {
  std::map<std::string, double> pred_size, gold_size;
  std::map<std::pair<std::string, std::string>, double> both;
  std::vector<std::pair<std::string, std::string>> scored;
  for (std::size_t i = 0; i < ds.mentions.size(); ++i) {
    auto it = ds.gold.find(ds.mentions[i].id);
    if (it == ds.gold.end()) continue;
    scored.emplace_back(predicted[i], it->second);
    ++pred_size[predicted[i]], ++gold_size[it->second], ++both[{predicted[i], it->second}];
  }
  B3 r;
  r.scored = scored.size();
  r.predicted_clusters = pred_size.size();
  r.gold_clusters = gold_size.size();
  if (scored.empty()) return r;
  for (const auto& [p, g] : scored) {
    const double n = both[{p, g}];
    r.precision += n / pred_size[p];
    r.recall += n / gold_size[g];
  }
  r.precision /= static_cast<double>(scored.size());
  r.recall /= static_cast<double>(scored.size());
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  return r;
}

}  // namespace

int eval_authors(const std::string& format, const std::filesystem::path& dir) {
  std::optional<Dataset> ds;
  try {
    if (format == "andez")
      ds = read_andez(dir);
    else if (format == "inspire")
      ds = read_inspire(dir);
    else if (format == "s2and")
      ds = read_s2and(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bzpeer: eval authors: reading %s: %s\n", dir.c_str(), e.what());
    return kExitFailure;
  }
  if (!ds || ds->mentions.empty()) {
    std::fprintf(stderr,
                 "bzpeer: eval authors --format %s: no signatures and clusters readable in %s\n",
                 format.c_str(), dir.c_str());
    return kExitNotFound;
  }
  const auto predicted = predict(*ds, dedupe::AuthorClusterOptions{});
  const B3 r = score_b3(*ds, predicted);
  std::printf("signatures %zu scored %zu gold_clusters %zu predicted_clusters %zu\n",
              ds->mentions.size(), r.scored, r.gold_clusters, r.predicted_clusters);
  std::printf("b3_precision %.4f\nb3_recall %.4f\nf1 %.4f\n", r.precision, r.recall, r.f1);
  return kExitOk;
}

}  // namespace bzpeer::cli
