// bzpeer — the `eval` verb: score work dedup, author disambiguation and keyphrases on
// labelled sets. Needs no config and no store.
#include <memory>

#include "tools/bzpeer/eval.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct EvalArgs {
  std::string format;
  std::string dir;
};

const VerbRegistration kEval{
    {"eval", 80, [](CLI::App& app) {
       auto* cmd = app.add_subcommand("eval", "score bzpeer's entity resolution on labelled sets");
       cmd->require_subcommand(1);
       auto works = std::make_shared<EvalArgs>();
       auto* w = cmd->add_subcommand("works", "work deduplication: pair precision, recall, F1");
       w->add_option("--format", works->format, "dblp-acm|bib-dedupe")
           ->required()
           ->check(CLI::IsMember({"dblp-acm", "bib-dedupe"}));
       w->add_option("dir", works->dir, "folder laid out like the labelled set")->required();
       auto authors = std::make_shared<EvalArgs>();
       auto* a = cmd->add_subcommand("authors", "author disambiguation: B3 precision, recall, F1");
       a->add_option("--format", authors->format, "andez|inspire|s2and")
           ->required()
           ->check(CLI::IsMember({"andez", "inspire", "s2and"}));
       a->add_option("dir", authors->dir, "folder laid out like the labelled set")->required();
       auto topics = std::make_shared<EvalArgs>();
       auto* t = cmd->add_subcommand("topics", "keyphrases: F1@5 and F1@10 (Porter-stemmed)");
       t->add_option("--format", topics->format, "inspec|caragea")
           ->required()
           ->check(CLI::IsMember({"inspec", "caragea"}));
       t->add_option("dir", topics->dir, "folder laid out like the labelled set")->required();
       w->footer(
           "Examples:\n"
           "  bzpeer eval works --format dblp-acm ../shared/data/eval/dblp-acm-leipzig\n"
           "  bzpeer eval works --format bib-dedupe ../shared/data/eval/bib-dedupe/digital_work");
       a->footer(
           "Examples:\n"
           "  bzpeer eval authors --format andez ../shared/data/eval/andez-orcid-medline\n"
           "  bzpeer eval authors --format inspire ../shared/data/eval/inspire-hep-wang");
       t->footer(
           "Examples:\n"
           "  bzpeer eval topics --format inspec ../shared/data/eval/inspec-hulth2003/Validation\n"
           "  bzpeer eval topics --format caragea ../shared/data/eval/caragea2014-kdd-www/www");
       cmd->footer(
           "Needs no config and no store.\n"
           "Examples:\n"
           "  bzpeer eval works --format dblp-acm ../shared/data/eval/dblp-acm-leipzig\n"
           "  bzpeer eval authors --format andez ../shared/data/eval/andez-orcid-medline");
       return [=](const Context&) {
         if (w->parsed()) return eval_works(works->format, works->dir);
         if (a->parsed()) return eval_authors(authors->format, authors->dir);
         return eval_topics(topics->format, topics->dir);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
