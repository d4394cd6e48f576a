// bzpeer — rebuild: write a complete new build beside the live one, then swap `current`.
//
// One shard: documents go straight into the build. Several: the calling thread pulls
// documents from `next` and hands each to the shard its work_id hashes to; one thread
// per shard builds the Xapian documents and writes them; Xapian's compaction then merges
// the shards into the build. Building documents (tokenising, stemming) and writing them
// is where the time goes, and each shard is a separate database, so the writers share
// nothing but their input queues.
//
// Two things made a rebuild several times slower than it needs to be (profiled with perf
// and bench_rebuild; figures in the notes of issue 8): spelling data added word by word
// (Xapian's add_spelling per occurrence: a map lookup, often a B-tree lookup, and
// fragment bookkeeping each time), and large batches (Xapian's inverter keeps a batch in
// std::maps, which get slower as they fill). So a rebuild counts spelling words in memory
// and writes each distinct word once at the end (SpellingCollector), and commits small
// batches (kCommitEvery) without fsync (kScratchFlags), syncing the finished build once.
#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "index/search/document_builder.hpp"
#include "index/search/index_files.hpp"
#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {
namespace fs = std::filesystem;

namespace {

/// Commit every this many documents (per database). Far below Xapian's default flush
/// threshold of 10,000 on purpose: Xapian 1.4 buffers a batch in std::maps keyed by term
/// (and by document within a term), so each posting costs a lookup in a map that grows
/// with the batch; with ~860 postings per work (every word prefixed and unprefixed) a
/// batch of 10,000 works holds millions of nodes and indexing slows down as the batch
/// fills. Measured (bench_rebuild, see the notes of issue 8): commits every 256 works
/// index about twice as fast as every 10,000, and no slower at 20,000 works than at 5,000.
/// The databases a rebuild writes are not visible to readers and are opened with
/// DB_NO_SYNC, so a commit costs no fsync. The limit also bounds a writer's memory.
constexpr std::uint64_t kCommitEvery = 256;

/// Documents waiting per shard; bounds memory when `next` is faster than the writers.
constexpr std::size_t kQueueLimit = 256;

/// Counts what a database was given, so the final count can be checked exactly.
struct Written {
  std::uint64_t given = 0;
  std::uint64_t repeated = 0;  ///< work ids seen before: they replaced a document
  [[nodiscard]] std::uint64_t distinct() const { return given - repeated; }
};

/// Adds one document to `db`; a repeated id replaces the earlier document.
void write_document(Xapian::WritableDatabase& db, Xapian::TermGenerator& terms,
                    SpellingCollector& spelling, const IndexDocument& doc, Written& written) {
  const std::string id = id_term(doc.work_id);
  if (db.term_exists(id)) ++written.repeated;
  db.replace_document(id, build_document(doc, terms, &spelling));
  if (++written.given % kCommitEvery == 0) db.commit();
}

/// Flags for a database a rebuild writes: nobody reads it until it is complete, so no
/// fsync per commit (rebuild() syncs the finished build) and blocks updated in place.
constexpr int kScratchFlags = Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS;

/// fsyncs every file under `dir` and the directories themselves, so a build written with
/// DB_NO_SYNC is on disk before `current` names it.
Result<void> sync_tree(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> paths{dir};
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    paths.push_back(it->path());
  }
  if (ec) return fail(ErrorCode::io, "cannot list " + dir.string() + ": " + ec.message());
  for (const auto& p : paths) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(ErrorCode::io, "cannot open " + p.string() + " to sync it");
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return fail(ErrorCode::io, "cannot sync " + p.string());
  }
  return {};
}

/// Which shard a work goes to: a mix of its id, so a repeated id always meets its earlier
/// version and any pattern in the ids (all even, say) still spreads evenly.
std::size_t shard_of(std::int64_t work_id, std::size_t shards) {
  auto x = static_cast<std::uint64_t>(work_id);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;  // the splitmix64 finaliser
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<std::size_t>(x % shards);
}

/// A bounded queue from the calling thread to one shard writer.
struct ShardQueue {
  std::mutex mu;
  std::condition_variable changed;
  std::deque<IndexDocument> docs;
  bool closed = false;  ///< no more documents will come
};

/// State shared by the feeding thread and the shard writers.
struct ShardRun {
  explicit ShardRun(std::size_t n) : queues(n), spelling(n) {}
  std::vector<ShardQueue> queues;
  std::vector<SpellingCollector> spelling;  ///< one per shard, merged at the end
  std::mutex error_mu;
  std::optional<Error> error;  ///< the first writer failure
  std::atomic<bool> stop{false};

  void record(Error e) {
    std::lock_guard lock(error_mu);
    if (!error) error = std::move(e);
    stop = true;
    for (auto& q : queues) {
      std::lock_guard ql(q.mu);
      q.changed.notify_all();
    }
  }
};

