// bzpeer — rebuild: write a complete new build beside the live one, then swap `current`.
//
// One shard: documents go straight into the build. Several: the calling thread pulls
// documents from `next` and hands each to the shard its work_id hashes to; one thread
// per shard builds the Xapian documents and writes them into a series of small databases
// (parts); Xapian's compaction then merges all parts into the build. Building documents
// (tokenising, stemming) and writing them is where the time goes, and each shard is a separate
// database, so the writers share nothing but their input queues.
//
// What made a rebuild slower than it needs to be (profiled with perf and bench_rebuild;
// figures in the notes of issue 8):
// - spelling data added word by word (Xapian's add_spelling per occurrence: a map lookup,
//   often a B-tree lookup, and fragment bookkeeping each time). A rebuild counts spelling
//   words in memory (SpellingCollector) and writes each distinct word once per database,
//   in sorted order;
// - large batches (Xapian's inverter keeps a batch in std::maps, which get slower as they
//   fill). A rebuild commits small batches (kCommitEvery) without fsync (kScratchFlags),
//   syncing the finished build once;
// - large databases: each commit merges the batch into B-trees that grow with the
//   database, so the rate fell as a shard filled up, and the more so the more works.
//   A shard writer writes a series of small databases ("parts", kPartDocuments) and the
//   final compaction merges all of them, which it does in one ordered pass anyway.
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
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include "index/search/document_builder.hpp"
#include "index/search/index_files.hpp"
#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

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

/// Documents in a shard writer's first part (see RebuildOptions::part_documents): a
/// writer closes its database after that many and goes on in a new one, and the compaction
/// merges all the parts. Each commit merges the batch into the posting lists, position
/// lists and termlists, touching blocks all over the B-trees; the larger the database, the
/// more blocks a batch dirties and the slower a commit gets, so a shard written as one
/// database indexes more slowly the more works it holds (measured in the notes of issue 8:
/// 50,000 works in parts of 5,000 took about 10% less CPU than in two whole shards, and
/// half the memory). The compaction, which reads each part once in key order, does the
/// merging instead. Part k (from 0) holds kPartDocuments * (1 + k / 4) documents, so the
/// number of parts, and of files the compaction opens, grows with the square root of the
/// number of works: 10 parts per shard for 100,000, 45 for 1,250,000.
constexpr std::uint64_t kPartDocuments = 5000;

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
  explicit ShardRun(std::size_t n, std::uint64_t per_part) : queues(n), part_documents(per_part) {}
  std::vector<ShardQueue> queues;
  std::uint64_t part_documents;
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

/// What one shard writer wrote.
struct ShardOutput {
  Written written;
  std::vector<fs::path> parts;  ///< its databases, in the order written
  double spelling_seconds = 0;  ///< writing spelling words into the parts
};

/// One shard writer: drains its queue into databases ("parts") under `dir`, a new one
/// every run.part_documents documents. Each part gets the spelling words of its own
/// documents when it is closed (the compaction adds up the frequencies of a word found in
/// several parts), so the writers also share the cost of the spelling data. A work given
/// again replaces its earlier version: in the same part by replace_document, in an earlier
/// part by deleting it there once the writer is done.
void run_shard(ShardRun& run, std::size_t index, const fs::path& dir, ShardOutput& out) {
  ShardQueue& queue = run.queues[index];
  fs::path part_path = dir;
  try {
    std::unordered_map<std::int64_t, std::uint32_t> part_of;  ///< work id → latest part
    std::vector<std::vector<std::string>> replaced;  ///< per part: id terms to delete there
    // The parts are scratch: no fsync (the compacted build is synced) and no concurrent
    // readers, so Xapian may update blocks in place.
    std::optional<Xapian::WritableDatabase> db;
    std::optional<Xapian::TermGenerator> terms;
    SpellingCollector spelling;
    std::uint64_t in_part = 0;
    const auto open_part = [&] {
      std::string name = std::to_string(out.parts.size());
      name.insert(name.begin(), 'p');  // not "p" + …: GCC 12 -O2 warns falsely (-Wrestrict)
      part_path = dir / name;
      db.emplace(part_path.string(), Xapian::DB_CREATE | kScratchFlags);
      terms.emplace(make_term_generator(*db));
      out.parts.push_back(part_path);
      replaced.emplace_back();
      in_part = 0;
    };
    const auto close_part = [&] {
      const auto spelling_from = Clock::now();
      spelling.write_to(*db);
      spelling.clear();
      out.spelling_seconds += seconds_since(spelling_from);
      set_schema_version(*db);
      db->commit();
      db->close();
      terms.reset();
      db.reset();
    };
    open_part();
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
      if (in_part == run.part_documents + run.part_documents * (out.parts.size() - 1) / 4) {
        close_part();
        open_part();
      }
      const auto part = static_cast<std::uint32_t>(out.parts.size() - 1);
      std::string id = id_term(doc.work_id);
      if (auto [at, fresh] = part_of.try_emplace(doc.work_id, part); !fresh) {
        ++out.written.repeated;
        if (at->second != part) {
          replaced[at->second].push_back(id);
          at->second = part;
        }
      }
      db->replace_document(id, build_document(doc, *terms, &spelling));
      ++out.written.given;
      if (++in_part % kCommitEvery == 0) db->commit();
    }
    close_part();
    for (std::size_t p = 0; p < replaced.size(); ++p) {
      if (replaced[p].empty()) continue;
      part_path = out.parts[p];
      Xapian::WritableDatabase old(part_path.string(), Xapian::DB_OPEN | kScratchFlags);
      for (const auto& id : replaced[p]) old.delete_document(id);
      old.commit();
      old.close();
    }
  } catch (const Xapian::Error& e) {
    run.record(xapian_error(e, "cannot write index shard", part_path));
  } catch (const std::exception& e) {
    run.record(Error{ErrorCode::index,
                     "cannot write index shard " + part_path.string() + ": " + e.what()});
  }
}

