// bench_harvest: parse-and-store throughput of one recorded-size OAI-PMH page.
//   bench_harvest [records=2500] [runs=5]
// Builds a ListRecords page of `records` arXivRaw records (arXiv's page size) by repeating
// the 509 real records of tests/fixtures/oai/arxivraw-sample, renumbered (copy k > 0 gets
// arXiv ids 3k01.NNNNN and "Copy k:" in front of its title, so no two records are one work).
// Times, `runs` times each: (a) parse_oai_page of the page, (b) mapping every record to a
// Work serially (the baseline) and (c) in parallel with oneTBB as the harvester does, and
// (d) Store::apply_page of the mapped page into a fresh store (one transaction). Prints the
// medians in records per second, the parallel/serial speed-up, and the ratio of
// parse + parallel map + store to arXiv's 3 s request interval: below 1, harvesting a page
// takes less time than the politeness pause before the next one.
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "connectors/oai_pmh/oai_page.hpp"
#include "index/store/store.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replace_first(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

/// The page: every sample record, repeated and renumbered up to `count` records.
std::string build_page(std::size_t count) {
  std::vector<bzpeer::SourceRecord> sample;
  std::vector<fs::path> files;
  for (const auto& e :
       fs::directory_iterator(fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample")) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto page = bzpeer::oai::parse_oai_page(read_file(f), "arxiv", "arXivRaw");
    if (!page) {
      std::fprintf(stderr, "bench_harvest: %s: %s\n", f.c_str(), page.error().describe().c_str());
      std::exit(1);
    }
    for (auto& r : page->records) sample.push_back(std::move(r));
  }
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH "
      "xmlns=\"http://www.openarchives.org/OAI/2.0/\">\n<responseDate>2026-01-15T12:00:00Z"
      "</responseDate>\n<request verb=\"ListRecords\">https://oaipmh.arxiv.org/oai</request>\n"
      "<ListRecords>\n";
  for (std::size_t i = 0; i < count; ++i) {
    const auto& src = sample[i % sample.size()];
    const std::size_t copy = i / sample.size();
    std::string id = src.source_id.substr(src.source_id.rfind(':') + 1);
    std::string payload = src.payload;
    if (copy > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%zu01.%05zu", 30 + copy, i % sample.size() + 1);
      replace_first(payload, "<id>" + id + "</id>", std::string("<id>") + buf + "</id>");
      replace_first(payload, "<title>", "<title>Copy " + std::to_string(copy) + ": ");
      id = buf;
    }
    xml += "<record><header><identifier>oai:arXiv.org:" + xml_escape(id) +
           "</identifier><datestamp>" + src.datestamp + "</datestamp>";
    for (const auto& s : src.sets) xml += "<setSpec>" + xml_escape(s) + "</setSpec>";
    xml += "</header><metadata>" + payload + "</metadata></record>\n";
  }
  xml +=
      "<resumptionToken expirationDate=\"2026-01-16T00:00:00Z\">verb%3DListRecords%26skip%3D2500"
      "</resumptionToken>\n</ListRecords>\n</OAI-PMH>\n";
  return xml;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t records = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2500;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::string page = build_page(records);
  std::printf("bench_harvest: one ListRecords page of %zu arXivRaw records (%.1f MB), %d runs\n",
              records, static_cast<double>(page.size()) / 1e6, runs);

  std::vector<double> parse_s, serial_s, map_s, store_s;
  const fs::path root = fs::temp_directory_path() / ("bench-harvest-" + std::to_string(::getpid()));
  for (int run = 0; run < runs; ++run) {
    auto t = Clock::now();
    auto parsed = bzpeer::oai::parse_oai_page(page, "arxiv", "arXivRaw");
    parse_s.push_back(seconds_since(t));
    if (!parsed || parsed->records.size() != records) {
      std::fprintf(stderr, "bench_harvest: the page did not parse into %zu records\n", records);
      return 1;
    }

    std::vector<bzpeer::Result<bzpeer::Work>> serial;
    serial.reserve(records);
    t = Clock::now();
    for (const auto& r : parsed->records) serial.push_back(bzpeer::parse::map_record(r));
    serial_s.push_back(seconds_since(t));

    std::vector<bzpeer::store::MappedRecord> mapped(records);
    t = Clock::now();
    tbb::parallel_for(std::size_t{0}, records, [&](std::size_t i) {
      mapped[i].record = parsed->records[i];
      mapped[i].work = bzpeer::parse::map_record(mapped[i].record);
    });
    map_s.push_back(seconds_since(t));
    const auto failed =
        std::count_if(mapped.begin(), mapped.end(), [](const auto& m) { return !m.work; });

    const fs::path dir = root / std::to_string(run);
    auto store = bzpeer::store::Store::open(dir, bzpeer::store::OpenMode::read_write);
    if (!store) {
      std::fprintf(stderr, "bench_harvest: %s\n", store.error().describe().c_str());
      return 1;
    }
    bzpeer::store::Checkpoint next;
    next.source = "arxiv";
    next.format = "arXivRaw";
    next.token = "verb%3DListRecords%26skip%3D2500";
    next.pages = 1;
    t = Clock::now();
    auto counts = store->apply_page(mapped, next);
    store_s.push_back(seconds_since(t));
    if (!counts || counts->added + counts->quarantined + counts->updated !=
                       static_cast<std::int64_t>(records)) {
      std::fprintf(stderr, "bench_harvest: apply_page: %s\n",
                   counts ? "unexpected counts" : counts.error().describe().c_str());
      return 1;
    }
    if (run == 0) {
      std::printf(
          "  stored: %lld added, %lld updated (merged by the work matcher), %lld quarantined (%lld "
          "mapping failures)\n",
          static_cast<long long>(counts->added), static_cast<long long>(counts->updated),
          static_cast<long long>(counts->quarantined), static_cast<long long>(failed));
    }
  }
  std::error_code ec;
  fs::remove_all(root, ec);

  const double n = static_cast<double>(records);
  const double p = median(parse_s), s = median(serial_s), m = median(map_s), st = median(store_s);
  std::printf("  (a) parse_oai_page         %9.0f records/s  (median %.3f s)\n", n / p, p);
  std::printf("  (b) map, serial (baseline) %9.0f records/s  (median %.3f s)\n", n / s, s);
  std::printf("  (c) map, parallel (oneTBB) %9.0f records/s  (median %.3f s)  %.2fx the baseline\n",
              n / m, m, s / m);
  std::printf("  (d) Store::apply_page      %9.0f records/s  (median %.3f s)\n", n / st, st);
  const double total = p + m + st;
  std::printf("  parse + map + store        %9.0f records/s  (%.3f s per page)\n", n / total,
              total);
  std::printf("  ratio to arXiv's 3 s request interval: %.3f (%s)\n", total / 3.0,
              total < 3.0 ? "harvesting is not the bottleneck" : "harvesting IS the bottleneck");
  return 0;
}
