// gen-corpus: writes a seeded synthetic corpus with known truth.
//   gen-corpus --works N --seed S --out DIR                 the small community world
//                                                           (arXivRaw pages + truth.tsv)
//   gen-corpus --shape arxiv --works N --seed S --out DIR   the arXiv-shaped benchmark
//       corpus: pages/, crossref/, snapshot.jsonl, truth.tsv, works-truth.tsv, and with
//       --update-fraction F --update-date YYYY-MM-DD an update/ set of new and changed
//       records (see arxiv_corpus.hpp)
#include <CLI/CLI.hpp>

#include <cstdio>

#include "tools/gen_corpus/arxiv_corpus.hpp"
#include "tools/gen_corpus/world.hpp"

int main(int argc, char** argv) {
  bzpeer::gen_corpus::WorldOptions options;
  bzpeer::gen_corpus::ArxivCorpusOptions arxiv;
  std::string out;
  std::string shape = "world";
  long works = options.works;
  bool no_snapshot = false, no_crossref = false;
  CLI::App app{"gen-corpus: a synthetic world of researchers as arXivRaw OAI-PMH pages + truth"};
  app.add_option("--shape", shape,
                 "world: the small community world of the tests (pages in DIR); arxiv: the "
                 "arXiv-shaped benchmark corpus (DIR/pages, DIR/crossref, DIR/snapshot.jsonl)")
      ->check(CLI::IsMember({"world", "arxiv"}))
      ->capture_default_str();
  app.add_option("--works", works, "number of works")->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "random seed");
  app.add_option("--communities", options.communities, "co-author communities (world)")
      ->check(CLI::PositiveNumber);
  app.add_option("--persons-per-community", options.persons_per_community,
                 "persons in each community (world)")
      ->check(CLI::Range(2, 1000));
  app.add_option("--per-page", options.per_page, "records per page file")
      ->check(CLI::PositiveNumber);
  app.add_option("--crossref-rows", arxiv.crossref_rows, "items per Crossref page (arxiv)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--update-fraction", arxiv.update_fraction,
                 "also write DIR/update: this fraction of N as records dated --update-date, "
                 "half new works, half changed ones (arxiv)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--update-date", arxiv.update_date, "datestamp of the update set, YYYY-MM-DD");
  app.add_flag("--no-snapshot", no_snapshot, "do not write snapshot.jsonl (arxiv)");
  app.add_flag("--no-crossref", no_crossref, "do not write crossref/ (arxiv)");
  app.add_option("--out", out, "output directory")->required();
  CLI11_PARSE(app, argc, argv);

  if (shape == "arxiv") {
    arxiv.seed = options.seed;
    arxiv.works = works;
    arxiv.per_page = app.count("--per-page") ? options.per_page : arxiv.per_page;
    arxiv.snapshot = !no_snapshot;
    arxiv.crossref = !no_crossref;
    if (arxiv.update_fraction > 0 && !bzpeer::gen_corpus::valid_date(arxiv.update_date)) {
      std::fprintf(stderr,
                   "gen-corpus: --update-fraction needs --update-date YYYY-MM-DD, got \"%s\"\n",
                   arxiv.update_date.c_str());
      return 2;
    }
    bzpeer::gen_corpus::ArxivCorpusCounts counts;
    if (!bzpeer::gen_corpus::write_arxiv_corpus(arxiv, out, counts)) return 74;
    std::printf(
        "gen-corpus: %ld works, %ld persons, %ld mentions, %ld crossref items, update %ld new + "
        "%ld changed in %s\n",
        counts.works, counts.persons, counts.mentions, counts.crossref_items, counts.update_new,
        counts.update_changed, out.c_str());
    return 0;
  }
  if (works > 10'000'000) {
    std::fprintf(stderr, "gen-corpus: --works %ld is too many for the world shape\n", works);
    return 2;
  }
  options.works = static_cast<int>(works);
  const auto world = bzpeer::gen_corpus::make_world(options);
  if (!bzpeer::gen_corpus::write_world(world, options, out)) {
    std::fprintf(stderr, "gen-corpus: cannot write %s\n", out.c_str());
    return 74;
  }
  std::size_t mentions = 0;
  for (const auto& w : world.works) mentions += w.authors.size();
  std::printf("gen-corpus: %zu works, %zu persons, %zu mentions in %s\n", world.works.size(),
              world.persons.size(), mentions, out.c_str());
  return 0;
}
