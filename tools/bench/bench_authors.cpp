// bench_authors: author clustering time and peak memory on synthetic name blocks.
//   bench_authors [mentions=1000000] [repeats=1] [seed=7]
// Blocks follow a heavy-tailed size distribution (most blocks hold a few mentions, a few
// common CJK-style blocks hold thousands and take the sub-blocking path). Each block has
// persons with name variants, co-author communities, categories, title words and years.
// Prints the median clustering time, a baseline measured in the same run (grouping by
// exact printed name, the cheapest possible "clustering"), their ratio, and the peak
// resident memory (getrusage ru_maxrss).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/dedupe/author_clusterer.hpp"

namespace {

using bzpeer::dedupe::AuthorSignature;

/// "c123": a letter and a number (built by append: GCC 12 warns wrongly on "x" + string).
std::string token(char letter, std::size_t n) {
  std::string out(1, letter);
  out.append(std::to_string(n));
  return out;
}

std::vector<std::vector<AuthorSignature>> make_blocks(std::size_t total, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  static const char* given[] = {"Wei",   "Wen",  "Jun",  "Jian", "Li",    "Lei",
                                "Yan",   "Yi",   "Xin",  "Hui",  "Peter", "Paul",
                                "Maria", "Anna", "John", "Jane", "Hyun",  "Min"};
  static const char* cats[] = {"hep-th",   "hep-ph",  "astro-ph.CO",       "cs.LG",
                               "cs.CV",    "math.AP", "cond-mat.mes-hall", "quant-ph",
                               "q-bio.NC", "stat.ML"};
  std::vector<std::vector<AuthorSignature>> blocks;
  std::size_t made = 0;
  std::int64_t work = 1;
  int family = 0;
  while (made < total) {
    // Heavy tail: 1% of blocks are large (2k–12k), 9% medium (50–500), the rest small.
    const double r = static_cast<double>(rng() % 10000) / 10000.0;
    std::size_t size = r < 0.01  ? 2000 + uniform(10000)
                       : r < 0.1 ? 50 + uniform(450)
                                 : 1 + uniform(30);
    size = std::min(size, total - made);
    const std::string fam = token('F', static_cast<std::size_t>(family++)) + "am";
    const std::size_t persons = std::max<std::size_t>(1, size / 12);
    std::vector<AuthorSignature> block;
    block.reserve(size);
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t p = uniform(persons);
      AuthorSignature s;
      const std::string first = given[p % 18];
      const char middle = static_cast<char>('A' + (p / 18) % 26);
      const auto variant = uniform(4);
      std::string g;
      if (variant == 0) {
        g.push_back(first[0]);
        g.append(". ");
      } else {
        g.append(first);
        g.push_back(' ');
      }
      if (variant != 1) {
        g.push_back(middle);
        g.push_back('.');
      }
      s.given = variant == 1 ? first : g;
      s.family = fam;
      for (int k = 0; k < 4; ++k) s.coauthors.push_back(token('c', p * 7 + uniform(6)));
      s.topics = {cats[p % 10]};
      for (int k = 0; k < 5; ++k) s.words.push_back(token('w', (p * 13 + uniform(20)) % 5000));
      s.year = 2000 + static_cast<int>((p + uniform(6)) % 25);
      s.work_id = work++;
      block.push_back(std::move(s));
    }
    made += size;
    blocks.push_back(std::move(block));
  }
  return blocks;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::ranges::sort(v);
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7;
  auto t0 = std::chrono::steady_clock::now();
  const auto blocks = make_blocks(total, seed);
  std::size_t largest = 0;
  for (const auto& b : blocks) largest = std::max(largest, b.size());
  std::printf("bench_authors: %zu mentions in %zu blocks (largest %zu), generated in %.2f s\n",
              total, blocks.size(), largest, seconds_since(t0));

  std::vector<double> base_times, times;
  std::size_t clusters = 0, base_clusters = 0;
  for (int r = 0; r < repeats; ++r) {
    t0 = std::chrono::steady_clock::now();
    base_clusters = 0;
    for (const auto& b : blocks) {
      std::unordered_map<std::string, int> names;
      for (const auto& s : b) names.try_emplace(s.given, static_cast<int>(names.size()));
      base_clusters += names.size();
    }
    base_times.push_back(seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    clusters = 0;
    for (const auto& b : blocks) {
      const auto labels = bzpeer::dedupe::cluster_authors(b);
      clusters += static_cast<std::size_t>(*std::ranges::max_element(labels) + 1);
    }
    times.push_back(seconds_since(t0));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double base = median(base_times);
  const double t = median(times);
  std::printf("baseline (exact-name grouping): median %.3f s, %zu clusters\n", base, base_clusters);
  std::printf("cluster_authors:                median %.3f s, %zu clusters, %.0f mentions/s\n", t,
              clusters, static_cast<double>(total) / t);
  std::printf("ratio cluster_authors/baseline: %.1f\n", t / base);
  std::printf("peak RSS: %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
