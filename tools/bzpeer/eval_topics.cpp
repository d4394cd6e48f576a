// bzpeer — `bzpeer eval topics`: keyphrase extraction scored against labelled sets.
//
// Protocol (as in the keyphrase literature, e.g. the pke benchmark): the top-k predicted
// phrases of each document are compared with its gold phrases after Porter stemming, by
// exact match; precision, recall and F1 are computed per document and averaged over the
// documents (macro average). Gold phrases absent from the text stay in the gold set, so
// they cap the reachable recall. Document frequencies come from the evaluated folder; the
// extractor runs with the defaults the store uses (KeyphraseOptions), so the figures are
// those of production.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "pipeline/normalise/text.hpp"
#include "pipeline/topics/keyphrases.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/eval.hpp"

namespace bzpeer::cli {
namespace {

namespace fs = std::filesystem;

struct LabelledDoc {
  std::string id, title, abstract;
  std::vector<std::string> gold;  ///< as written
};

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split_trimmed(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    item = normalise::collapse_whitespace(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

/// Inspec (Hulth 2003): N.abstr (title line, then the abstract wrapped with tab
/// indents) and N.uncontr (keyphrases separated by ';').
Result<std::vector<LabelledDoc>> load_inspec(const fs::path& dir) {
  std::vector<LabelledDoc> docs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".abstr") continue;
    auto gold_path = fs::path(entry.path()).replace_extension(".uncontr");
    auto text = read_file(entry.path());
    auto gold = read_file(gold_path);
    if (!text || !gold) {
      return fail(ErrorCode::io,
                  "cannot read " + entry.path().string() + " or " + gold_path.string());
    }
    LabelledDoc d;
    d.id = entry.path().stem().string();
    // The title ends at the first line that is not a tab-indented continuation.
    std::istringstream lines(*text);
    std::string line;
    bool in_title = true;
    while (std::getline(lines, line)) {
      if (in_title && !d.title.empty() && !line.empty() && line[0] != '\t') in_title = false;
      (in_title ? d.title : d.abstract) += line + "\n";
    }
    d.title = normalise::collapse_whitespace(d.title);
    d.abstract = normalise::collapse_whitespace(d.abstract);
    d.gold = split_trimmed(*gold, ';');
    docs.push_back(std::move(d));
  }
  if (ec) return fail(ErrorCode::io, "cannot list " + dir.string() + ": " + ec.message());
  return docs;
}

/// WWW/KDD (Caragea et al. 2014, as in LIAAD/KeywordExtractor-Datasets): docsutf8/ID.txt
/// (title and abstract, not separated) and keys/ID.key (one keyphrase per line).
Result<std::vector<LabelledDoc>> load_caragea(const fs::path& dir) {
  std::vector<LabelledDoc> docs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / "docsutf8", ec)) {
    if (entry.path().extension() != ".txt") continue;
    auto gold_path = dir / "keys" / entry.path().filename().replace_extension(".key");
    auto text = read_file(entry.path());
    auto gold = read_file(gold_path);
    if (!text || !gold) {
      return fail(ErrorCode::io,
                  "cannot read " + entry.path().string() + " or " + gold_path.string());
    }
    LabelledDoc d;
    d.id = entry.path().stem().string();
    d.abstract = normalise::collapse_whitespace(*text);
    d.gold = split_trimmed(*gold, '\n');
    docs.push_back(std::move(d));
  }
  if (ec)
    return fail(ErrorCode::io, "cannot list " + (dir / "docsutf8").string() + ": " + ec.message());
  return docs;
}

struct Prf {
  double p = 0, r = 0, f = 0;
};

Prf score(const std::vector<std::string>& predicted, const std::set<std::string>& gold,
          std::size_t k, std::size_t& matched) {
  std::size_t n = std::min(k, predicted.size());
  matched = 0;
  for (std::size_t i = 0; i < n; ++i) matched += gold.contains(predicted[i]) ? 1 : 0;
  Prf s;
  if (n > 0) s.p = static_cast<double>(matched) / static_cast<double>(n);
  if (!gold.empty()) s.r = static_cast<double>(matched) / static_cast<double>(gold.size());
  if (s.p + s.r > 0) s.f = 2 * s.p * s.r / (s.p + s.r);
  return s;
}

}  // namespace

