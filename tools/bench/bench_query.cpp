// bench_query: search latency for a fixed mix of queries, p50 and p99 per kind and overall.
//   bench_query INDEX_DIR [rounds=200] [seed=7] [time_limit_ms=2000]   an existing index
//   bench_query --works N [rounds=200] [seed=7] [time_limit_ms=2000]   first builds an index
//                                                    of N generated
//                                                    works (bench_corpus.hpp) in a temp dir
//   bench_query --works N --keep DIR [...]           builds it in DIR instead and keeps it,
//                                                    for later runs of bench_query DIR
//   --only KIND (either form)                        runs one kind only (for profiling)
// The queries are drawn from the index itself, so any index will do: sample works spread
// over the whole index give title words, author family names, categories and years;
// candidate words are kept when they match between 0.1% and 20% of the works. Each round
// runs one query of every kind, each kind with its own rotating set of 50 queries:
//   free      two words                           ("planet transit")
//   phrase    two adjacent title words, quoted    ("\"transit timing\"")
//   field     title:word or author:family name
//   range     a word with year:A..B
//   filter    a word with a category filter (SearchRequest::categories)
//   facets    a word with the four facets (every match is counted)
//   newest    a word, sorted by date, newest first
// every one a page of 10 hits with snippets, through search::IndexReader as the CLI and the
// HTTP API use it (time limit as given, default SearchRequest's). One warm-up round is not
// measured (its times are printed: the first facets query loads the reader's facet table).
// Prints p50, p99 and max per kind and overall (wall clock; also p50 and p99 of the querying
// thread's CPU time, which a busy machine does not inflate), the peak resident memory of the
// querying process (the index build, in --works mode, runs in a child process) and the load
// average.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "index/search/search_index.hpp"
#include "tools/bench/bench_corpus.hpp"

namespace {

namespace fs = std::filesystem;
using bzpeer::search::IndexReader;
using bzpeer::search::SearchRequest;

struct Kind {
  std::string name;
  std::vector<SearchRequest> requests;
  std::vector<double> ms;      ///< wall clock
  std::vector<double> cpu_ms;  ///< this thread's CPU time: what the query costs, however
                               ///< busy the machine is
  double first_ms = 0;         ///< the unmeasured warm-up query (loads what the kind caches)
};

double thread_cpu_ms() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(rank, v.size() - 1)];
}

/// Lower-case words of at least four letters (no digits, no TeX), in order.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  bool clean = true;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word.push_back(static_cast<char>(c | 0x20));
    } else if (c == ' ' || c == ',' || c == '.' || c == ';' || c == ':') {
      if (clean && word.size() >= 4) out.push_back(word);
      if (!clean || word.size() < 4) out.push_back("");  // keeps adjacency honest
      word.clear();
      clean = true;
    } else {
      clean = false;
    }
  }
  return out;
}