/// One shard writer: drains its queue into a new database at `path`.
void run_shard(ShardRun& run, std::size_t index, const fs::path& path, Written& written) {
  ShardQueue& queue = run.queues[index];
  try {
    // The shards are scratch: no fsync (the compacted build is synced) and no concurrent
    // readers, so Xapian may update blocks in place.
    Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE | kScratchFlags);
    Xapian::TermGenerator terms = make_term_generator(db);
    for (;;) {
      IndexDocument doc;
      {
        std::unique_lock lock(queue.mu);
        queue.changed.wait(lock, [&] { return !queue.docs.empty() || queue.closed || run.stop; });
        if (run.stop) return;
        if (queue.docs.empty()) break;  // closed and drained
        doc = std::move(queue.docs.front());
        queue.docs.pop_front();
        queue.changed.notify_all();  // room for the feeder
      }
      write_document(db, terms, run.spelling[index], doc, written);
    }
    set_schema_version(db);
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    run.record(xapian_error(e, "cannot write index shard", path));
  } catch (const std::exception& e) {
    run.record(
        Error{ErrorCode::index, "cannot write index shard " + path.string() + ": " + e.what()});
  }
}

/// Writes every document from `next` into a new database at `path`. Returns the number of
/// distinct works written.
Result<std::uint64_t> write_single(const fs::path& path,
                                   const std::function<bool(IndexDocument&)>& next) {
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE | kScratchFlags);
  Xapian::TermGenerator terms = make_term_generator(db);
  SpellingCollector spelling;
  Written written;
  for (;;) {
    IndexDocument doc;
    if (!next(doc)) break;
    write_document(db, terms, spelling, doc, written);
  }
  spelling.write_to(db);
  set_schema_version(db);
  db.commit();
  db.close();  // release the lock and files before the build is checked and goes live
  if (auto synced = sync_tree(path); !synced) return std::unexpected(synced.error());
  return written.distinct();
}

/// Writes `shards` databases under `scratch` in parallel, then compacts them into `path`.
/// Returns the number of distinct works written.
Result<std::uint64_t> write_sharded(const fs::path& path, const fs::path& scratch,
                                    std::size_t shards,
                                    const std::function<bool(IndexDocument&)>& next) {
  if (std::error_code ec; !fs::create_directories(scratch, ec) || ec) {
    return fail(ErrorCode::io, "cannot create " + scratch.string() + ": " + ec.message());
  }
  ShardRun run(shards);
  std::vector<Written> written(shards);
  std::vector<fs::path> shard_paths;
  for (std::size_t i = 0; i < shards; ++i) {
    std::string name = std::to_string(i);
    name.insert(name.begin(), 's');  // not "s" + …: GCC 12 -O2 warns falsely (-Wrestrict)
    shard_paths.push_back(scratch / name);
  }
  const auto close_all = [&](bool stop) {
    if (stop) run.stop = true;
    for (auto& q : run.queues) {
      std::lock_guard lock(q.mu);
      q.closed = true;
      q.changed.notify_all();
    }
  };
  std::vector<std::jthread> writers;
  // However this scope is left (an exception from `next`, a thread that cannot start),
  // stop the writers and join them before the state they share goes away.
  struct StopAndJoin {
    decltype(close_all)& close;
    std::vector<std::jthread>& threads;
    ~StopAndJoin() {
      close(true);
      threads.clear();
    }
  } stop_and_join{close_all, writers};
  for (std::size_t i = 0; i < shards; ++i) {
    writers.emplace_back([&, i] { run_shard(run, i, shard_paths[i], written[i]); });
  }

  // Feed from this thread only: `next` need not be thread-safe.
  for (;;) {
    IndexDocument doc;
    if (!next(doc)) break;
    ShardQueue& q = run.queues[shard_of(doc.work_id, shards)];
    std::unique_lock lock(q.mu);
    q.changed.wait(lock, [&] { return q.docs.size() < kQueueLimit || run.stop; });
    if (run.stop) break;  // a writer failed; its error is reported below
    q.docs.push_back(std::move(doc));
    q.changed.notify_all();
  }
  close_all(false);  // the writers drain their queues, commit and finish
  writers.clear();   // join
  if (run.error) return std::unexpected(*run.error);

  std::uint64_t distinct = 0;
  for (const auto& w : written) distinct += w.distinct();
  // The spelling data of all shards, written once into the first shard (compaction
  // copies it): one add_spelling per distinct word instead of one per occurrence.
  {
    for (std::size_t i = 1; i < shards; ++i) run.spelling[0].merge(run.spelling[i]);
    Xapian::WritableDatabase first(shard_paths[0].string(), Xapian::DB_OPEN | kScratchFlags);
    run.spelling[0].write_to(first);
    first.commit();
    first.close();
  }
  Xapian::Database all;
  for (const auto& p : shard_paths) all.add_database(Xapian::Database(p.string()));
  all.compact(path.string());
  all.close();
  // As for a single writer's build: on disk, file by file, before it is verified and
  // swapped in (the shards were written without syncing).
  if (auto synced = sync_tree(path); !synced) return std::unexpected(synced.error());
  return distinct;
}

