// bzpeer — the `stats` verb.
#include <cstdio>
#include <iostream>

#include "index/search/search_index.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

int cmd_stats(const Config& config, bool json) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto s = store->stats();
  if (!s) return report(s.error());
  std::uint64_t documents = 0;
  if (auto reader = search::IndexReader::open(config.index_root()))
    documents = reader->document_count();
  if (json) {
    JsonWriter j;
    j.begin_object()
        .field("works", s->works)
        .field("withdrawn", s->withdrawn)
        .field("authors", s->authors)
        .field("authorships", s->authorships)
        .field("collaborations", s->collaborations)
        .field("source_records", s->source_records)
        .field("deleted_records", s->deleted_records)
        .field("quarantined", s->quarantined)
        .field("pending_index", s->pending_index)
        .field("index_documents", documents)
        .key("checkpoints")
        .begin_array();
    for (const auto& c : s->checkpoints) {
      j.begin_object()
          .field("source", c.source)
          .field("set", c.set_spec)
          .field("format", c.format)
          .field("harvested_until", c.harvested_until)
          .field("in_progress", !c.token.empty())
          .field("window_from", c.window_from)
          .field("pages", c.pages)
          .end_object();
    }
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("works           %lld (%lld withdrawn)\n", static_cast<long long>(s->works),
              static_cast<long long>(s->withdrawn));
  std::printf("authors         %lld\n", static_cast<long long>(s->authors));
  std::printf("authorships     %lld\n", static_cast<long long>(s->authorships));
  std::printf("collaborations  %lld\n", static_cast<long long>(s->collaborations));
  std::printf("source records  %lld (%lld deleted)\n", static_cast<long long>(s->source_records),
              static_cast<long long>(s->deleted_records));
  std::printf("quarantined     %lld\n", static_cast<long long>(s->quarantined));
  std::printf("index documents %llu (%lld works waiting)\n",
              static_cast<unsigned long long>(documents), static_cast<long long>(s->pending_index));
  for (const auto& c : s->checkpoints) {
    std::printf("checkpoint      %s set=%s format=%s harvested until %s%s\n", c.source.c_str(),
                c.set_spec.empty() ? "-" : c.set_spec.c_str(), c.format.c_str(),
                c.harvested_until.empty() ? "never" : c.harvested_until.c_str(),
                c.token.empty() ? "" : " (a window is in progress)");
  }
  return kExitOk;
}

const VerbRegistration kStats{
    {"stats", 50, [](CLI::App& app) {
       auto json = std::make_shared<bool>(false);
       auto* cmd =
           app.add_subcommand("stats", "counts of works, authors, records, and the checkpoints");
       cmd->add_flag("--json", *json, "JSON output");
       cmd->footer(
           "Examples:\n  bzpeer --config config/demo.toml stats\n"
           "  bzpeer --config config/demo.toml stats --json");
       return [json](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_stats(*config, *json);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
