// bzpeer — the `quarantine` verb: list the records that could not be mapped, and retry
// them with the current mappers (after a fix in pipeline/parse, without re-harvesting).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "pipeline/harvest_run.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "pipeline/storage_lock.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct QuarantineArgs {
  std::string source;
  bool json = false;
  std::vector<std::string> ids;
};

/// A --source that no configured source has is a usage error naming the config file.
std::optional<Error> check_source(const Config& config, const std::string& source) {
  if (source.empty()) return std::nullopt;
  for (const auto& s : config.sources) {
    if (s.name == source) return std::nullopt;
  }
  return Error{ErrorCode::invalid_argument,
               "no source named \"" + source + "\" in " + config.file.string()};
}

/// An ID on the command line names a record by its full identifier
/// ("oai:arXiv.org:0906.4150") or by what follows the identifier's last ':' ("0906.4150").
bool id_matches(const std::string& id, const std::string& source_id) {
  if (id == source_id) return true;
  return source_id.size() > id.size() && source_id.ends_with(id) &&
         source_id[source_id.size() - id.size() - 1] == ':';
}

int cmd_list(const Config& config, const QuarantineArgs& args) {
  if (auto bad = check_source(config, args.source)) return report(*bad);
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto records = store->quarantined(args.source);
  if (!records) return report(records.error());
  if (args.json) {
    JsonWriter j;
    j.begin_object().field("count", static_cast<std::int64_t>(records->size()));
    j.key("records").begin_array();
    for (const auto& r : *records) {
      j.begin_object()
          .field("source", r.source)
          .field("source_id", r.source_id)
          .field("format", r.format)
          .field("reason", r.error)
          .field("quarantined_at", r.quarantined_at)
          .field("last_attempt_at", r.last_attempt_at)
          .field("attempts", r.attempts)
          .end_object();
    }
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  if (records->empty()) {
    std::printf("the quarantine is empty%s\n",
                args.source.empty() ? "" : (" for source " + args.source).c_str());
    return kExitOk;
  }
  for (const auto& r : *records) {
    std::printf("%s %s (%s)\n", r.source.c_str(), r.source_id.c_str(), r.format.c_str());
    std::printf("  reason    %s\n", r.error.c_str());
    std::printf("  since     %s, %lld attempt%s, last %s\n", r.quarantined_at.c_str(),
                static_cast<long long>(r.attempts), r.attempts == 1 ? "" : "s",
                r.last_attempt_at.c_str());
  }
  std::printf("%zu quarantined record%s\n", records->size(), records->size() == 1 ? "" : "s");
  return kExitOk;
}

int cmd_retry(const Config& config, const QuarantineArgs& args) {
  if (auto bad = check_source(config, args.source)) return report(*bad);
  auto lock = pipeline::StorageLock::acquire(config.storage_dir);
  if (!lock) return report(lock.error());
  if (auto probe = open_store(config); !probe) return report(probe.error());  // no store: 66
  auto store = store::Store::open(config.storage_dir, store::OpenMode::read_write);
  if (!store) return report(store.error());
  auto all = store->quarantined(args.source);
  if (!all) return report(all.error());

  // The selection: every record (of --source), or the IDs given, each of which must be there.
  std::vector<store::QuarantinedRecord> chosen;
  std::set<std::string> found;
  for (auto& r : *all) {
    bool take = args.ids.empty();
    for (const auto& id : args.ids) {
      if (id_matches(id, r.source_id)) {
        take = true;
        found.insert(id);
      }
    }
    if (take) chosen.push_back(std::move(r));
  }
  for (const auto& id : args.ids) {
    if (!found.contains(id)) {
      return report(
          {ErrorCode::not_found, "no quarantined record \"" + id + "\"" +
                                     (args.source.empty() ? "" : " of source " + args.source) +
                                     " (see `bzpeer quarantine list`)"});
    }
  }
  if (chosen.empty()) {
    std::printf("quarantine retry: nothing to retry\n");
    return kExitOk;
  }

  // Map with today's mappers; the raw payload is what the source sent.
  std::vector<store::MappedRecord> mapped;
  std::int64_t failed = 0;
  for (auto& r : chosen) {
    store::MappedRecord m;
    m.record.source = r.source;
    m.record.format = r.format;
    m.record.source_id = r.source_id;
    m.record.payload = r.payload;
    m.work = parse::map_record(m.record);
    if (m.work) {
      mapped.push_back(std::move(m));
      continue;
    }
    ++failed;
    if (auto kept = store->requarantine(r, m.work.error().message); !kept) {
      return report(kept.error());
    }
    std::printf("still quarantined %s %s (attempt %lld): %s\n", r.source.c_str(),
                r.source_id.c_str(), static_cast<long long>(r.attempts + 1),
                m.work.error().message.c_str());
  }
  if (!mapped.empty()) {
    auto counts = store->release_quarantined(mapped);
    if (!counts) return report(counts.error());
    for (const auto& m : mapped) {
      std::printf("released %s %s: stored \"%s\"\n", m.record.source.c_str(),
                  m.record.source_id.c_str(), shorten(m.work->title, 60).c_str());
    }
    // Like a harvest: consolidate authors and bring the index up to date.
    auto stats = pipeline::consolidate_and_index(*store, config.index_root());
    if (!stats) return report(stats.error());
    spdlog::info("consolidated {} name blocks, indexed {} works", stats->blocks,
                 stats->works_reindexed);
  }
  std::printf("quarantine retry: %zu retried, %zu released, %lld still quarantined\n",
              chosen.size(), mapped.size(), static_cast<long long>(failed));
  return failed == 0 ? kExitOk : kExitData;
}

const VerbRegistration kQuarantine{
    {"quarantine", 57, [](CLI::App& app) {
       auto* cmd = app.add_subcommand("quarantine",
                                      "list the records that could not be mapped, or retry them");
       cmd->require_subcommand(1);
       auto list_args = std::make_shared<QuarantineArgs>();
       auto* list = cmd->add_subcommand(
           "list", "source, identifier, reason, since when and attempts of each record");
       list->add_option("--source", list_args->source, "only this source");
       list->add_flag("--json", list_args->json, "JSON output");
       list->footer(
           "Examples:\n  bzpeer --config config/arxiv.toml quarantine list\n"
           "  bzpeer --config config/arxiv.toml quarantine list --source arxiv --json");
       auto retry_args = std::make_shared<QuarantineArgs>();
       auto* retry = cmd->add_subcommand(
           "retry", "map the stored records again with the current mappers; store what maps");
       retry->add_option("--source", retry_args->source, "only this source");
       retry->add_option("ID", retry_args->ids,
                         "only these records: the identifier, or its part after the last ':'");
       retry->footer(
           "Records that map are stored like a harvested page (then consolidated and indexed)\n"
           "and leave the quarantine; the others stay, with the new reason and one more\n"
           "attempt. Takes the storage lock. Exit 0 when every retried record was stored,\n"
           "65 when some still cannot be mapped, 66 for an ID not in the quarantine, 69 when\n"
           "another bzpeer holds the lock.\n"
           "Examples:\n  bzpeer --config config/arxiv.toml quarantine retry\n"
           "  bzpeer --config config/arxiv.toml quarantine retry --source arxiv 0906.4150");
       cmd->footer(
           "Examples:\n  bzpeer --config config/arxiv.toml quarantine list\n"
           "  bzpeer --config config/arxiv.toml quarantine retry");
       return [=](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         if (list->parsed()) return cmd_list(*config, *list_args);
         return cmd_retry(*config, *retry_args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