int eval_topics(const std::string& format, const std::filesystem::path& dir) {
  auto docs = format == "inspec" ? load_inspec(dir) : load_caragea(dir);
  if (!docs) return report(docs.error());
  if (docs->empty()) {
    return report(Error{ErrorCode::not_found, "no " + format + " documents in " + dir.string()});
  }
  std::ranges::sort(*docs, {}, &LabelledDoc::id);

  topics::KeyphraseOptions options;
  options.top_k = 10;
  std::vector<std::vector<topics::Candidate>> candidates;
  std::unordered_map<std::string, std::int64_t> df;
  for (const auto& d : *docs) {
    candidates.push_back(topics::extract_candidates(d.title, d.abstract, options));
    for (const auto& key : topics::document_keys(candidates.back())) ++df[key];
  }
  auto lookup = [&df](std::string_view key) {
    auto it = df.find(std::string(key));
    return it == df.end() ? std::int64_t{0} : it->second;
  };
  const auto n_docs = static_cast<std::int64_t>(docs->size());

  Prf sum5, sum10;
  std::size_t gold_total = 0, gold_in_candidates = 0, match5 = 0, match10 = 0, pred5 = 0,
              pred10 = 0;
  for (std::size_t i = 0; i < docs->size(); ++i) {
    std::set<std::string> gold;
    for (const auto& g : (*docs)[i].gold) {
      auto key = topics::phrase_key(g);
      if (!key.empty()) gold.insert(key);
    }
    std::vector<std::string> predicted;
    for (const auto& k : topics::rank_keyphrases(candidates[i], lookup, n_docs, options)) {
      predicted.push_back(k.key);
    }
    gold_total += gold.size();
    for (const auto& c : candidates[i]) gold_in_candidates += gold.contains(c.key) ? 1 : 0;
    std::size_t m = 0;
    auto s5 = score(predicted, gold, 5, m);
    match5 += m, pred5 += std::min<std::size_t>(5, predicted.size());
    auto s10 = score(predicted, gold, 10, m);
    match10 += m, pred10 += std::min<std::size_t>(10, predicted.size());
    sum5.p += s5.p, sum5.r += s5.r, sum5.f += s5.f;
    sum10.p += s10.p, sum10.r += s10.r, sum10.f += s10.f;
  }
  const double n = static_cast<double>(docs->size());
  auto micro = [&](std::size_t matched, std::size_t predicted) {
    double p = predicted ? static_cast<double>(matched) / static_cast<double>(predicted) : 0;
    double r = gold_total ? static_cast<double>(matched) / static_cast<double>(gold_total) : 0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  };
  std::printf("keyphrases: %s %s\n", format.c_str(), dir.c_str());
  std::printf(
      "documents %zu, gold keyphrases %zu (%.1f per document), reachable by candidates %.1f%%\n",
      docs->size(), gold_total, static_cast<double>(gold_total) / n,
      gold_total ? 100.0 * static_cast<double>(gold_in_candidates) / static_cast<double>(gold_total)
                 : 0.0);
  std::printf(
      "method: n-grams of stop-word-delimited runs ranked by TF-IDF with YAKE-like "
      "statistics (pipeline/topics/keyphrases.hpp), df from this folder (N=%lld)\n",
      static_cast<long long>(n_docs));
  std::printf("matching: Porter-stemmed exact match, all gold keyphrases (absent ones included)\n");
  std::printf("@5   precision %.4f  recall %.4f  F1 %.4f (macro)  F1 %.4f (micro)\n", sum5.p / n,
              sum5.r / n, sum5.f / n, micro(match5, pred5));
  std::printf("@10  precision %.4f  recall %.4f  F1 %.4f (macro)  F1 %.4f (micro)\n", sum10.p / n,
              sum10.r / n, sum10.f / n, micro(match10, pred10));
  std::printf("f1@5 %.4f\n", sum5.f / n);
  std::printf("f1@10 %.4f\n", sum10.f / n);
  return kExitOk;
}

}  // namespace bzpeer::cli
