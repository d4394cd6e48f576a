// bench_rebuild: full index rebuild throughput, one writer against parallel shards.
//   bench_rebuild [works=20000] [runs=3] [shards=0] [seed=7] [scriptindex=/usr/bin/scriptindex]
//                 [single=1] [part=0]
// Generates `works` synthetic IndexDocuments whose words are drawn from the titles and
// abstracts of the bundled arXiv sample (tests/fixtures/oai/arxivraw-sample), with a few
// per cent of words altered into rare ones so the vocabulary has a long tail like a real
// corpus. A work has about 12 title words, 190 abstract words and 6 authors: about 430
// words indexed (each also under its field prefix), as in DESIGN.md's measurements.
// Each run indexes the same works three ways, one after the other:
//   scriptindex   Xapian's own indexer (xapian-omega, /usr/bin/scriptindex), the baseline,
//                 reading the same works from a dump file with an index script that
//                 mirrors our schema (schema.hpp): title (weight 3), abstract and authors,
//                 each with positions, prefixed and unprefixed, gaps between fields,
//                 spelling data from title and abstract, the same boolean terms and values,
//                 English stemmer, and the shown fields stored as document data. It stems
//                 with Xapian's default STEM_SOME (scriptindex has no other strategy), so
//                 it also writes the Z-prefixed stems that our STEM_ALL does not.
//   1 writer      search::rebuild with one shard (skipped with single=0: at 200,000 works
//                 it takes longer than the other two together)
//   N writers     search::rebuild with `shards` shards (0 = one per hardware thread),
//                 each writing parts of `part` works (0 = the library's default),
//                 merged by compaction
// and prints the medians in works per second, the ratios to scriptindex, the size of the
// last build, the peak resident memory of this process and the load average. The time
// of scriptindex includes starting the process and parsing the dump file; the time of a
// rebuild includes copying the documents out of memory, verification and the swap. For
// each rebuild it also prints where the time went (RebuildStats::phases) and the rate of
// each tenth of the works, which shows whether indexing slows down as the build grows.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
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
#include "tools/bench/bench_corpus.hpp"

namespace {

namespace fs = std::filesystem;
using bzpeer::bench::make_corpus;
using bzpeer::bench::sample_words;
using bzpeer::search::IndexDocument;

/// The index script for scriptindex: our schema (schema.hpp) in scriptindex's words.
constexpr const char* kIndexScript =
    "id : boolean=Q unique=Q\n"
    "title : field=title weight=3 index=S gap spell index gap\n"
    "abstract : field=abstract index=\"XAB:\" gap spell index gap\n"
    "author : field=author index=A gap index gap\n"
    "category : field=category lower boolean=\"XCAT:\"\n"
    "doi : lower boolean=\"XDOI:\"\n"
    "arxiv : field=arxiv lower boolean=\"XARXIV:\"\n"
    "type : field=type lower boolean=\"XTYPE:\" value=3\n"
    "topic : index=K gap lower boolean=\"XTOPIC:\"\n"
    "source : lower boolean=\"XSRC:\"\n"
    "year : field=year boolean=\"XY:\" valuenumeric=1\n"
    "date : field=date value=0\n";

/// Writes the works as a scriptindex dump file: "name=value" lines, one blank line after
/// each record. The generated texts hold no newlines, so no value needs escaping.
bool write_dump(const fs::path& path, const std::vector<IndexDocument>& docs) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto& d : docs) {
    out << "id=" << d.work_id << "\ntitle=" << d.title << "\nabstract=" << d.abstract << '\n';
    for (const auto& a : d.author_names) out << "author=" << a << '\n';
    for (const auto& c : d.categories) out << "category=" << c << '\n';
    for (const auto& doi : d.dois) out << "doi=" << doi << '\n';
    for (const auto& t : d.topics) out << "topic=" << t << '\n';
    for (const auto& src : d.sources) out << "source=" << src << '\n';
    out << "arxiv=" << d.arxiv_id << "\ntype=" << d.type << "\nyear=" << d.year
        << "\ndate=" << d.date << "\n\n";
  }
  return static_cast<bool>(out);
}

/// Runs scriptindex into a new database at `db`; returns the seconds taken, or a negative
/// number when it failed.
double run_scriptindex(const std::string& program, const fs::path& db, const fs::path& script,
                       const fs::path& dump) {
  const std::string command = program + " --overwrite --stemmer=english '" + db.string() + "' '" +
                              script.string() + "' '" + dump.string() + "' >/dev/null";
  const auto started = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return status == 0 ? seconds : -1;
}

std::uintmax_t tree_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

