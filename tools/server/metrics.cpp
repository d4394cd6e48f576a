// bzpeer — `/metrics` (see metrics.hpp).
#include "tools/server/metrics.hpp"

#include <charconv>
#include <cmath>
#include <ctime>
#include <fstream>
#include <initializer_list>
#include <utility>

#include "index/queries/status.hpp"

namespace bzpeer::server {
namespace {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

/// Writes the text format: a family's HELP and TYPE lines, then its samples.
class Exposition {
 public:
  explicit Exposition(std::string& out) : out_(out) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    for (char c : help) {
      if (c == '\\') {
        out_ += "\\\\";
      } else if (c == '\n') {
        out_ += "\\n";
      } else {
        out_ += c;
      }
    }
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, Labels labels, double value) {
    begin(name, labels);
    if (std::isnan(value)) {
      out_ += "NaN";
    } else if (std::isinf(value)) {
      out_ += value > 0 ? "+Inf" : "-Inf";
    } else {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
      out_.append(buf, ec == std::errc() ? end : buf);
    }
    out_ += '\n';
  }
  void sample(std::string_view name, Labels labels, std::int64_t value) {
    begin(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
  }
  void sample(std::string_view name, Labels labels, std::uint64_t value) {
    begin(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
  }

 private:
  void begin(std::string_view name, Labels labels) {
    out_ += name;
    if (labels.size() > 0) {
      out_ += '{';
      bool first = true;
      for (const auto& [key, value] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += key;
        out_ += "=\"";
        for (char c : value) {
          if (c == '\\') {
            out_ += "\\\\";
          } else if (c == '"') {
            out_ += "\\\"";
          } else if (c == '\n') {
            out_ += "\\n";
          } else {
            out_ += c;
          }
        }
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
  }

  std::string& out_;
};

/// "2026-11-27T16:41:06Z" as unix seconds; -1 when it is not such a time.
std::int64_t unix_seconds(const std::string& iso) {
  std::tm tm{};
  const char* end = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) return -1;
  return static_cast<std::int64_t>(timegm(&tm));
}

/// The live build's name from the `current` stub ("auto builds/<name>"); "" when none.
std::string live_build(const std::filesystem::path& index_root) {
  std::ifstream in(index_root / "current");
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  const auto slash = line.rfind('/');
  return slash == std::string::npos ? std::string() : line.substr(slash + 1);
}

/// A bucket bound as people write it ("0.0005", not "5e-04").
std::string bucket_bound(double le) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, le, std::chars_format::fixed);
  return std::string(buf, ec == std::errc() ? end : buf);
}

void write_store(Exposition& x, const std::vector<queries::SourceStatus>& src,
                 const std::vector<queries::HarvestTotals>& totals,
                 const store::StoreStats& stats) {
  x.family("bzpeer_harvest_runs_total", "counter", "Harvest runs recorded, by source and outcome.");
  for (const auto& t : totals) {
    x.sample("bzpeer_harvest_runs_total", {{"source", t.source}, {"status", t.status}}, t.runs);
  }
  // Summed over the statuses: a page or record counts whatever the run's outcome.
  std::vector<queries::HarvestTotals> by_source;
  for (const auto& t : totals) {
    if (by_source.empty() || by_source.back().source != t.source) {
      by_source.push_back({});
      by_source.back().source = t.source;
    }
    auto& s = by_source.back();
    s.pages += t.pages, s.seen += t.seen, s.added += t.added, s.updated += t.updated;
    s.unchanged += t.unchanged, s.deleted += t.deleted, s.quarantined += t.quarantined;
  }
  x.family("bzpeer_harvest_pages_total", "counter", "Pages stored by harvest runs, by source.");
  for (const auto& s : by_source) {
    x.sample("bzpeer_harvest_pages_total", {{"source", s.source}}, s.pages);
  }
  x.family("bzpeer_harvest_records_total", "counter",
           "Records harvested, by source and what became of them (added and updated were "
           "stored).");
  for (const auto& s : by_source) {
    const std::pair<std::string_view, std::int64_t> outcomes[] = {{"added", s.added},
                                                                  {"updated", s.updated},
                                                                  {"unchanged", s.unchanged},
                                                                  {"deleted", s.deleted},
                                                                  {"quarantined", s.quarantined}};
    for (const auto& [outcome, n] : outcomes) {
      x.sample("bzpeer_harvest_records_total", {{"source", s.source}, {"outcome", outcome}}, n);
    }
  }
  x.family("bzpeer_harvest_last_success_timestamp_seconds", "gauge",
           "When the last successful harvest of the source finished (unix seconds).");
  for (const auto& s : src) {
    if (auto t = unix_seconds(s.last_success_at); t >= 0) {
      x.sample("bzpeer_harvest_last_success_timestamp_seconds", {{"source", s.source}}, t);
    }
  }
  x.family("bzpeer_harvest_last_run_timestamp_seconds", "gauge",
           "When the last harvest of the source finished, whatever its outcome (unix seconds).");
  for (const auto& s : src) {
    if (auto t = unix_seconds(s.last_run_at); t >= 0) {
      x.sample("bzpeer_harvest_last_run_timestamp_seconds", {{"source", s.source}}, t);
    }
  }
  x.family("bzpeer_source_records", "gauge",
           "Source records in the store (deleted ones included), by source.");
  for (const auto& s : src)
    x.sample("bzpeer_source_records", {{"source", s.source}}, s.source_records);
  x.family("bzpeer_source_records_deleted", "gauge",
           "Source records the source reported deleted, by source.");
  for (const auto& s : src) {
    x.sample("bzpeer_source_records_deleted", {{"source", s.source}}, s.deleted_records);
  }
  x.family("bzpeer_quarantined_records", "gauge",
           "Records in the quarantine (could not be mapped), by source.");
  for (const auto& s : src)
    x.sample("bzpeer_quarantined_records", {{"source", s.source}}, s.quarantined);

  const std::pair<const char*, std::pair<const char*, std::int64_t>> gauges[] = {
      {"bzpeer_works", {"Works in the store (tombstones excluded).", stats.works}},
      {"bzpeer_works_withdrawn", {"Works marked withdrawn.", stats.withdrawn}},
      {"bzpeer_works_pending_index", {"Works waiting to be indexed.", stats.pending_index}},
      {"bzpeer_authors", {"Author profiles.", stats.authors}},
      {"bzpeer_authorships", {"Author mentions (authorships).", stats.authorships}},
      {"bzpeer_collaborations",
       {"Rows of the collaboration table (author pairs).", stats.collaborations}},
  };
  for (const auto& [name, help_value] : gauges) {
    x.family(name, "gauge", help_value.first);
    x.sample(name, {}, help_value.second);
  }
}

}  // namespace

RequestMetrics::RequestMetrics() {
  add_route(kOtherRoute);
}

std::size_t RequestMetrics::add_route(std::string_view label) {
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i]->label == label) return i;
  }
  routes_.push_back(std::make_unique<Route>());
  routes_.back()->label = std::string(label);
  return routes_.size() - 1;
}

