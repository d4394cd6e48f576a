// bench_snapshot: the arXiv bulk-snapshot reader (connector + mapper), lines per second
// and peak memory.
//   bench_snapshot [lines=200000] [runs=3] [lines_per_page=1000]
// Generates a JSON Lines file of `lines` lines from the shapes of the 150 real Kaggle
// lines in tests/fixtures/snapshot (each real line repeated with a fresh arXiv id), then,
// `runs` times each, measures
//   - the baseline: std::getline over the file (no JSON at all);
//   - the connector: SnapshotConnector pages (every line validated by simdjson);
//   - connector + mapper: every record mapped to a Work (On-Demand), one thread;
// and prints the medians in lines per second with their ratios to the baseline. Peak
// resident memory (getrusage) is printed after a run over a quarter of the file and
// after the whole file: it must not grow with the file.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/arxiv_snapshot/snapshot_connector.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/// Writes `count` lines: the real lines in turn, each with a new id "YYMM.NNNNN".
void generate(const fs::path& out_path, const std::vector<std::string>& real, long count) {
  std::ofstream out(out_path, std::ios::binary);
  const std::string key = "{\"id\":\"";
  for (long i = 0; i < count; ++i) {
    const std::string& line = real[static_cast<std::size_t>(i) % real.size()];
    const auto end = line.find('"', key.size());
    char id[32];
    std::snprintf(id, sizeof id, "%04ld.%05ld", 1501 + i / 99999, 1 + i % 99999);
    out << key << id << line.substr(end) << '\n';
  }
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double baseline(const fs::path& file, long& lines) {
  const auto start = Clock::now();
  std::ifstream in(file, std::ios::binary);
  lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return seconds_since(start);
}

/// Streams the file through the connector (and the mapper when `map`); returns seconds.
double stream(const fs::path& file, int per_page, bool map, long& lines, long& failed) {
  const auto start = Clock::now();
  bzpeer::snapshot::SnapshotConnectorOptions options;
  options.path = file;
  options.source_name = "bench";
  options.lines_per_page = per_page;
  bzpeer::snapshot::SnapshotConnector connector(options);
  std::string state;
  lines = failed = 0;
  while (true) {
    auto page = connector.next_page(state);
    if (!page) {
      std::fprintf(stderr, "bench_snapshot: %s\n", page.error().describe().c_str());
      std::exit(1);
    }
    lines += static_cast<long>(page->records.size());
    if (map) {
      for (const auto& r : page->records) failed += bzpeer::parse::map_record(r) ? 0 : 1;
    }
    if (page->last) break;
    state = page->next_state;
  }
  return seconds_since(start);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const long lines = argc > 1 ? std::atol(argv[1]) : 200000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const int per_page = argc > 3 ? std::atoi(argv[3]) : 1000;
  if (lines < 4 || runs < 1 || per_page < 1) {
    std::fprintf(stderr, "usage: bench_snapshot [lines>=4] [runs>=1] [lines_per_page>=1]\n");
    return 64;
  }
  std::vector<std::string> real;
  {
    std::ifstream in(fs::path(BZPEER_FIXTURES) /
                     "snapshot/arxiv-metadata-oai-snapshot_head_0704.0001-0704.0150.jsonl");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) real.push_back(line);
    }
  }
  if (real.empty()) {
    std::fprintf(stderr, "bench_snapshot: the fixture lines are missing\n");
    return 66;
  }
  const fs::path dir =
      fs::temp_directory_path() / ("bzpeer-bench-snapshot-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path quarter = dir / "quarter.jsonl";
  const fs::path full = dir / "full.jsonl";
  generate(quarter, real, lines / 4);
  generate(full, real, lines);
  std::printf("file: %ld lines, %.1f MB (from %zu real lines)\n", lines,
              static_cast<double>(fs::file_size(full)) / 1e6, real.size());

  long n = 0, failed = 0;
  (void)stream(quarter, per_page, true, n, failed);
  const long rss_quarter = peak_rss_kb();

  std::vector<double> base, conn, mapped;
  for (int i = 0; i < runs; ++i) {
    base.push_back(static_cast<double>(lines) / baseline(full, n));
    conn.push_back(static_cast<double>(lines) / stream(full, per_page, false, n, failed));
    if (n != lines) std::fprintf(stderr, "bench_snapshot: read %ld of %ld lines\n", n, lines);
    mapped.push_back(static_cast<double>(lines) / stream(full, per_page, true, n, failed));
    if (failed != 0) std::fprintf(stderr, "bench_snapshot: %ld lines failed to map\n", failed);
  }
  const long rss_full = peak_rss_kb();
  const double b = median(base), c = median(conn), m = median(mapped);
  std::printf("baseline getline:     %10.0f lines/s (median of %d)\n", b, runs);
  std::printf("connector:            %10.0f lines/s  ratio %.2f\n", c, c / b);
  std::printf("connector + mapper:   %10.0f lines/s  ratio %.2f (one thread)\n", m, m / b);
  std::printf("peak RSS: %.1f MB after %ld lines, %.1f MB after %ld lines\n", rss_quarter / 1024.0,
              lines / 4, rss_full / 1024.0, lines);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