/// User and system CPU time of this process so far (all threads).
double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show up even when redirected
  const std::size_t works = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const unsigned shards = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 0;
  const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 7;
  const std::string scriptindex = argc > 5 ? argv[5] : "/usr/bin/scriptindex";
  const bool with_single = argc > 6 ? std::atoi(argv[6]) != 0 : true;
  const std::uint64_t part = argc > 7 ? std::strtoull(argv[7], nullptr, 10) : 0;
  if (works == 0 || runs < 1) {
    std::fprintf(stderr,
                 "usage: bench_rebuild [works=20000] [runs=3] [shards=0] [seed=7] "
                 "[scriptindex=/usr/bin/scriptindex] [single=1] [part=0]\n");
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
  std::error_code ec;
  fs::create_directories(base, ec);
  const fs::path script = base / "works.script";
  const fs::path dump = base / "works.dump";
  std::ofstream(script) << kIndexScript;
  if (!write_dump(dump, docs)) {
    std::fprintf(stderr, "bench_rebuild: cannot write %s\n", dump.string().c_str());
    return 74;
  }
  std::vector<double> scriptindex_rates;
  std::vector<double> single_rates;
  std::vector<double> sharded_rates;
  unsigned sharded_writers = 0;
  std::uintmax_t build_bytes = 0;
  std::uintmax_t scriptindex_bytes = 0;
  for (int run = 0; run < runs; ++run) {
    const fs::path db = base / ("scriptindex-" + std::to_string(run));
    const double seconds = run_scriptindex(scriptindex, db, script, dump);
    if (seconds < 0) {
      std::fprintf(stderr, "bench_rebuild: %s failed (script %s)\n", scriptindex.c_str(),
                   script.string().c_str());
      return 74;
    }
    const double scripted = static_cast<double>(works) / seconds;
    std::printf("  run %d  scriptindex %7.2f s  %7.0f works/s\n", run + 1, seconds, scripted);
    scriptindex_rates.push_back(scripted);
    scriptindex_bytes = tree_bytes(db);
    fs::remove_all(db, ec);
    for (const bool baseline : {true, false}) {
      if (baseline && !with_single) continue;
      const unsigned n = baseline ? 1u : shards;
      const fs::path root =
          base / (std::string("run-") + std::to_string(run) + "-" + std::to_string(n));
      std::size_t next_doc = 0;
      // The rate of each tenth of the works as they are handed over (with shards the
      // feeder runs at most a queue ahead of the writers), to see whether indexing slows
      // down as the build grows.
      const std::size_t tenth = std::max<std::size_t>(docs.size() / 10, 1);
      const auto fed_from = std::chrono::steady_clock::now();
      auto tenth_from = fed_from;
      std::string curve;
      const double cpu_from = cpu_seconds();
      auto stats = bzpeer::search::rebuild(
          root,
          [&](IndexDocument& out) {
            if (next_doc == docs.size()) return false;
            out = docs[next_doc++];
            if (next_doc % tenth == 0) {
              const auto now = std::chrono::steady_clock::now();
              const double s = std::chrono::duration<double>(now - tenth_from).count();
              curve += ' ' + std::to_string(static_cast<long>(static_cast<double>(tenth) / s));
              tenth_from = now;
            }
            return true;
          },
          bzpeer::search::RebuildOptions{.shards = n, .part_documents = part});
      if (!stats) {
        std::fprintf(stderr, "bench_rebuild: %s\n", stats.error().describe().c_str());
        return 74;
      }
      const double rate = static_cast<double>(stats->documents) / stats->seconds;
      const double cpu = cpu_seconds() - cpu_from;
      const auto& ph = stats->phases;
      std::printf(
          "  run %d  %u writer%s   %7.2f s  %7.0f works/s  %.1f CPU s  (feed %.2f, write %.2f, "
          "spelling %.2f, "
          "compact %.2f, sync %.2f, verify %.2f, swap %.2f s; works/s by tenth:%s)\n",
          run + 1, stats->shards, stats->shards == 1 ? " " : "s", stats->seconds, rate, cpu,
          ph.feed, ph.write, ph.spelling, ph.compact, ph.sync, ph.verify, ph.swap, curve.c_str());
      (baseline ? single_rates : sharded_rates).push_back(rate);
      if (!baseline) {
        sharded_writers = stats->shards;
        build_bytes = tree_bytes(root);
      }
      fs::remove_all(root, ec);
    }
  }
  fs::remove_all(base, ec);

  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  double load[3] = {0, 0, 0};
  const int loads = ::getloadavg(load, 3);
  const double scripted = median(scriptindex_rates);
  const double single = with_single ? median(single_rates) : 0;
  const double sharded = median(sharded_rates);
  std::printf("median  scriptindex (baseline):  %7.0f works/s\n", scripted);
  if (with_single) {
    std::printf("median  1 writer:                %7.0f works/s  %5.2fx scriptindex\n", single,
                single / scripted);
    std::printf(
        "median  %u writers + compact:     %7.0f works/s  %5.2fx scriptindex  %5.2fx 1 writer\n",
        sharded_writers, sharded, sharded / scripted, sharded / single);
  } else {
    std::printf("median  %u writers + compact:     %7.0f works/s  %5.2fx scriptindex\n",
                sharded_writers, sharded, sharded / scripted);
  }
  std::printf("build   %.1f MB (scriptindex %.1f MB); peak RSS %.0f MB\n",
              static_cast<double>(build_bytes) / 1e6, static_cast<double>(scriptindex_bytes) / 1e6,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  if (loads == 3) std::printf("load    %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  return 0;
}
