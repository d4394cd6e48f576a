// bench_keyphrases: keyphrase extraction throughput (works per second) on real abstracts.
//   bench_keyphrases [DIR=../shared/data/eval/inspec-hulth2003/Training] [runs=7] [copies=4]
// DIR holds Inspec documents (N.abstr: title line, then the abstract). The corpus is the
// documents repeated `copies` times. Each run times, over the whole corpus:
//   tokenise  the baseline: lowercasing and splitting into words, nothing else;
//   extract   extract_candidates (tokens, stop words, n-grams, stems, statistics);
//   rank      rank_keyphrases against document frequencies in a hash map (as the
//             evaluation does; the store reads them from SQLite instead);
//   total     extract + rank, the cost of one work's keyphrases.
// Prints the median of the runs for each, in works per second, and its ratio to the
// baseline measured in the same run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/topics/keyphrases.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
namespace topics = bzpeer::topics;

struct Doc {
  std::string title, abstract;
};

std::vector<Doc> load(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".abstr") files.push_back(e.path());
  }
  std::ranges::sort(files);
  std::vector<Doc> docs;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    auto nl = text.find('\n');
    docs.push_back({text.substr(0, nl), nl == std::string::npos ? "" : text.substr(nl + 1)});
  }
  return docs;
}

/// The baseline: lowercase ASCII words, counted so the work cannot be optimised away.
std::size_t tokenise(const std::string& text) {
  std::size_t words = 0;
  std::string word;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      word += ch;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c + 32);
    } else if (!word.empty()) {
      words += word.size() > 1 ? 1 : 0;
      word.clear();
    }
  }
  return words + (word.size() > 1 ? 1 : 0);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::ranges::sort(v);
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir =
      argc > 1 ? fs::path(argv[1])
               : fs::path(BZPEER_SOURCE_DIR) / "../shared/data/eval/inspec-hulth2003/Training";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  const int copies = argc > 3 ? std::max(1, std::atoi(argv[3])) : 4;
  const auto base = load(dir);
  if (base.empty()) {
    std::fprintf(stderr, "bench_keyphrases: no .abstr documents in %s\n", dir.c_str());
    return 2;
  }
  std::vector<Doc> docs;
  for (int c = 0; c < copies; ++c) docs.insert(docs.end(), base.begin(), base.end());
  const auto n = static_cast<double>(docs.size());

  // Document frequencies over the corpus, as the store would hold them.
  std::unordered_map<std::string, std::int64_t> df;
  std::vector<std::vector<topics::Candidate>> candidates;
  for (const auto& d : base) {
    for (const auto& k : topics::document_keys(topics::extract_candidates(d.title, d.abstract))) {
      ++df[k];
    }
  }
  auto lookup = [&df](std::string_view key) {
    auto it = df.find(std::string(key));
    return it == df.end() ? std::int64_t{0} : it->second;
  };
  const auto n_docs = static_cast<std::int64_t>(base.size());

  std::vector<double> t_tokenise, t_extract, t_rank, t_total;
  std::size_t sink = 0;
  for (int r = 0; r < runs; ++r) {
    auto start = Clock::now();
    for (const auto& d : docs) sink += tokenise(d.title) + tokenise(d.abstract);
    t_tokenise.push_back(seconds_since(start));

    candidates.clear();
    candidates.reserve(docs.size());
    start = Clock::now();
    for (const auto& d : docs)
      candidates.push_back(topics::extract_candidates(d.title, d.abstract));
    t_extract.push_back(seconds_since(start));

    start = Clock::now();
    for (const auto& c : candidates) sink += topics::rank_keyphrases(c, lookup, n_docs).size();
    t_rank.push_back(seconds_since(start));
    t_total.push_back(t_extract.back() + t_rank.back());
  }

  const double baseline = n / median(t_tokenise);
  std::printf("bench_keyphrases: %zu works (%zu documents x %d) from %s, median of %d runs\n",
              docs.size(), base.size(), copies, dir.c_str(), runs);
  auto row = [&](const char* name, const std::vector<double>& t) {
    const double rate = n / median(t);
    std::printf("%-9s %12.0f works/s  %8.2f us/work  %6.1fx the baseline's time\n", name, rate,
                1e6 / rate, baseline / rate);
  };
  row("tokenise", t_tokenise);
  row("extract", t_extract);
  row("rank", t_rank);
  row("total", t_total);
  std::printf("(checksum %zu)\n", sink);
  return 0;
}
