// bench_rebuild: full index rebuild throughput, one writer against parallel shards.
//   bench_rebuild [works=20000] [runs=3] [shards=0] [seed=7]
// Generates `works` synthetic IndexDocuments whose words are drawn from the titles and
// abstracts of the bundled arXiv sample (tests/fixtures/oai/arxivraw-sample), with a few
// per cent of words altered into rare ones so the vocabulary has a long tail like a real
// corpus. A work has about 12 title words, 190 abstract words and 6 authors: about 430
// words indexed (each also under its field prefix), as in DESIGN.md's measurements.
// Runs search::rebuild with one writer (the baseline) and with `shards` writers (0 = one
// per hardware thread) alternately, `runs` times each, and prints the medians in works per
// second, their ratio, the size of the last build and the peak resident memory.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "index/search/search_index.hpp"

namespace {

namespace fs = std::filesystem;
using bzpeer::search::IndexDocument;

/// Words (as printed) from every <title> and <abstract> of the sample pages.
std::vector<std::string> sample_words(const fs::path& pages) {
  std::vector<std::string> words;
  std::error_code ec;
  for (fs::directory_iterator it(pages, ec), end; !ec && it != end; it.increment(ec)) {
    std::ifstream in(it->path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string xml = buffer.str();
    for (const std::string tag : {"title", "abstract"}) {
      const std::string open = "<" + tag + ">";
      const std::string close = "</" + tag + ">";
      for (std::size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
        at += open.size();
        const std::size_t stop = xml.find(close, at);
        if (stop == std::string::npos) break;
        std::string word;
        for (std::size_t i = at; i <= stop; ++i) {
          const char c = i < stop ? xml[i] : ' ';
          const bool part = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-';
          if (part) {
            word.push_back(c);
          } else if (!word.empty()) {
            words.push_back(word);
            word.clear();
          }
        }
        at = stop;
      }
    }
  }
  return words;
}

std::vector<IndexDocument> make_corpus(std::size_t n, const std::vector<std::string>& words,
                                       std::uint64_t seed) {
  static const char* given[] = {"William J.", "Jack", "Daniel C.", "Eric B.", "Geoffrey W.",
                                "Wei",        "Li",   "Maria",     "Anna",    "Samuel S.",
                                "Juan",       "Amit", "Pedro",     "Hyun",    "Fu"};
  static const char* family[] = {"Borucki",   "Lissauer", "Fabrycky", "Ford",  "Marcy",
                                 "Zhang",     "Wang",     "Garcia",   "Rossi", "Schoenholz",
                                 "Maldacena", "Sever",    "Vieira",   "Kim",   "Tang"};
  static const char* categories[] = {
      "astro-ph.EP", "astro-ph.CO",       "hep-th", "hep-ph", "cs.LG", "cs.CV", "math.CO",
      "quant-ph",    "cond-mat.mes-hall", "stat.ML"};
  static const char* topics[] = {"Exoplanet Detection and Characterization",
                                 "Dark Matter and Cosmic Phenomena", "Graph Neural Networks",
                                 "Quantum Error Correction", "Scattering Amplitudes"};
  std::mt19937_64 rng(seed);
  const auto pick = [&](std::size_t size) { return static_cast<std::size_t>(rng() % size); };
  // About 3% of words become rare ones (a real vocabulary has a long tail).
  const auto word = [&] {
    std::string w = words[pick(words.size())];
    if (pick(100) < 3) {
      w += 'x';
      w += std::to_string(pick(200000));
    }
    return w;
  };
  const auto text = [&](std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
      if (i != 0) out += ' ';
      out += word();
    }
    return out;
  };
  std::vector<IndexDocument> docs(n);
  for (std::size_t i = 0; i < n; ++i) {
    IndexDocument& d = docs[i];
    d.work_id = static_cast<std::int64_t>(i + 1);
    d.arxiv_id = std::to_string(1000 + i / 10000) + "." + std::to_string(10000 + i % 10000);
    d.dois = {std::string("10.1234/bench.") + std::to_string(i)};
    d.title = text(9 + pick(7));
    d.abstract = text(160 + pick(60));
    for (int a = 0; a < 6; ++a) {
      d.author_names.push_back(std::string(given[pick(std::size(given))]) + " " +
                               family[pick(std::size(family))]);
      d.author_ids.push_back(static_cast<std::int64_t>(pick(50000)));
    }
    d.categories = {categories[pick(std::size(categories))],
                    categories[pick(std::size(categories))]};
    d.topics = {topics[pick(std::size(topics))]};
    d.type = pick(4) == 0 ? "article" : "preprint";
    d.sources = {"arxiv"};
    d.year = 2000 + static_cast<int>(pick(25));
    d.date = std::to_string(d.year) + "-0" + std::to_string(1 + pick(9)) + "-1" +
             std::to_string(pick(10));
  }
  return docs;
}

std::uintmax_t tree_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t works = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const unsigned shards = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 0;
  const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 7;
  if (works == 0 || runs < 1) {
    std::fprintf(stderr, "usage: bench_rebuild [works=20000] [runs=3] [shards=0] [seed=7]\n");
    return 64;
  }

