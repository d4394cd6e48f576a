// bzpeer — the `harvest` and `rebuild` verbs: the writers. Both take the storage lock.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "index/search/search_index.hpp"
#include "pipeline/connector_factory.hpp"
#include "pipeline/harvest_run.hpp"
#include "pipeline/normalise/dates.hpp"
#include "pipeline/storage_lock.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

int status_exit(pipeline::HarvestStatus s) {
  switch (s) {
    case pipeline::HarvestStatus::ok: return kExitOk;
    case pipeline::HarvestStatus::temporary_failure: return kExitTemporary;
    case pipeline::HarvestStatus::protocol_error: return kExitProtocol;
    case pipeline::HarvestStatus::storage_error: return kExitStorage;
  }
  return kExitFailure;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

struct HarvestArgs {
  std::string source, from, until;
  bool no_index = false;
};

/// `progress`: a progress line may be drawn (not --quiet, logs not JSON); harvest_source
/// still draws it only when stderr is a terminal.
int cmd_harvest(const Config& config, const HarvestArgs& args, bool progress) {
  if (config.sources.empty()) {
    return report({ErrorCode::config, config.file.string() + ": no [[source]] configured"});
  }
  for (const auto& date : {args.from, args.until}) {
    if (!date.empty() && (date.size() != 10 || !normalise::validate_iso_date(date))) {
      return report({ErrorCode::invalid_argument,
                     "--from/--until expect a date YYYY-MM-DD, got \"" + date + "\""});
    }
  }
  auto lock = pipeline::StorageLock::acquire(config.storage_dir);
  if (!lock) return report(lock.error());
  auto store = store::Store::open(config.storage_dir, store::OpenMode::read_write);
  if (!store) return report(store.error());

  // All selected sources run at the same time, each on its own thread with its own store
  // connection (SQLite serialises the writers) and its own HttpClient; politeness stays
  // per host through the process-wide gates. One failing source does not stop the others.
  std::vector<const pipeline::SourceConfig*> selected;
  for (const auto& source : config.sources) {
    if (args.source.empty() || source.name == args.source) selected.push_back(&source);
  }
  const bool matched = !selected.empty();
  std::vector<pipeline::HarvestSummary> summaries(selected.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < selected.size(); ++i) {
      threads.emplace_back([&, i] {
        const auto& source = *selected[i];
        http::ClientOptions http_options;
        http_options.user_agent = config.user_agent();
        http_options.min_interval =
            std::chrono::milliseconds(static_cast<long>(source.min_interval_s * 1000));
        http_options.retry.max_attempts = config.harvest.max_attempts;
        http_options.retry.initial_backoff =
            std::chrono::milliseconds(static_cast<long>(config.harvest.initial_backoff_s * 1000));
        http_options.retry.max_backoff =
            std::chrono::milliseconds(static_cast<long>(config.harvest.max_backoff_s * 1000));
        http_options.timeout =
            std::chrono::milliseconds(static_cast<long>(config.harvest.timeout_s * 1000));
        pipeline::adapt_client_options(source, http_options);
        http::HttpClient http(http_options);
        pipeline::HarvestOptions options;
        options.source = source;
        options.from = args.from;
        options.until = args.until;
        // One progress line, not interleaved ones.
        options.progress = progress && selected.size() == 1;
        auto own = store::Store::open(config.storage_dir, store::OpenMode::read_write);
        if (!own) {
          summaries[i].source = source.name;
          summaries[i].status = pipeline::HarvestStatus::storage_error;
          summaries[i].message = own.error().describe();
          return;
        }
        summaries[i] = pipeline::harvest_source(options, *own, http);
      });
    }
  }  // joins every source
  int worst = kExitOk;
  for (const auto& summary : summaries) {
    std::string line = summary.to_line();
    if (summary.status == pipeline::HarvestStatus::ok) {
      spdlog::info("{}", line);
    } else {
      spdlog::error("{}", line);
    }
    std::string json = summary.to_json();
    write_file_atomically(config.storage_dir / ("last-harvest-" + summary.source + ".json"), json);
    (void)store->record_run(summary.source, json);
    worst = std::max(worst, status_exit(summary.status));
  }
  if (!matched) {
    return report({ErrorCode::invalid_argument,
                   "no source named \"" + args.source + "\" in " + config.file.string()});
  }
  if (!args.no_index) {
    // Consolidate and index what was stored, even after a failed source: stored pages are
    // committed data and profiles should show them.
    auto stats = pipeline::consolidate_and_index(*store, config.index_root());
    if (!stats) return report(stats.error());
    spdlog::info("consolidated {} name blocks ({} mentions, {} new authors), indexed {} works",
                 stats->blocks, stats->mentions, stats->authors_created, stats->works_reindexed);
  }
  return worst;
}

