// bzpeer — the harvest job (see harvest_run.hpp).
#include "pipeline/harvest_run.hpp"

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "pipeline/connector_factory.hpp"
#include "pipeline/normalise/dates.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace bzpeer::pipeline {
namespace {

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
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
                json_escape(source).c_str(), std::string(status_name(status)).c_str(),
                static_cast<long long>(counts.seen), static_cast<long long>(counts.added),
                static_cast<long long>(counts.updated), static_cast<long long>(counts.unchanged),
                static_cast<long long>(counts.deleted), static_cast<long long>(counts.quarantined),
                static_cast<long long>(pages), static_cast<long long>(token_restarts), elapsed_s);
  return std::string(buf) + "\"window_from\":\"" + json_escape(window_from) +
         "\",\"window_until\":\"" + json_escape(window_until) + "\",\"message\":\"" +
         json_escape(message) + "\"}";
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

  while (true) {
    const std::string requested_state = state.token;
    auto page = (*connector)->next_page(requested_state);
    summary.token_restarts = (*connector)->stats().state_restarts;
    if (!page) return finish(status_for(page.error()), page.error().describe());
    for (const auto& s : page->skipped) spdlog::warn("{}: skipped {}", src.name, s);

    // Map every record of the page in parallel; the page is stored serially below.
    std::vector<store::MappedRecord> mapped(page->records.size());
    tbb::parallel_for(std::size_t{0}, page->records.size(), [&](std::size_t i) {
      mapped[i].record = std::move(page->records[i]);
      if (!mapped[i].record.deleted) mapped[i].work = parse::map_record(mapped[i].record);
    });
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
    auto counts = store.apply_page(mapped, next);
    if (!counts) return finish(HarvestStatus::storage_error, counts.error().describe());
    summary.counts += *counts;
    ++summary.pages;
    state = next;
    progress.update(
        src.name, summary,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (page->last) break;
  }
  return finish(HarvestStatus::ok, "");
}

Result<store::ConsolidationStats> consolidate_and_index(store::Store& store,
                                                        const std::filesystem::path& index_root) {
  auto stats = store.consolidate();
  if (!stats) return stats;
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
  if (auto r = store.clear_pending_index(); !r) return std::unexpected(r.error());
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