/// Checks the new build before it goes live: the document count, the schema version,
/// and that the first work is found by its id.
Result<void> verify_build(const fs::path& path, std::uint64_t expected,
                          const std::optional<std::int64_t>& first_work) {
  Xapian::Database db(path.string());
  if (auto ok = check_schema_version(db, path); !ok) return ok;
  const std::uint64_t found = db.get_doccount();
  if (found != expected) {
    return fail(ErrorCode::index, "new build " + path.string() + " holds " + std::to_string(found) +
                                      " documents, expected " + std::to_string(expected));
  }
  if (first_work && db.get_termfreq(id_term(*first_work)) != 1) {
    return fail(ErrorCode::index, "new build " + path.string() + " does not find work " +
                                      std::to_string(*first_work) + " by its id exactly once");
  }
  return {};
}

unsigned shard_count(const RebuildOptions& options) {
  if (options.shards != 0) return options.shards;
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware != 0 ? hardware : 2;
}

}  // namespace

Result<RebuildStats> rebuild(const fs::path& index_root,
                             const std::function<bool(IndexDocument&)>& next,
                             const RebuildOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  fs::create_directories(builds_dir(index_root), ec);
  if (ec) {
    return fail(ErrorCode::io,
                "cannot create " + builds_dir(index_root).string() + ": " + ec.message());
  }

  RebuildStats stats;
  stats.shards = shard_count(options);
  stats.build_name = new_build_name(index_root);
  const fs::path path = builds_dir(index_root) / stats.build_name;
  // Under builds/, so a rebuild that dies leaves nothing the next prune would not remove.
  const fs::path scratch = builds_dir(index_root) / (stats.build_name + ".shards");

  // Remember the first work, to look it up in the finished build.
  std::optional<std::int64_t> first_work;
  const auto counted_next = [&](IndexDocument& doc) {
    const bool more = next(doc);
    if (more && !first_work) first_work = doc.work_id;
    return more;
  };

  Result<std::uint64_t> written = 0;
  try {
    written = stats.shards == 1 ? write_single(path, counted_next)
                                : write_sharded(path, scratch, stats.shards, counted_next);
    if (written) {
      if (auto ok = verify_build(path, *written, first_work); !ok) {
        written = std::unexpected(ok.error());
      }
    }
  } catch (const Xapian::Error& e) {
    written = std::unexpected(xapian_error(e, "cannot write new index build", path));
  } catch (const std::exception& e) {
    // Thrown by the caller's `next`; it must not cross our edge either.
    written = fail(ErrorCode::index,
                   "rebuild of " + path.string() + " stopped by the document source: " + e.what());
  } catch (...) {
    // The caller's own signal (not a std::exception): clean up and let it through.
    fs::remove_all(scratch, ec);
    fs::remove_all(path, ec);
    throw;
  }
  fs::remove_all(scratch, ec);
  if (!written) {
    fs::remove_all(path, ec);  // `current` still names the old build
    return std::unexpected(written.error());
  }
  stats.documents = *written;

  // Keep the build `current` names now as `previous` (for rollback()), then swap. A crash
  // between the two renames leaves `previous` naming the live build: safe, no rollback.
  if (auto live = read_stub(index_root)) {
    const std::string old_name = build_name_of(*live);
    if (fs::is_directory(resolve_target(index_root, *live), ec)) {
      if (auto kept = write_previous_stub(index_root, old_name); !kept) {
        fs::remove_all(path, ec);
        return std::unexpected(kept.error());
      }
      stats.previous_build = old_name;
    }
  }
  if (auto swapped = write_stub(index_root, stats.build_name); !swapped) {
    fs::remove_all(path, ec);
    return std::unexpected(swapped.error());
  }
  stats.removed_builds = prune_builds(index_root);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

Result<RollbackStats> rollback(const fs::path& index_root) {
  auto live = read_stub(index_root);
  if (!live) return std::unexpected(live.error());
  auto previous = read_previous_stub(index_root);
  if (!previous && previous.error().code != ErrorCode::not_found) {
    return std::unexpected(previous.error());
  }
  const std::string live_name = build_name_of(*live);
  if (!previous || build_name_of(*previous) == live_name) {
    return fail(ErrorCode::not_found,
                "no previous build to roll back to in " + index_root.string() +
                    " (a rebuild keeps the build it replaces; there has been no rebuild since "
                    "this index was created, or the last rollback was undone)");
  }
  const std::string name = build_name_of(*previous);
  const fs::path path = resolve_target(index_root, *previous);
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return fail(ErrorCode::not_found,
                "the previous build " + path.string() + " is gone; nothing to roll back to");
  }
  try {
    const Xapian::Database db(path.string());
    if (auto ok = check_schema_version(db, path); !ok) return std::unexpected(ok.error());
  } catch (const Xapian::Error& e) {
    return std::unexpected(xapian_error(e, "cannot open the previous build", path));
  }
  if (auto swapped = write_stub(index_root, name); !swapped) {
    return std::unexpected(swapped.error());
  }
  RollbackStats stats;
  stats.build_name = name;
  // The build rolled back from becomes `previous`: a second rollback undoes the first.
  if (fs::is_directory(resolve_target(index_root, *live), ec)) {
    if (auto kept = write_previous_stub(index_root, live_name); !kept) {
      return std::unexpected(kept.error());
    }
    stats.previous_build = live_name;
  }
  return stats;
}

}  // namespace bzpeer::search
