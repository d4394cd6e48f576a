// bzpeer — the `authors` verb: find author profiles by name.
#include <cstdio>
#include <iostream>

#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct AuthorsArgs {
  std::string query;
  std::size_t limit = 20;
  bool json = false;
};

int cmd_authors(const Config& config, const AuthorsArgs& args) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto found = queries::find_authors(*store, args.query, args.limit);
  if (!found) return report(found.error());

  if (args.json) {
    JsonWriter j;
    j.begin_object().field("query", args.query).key("authors").begin_array();
    for (const auto& a : *found) {
      j.begin_object()
          .field("author_id", a.author_id)
          .field("name", a.name)
          .field("works", a.works)
          .field("variants", a.variants)
          .end_object();
    }
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("%zu author%s for \"%s\"\n", found->size(), found->size() == 1 ? "" : "s",
              args.query.c_str());
  for (const auto& a : *found) {
    std::printf("  %-32s author %-8lld %3lld work%s\n", a.name.c_str(),
                static_cast<long long>(a.author_id), static_cast<long long>(a.works),
                a.works == 1 ? "" : "s");
    if (a.variants.size() > 1)
      std::printf("      also printed as: %s\n", join(a.variants, "; ").c_str());
  }
  return kExitOk;
}

const VerbRegistration kAuthors{
    {"authors", 35, [](CLI::App& app) {
       auto args = std::make_shared<AuthorsArgs>();
       auto* cmd = app.add_subcommand("authors", "find authors by name (variants included)");
       cmd->add_option("query", args->query,
                       "a family name or its start, or a full name: borucki, 'W. Borucki'")
           ->required();
       cmd->add_option("--limit", args->limit, "at most this many")->check(CLI::Range(1, 1000));
       cmd->add_flag("--json", args->json, "JSON output");
       cmd->footer(
           "Examples:\n  bzpeer authors borucki\n  bzpeer authors 'William Borucki'\n  bzpeer "
           "authors --json 'schon'");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_authors(*config, *args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