/// Writes every document from `next` into a new database at `path`. Returns the number of
/// distinct works written.
Result<std::uint64_t> write_single(const fs::path& path,
                                   const std::function<bool(IndexDocument&)>& next,
                                   RebuildPhases& phases) {
  auto phase = Clock::now();
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE | kScratchFlags);
  Xapian::TermGenerator terms = make_term_generator(db);
  SpellingCollector spelling;
  Written written;
  for (;;) {
    IndexDocument doc;
    if (!next(doc)) break;
    write_document(db, terms, spelling, doc, written);
  }
  db.commit();
  phases.write = seconds_since(phase);
  phase = Clock::now();
  spelling.write_to(db);
  set_schema_version(db);
  db.commit();
  db.close();  // release the lock and files before the build is checked and goes live
  phases.spelling = seconds_since(phase);
  phase = Clock::now();
  if (auto synced = sync_tree(path); !synced) return std::unexpected(synced.error());
  phases.sync = seconds_since(phase);
  return written.distinct();
}

/// Writes `shards` databases under `scratch` in parallel, then compacts them into `path`.
/// Returns the number of distinct works written.
Result<std::uint64_t> write_sharded(const fs::path& path, const fs::path& scratch,
                                    std::size_t shards, std::uint64_t part_documents,
                                    const std::function<bool(IndexDocument&)>& next,
                                    RebuildPhases& phases) {
  auto phase = Clock::now();
  if (std::error_code ec; !fs::create_directories(scratch, ec) || ec) {
    return fail(ErrorCode::io, "cannot create " + scratch.string() + ": " + ec.message());
  }
  ShardRun run(shards, part_documents);
  std::vector<ShardOutput> outputs(shards);
  std::vector<fs::path> shard_dirs;
  for (std::size_t i = 0; i < shards; ++i) {
    std::string name = std::to_string(i);
    name.insert(name.begin(), 's');  // not "s" + …: GCC 12 -O2 warns falsely (-Wrestrict)
    shard_dirs.push_back(scratch / name);
    if (std::error_code ec; !fs::create_directories(shard_dirs.back(), ec) || ec) {
      return fail(ErrorCode::io,
                  "cannot create " + shard_dirs.back().string() + ": " + ec.message());
    }
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
    writers.emplace_back([&, i] { run_shard(run, i, shard_dirs[i], outputs[i]); });
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

  phases.write = seconds_since(phase);
  phase = Clock::now();

  std::uint64_t distinct = 0;
  Xapian::Database all;
  for (const auto& shard : outputs) {
    distinct += shard.written.distinct();
    phases.spelling += shard.spelling_seconds;
    for (const auto& part : shard.parts) all.add_database(Xapian::Database(part.string()));
  }
  all.compact(path.string());
  all.close();
  phases.compact = seconds_since(phase);
  phase = Clock::now();
  // As for a single writer's build: on disk, file by file, before it is verified and
  // swapped in (the shards were written without syncing).
  if (auto synced = sync_tree(path); !synced) return std::unexpected(synced.error());
  phases.sync = seconds_since(phase);
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
  const auto started = Clock::now();
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
    const auto asked = Clock::now();
    const bool more = next(doc);
    stats.phases.feed += seconds_since(asked);
    if (more && !first_work) first_work = doc.work_id;
    return more;
  };

  Result<std::uint64_t> written = 0;
  try {
    written = stats.shards == 1 ? write_single(path, counted_next, stats.phases)
                                : write_sharded(path, scratch, stats.shards,
                                                options.part_documents != 0 ? options.part_documents
                                                                            : kPartDocuments,
                                                counted_next, stats.phases);
    if (written) {
      const auto verifying = Clock::now();
      if (auto ok = verify_build(path, *written, first_work); !ok) {
        written = std::unexpected(ok.error());
      }
      stats.phases.verify = seconds_since(verifying);
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
  const auto swapping = Clock::now();

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
  stats.phases.swap = seconds_since(swapping);
  stats.seconds = seconds_since(started);
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