/// Builds an index of `works` generated works under `root` in a child process, so the
/// building does not count in this process's peak memory. Returns false on failure.
bool build_index(const fs::path& root, std::size_t works, std::uint64_t seed) {
  const pid_t child = ::fork();
  if (child < 0) return false;
  if (child == 0) {
    const auto words =
        bzpeer::bench::sample_words(fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample");
    const auto docs = bzpeer::bench::make_corpus(works, words, seed);
    std::size_t next = 0;
    auto stats = bzpeer::search::rebuild(root, [&](bzpeer::search::IndexDocument& out) {
      if (next == docs.size()) return false;
      out = docs[next++];
      return true;
    });
    if (!stats) {
      std::fprintf(stderr, "bench_query: %s\n", stats.error().describe().c_str());
      std::_Exit(1);
    }
    std::printf("built %llu works in %.1f s (%u writers)\n",
                static_cast<unsigned long long>(stats->documents), stats->seconds, stats->shards);
    std::fflush(stdout);
    std::_Exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up even when redirected
  std::vector<std::string> args(argv + 1, argv + argc);
  // Options with a value, anywhere: --keep DIR, --only KIND.
  const auto option = [&](std::string_view name) {
    std::string value;
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == name) {
        value = args[i + 1];
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                   args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
        break;
      }
    }
    return value;
  };
  const fs::path keep = option("--keep");
  const std::string only = option("--only");
  std::size_t generate = 0;
  if (!args.empty() && args[0] == "--works") {
    if (args.size() < 2) args.clear();
    generate = args.empty() ? 0 : std::strtoull(args[1].c_str(), nullptr, 10);
    if (generate == 0)
      args.clear();
    else
      args.erase(args.begin());  // args[0] is now N, standing in for INDEX_DIR
  }
  if (args.empty()) {
    std::fprintf(stderr,
                 "usage: bench_query [--only KIND] INDEX_DIR [rounds=200] [seed=7] "
                 "[time_limit_ms=2000]\n"
                 "       bench_query --works N [--keep DIR] [rounds=200] [seed=7] "
                 "[time_limit_ms=2000]\n");
    return 64;
  }
  const int rounds = args.size() > 1 ? std::atoi(args[1].c_str()) : 200;
  const std::uint64_t seed = args.size() > 2 ? std::strtoull(args[2].c_str(), nullptr, 10) : 7;
  const auto time_limit_ms =
      args.size() > 3 ? static_cast<std::uint32_t>(std::strtoul(args[3].c_str(), nullptr, 10))
                      : bzpeer::search::kDefaultTimeLimitMs;
  if (rounds < 1) {
    std::fprintf(stderr, "bench_query: rounds must be at least 1\n");
    return 64;
  }

  fs::path root;
  fs::path scratch;
  if (generate > 0) {
    if (!keep.empty()) {
      std::error_code ec;
      if (fs::exists(keep, ec)) {
        std::fprintf(stderr, "bench_query: --keep %s: it exists already; give a new directory\n",
                     keep.string().c_str());
        return 64;
      }
      root = keep;
    } else {
      scratch = fs::temp_directory_path() /
                (std::string("bzpeer-bench-query-") + std::to_string(::getpid()));
      root = scratch / "index";
    }
    if (!build_index(root, generate, seed)) {
      std::error_code ec;
      if (!scratch.empty()) fs::remove_all(scratch, ec);
      std::fprintf(stderr, "bench_query: building the index failed\n");
      return 74;
    }
  } else {
    root = args[0];
  }
  const auto cleanup = [&] {
    std::error_code ec;
    if (!scratch.empty()) fs::remove_all(scratch, ec);
  };

  auto reader = IndexReader::open(root);
  if (!reader) {
    std::fprintf(stderr, "bench_query: %s\n", reader.error().describe().c_str());
    cleanup();
    return 66;
  }
  const std::uint64_t documents = reader->document_count();
  if (documents == 0) {
    std::fprintf(stderr, "bench_query: the index at %s is empty\n", root.string().c_str());
    cleanup();
    return 66;
  }

  // Sample works spread over the index for words, names, categories and years.
  std::mt19937_64 rng(seed);
  std::vector<std::string> candidates;
  std::vector<std::pair<std::string, std::string>> pairs;  // adjacent title words
  std::vector<std::string> families;
  std::vector<std::string> categories;
  std::vector<int> years;
  constexpr std::uint64_t kSamples = 200;
  for (std::uint64_t i = 0; i < kSamples; ++i) {
    SearchRequest all;
    all.offset = static_cast<std::size_t>(i * documents / kSamples);
    all.limit = 1;
    all.suggest_below = 0;
    auto page = reader->search(all);
    if (!page || page->hits.empty()) continue;
    const auto& hit = page->hits[0];
    const auto title = words_of(hit.title);
    for (std::size_t w = 0; w < title.size(); ++w) {
      if (title[w].empty()) continue;
      candidates.push_back(title[w]);
      if (w + 1 < title.size() && !title[w + 1].empty()) pairs.emplace_back(title[w], title[w + 1]);
    }
    for (const auto& w : words_of(hit.snippet)) {
      if (!w.empty()) candidates.push_back(w);
    }
    for (const auto& name : hit.authors) {
      const auto space = name.rfind(' ');
      const std::string family = space == std::string::npos ? name : name.substr(space + 1);
      if (family.size() >= 3 && family.find_first_of("\"():*") == std::string::npos) {
        families.push_back(family);
      }
    }
    for (const auto& c : hit.categories) categories.push_back(c);
    if (hit.year > 0) years.push_back(hit.year);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::shuffle(candidates.begin(), candidates.end(), rng);
  // Keep words of useful selectivity: between 0.1% and 20% of the works.
  std::vector<std::string> words;
  for (const auto& w : candidates) {
    if (words.size() == 100) break;
    SearchRequest probe;
    probe.query = w;
    probe.limit = 0;
    probe.suggest_below = 0;
    auto r = reader->search(probe);
    if (!r) continue;
    const double share = static_cast<double>(r->total_estimate) / static_cast<double>(documents);
    if (share >= 0.001 && share <= 0.2) words.push_back(w);
  }
  if (words.size() < 2 || pairs.empty() || families.empty() || categories.empty() ||
      years.empty()) {
    std::fprintf(stderr, "bench_query: the index at %s is too small to draw queries from\n",
                 root.string().c_str());
    cleanup();
    return 66;
  }
  std::sort(years.begin(), years.end());
  const auto pick = [&](const auto& v) -> const auto& {
    return v[rng() % v.size()];
  };

  constexpr int kPerKind = 50;
  std::vector<Kind> kinds;
  const auto add = [&](std::string name, auto make) {
    Kind k;
    k.name = std::move(name);
    for (int i = 0; i < kPerKind; ++i) {
      SearchRequest r;
      r.time_limit_ms = time_limit_ms;
      make(r);
      k.requests.push_back(std::move(r));
    }
    kinds.push_back(std::move(k));
  };
  add("free", [&](SearchRequest& r) { r.query = pick(words) + " " + pick(words); });
  add("phrase", [&](SearchRequest& r) {
    const auto& [a, b] = pick(pairs);
    r.query = "\"" + a + " " + b + "\"";
  });
  int field_turn = 0;
  add("field", [&](SearchRequest& r) {
    r.query = (field_turn++ % 2 == 0) ? "title:" + pick(words) : "author:" + pick(families);
  });
  add("range", [&](SearchRequest& r) {
    const int from = pick(years);
    r.query = pick(words) + " year:" + std::to_string(from) + ".." + std::to_string(from + 3);
  });
  add("filter", [&](SearchRequest& r) {
    r.query = pick(words);
    r.categories = {pick(categories)};
  });
  add("facets", [&](SearchRequest& r) {
    r.query = pick(words);
    r.facets = true;
  });
  add("newest", [&](SearchRequest& r) {
    r.query = pick(words);
    r.sort = bzpeer::search::SortOrder::newest;
  });

  if (!only.empty()) {
    std::erase_if(kinds, [&](const Kind& k) { return k.name != only; });
    if (kinds.empty()) {
      std::fprintf(stderr, "bench_query: --only %s: no such kind\n", only.c_str());
      cleanup();
      return 64;
    }
  }
  std::printf(
      "bench_query: %s, %llu works, %d rounds of %zu kinds (+1 warm-up round), %zu words, "
      "time limit %u ms\n",
      generate > 0 ? "generated index" : root.string().c_str(),
      static_cast<unsigned long long>(documents), rounds, kinds.size(), words.size(),
      time_limit_ms);
  std::uint64_t failures = 0;
  std::uint64_t truncated = 0;
  std::vector<double> all_ms;
  std::vector<double> all_cpu_ms;
  for (int round = -1; round < rounds; ++round) {
    for (auto& kind : kinds) {
      const SearchRequest& request =
          kind.requests[static_cast<std::size_t>(round + 1) % kind.requests.size()];
      const double cpu_started = thread_cpu_ms();
      const auto started = std::chrono::steady_clock::now();
      auto response = reader->search(request);
      const double cpu_ms = thread_cpu_ms() - cpu_started;
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      if (!response) {
        if (++failures == 1) {
          std::fprintf(stderr, "bench_query: %s: %s\n", request.query.c_str(),
                       response.error().describe().c_str());
        }
        continue;
      }
      if (response->truncated) ++truncated;
      if (round < 0) {  // warm-up
        kind.first_ms = ms;
        continue;
      }
      kind.ms.push_back(ms);
      kind.cpu_ms.push_back(cpu_ms);
      all_ms.push_back(ms);
      all_cpu_ms.push_back(cpu_ms);
    }
  }
  std::printf("%-8s %8s %8s %8s   %8s %8s\n", "kind", "p50 ms", "p99 ms", "max ms", "cpu p50",
              "cpu p99");
  const auto row = [](const char* name, const std::vector<double>& wall,
                      const std::vector<double>& cpu) {
    std::printf("%-8s %8.2f %8.2f %8.2f   %8.2f %8.2f\n", name, percentile(wall, 50),
                percentile(wall, 99), percentile(wall, 100), percentile(cpu, 50),
                percentile(cpu, 99));
  };
  for (const auto& kind : kinds) row(kind.name.c_str(), kind.ms, kind.cpu_ms);
  row("overall", all_ms, all_cpu_ms);
  std::printf("warm-up (first query of each kind, not counted):");
  for (const auto& kind : kinds) std::printf(" %s %.2f ms", kind.name.c_str(), kind.first_ms);
  std::printf("\n");
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  double load[3] = {0, 0, 0};
  const int loads = ::getloadavg(load, 3);
  std::printf("queries %zu, failed %llu, truncated by the time limit %llu; peak RSS %.0f MB\n",
              all_ms.size(), static_cast<unsigned long long>(failures),
              static_cast<unsigned long long>(truncated),
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  if (loads == 3) std::printf("load    %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  cleanup();
  return failures == 0 ? 0 : 1;
}
