// bzpeer — the `backup` verb: a consistent copy of the store and the current index build,
// made while harvests, rebuilds and the server keep running.
//
// DIR/store.sqlite          SQLite's online backup of the store (one snapshot)
// DIR/index/current         a stub naming the copied build
// DIR/index/builds/<name>/  the current build, compacted from one revision
// DIR/manifest.json         what was copied, from where, when, with counts
//
// To restore, copy store.sqlite and index/ into an empty storage directory (or point
// [storage] dir at DIR). The store is copied first, then the index: while harvests run,
// the index copy may already hold works newer than the store copy; `bzpeer rebuild` on
// the restored directory makes them agree exactly (`bzpeer doctor` tells).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

#include "index/search/index_backup.hpp"
#include "index/store/store_backup.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/json_writer.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

/// DIR must be new or an empty directory: a backup never overwrites anything.
Result<void> prepare_target(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      return fail(ErrorCode::invalid_argument, "backup target " + dir.string() + " is a file");
    }
    if (!fs::is_empty(dir, ec)) {
      return fail(ErrorCode::invalid_argument,
                  "backup target " + dir.string() + " is not empty (a backup never overwrites)");
    }
    return {};
  }
  fs::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::io, "cannot create " + dir.string() + ": " + ec.message());
  return {};
}

Result<void> write_manifest(const fs::path& file, const std::string& text) {
  const fs::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text << '\n';
    out.flush();
    if (!out) return fail(ErrorCode::io, "cannot write " + partial.string());
  }
  std::error_code ec;
  fs::rename(partial, file, ec);
  if (ec) return fail(ErrorCode::io, "cannot rename " + partial.string() + ": " + ec.message());
  return {};
}

int cmd_backup(const Config& config, const fs::path& dir, int pages_per_step, bool quiet) {
  if (auto ok = prepare_target(dir); !ok) return report(ok.error());
  const std::string started = utc_now();
  const auto clock_start = std::chrono::steady_clock::now();

  auto store = store::backup_store(config.storage_dir, dir / "store.sqlite", pages_per_step);
  if (!store) return report(store.error());
  auto index = search::backup_index(config.index_root(), dir / "index");
  if (!index) return report(index.error());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();

  std::error_code ec;
  const auto store_bytes = static_cast<std::uint64_t>(fs::file_size(dir / "store.sqlite", ec));
  JsonWriter j;
  j.begin_object()
      .field("format", "bzpeer-backup/1")
      .field("bzpeer_version", std::string(BZPEER_VERSION))
      .field("started", started)
      .field("finished", utc_now())
      .field("source_storage", fs::absolute(config.storage_dir).lexically_normal().string())
      .key("store")
      .begin_object()
      .field("file", "store.sqlite")
      .field("bytes", store_bytes)
      .field("pages", store->pages)
      .field("page_size", store->page_size)
      .field("backup_steps", store->steps)
      .field("works", store->works)
      .field("authors", store->authors)
      .end_object()
      .key("index")
      .begin_object()
      .field("root", "index")
      .field("build", index->build)
      .field("documents", index->documents)
      .field("bytes", index->bytes)
      .field("attempts", index->attempts)
      .end_object()
      .end_object();
  if (auto ok = write_manifest(dir / "manifest.json", j.str()); !ok) return report(ok.error());
  if (!quiet) {
    std::printf(
        "backup %s: store %lld works, %lld authors (%llu bytes); index build %s, %llu "
        "documents; %.1fs\n",
        dir.string().c_str(), static_cast<long long>(store->works),
        static_cast<long long>(store->authors), static_cast<unsigned long long>(store_bytes),
        index->build.c_str(), static_cast<unsigned long long>(index->documents), seconds);
  }
  return kExitOk;
}

const VerbRegistration kBackup{
    {"backup", 85, [](CLI::App& app) {
       auto dir = std::make_shared<std::string>();
       auto pages = std::make_shared<int>(256);
       auto* cmd = app.add_subcommand(
           "backup", "a consistent copy of the store and the current index build into DIR");
       cmd->add_option("DIR", *dir, "a new or empty directory")->required();
       cmd->add_option("--pages-per-step", *pages,
                       "store pages copied per step of SQLite's online backup (default 256)")
           ->check(CLI::Range(1, 1 << 20));
       cmd->footer(
           "Runs beside harvests, rebuilds and the server (no lock). DIR gets store.sqlite,\n"
           "index/ and manifest.json; restore by copying store.sqlite and index/ into an\n"
           "empty storage directory.\n"
           "Example:\n  bzpeer --config config/demo.toml backup /srv/backups/bzpeer-2026-01-27");
       return [dir, pages](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_backup(*config, *dir, *pages, ctx.quiet);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