  std::vector<std::string> words =
      sample_words(fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample");
  if (words.empty()) {
    std::fprintf(stderr, "bench_rebuild: no words in %s/oai/arxivraw-sample\n", BZPEER_FIXTURES);
    return 66;
  }
  const auto docs = make_corpus(works, words, seed);
  std::size_t indexed_words = 0;
  for (const auto& d : docs) {
    for (const std::string* t : {&d.title, &d.abstract}) {
      indexed_words += static_cast<std::size_t>(std::count(t->begin(), t->end(), ' ')) + 1;
    }
    for (const auto& a : d.author_names) {
      indexed_words += static_cast<std::size_t>(std::count(a.begin(), a.end(), ' ')) + 1;
    }
  }
  std::printf("bench_rebuild: %zu works, %.0f words each (%zu sample words), %d runs each\n", works,
              static_cast<double>(indexed_words) / static_cast<double>(works), words.size(), runs);

  const fs::path base = fs::temp_directory_path() /
                        (std::string("bzpeer-bench-rebuild-") + std::to_string(::getpid()));
  std::vector<double> single_rates;
  std::vector<double> sharded_rates;
  unsigned sharded_writers = 0;
  std::uintmax_t build_bytes = 0;
  for (int run = 0; run < runs; ++run) {
    for (const bool baseline : {true, false}) {
      const unsigned n = baseline ? 1u : shards;
      const fs::path root =
          base / (std::string("run-") + std::to_string(run) + "-" + std::to_string(n));
      std::size_t next_doc = 0;
      auto stats = bzpeer::search::rebuild(
          root,
          [&](IndexDocument& out) {
            if (next_doc == docs.size()) return false;
            out = docs[next_doc++];
            return true;
          },
          bzpeer::search::RebuildOptions{.shards = n});
      if (!stats) {
        std::fprintf(stderr, "bench_rebuild: %s\n", stats.error().describe().c_str());
        return 74;
      }
      const double rate = static_cast<double>(stats->documents) / stats->seconds;
      std::printf("  run %d  %u writer%s  %7.2f s  %7.0f works/s\n", run + 1, stats->shards,
                  stats->shards == 1 ? " " : "s", stats->seconds, rate);
      (baseline ? single_rates : sharded_rates).push_back(rate);
      if (!baseline) {
        sharded_writers = stats->shards;
        build_bytes = tree_bytes(root);
      }
      std::error_code ec;
      fs::remove_all(root, ec);
    }
  }
  std::error_code ec;
  fs::remove_all(base, ec);

  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const double single = median(single_rates);
  const double sharded = median(sharded_rates);
  std::printf("median  1 writer (baseline): %7.0f works/s\n", single);
  std::printf("median  %u writers + compact: %7.0f works/s\n", sharded_writers, sharded);
  std::printf("ratio   sharded / baseline:  %7.2fx\n", sharded / single);
  std::printf("build   %.1f MB; peak RSS %.0f MB\n", static_cast<double>(build_bytes) / 1e6,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
