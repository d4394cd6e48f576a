// bzpeer — `bzpeer eval works`: score the work matcher on labelled sets.
//
// --format dblp-acm DIR: DIR holds DBLP2.csv, ACM.csv and DBLP-ACM_perfectMapping.csv
//   (Leipzig layout; the mapping may or may not have its header). All records of both
//   sources are clustered together; a predicted pair is a DBLP and an ACM record in one
//   cluster (pairs inside one source are not scored). Pair precision, recall and F1
//   against the mapping.
// --format bib-dedupe DIR: DIR holds records_pre_merged.csv and merged_record_ids.csv
//   (one duplicate group per row, "id_a;id_b;…"). The matcher sees title, author, year,
//   journal (else booktitle), doi, volume and pages, the columns a BibTeX export has.
//   Scored at record level exactly as bib-dedupe's DedupeBenchmarker.compare_dedupe_id does (the
//   figures in its current_results.md), with the record kept from each predicted cluster being the
//   one with the smallest ID: a true singleton kept is TN, removed is FP; a true group with k ≥ 1
//   members kept adds TN 1, FN k−1, TP n−k; with none kept FP 1, TP n−1. Pair precision/recall/F1
//   over all within-cluster pairs are printed as well.
// Either way the last line is "f1 <value>" (record-level F1 for bib-dedupe).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "pipeline/dedupe/author_key.hpp"
#include "pipeline/dedupe/csv_table.hpp"
#include "pipeline/dedupe/title_key.hpp"
#include "pipeline/dedupe/work_matcher.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/eval.hpp"

namespace bzpeer::cli {
namespace {

using dedupe::CsvTable;
using dedupe::WorkKey;
using Clock = std::chrono::steady_clock;

Result<CsvTable> read_csv(const std::filesystem::path& path, bool has_header = true) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(Error{ErrorCode::io, "cannot read " + path.string()});
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return dedupe::parse_csv(dedupe::to_utf8(bytes.str()), has_header);
}

int parse_year(std::string_view s) {
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    bool digits = true;
    for (std::size_t k = 0; k < 4; ++k) digits = digits && s[i + k] >= '0' && s[i + k] <= '9';
    if (digits) return std::stoi(std::string(s.substr(i, 4)));
  }
  return 0;
}

/// Placeholder values that exports write for "no value".
std::string value(const std::string& s) {
  if (s == "None" || s == "UNKNOWN" || s == "nan" || s == "NA") return {};
  return s;
}

struct Prf {
  double precision = 0, recall = 0, f1 = 0;
};