void RequestMetrics::observe(std::size_t route, int status, double seconds) {
  Route& r = *routes_[route < routes_.size() ? route : other()];
  if (status >= 100 && status <= 599) {
    r.by_status[static_cast<std::size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  }
  if (seconds < 0) return;
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  r.sum_ns.fetch_add(static_cast<std::uint64_t>(std::llround(seconds * 1e9)),
                     std::memory_order_relaxed);
}

void RequestMetrics::write(std::string& out) const {
  Exposition x(out);
  x.family("bzpeer_http_requests_total", "counter",
           "HTTP requests answered, by route and status code.");
  for (const auto& r : routes_) {
    for (std::size_t i = 0; i < r->by_status.size(); ++i) {
      const auto n = r->by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      x.sample("bzpeer_http_requests_total",
               {{"route", r->label}, {"code", std::to_string(i + 100)}}, n);
    }
  }
  x.family("bzpeer_http_request_duration_seconds", "histogram",
           "Time from routing a request to writing its answer, by route (seconds).");
  for (const auto& r : routes_) {
    // Each bucket is read once and summed here, so the buckets are cumulative and +Inf
    // equals _count even while requests are being counted.
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < r->buckets.size(); ++i) {
      cumulative += r->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < kBuckets.size() ? bucket_bound(kBuckets[i]) : "+Inf";
      x.sample("bzpeer_http_request_duration_seconds_bucket", {{"route", r->label}, {"le", le}},
               cumulative);
    }
    x.sample("bzpeer_http_request_duration_seconds_sum", {{"route", r->label}},
             static_cast<double>(r->sum_ns.load(std::memory_order_relaxed)) / 1e9);
    x.sample("bzpeer_http_request_duration_seconds_count", {{"route", r->label}}, cumulative);
  }
}

std::string render_metrics(const RequestMetrics& requests, ReaderPool::Lease& readers,
                           const std::filesystem::path& index_root) {
  std::string out;
  Exposition x(out);
  auto store = readers.store();
  std::vector<queries::SourceStatus> sources;
  std::vector<queries::HarvestTotals> totals;
  store::StoreStats stats;
  bool up = false;
  if (store) {
    auto s = queries::source_status(**store);
    auto t = queries::harvest_totals(**store);
    auto st = (*store)->stats();
    if (s && t && st) {
      sources = std::move(*s);
      totals = std::move(*t);
      stats = std::move(*st);
      up = true;
    } else {
      readers.discard();  // a broken connection is not given back to the pool
    }
  }
  x.family("bzpeer_store_up", "gauge", "1 when the store could be read for this scrape, else 0.");
  x.sample("bzpeer_store_up", {}, std::int64_t{up ? 1 : 0});
  if (up) write_store(x, sources, totals, stats);

  std::uint64_t documents = 0;
  bool index_up = false;
  if (auto index = readers.index()) {
    documents = (*index)->document_count();
    index_up = true;
  }
  x.family("bzpeer_index_documents", "gauge", "Documents in the live index build.");
  x.sample("bzpeer_index_documents", {}, documents);
  x.family("bzpeer_index_build_info", "gauge", "The live index build (always 1; see the label).");
  if (const auto build = live_build(index_root); index_up && !build.empty()) {
    x.sample("bzpeer_index_build_info", {{"build", build}}, std::int64_t{1});
  }
  requests.write(out);
  return out;
}

}  // namespace bzpeer::server
