// bzpeer — the `related` verb: "more like this" for one work, from the search index.
#include <cstdio>
#include <iostream>

#include "index/search/search_index.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct RelatedArgs {
  std::int64_t work_id = 0;
  std::size_t limit = 10;
  bool json = false;
};

int cmd_related(const Config& config, const RelatedArgs& args) {
  auto reader = search::IndexReader::open(config.index_root());
  if (!reader) return report(reader.error());
  auto hits = reader->related(args.work_id, args.limit);
  if (!hits) return report(hits.error());

  if (args.json) {
    JsonWriter j;
    j.begin_object().field("work_id", args.work_id).key("related").begin_array();
    for (const auto& h : *hits) {
      j.begin_object()
          .field("work_id", h.work_id)
          .field("arxiv_id", h.arxiv_id)
          .field("title", h.title)
          .field("authors", h.authors)
          .field("author_ids", h.author_ids)
          .field("year", h.year)
          .field("date", h.date)
          .field("type", h.type)
          .field("venue", h.venue)
          .field("categories", h.categories)
          .field("percent", h.percent)
          .field("snippet", h.snippet)
          .end_object();
    }
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("%zu work%s related to work %lld\n", hits->size(), hits->size() == 1 ? "" : "s",
              static_cast<long long>(args.work_id));
  std::size_t rank = 0;
  for (const auto& h : *hits) {
    std::printf("\n%3zu. %s\n", ++rank, h.title.c_str());
    const std::string authors =
        h.authors.size() > 6 ? join({h.authors.begin(), h.authors.begin() + 6}, ", ") + ", et al."
                             : join(h.authors, ", ");
    std::printf("     %s\n", authors.c_str());
    std::printf("     %d · %s · arXiv:%s · %s · work %lld · %d%%\n", h.year, h.type.c_str(),
                h.arxiv_id.c_str(), join(h.categories, " ").c_str(),
                static_cast<long long>(h.work_id), h.percent);
  }
  return kExitOk;
}

const VerbRegistration kRelated{
    {"related", 25, [](CLI::App& app) {
       auto args = std::make_shared<RelatedArgs>();
       auto* cmd = app.add_subcommand("related", "works like a given work (\"more like this\")");
       cmd->add_option("work_id", args->work_id, "work id, as search shows it")->required();
       cmd->add_option("--limit", args->limit, "how many")->check(CLI::Range(1, 1000));
       cmd->add_flag("--json", args->json, "JSON output");
       cmd->footer("Examples:\n  bzpeer related 42\n  bzpeer related --limit 5 --json 42");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_related(*config, *args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
