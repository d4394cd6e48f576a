// bzpeer — command line: harvest, search, profile, collaborators, stats, export, rebuild.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "connectors/oai_pmh/oai_page.hpp"
#include "index/queries/export.hpp"
#include "index/queries/queries.hpp"
#include "pipeline/harvest_run.hpp"
#include "pipeline/normalise/dates.hpp"
#include "pipeline/storage_lock.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/json_writer.hpp"
#include "tools/bzpeer/output.hpp"

namespace bzpeer::cli {

int exit_code_for(const Error& error) {
  switch (error.code) {
    case ErrorCode::config: return kExitConfig;
    case ErrorCode::invalid_argument: return kExitUsage;
    case ErrorCode::not_found: return kExitNotFound;
    case ErrorCode::locked: return kExitLocked;
    case ErrorCode::io:
    case ErrorCode::storage:
    case ErrorCode::index: return kExitStorage;
    case ErrorCode::transport:
    case ErrorCode::http_temporary:
    case ErrorCode::parse: return kExitTemporary;
    case ErrorCode::http_permanent:
    case ErrorCode::protocol:
    case ErrorCode::mapping: return kExitProtocol;
  }
  return kExitFailure;
}

int report(const Error& error) {
  std::fprintf(stderr, "bzpeer: %s\n", error.describe().c_str());
  return exit_code_for(error);
}

namespace {

struct Globals {
  std::string config_path;
  bool verbose = false;
  bool quiet = false;
};

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

int cmd_harvest(const Config& config, const HarvestArgs& args) {
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

  int worst = kExitOk;
  bool matched = false;
  for (const auto& source : config.sources) {
    if (!args.source.empty() && source.name != args.source) continue;
    matched = true;
    http::ClientOptions http_options;
    http_options.user_agent = config.user_agent();
    http_options.min_interval = std::chrono::milliseconds(
        static_cast<long>(source.min_interval_s * 1000));
    http_options.retry.max_attempts = config.harvest.max_attempts;
    http_options.retry.initial_backoff =
        std::chrono::milliseconds(static_cast<long>(config.harvest.initial_backoff_s * 1000));
    http_options.retry.max_backoff =
        std::chrono::milliseconds(static_cast<long>(config.harvest.max_backoff_s * 1000));
    http_options.timeout =
        std::chrono::milliseconds(static_cast<long>(config.harvest.timeout_s * 1000));
    http_options.validate_body = [](const std::string& body) {
      return oai::is_well_formed_xml(body);
    };
    http::HttpClient http(http_options);
    pipeline::HarvestOptions options;
    options.source = source;
    options.from = args.from;
    options.until = args.until;
    options.progress = true;
    auto summary = pipeline::harvest_source(options, *store, http);
    std::string line = summary.to_line();
    if (summary.status == pipeline::HarvestStatus::ok) {
      spdlog::info("{}", line);
    } else {
      spdlog::error("{}", line);
    }
    std::string json = summary.to_json();
    write_file_atomically(config.storage_dir / ("last-harvest-" + source.name + ".json"), json);
    (void)store->record_run(source.name, json);
    worst = std::max(worst, status_exit(summary.status));
  }
  if (!matched) {
    return report({ErrorCode::invalid_argument, "no source named \"" + args.source + "\" in " +
                                                    config.file.string()});
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
  return kExitOk;
}

}  // namespace
}  // namespace bzpeer::cli

int main(int argc, char** argv) {
  using namespace bzpeer;
  using namespace bzpeer::cli;
  CLI::App app{"bzpeer — harvest scholarly metadata, search works and show researcher profiles",
               "bzpeer"};
  app.set_version_flag("--version", std::string("bzpeer ") + BZPEER_VERSION);
  app.require_subcommand(1);
  Globals g;
  app.add_option("-c,--config", g.config_path, "configuration file (TOML)")
      ->required()
      ->envname("BZPEER_CONFIG");
  app.add_flag("-v,--verbose", g.verbose, "log debug messages");
  app.add_flag("-q,--quiet", g.quiet, "log warnings and errors only");
  app.footer(
      "Examples:\n"
      "  bzpeer --config config/demo.toml harvest\n"
      "  bzpeer --config config/demo.toml search 'author:borucki kepler'\n"
      "  bzpeer --config config/demo.toml profile \"William J. Borucki\"\n"
      "Exit codes: 0 ok, 64 usage, 66 not found, 69 locked, 74 storage, 75 temporary failure,\n"
      "            76 protocol error, 78 configuration error.");

  HarvestArgs harvest;
  auto* harvest_cmd = app.add_subcommand("harvest", "harvest the configured sources (incremental, resumable)");
  harvest_cmd->add_option("--source", harvest.source, "harvest only this source");
  harvest_cmd->add_option("--from", harvest.from, "start a new window at this date (YYYY-MM-DD)");
  harvest_cmd->add_option("--until", harvest.until, "end the window at this date (inclusive)");
  harvest_cmd->add_flag("--no-index", harvest.no_index, "store only; consolidate and index later");

  SearchArgs search;
  auto* search_cmd = app.add_subcommand("search", "full-text search of works");
  search_cmd->add_option("query", search.query, "query, e.g. 'title:planet author:borucki year:2011'")
      ->required();
  search_cmd->add_option("--limit", search.limit, "hits per page")->check(CLI::Range(1, 1000));
  search_cmd->add_option("--offset", search.offset, "skip this many hits");
  search_cmd->add_option("--sort", search.sort, "relevance|newest|oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  search_cmd->add_option("--year", search.year, "YEAR or FROM..TO");
  search_cmd->add_option("--category", search.categories, "filter by arXiv category (repeatable)");
  search_cmd->add_flag("--json", search.json, "JSON output");

  ProfileArgs profile;
  auto* profile_cmd = app.add_subcommand("profile", "a researcher's profile");
  profile_cmd->add_option("author", profile.author, "author id, or a name")->required();
  profile_cmd->add_flag("--json", profile.json, "JSON output");

  ProfileArgs collab;
  auto* collab_cmd = app.add_subcommand("collaborators", "a researcher's co-authors by shared works");
  collab_cmd->add_option("author", collab.author, "author id, or a name")->required();
  collab_cmd->add_flag("--json", collab.json, "JSON output");

  bool stats_json = false;
  auto* stats_cmd = app.add_subcommand("stats", "counts of works, authors, records and checkpoints");
  stats_cmd->add_flag("--json", stats_json, "JSON output");

  std::string export_what;
  auto* export_cmd = app.add_subcommand("export", "JSON Lines on stdout");
  export_cmd->add_option("what", export_what, "works|authors|authorships")
      ->required()
      ->check(CLI::IsMember({"works", "authors", "authorships"}));

  auto* rebuild_cmd = app.add_subcommand("rebuild", "rebuild the search index from the store");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  auto logger = spdlog::stderr_color_mt("bzpeer");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern(isatty(STDERR_FILENO) ? "%^%l%$: %v" : "%Y-%m-%dT%H:%M:%S%z %l %v");
  auto config = load_config(g.config_path);
  if (!config) return report(config.error());
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  if (g.verbose) spdlog::set_level(spdlog::level::debug);
  if (g.quiet) spdlog::set_level(spdlog::level::warn);

  if (*harvest_cmd) return cmd_harvest(*config, harvest);
  if (*search_cmd) return cmd_search(*config, search);
  if (*profile_cmd) return cmd_profile(*config, profile);
  if (*collab_cmd) return cmd_collaborators(*config, collab);
  if (*stats_cmd) return cmd_stats(*config, stats_json);
  if (*export_cmd) return cmd_export(*config, export_what);
  if (*rebuild_cmd) return cmd_rebuild(*config);
  return kExitUsage;
}
