// gen-corpus: writes a seeded synthetic world as arXivRaw OAI-PMH pages plus truth.tsv.
//   gen-corpus --works N --seed S --out DIR
#include <CLI/CLI.hpp>

#include <cstdio>

#include "tools/gen_corpus/world.hpp"

int main(int argc, char** argv) {
  bzpeer::gen_corpus::WorldOptions options;
  std::string out;
  CLI::App app{
      "gen-corpus: a synthetic world of researchers as arXivRaw OAI-PMH pages + truth.tsv"};
  app.add_option("--works", options.works, "number of works")->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "random seed");
  app.add_option("--communities", options.communities, "co-author communities")
      ->check(CLI::PositiveNumber);
  app.add_option("--persons-per-community", options.persons_per_community,
                 "persons in each community")
      ->check(CLI::Range(2, 1000));
  app.add_option("--per-page", options.per_page, "records per page file")
      ->check(CLI::PositiveNumber);
  app.add_option("--out", out, "output directory")->required();
  CLI11_PARSE(app, argc, argv);
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
