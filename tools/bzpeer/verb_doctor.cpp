// bzpeer — the `doctor` verb: checks everything an operator would, and says what to do.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "index/search/search_index.hpp"
#include "pipeline/storage_lock.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct Doctor {
  int problems = 0;
  void ok(const std::string& what) { std::printf("ok       %s\n", what.c_str()); }
  void problem(const std::string& what, const std::string& fix) {
    ++problems;
    std::printf("PROBLEM  %s\n         fix: %s\n", what.c_str(), fix.c_str());
  }
};

int cmd_doctor(const Context& ctx) {
  Doctor d;
  auto config = ctx.config();
  if (!config) {
    d.problem("configuration: " + config.error().message,
              "correct the file; `bzpeer --help` and config/arxiv.toml show every key");
    return kExitConfig;
  }
  d.ok("configuration " + config->file.string() + " (" + std::to_string(config->sources.size()) +
       " sources)");
  for (const auto& s : config->sources) {
    if (s.min_interval_s < 3.0 && s.url.find("arxiv.org") != std::string::npos) {
      d.problem("source " + s.name + ": min_interval_s " + std::to_string(s.min_interval_s) +
                    " is below arXiv's 3 s",
                "set min_interval_s = 3.0 (arXiv's terms of use)");
    }
  }
  if (config->harvest.contact.empty()) {
    d.problem("[harvest] contact is empty", "add a contact e-mail: servers want to reach you");
  }

  namespace fs = std::filesystem;
  std::error_code ec;
  const auto& dir = config->storage_dir;
  if (!fs::exists(dir, ec)) {
    d.problem("storage directory " + dir.string() + " does not exist",
              "run `bzpeer harvest` (it creates it) or create it writable by this user");
    return kExitFailure;
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    d.problem("storage directory " + dir.string() + " is not writable",
              "harvest and rebuild need write access: fix its owner or permissions");
  } else {
    d.ok("storage directory " + dir.string() + " is writable");
  }
  if (auto lock = pipeline::StorageLock::acquire(dir)) {
    d.ok("storage lock is free");
  } else if (lock.error().code == ErrorCode::locked) {
    d.ok("storage lock is held: " + lock.error().message);
  } else {
    d.problem("storage lock: " + lock.error().message, "check the directory's permissions");
  }

  auto store = open_store(*config);
  if (!store) {
    d.problem("store: " + store.error().message, "run `bzpeer harvest` to create the store");
    return kExitFailure;
  }
  auto stats = store->stats();
  if (!stats) {
    d.problem("store: " + stats.error().message,
              "restore the store from a backup, or remove it and harvest again");
    return kExitFailure;
  }
  d.ok("store schema and contents readable (" + std::to_string(stats->works) + " works)");
  if (stats->quarantined > 0) {
    d.problem(std::to_string(stats->quarantined) + " records are quarantined",
              "see `bzpeer status`; fix the mapper or the source, then harvest again");
  }
  for (const auto& c : stats->checkpoints) {
    if (!c.token.empty()) {
      d.ok("source " + c.source + ": a window is in progress (the next harvest resumes it)");
    }
  }

  auto reader = search::IndexReader::open(config->index_root());
  if (!reader) {
    d.problem("index: " + reader.error().message,
              "run `bzpeer rebuild` to build the index from the store");
  } else {
    auto documents = static_cast<std::int64_t>(reader->document_count());
    if (documents + stats->pending_index < stats->works ||
        documents > stats->works + stats->pending_index) {
      d.problem("index has " + std::to_string(documents) + " documents but the store has " +
                    std::to_string(stats->works) + " works (" +
                    std::to_string(stats->pending_index) + " waiting)",
                "run `bzpeer rebuild`");
    } else {
      d.ok("index schema version " + std::to_string(search::kSchemaVersion) + " and " +
           std::to_string(documents) + " documents agree with the store");
    }
  }
  std::printf("%s\n", d.problems == 0 ? "all checks passed"
                                      : (std::to_string(d.problems) + " problem(s) found").c_str());
  return d.problems == 0 ? kExitOk : kExitFailure;
}

const VerbRegistration kDoctor{
    {"doctor", 56, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "doctor", "check config, storage, lock, schema versions and index/store agreement");
       cmd->footer(
           "Prints each check, and for each problem what to do about it. Exit 0 when all\n"
           "checks pass, 1 otherwise.\n"
           "Examples:\n  bzpeer --config config/demo.toml doctor\n"
           "  BZPEER_CONFIG=/etc/bzpeer/arxiv.toml bzpeer doctor");
       return [](const Context& ctx) { return cmd_doctor(ctx); };
     }}};

}  // namespace
}  // namespace bzpeer::cli