int cmd_rebuild(const Config& config) {
  auto lock = pipeline::StorageLock::acquire(config.storage_dir);
  if (!lock) return report(lock.error());
  auto store = store::Store::open(config.storage_dir, store::OpenMode::read_write);
  if (!store) return report(store.error());
  auto consolidated = store->consolidate();
  if (!consolidated) return report(consolidated.error());
  auto stats = pipeline::rebuild_index(*store, config.index_root());
  if (!stats) return report(stats.error());
  std::printf("rebuilt index %s: %llu documents in %.2fs\n", stats->build_name.c_str(),
              static_cast<unsigned long long>(stats->documents), stats->seconds);
  if (!stats->previous_build.empty()) {
    std::printf("kept the previous build %s for `bzpeer rebuild --rollback`\n",
                stats->previous_build.c_str());
  }
  return kExitOk;
}

/// `rebuild --rollback`: puts the previous build back (no store access, no indexing).
/// Exit 66 (kExitNotFound) when there is no previous build; nothing changes then.
int cmd_rollback(const Config& config) {
  auto lock = pipeline::StorageLock::acquire(config.storage_dir);
  if (!lock) return report(lock.error());
  auto rolled = search::rollback(config.index_root());
  if (!rolled) return report(rolled.error());
  std::printf(
      "rolled the index back to build %s (was %s; `bzpeer rebuild --rollback` again "
      "undoes this)\n",
      rolled->build_name.c_str(), rolled->previous_build.c_str());
  return kExitOk;
}

const VerbRegistration kHarvest{
    {"harvest", 10, [](CLI::App& app) {
       auto args = std::make_shared<HarvestArgs>();
       auto* cmd = app.add_subcommand(
           "harvest", "harvest the configured sources (incremental, resumable), then index");
       cmd->add_option("--source", args->source, "harvest only this source");
       cmd->add_option("--from", args->from, "start a new window at this date (YYYY-MM-DD)");
       cmd->add_option("--until", args->until, "end the window at this date (inclusive)");
       cmd->add_flag("--no-index", args->no_index,
                     "store only; consolidate and index on the next run");
       cmd->footer(
           "Without --from, a run continues an interrupted window from its last committed page,\n"
           "or starts one day before the last completed harvest.\n"
           "Examples:\n  bzpeer --config config/arxiv.toml harvest\n"
           "  bzpeer --config config/arxiv.toml harvest --source arxiv --from 2024-01-01 --until "
           "2024-01-31");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         // No progress line with --quiet, nor with JSON logs (machines read those).
         const bool progress = !ctx.quiet && config->log_format != "json";
         return cmd_harvest(*config, *args, progress);
       };
     }}};

const VerbRegistration kRebuild{
    {"rebuild", 70, [](CLI::App& app) {
       auto rollback = std::make_shared<bool>(false);
       auto* cmd = app.add_subcommand(
           "rebuild", "rebuild the search index from the store and swap it in atomically");
       cmd->add_flag("--rollback", *rollback,
                     "instead, swap back to the build the last rebuild replaced");
       cmd->footer(
           "A rebuild keeps the build it replaces; older builds are removed.\n"
           "--rollback makes that previous build live again (a second --rollback undoes it).\n"
           "It lacks the harvests indexed since the rebuild: rebuild again once fixed.\n"
           "Exit 66 when there is no previous build to roll back to (nothing changes).\n"
           "Examples:\n  bzpeer --config config/demo.toml rebuild\n"
           "  bzpeer --config config/demo.toml rebuild --rollback");
       return [rollback](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return *rollback ? cmd_rollback(*config) : cmd_rebuild(*config);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
