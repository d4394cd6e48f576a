// bzpeer — the harvest job (see harvest_run.hpp).
#include "pipeline/harvest_run.hpp"

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "pipeline/connector_factory.hpp"
#include "pipeline/model/json_escape.hpp"
#include "pipeline/normalise/dates.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace bzpeer::pipeline {
namespace {

/// CPU seconds used so far by the calling thread / the whole process (for the phase
/// split logged at debug level).
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string_view status_name(HarvestStatus s) {
  switch (s) {
    case HarvestStatus::ok: return "ok";
    case HarvestStatus::temporary_failure: return "temporary-failure";
    case HarvestStatus::protocol_error: return "protocol-error";
    case HarvestStatus::storage_error: return "storage-error";
  }
  return "unknown";
}

/// YYYY-MM-DD minus one day (the overlap of incremental harvests).
std::string day_before(const std::string& date) {
  std::tm tm{};
  if (date.size() < 10 || !strptime(date.substr(0, 10).c_str(), "%Y-%m-%d", &tm)) return date;
  tm.tm_mday -= 1;
  tm.tm_hour = 12;
  timegm(&tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

HarvestStatus status_for(const Error& e) {
  switch (e.code) {
    case ErrorCode::transport:
    case ErrorCode::http_temporary:
    case ErrorCode::parse: return HarvestStatus::temporary_failure;
    case ErrorCode::storage:
    case ErrorCode::io:
    case ErrorCode::locked: return HarvestStatus::storage_error;
    default: return HarvestStatus::protocol_error;
  }
}

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
  void update(const std::string& source, const HarvestSummary& s, double elapsed) {
    if (!enabled_) return;
    double rate = elapsed > 0 ? static_cast<double>(s.counts.seen) / elapsed : 0;
    std::fprintf(stderr, "\r[%s] pages %lld  records %lld  %.0f rec/s  window %s..%s   ",
                 source.c_str(), static_cast<long long>(s.pages),
                 static_cast<long long>(s.counts.seen), rate,
                 s.window_from.empty() ? "start" : s.window_from.c_str(),
                 s.window_until.empty() ? "now" : s.window_until.c_str());
    std::fflush(stderr);
    dirty_ = true;
  }
  ~Progress() {
    if (dirty_) std::fputc('\n', stderr);
  }

 private:
  bool enabled_;
  bool dirty_ = false;
};

}  // namespace

std::string HarvestSummary::to_json() const {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"source\":\"%s\",\"status\":\"%s\",\"seen\":%lld,\"added\":%lld,"
                "\"updated\":%lld,\"unchanged\":%lld,\"deleted\":%lld,\"quarantined\":%lld,"
                "\"pages\":%lld,\"token_restarts\":%lld,\"elapsed_s\":%.3f,",
                json_escaped(source).c_str(), std::string(status_name(status)).c_str(),
                static_cast<long long>(counts.seen), static_cast<long long>(counts.added),
                static_cast<long long>(counts.updated), static_cast<long long>(counts.unchanged),
                static_cast<long long>(counts.deleted), static_cast<long long>(counts.quarantined),
                static_cast<long long>(pages), static_cast<long long>(token_restarts), elapsed_s);
  return std::string(buf) + "\"window_from\":\"" + json_escaped(window_from) +
         "\",\"window_until\":\"" + json_escaped(window_until) + "\",\"message\":\"" +
         json_escaped(message) + "\"}";
}

std::string HarvestSummary::to_line() const {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "harvest %s: %s seen=%lld added=%lld updated=%lld unchanged=%lld deleted=%lld "
                "quarantined=%lld pages=%lld elapsed=%.1fs",
                source.c_str(), std::string(status_name(status)).c_str(),
                static_cast<long long>(counts.seen), static_cast<long long>(counts.added),
                static_cast<long long>(counts.updated), static_cast<long long>(counts.unchanged),
                static_cast<long long>(counts.deleted), static_cast<long long>(counts.quarantined),
                static_cast<long long>(pages), elapsed_s);
  return message.empty() ? std::string(buf) : std::string(buf) + " — " + message;
}

