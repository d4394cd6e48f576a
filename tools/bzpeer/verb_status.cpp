// bzpeer — the `status` verb: what an operator checks each morning.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "index/queries/status.hpp"
#include "index/search/search_index.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

/// Whole days from `date` (YYYY-MM-DD…) to today, UTC; -1 when unknown.
long lag_days(const std::string& date) {
  std::tm tm{};
  if (date.size() < 10 || !strptime(date.substr(0, 10).c_str(), "%Y-%m-%d", &tm)) return -1;
  std::time_t then = timegm(&tm);
  std::time_t now = std::time(nullptr);
  return now > then ? static_cast<long>((now - then) / 86400) : 0;
}

std::string current_build(const Config& config) {
  std::ifstream in(config.index_root() / "current");
  std::string line;
  std::getline(in, line);
  return line;
}

int cmd_status(const Config& config, bool json) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto sources = queries::source_status(*store);
  if (!sources) return report(sources.error());
  auto stats = store->stats();
  if (!stats) return report(stats.error());
  std::string build = current_build(config);
  std::uint64_t documents = 0;
  std::string index_error;
  if (auto reader = search::IndexReader::open(config.index_root())) {
    documents = reader->document_count();
  } else {
    index_error = reader.error().describe();
  }
  if (json) {
    JsonWriter j;
    j.begin_object().key("sources").begin_array();
    for (const auto& s : *sources) {
      j.begin_object()
          .field("source", s.source)
          .field("last_run_at", s.last_run_at)
          .field("last_success_at", s.last_success_at)
          .field("source_records", s.source_records)
          .field("deleted_records", s.deleted_records)
          .field("quarantined", s.quarantined)
          .key("checkpoints")
          .begin_array();
      for (const auto& c : s.checkpoints) {
        j.begin_object()
            .field("set", c.set_spec)
            .field("format", c.format)
            .field("harvested_until", c.harvested_until)
            .field("lag_days", static_cast<std::int64_t>(lag_days(c.harvested_until)))
            .field("in_progress", !c.token.empty())
            .field("window_from", c.window_from)
            .field("pages_in_window", c.pages)
            .end_object();
      }
      j.end_array();
      if (!s.last_run_summary.empty()) j.key("last_run").value(s.last_run_summary);
      j.end_object();
    }
    j.end_array()
        .key("index")
        .begin_object()
        .field("build", build)
        .field("documents", documents)
        .field("works_waiting", stats->pending_index)
        .field("error", index_error)
        .end_object()
        .field("works", stats->works)
        .field("authors", stats->authors)
        .end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  if (sources->empty()) std::printf("no harvest has run yet\n");
  for (const auto& s : *sources) {
    std::printf("source %s\n", s.source.c_str());
    std::printf("  last run          %s\n",
                s.last_run_at.empty() ? "never" : s.last_run_at.c_str());
    std::printf("  last success      %s\n",
                s.last_success_at.empty() ? "never" : s.last_success_at.c_str());
    for (const auto& c : s.checkpoints) {
      long lag = lag_days(c.harvested_until);
      std::printf(
          "  checkpoint        set=%s format=%s harvested until %s (lag %s)%s\n",
          c.set_spec.empty() ? "-" : c.set_spec.c_str(), c.format.c_str(),
          c.harvested_until.empty() ? "never" : c.harvested_until.c_str(),
          lag < 0 ? "unknown" : (std::to_string(lag) + " d").c_str(),
          c.token.empty()
              ? ""
              : (", window from " + (c.window_from.empty() ? std::string("start") : c.window_from) +
                 " in progress after " + std::to_string(c.pages) + " pages")
                    .c_str());
    }
    std::printf("  records           %lld (%lld deleted), %lld quarantined\n",
                static_cast<long long>(s.source_records), static_cast<long long>(s.deleted_records),
                static_cast<long long>(s.quarantined));
  }
  std::printf("index\n  build             %s\n  documents         %llu (%lld works waiting)\n",
              build.empty() ? "none" : build.c_str(), static_cast<unsigned long long>(documents),
              static_cast<long long>(stats->pending_index));
  if (!index_error.empty()) std::printf("  problem           %s\n", index_error.c_str());
  std::printf("store\n  works %lld, authors %lld\n", static_cast<long long>(stats->works),
              static_cast<long long>(stats->authors));
  return kExitOk;
}

const VerbRegistration kStatus{
    {"status", 55, [](CLI::App& app) {
       auto json = std::make_shared<bool>(false);
       auto* cmd = app.add_subcommand(
           "status",
           "per source: last success, checkpoint, lag, counts, quarantine; the index build");
       cmd->add_flag("--json", *json, "JSON output");
       cmd->footer(
           "Examples:\n  bzpeer --config config/demo.toml status\n"
           "  bzpeer --config /etc/bzpeer/arxiv.toml status --json");
       return [json](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_status(*config, *json);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
