// bzpeer — the `export` verb: JSON Lines on stdout.
#include <cstdio>
#include <iostream>

#include "index/queries/export.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

int cmd_export(const Config& config, const std::string& what) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  Result<void> r;
  if (what == "works") {
    r = queries::export_works(*store, [](const queries::ExportWork& w) {
      JsonWriter j;
      j.begin_object()
          .field("work_id", w.work_id)
          .field("arxiv_id", w.arxiv_id)
          .field("dois", w.dois)
          .field("title", w.title)
          .field("year", w.year)
          .field("type", w.type)
          .field("sources", w.sources)
          .field("topics", w.topics)
          .field("withdrawn", w.withdrawn)
          .end_object();
      std::cout << j.str() << '\n';
    });
  } else if (what == "authors") {
    r = queries::export_authors(*store, [](const queries::ExportAuthor& a) {
      JsonWriter j;
      j.begin_object()
          .field("author_id", a.author_id)
          .field("name", a.name)
          .field("variants", a.variants)
          .field("orcid", a.orcid)
          .field("works", a.works)
          .field("topics", a.topics)
          .end_object();
      std::cout << j.str() << '\n';
    });
  } else {
    r = queries::export_authorships(*store, [](const queries::ExportAuthorship& a) {
      JsonWriter j;
      j.begin_object()
          .field("work_id", a.work_id)
          .field("arxiv_id", a.arxiv_id)
          .field("source", a.source)
          .field("position", a.position)
          .field("name", a.name)
          .field("author_id", a.author_id)
          .end_object();
      std::cout << j.str() << '\n';
    });
  }
  if (!r) return report(r.error());
  return kExitOk;
}

const VerbRegistration kExport{
    {"export", 60, [](CLI::App& app) {
       auto what = std::make_shared<std::string>();
       auto* cmd =
           app.add_subcommand("export", "works, authors or authorships as JSON Lines on stdout");
       cmd->add_option("what", *what, "works|authors|authorships")
           ->required()
           ->check(CLI::IsMember({"works", "authors", "authorships"}));
       cmd->footer(
           "Examples:\n  bzpeer --config config/demo.toml export works > works.jsonl\n"
           "  bzpeer --config config/demo.toml export authorships | head -3");
       return [what](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_export(*config, *what);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