Prf prf(double tp, double fp, double fn) {
  Prf r;
  r.precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
  r.recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0.0;
  return r;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void print_record(const char* tag, const WorkKey& k, const std::string& id) {
  std::string authors;
  for (const auto& a : k.authors) {
    if (!authors.empty()) authors += "; ";
    authors += a;
  }
  std::printf("  %s %s | %s | %s | %d | %s", tag, id.c_str(), k.title.c_str(), authors.c_str(),
              k.year, k.venue.c_str());
  if (!k.volume.empty() || !k.pages.empty()) {
    std::printf(" | vol %s p %s", k.volume.c_str(), k.pages.c_str());
  }
  std::printf("\n");
}

int eval_dblp_acm(const std::filesystem::path& dir) {
  auto dblp = read_csv(dir / "DBLP2.csv");
  if (!dblp) return report(dblp.error());
  auto acm = read_csv(dir / "ACM.csv");
  if (!acm) return report(acm.error());
  auto mapping = read_csv(dir / "DBLP-ACM_perfectMapping.csv", false);
  if (!mapping) return report(mapping.error());
  const auto start = Clock::now();

  std::vector<WorkKey> keys;
  std::vector<std::string> ids;
  std::map<std::string, int> dblp_index, acm_index;
  auto load = [&](const CsvTable& t, std::map<std::string, int>& index) {
    const int id = t.column("id"), title = t.column("title"), authors = t.column("authors");
    const int venue = t.column("venue"), year = t.column("year");
    for (const auto& row : t.rows) {
      WorkKey k;
      k.title = t.cell(row, title);
      k.authors = dedupe::family_names(dedupe::decode_entities(t.cell(row, authors)));
      k.venue = dedupe::decode_entities(t.cell(row, venue));
      k.year = parse_year(t.cell(row, year));
      index[t.cell(row, id)] = static_cast<int>(keys.size());
      ids.push_back(t.cell(row, id));
      keys.push_back(std::move(k));
    }
  };
  load(*dblp, dblp_index);
  load(*acm, acm_index);
  const auto n_dblp = dblp_index.size();

  std::set<std::pair<int, int>> gold;
  std::size_t unknown_ids = 0;
  for (const auto& row : mapping->rows) {
    if (row.size() < 2 || row[0] == "idDBLP") continue;  // the Leipzig header, if present
    const auto d = dblp_index.find(row[0]);
    const auto a = acm_index.find(row[1]);
    if (d == dblp_index.end() || a == acm_index.end()) {
      ++unknown_ids;
      continue;
    }
    gold.emplace(d->second, a->second);
  }

  const auto labels = dedupe::cluster(keys);
  std::map<int, std::vector<int>> clusters;
  for (std::size_t i = 0; i < labels.size(); ++i)
    clusters[labels[i]].push_back(static_cast<int>(i));
  std::set<std::pair<int, int>> predicted;
  for (const auto& [label, members] : clusters) {
    for (const int x : members) {
      for (const int y : members) {
        if (static_cast<std::size_t>(x) < n_dblp && static_cast<std::size_t>(y) >= n_dblp) {
          predicted.emplace(x, y);
        }
      }
    }
  }
  const double elapsed = seconds_since(start);
  std::size_t tp = 0;
  for (const auto& p : predicted) tp += gold.count(p);
  const auto r = prf(static_cast<double>(tp), static_cast<double>(predicted.size() - tp),
                     static_cast<double>(gold.size() - tp));

  int shown = 0;
  for (const auto& p : predicted) {
    if (gold.count(p) || shown >= 10) continue;
    std::printf("false positive:\n");
    print_record("dblp", keys[static_cast<std::size_t>(p.first)],
                 ids[static_cast<std::size_t>(p.first)]);
    print_record("acm ", keys[static_cast<std::size_t>(p.second)],
                 ids[static_cast<std::size_t>(p.second)]);
    ++shown;
  }
  shown = 0;
  for (const auto& p : gold) {
    if (predicted.count(p) || shown >= 10) continue;
    const auto d = dedupe::match(keys[static_cast<std::size_t>(p.first)],
                                 keys[static_cast<std::size_t>(p.second)]);
    std::printf("false negative (%.*s, title %.2f, authors %.2f):\n",
                static_cast<int>(d.reason.size()), d.reason.data(), d.title_similarity,
                d.author_overlap);
    print_record("dblp", keys[static_cast<std::size_t>(p.first)],
                 ids[static_cast<std::size_t>(p.first)]);
    print_record("acm ", keys[static_cast<std::size_t>(p.second)],
                 ids[static_cast<std::size_t>(p.second)]);
    ++shown;
  }
  std::printf("dblp-acm %s: dblp=%zu acm=%zu gold_pairs=%zu (ids not found: %zu) elapsed=%.2fs\n",
              dir.c_str(), n_dblp, acm_index.size(), gold.size(), unknown_ids, elapsed);
  std::printf("pairs predicted=%zu correct=%zu missed=%zu\n", predicted.size(), tp,
              gold.size() - tp);
  std::printf("precision %.4f\nrecall %.4f\n", r.precision, r.recall);
  std::printf("f1 %.4f\n", r.f1);
  return kExitOk;
}

int eval_bib_dedupe(const std::filesystem::path& dir) {
  auto records = read_csv(dir / "records_pre_merged.csv");
  if (!records) return report(records.error());
  auto merged = read_csv(dir / "merged_record_ids.csv");
  if (!merged) return report(merged.error());
  const auto start = Clock::now();
  const auto& t = *records;
  const int id = t.column("ID"), title = t.column("title"), author = t.column("author");
  const int year = t.column("year"), journal = t.column("journal");
  const int booktitle = t.column("booktitle"), doi = t.column("doi");
  const int volume = t.column("volume"), pages = t.column("pages");
  if (id < 0 || title < 0) {
    return report(Error{ErrorCode::parse,
                        (dir / "records_pre_merged.csv").string() + ": no ID or title column"});
  }
  std::vector<WorkKey> keys;
  std::vector<std::string> ids;
  std::map<std::string, int> index;
  for (const auto& row : t.rows) {
    WorkKey k;
    k.title = value(t.cell(row, title));
    k.authors = dedupe::family_names(dedupe::decode_entities(value(t.cell(row, author))));
    k.year = parse_year(t.cell(row, year));
    k.venue = value(t.cell(row, journal));
    if (k.venue.empty()) k.venue = value(t.cell(row, booktitle));
    if (const auto d = value(t.cell(row, doi)); !d.empty()) k.dois.push_back(d);
    k.volume = value(t.cell(row, volume));
    k.pages = value(t.cell(row, pages));
    index[t.cell(row, id)] = static_cast<int>(keys.size());
    ids.push_back(t.cell(row, id));
    keys.push_back(std::move(k));
  }
  std::vector<std::vector<int>> groups;
  std::vector<int> gold_group(keys.size(), -1);
  std::size_t unknown_ids = 0;
  for (const auto& row : merged->rows) {
    std::vector<int> g;
    std::string_view s = row.empty() ? std::string_view() : std::string_view(row[0]);
    while (!s.empty()) {
      const auto semi = s.find(';');
      const std::string one(s.substr(0, semi));
      if (const auto it = index.find(one); it != index.end()) {
        g.push_back(it->second);
      } else if (!one.empty()) {
        ++unknown_ids;
      }
      s = semi == std::string_view::npos ? std::string_view() : s.substr(semi + 1);
    }
    for (const int m : g) gold_group[static_cast<std::size_t>(m)] = static_cast<int>(groups.size());
    groups.push_back(std::move(g));
  }

  const auto labels = dedupe::cluster(keys);
  const double elapsed = seconds_since(start);
  // The kept record of each predicted cluster: the smallest ID.
  std::map<int, int> kept;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto [it, fresh] = kept.try_emplace(labels[i], static_cast<int>(i));
    if (!fresh && ids[i] < ids[static_cast<std::size_t>(it->second)])
      it->second = static_cast<int>(i);
  }
  std::vector<bool> is_kept(keys.size());
  for (const auto& [label, i] : kept) is_kept[static_cast<std::size_t>(i)] = true;
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (gold_group[i] >= 0) continue;
    (is_kept[i] ? tn : fp) += 1;
  }
  for (const auto& g : groups) {
    double k = 0;
    for (const int m : g) k += is_kept[static_cast<std::size_t>(m)] ? 1 : 0;
    const auto n = static_cast<double>(g.size());
    if (k == 0) {
      fp += 1;
      tp += n - 1;
    } else {
      tn += 1;
      fn += k - 1;
      tp += n - k;
    }
  }
  const auto record = prf(tp, fp, fn);

  // Pair level, with examples of each error.
  double ptp = 0, pfp = 0, pfn = 0;
  int shown_fp = 0, shown_fn = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (std::size_t j = i + 1; j < keys.size(); ++j) {
      const bool same_pred = labels[i] == labels[j];
      const bool same_gold = gold_group[i] >= 0 && gold_group[i] == gold_group[j];
      if (!same_pred && !same_gold) continue;
      if (same_pred && same_gold) ptp += 1;
      const bool show = same_pred ? !same_gold && shown_fp++ < 8 : shown_fn++ < 8;
      if (same_pred && !same_gold) pfp += 1;
      if (!same_pred && same_gold) pfn += 1;
      if (show && !(same_pred && same_gold)) {
        const auto d = dedupe::match(keys[i], keys[j]);
        std::printf("%s (%.*s, title %.2f, authors %.2f):\n",
                    same_pred ? "false positive" : "false negative",
                    static_cast<int>(d.reason.size()), d.reason.data(), d.title_similarity,
                    d.author_overlap);
        print_record("a", keys[i], ids[i]);
        print_record("b", keys[j], ids[j]);
      }
    }
  }
  const auto pair = prf(ptp, pfp, pfn);
  std::printf("bib-dedupe %s: records=%zu gold_groups=%zu (ids not found: %zu) elapsed=%.2fs\n",
              dir.c_str(), keys.size(), groups.size(), unknown_ids, elapsed);
  std::printf("pairs precision %.4f recall %.4f f1 %.4f (tp=%.0f fp=%.0f fn=%.0f)\n",
              pair.precision, pair.recall, pair.f1, ptp, pfp, pfn);
  std::printf("records TP=%.0f FP=%.0f FN=%.0f TN=%.0f\n", tp, fp, fn, tn);
  std::printf("precision %.4f\nrecall %.4f\n", record.precision, record.recall);
  std::printf("f1 %.4f\n", record.f1);
  return kExitOk;
}

}  // namespace

int eval_works(const std::string& format, const std::filesystem::path& dir) {
  if (format == "dblp-acm") return eval_dblp_acm(dir);
  if (format == "bib-dedupe") return eval_bib_dedupe(dir);
  return report(Error{ErrorCode::invalid_argument,
                      "eval works: unknown --format " + format + " (dblp-acm|bib-dedupe)"});
}

}  // namespace bzpeer::cli