HarvestSummary harvest_source(const HarvestOptions& options, store::Store& store,
                              http::HttpClient& http) {
  const auto started = std::chrono::steady_clock::now();
  const auto& src = options.source;
  HarvestSummary summary;
  summary.source = src.name;
  auto finish = [&](HarvestStatus status, std::string message) {
    summary.status = status;
    summary.message = std::move(message);
    summary.elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  };

  auto cp = store.checkpoint(src.name, src.set, src.metadata_prefix);
  if (!cp) return finish(HarvestStatus::storage_error, cp.error().describe());

  store::Checkpoint state;
  state.source = src.name;
  state.set_spec = src.set;
  state.format = src.metadata_prefix;
  if (*cp) state = **cp;
  const bool explicit_window = !options.from.empty() || !options.until.empty();
  if (explicit_window || state.token.empty()) {
    // A new window: an explicit --from, else one day before the last completed harvest
    // (overlap; upserts make the replay harmless), else the configured start.
    state.token.clear();
    state.pages = 0;
    state.max_datestamp.clear();
    if (!options.from.empty()) {
      state.window_from = options.from;
    } else if (!state.harvested_until.empty()) {
      state.window_from = day_before(state.harvested_until);
    } else {
      state.window_from = src.from;
    }
    state.window_until = options.until;
  } else {
    spdlog::info("{}: resuming window {}..{} after {} committed pages", src.name,
                 state.window_from.empty() ? "start" : state.window_from,
                 state.window_until.empty() ? "now" : state.window_until, state.pages);
  }
  summary.window_from = state.window_from;
  summary.window_until = state.window_until;

  auto connector = make_connector(src, HarvestWindow{state.window_from, state.window_until}, http);
  if (!connector) return finish(HarvestStatus::protocol_error, connector.error().describe());
  Progress progress(options.progress);
  int empty_pages = 0;

  // One page ahead: while the store writes page n (one core), page n+1 is fetched,
  // parsed and mapped (the other). Only the fetching thread uses the connector.
  struct Fetched {
    std::string requested_state;
    Result<ConnectorPage> page = std::unexpected(Error{ErrorCode::protocol, "not fetched"});
    std::vector<store::MappedRecord> mapped;
    long long state_restarts = 0;
    double cpu_fetch = 0, cpu_map = 0;
  };
  auto fetch = [&connector](std::string requested_state) {
    Fetched f;
    f.requested_state = std::move(requested_state);
    const double t0 = thread_cpu_s();
    f.page = (*connector)->next_page(f.requested_state);
    f.cpu_fetch = thread_cpu_s() - t0;
    f.state_restarts = (*connector)->stats().state_restarts;
    if (!f.page) return f;
    // Map every record of the page in parallel; the page is stored serially.
    f.mapped.resize(f.page->records.size());
    std::atomic<std::int64_t> map_ns{0};
    tbb::parallel_for(std::size_t{0}, f.page->records.size(), [&](std::size_t i) {
      const double m0 = thread_cpu_s();
      auto& m = f.mapped[i];
      m.record = std::move(f.page->records[i]);
      if (!m.record.deleted) m.work = parse::map_record(m.record);
      store::prepare_for_store(m);
      map_ns += static_cast<std::int64_t>((thread_cpu_s() - m0) * 1e9);
    });
    f.cpu_map = static_cast<double>(map_ns.load()) * 1e-9;
    return f;
  };
  double cpu_fetch = 0, cpu_map = 0, cpu_store = 0;
  std::future<Fetched> ahead = std::async(std::launch::async, fetch, state.token);
  while (true) {
    Fetched fetched = ahead.get();
    const std::string& requested_state = fetched.requested_state;
    cpu_fetch += fetched.cpu_fetch;
    cpu_map += fetched.cpu_map;
    summary.token_restarts = fetched.state_restarts;
    auto& page = fetched.page;
    if (!page) return finish(status_for(page.error()), page.error().describe());
    for (const auto& s : page->skipped) spdlog::warn("{}: skipped {}", src.name, s);
    const std::vector<store::MappedRecord>& mapped = fetched.mapped;
    for (const auto& m : mapped) {
      if (!m.record.deleted && !m.work) spdlog::warn("quarantined: {}", m.work.error().message);
      if (m.record.datestamp > state.max_datestamp) state.max_datestamp = m.record.datestamp;
    }

    store::Checkpoint next = state;
    next.pages = state.pages + 1;
    next.token = page->last ? std::string() : page->next_state;
    next.token_expires = page->last ? std::string() : page->next_state_expires;
    if (page->last) next.harvested_until = page->complete_until;
    if (!page->last && page->next_state == requested_state) {
      return finish(HarvestStatus::protocol_error,
                    src.name + ": the source returned the same position again (\"" +
                        requested_state + "\"); stopping to avoid a loop");
    }
    empty_pages = mapped.empty() && !page->last ? empty_pages + 1 : 0;
    if (empty_pages > options.max_empty_pages) {
      return finish(HarvestStatus::protocol_error,
                    src.name + ": " + std::to_string(empty_pages) +
                        " empty pages in a row that promise more; stopping");
    }
    if (mapped.empty() && page->last) {
      // Nothing to store (e.g. noRecordsMatch): only the checkpoint moves.
      next.pages = state.pages;
      if (auto saved = store.save_checkpoint(next); !saved) {
        return finish(HarvestStatus::storage_error, saved.error().describe());
      }
      state = next;
      break;
    }
    if (!page->last) ahead = std::async(std::launch::async, fetch, next.token);
    const double t0 = thread_cpu_s();
    auto counts = store.apply_page(mapped, next);
    cpu_store += thread_cpu_s() - t0;
    if (!counts) return finish(HarvestStatus::storage_error, counts.error().describe());
    summary.counts += *counts;
    ++summary.pages;
    state = next;
    progress.update(
        src.name, summary,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (page->last) break;
  }
  spdlog::debug("{}: CPU s: fetch+parse {:.2f}, map {:.2f}, store {:.2f}", src.name, cpu_fetch,
                cpu_map, cpu_store);
  return finish(HarvestStatus::ok, "");
}

namespace {

/// Documents in the live build; 0 when there is no index yet. Any other trouble opening it
/// gives nullopt: the in-place update then reports it (or, for an index of another schema
/// version, refuses as before).
std::optional<std::uint64_t> indexed_documents(const std::filesystem::path& index_root) {
  auto reader = search::IndexReader::open(index_root);
  if (reader) return reader->document_count();
  if (reader.error().code == ErrorCode::not_found) return 0;
  return std::nullopt;
}

bool should_rebuild(std::uint64_t pending, const std::optional<std::uint64_t>& indexed,
                    const IndexUpdateOptions& options) {
  if (!indexed || pending == 0 || pending < options.rebuild_min_pending) return false;
  return static_cast<double>(pending) >= options.rebuild_fraction * static_cast<double>(*indexed);
}

/// The in-place update: the pending works replaced (the writer commits every few hundred),
/// the deleted ones removed, a final commit, then the pending marks cleared.
Result<void> update_index(store::Store& store, const std::filesystem::path& index_root) {
  auto writer = search::IndexWriter::open(index_root);
  if (!writer) return std::unexpected(writer.error());
  std::optional<Error> failure;
  std::vector<std::int64_t> removed;
  auto fed = store.for_each_index_document(
      false,
      [&](const search::IndexDocument& doc) {
        if (failure) return;
        if (auto r = writer->upsert(doc); !r) failure = r.error();
      },
      &removed);
  if (!fed) return std::unexpected(fed.error());
  if (failure) return std::unexpected(*failure);
  for (auto id : removed) {
    if (auto r = writer->remove(id); !r) return std::unexpected(r.error());
  }
  if (auto r = writer->commit(); !r) return std::unexpected(r.error());
  return store.clear_pending_index();
}

}  // namespace

Result<store::ConsolidationStats> consolidate_and_index(store::Store& store,
                                                        const std::filesystem::path& index_root,
                                                        const IndexUpdateOptions& options,
                                                        IndexUpdate* used) {
  using Clock = std::chrono::steady_clock;
  const auto wall0 = Clock::now();
  const double t0 = process_cpu_s();
  auto stats = store.consolidate();
  if (!stats) return stats;
  const double t1 = process_cpu_s();
  const auto wall1 = Clock::now();
  const auto pending =
      static_cast<std::uint64_t>(std::max<std::int64_t>(stats->works_reindexed, 0));
  const auto indexed = indexed_documents(index_root);
  const IndexUpdate path =
      should_rebuild(pending, indexed, options) ? IndexUpdate::rebuild : IndexUpdate::incremental;
  if (used) *used = path;
  if (path == IndexUpdate::rebuild) {
    spdlog::info("{} works to index, {} in the index: rebuilding it", pending, *indexed);
    auto rebuilt = rebuild_index(store, index_root);  // clears the marks after the swap
    if (!rebuilt) return std::unexpected(rebuilt.error());
  } else if (auto updated = update_index(store, index_root); !updated) {
    return std::unexpected(updated.error());
  }
  const auto wall = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  spdlog::debug("consolidate {:.2f} s ({:.2f} CPU s), index {:.2f} s ({:.2f} CPU s, {})",
                wall(wall1 - wall0), t1 - t0, wall(Clock::now() - wall1), process_cpu_s() - t1,
                path == IndexUpdate::rebuild ? "rebuild" : "in place");
  return stats;
}

Result<search::RebuildStats> rebuild_index(store::Store& store,
                                           const std::filesystem::path& index_root) {
  // The store pushes documents, the index builder pulls them: a bounded queue between a
  // reader thread and the builder lets SQLite reads overlap Xapian indexing.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<search::IndexDocument> queue;
  bool done = false;
  std::optional<Error> read_error;
  constexpr std::size_t kQueueLimit = 1024;

  std::jthread reader([&] {
    auto r = store.for_each_index_document(
        true,
        [&](const search::IndexDocument& doc) {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return queue.size() < kQueueLimit; });
          queue.push_back(doc);
          cv.notify_all();
        },
        nullptr);
    std::lock_guard lock(mu);
    if (!r) read_error = r.error();
    done = true;
    cv.notify_all();
  });
  struct ReadFailed {};
  auto next = [&](search::IndexDocument& out) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return !queue.empty() || done; });
    // A store read error must not look like the end of the works: abort the build so
    // the half-built index is never swapped in.
    if (queue.empty() && read_error) throw ReadFailed{};
    if (queue.empty()) return false;
    out = std::move(queue.front());
    queue.pop_front();
    cv.notify_all();
    return true;
  };
  Result<search::RebuildStats> stats = fail(ErrorCode::index, "rebuild did not run");
  try {
    stats = search::rebuild(index_root, next);
  } catch (const ReadFailed&) {
    stats = fail(ErrorCode::storage, "rebuild aborted: the store could not be read");
  }
  {
    // If the build stopped early, drain so the reader thread can finish.
    std::unique_lock lock(mu);
    cv.wait(lock, [&] {
      queue.clear();
      cv.notify_all();
      return done;
    });
  }
  reader.join();
  if (read_error) return std::unexpected(*read_error);
  if (stats) {
    if (auto r = store.clear_pending_index(); !r) return std::unexpected(r.error());
  }
  return stats;
}

}  // namespace bzpeer::pipeline
