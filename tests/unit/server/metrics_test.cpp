// `/metrics` over real HTTP on loopback: the Prometheus text exposition (0.0.4) parsed by a
// strict parser written here, its figures compared with /api/stats and the store, and the
// request counters and latency histogram moving with requests.
#include <charconv>
#include <cmath>
#include <ctime>
#include <expected>
#include <fstream>
#include <limits>
#include <set>
#include <thread>

#include "index/store/store_impl.hpp"
#include "pipeline/harvest_run.hpp"
#include "server_fixture.hpp"
#include "tools/server/metrics.hpp"

namespace bzpeer::server::testing {
namespace {

// --- a strict parser of the text exposition format -----------------------------------------

using LabelSet = std::map<std::string, std::string>;

struct Sample {
  std::string name;
  LabelSet labels;
  double value = 0;
};

struct Family {
  std::string help, type;
  std::vector<Sample> samples;
};

struct Exposition {
  std::map<std::string, Family> families;

  /// The value of the sample `name` with exactly `labels`; nullopt when there is none.
  [[nodiscard]] std::optional<double> value(const std::string& name,
                                            const LabelSet& labels = {}) const {
    for (const auto& [_, f] : families) {
      for (const auto& s : f.samples) {
        if (s.name == name && s.labels == labels) return s.value;
      }
    }
    return std::nullopt;
  }
  /// value(), or 0 for a series not exposed yet (counters with labels appear on first use).
  [[nodiscard]] double count(const std::string& name, const LabelSet& labels) const {
    return value(name, labels).value_or(0);
  }
};

bool is_name(std::string_view s, bool colon_allowed) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::optional<double> parse_float(std::string_view s) {
  if (s == "+Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Parses `{name="value",...}` starting at text[pos] == '{'; moves pos past the '}'.
std::expected<LabelSet, std::string> parse_labels(std::string_view text, std::size_t& pos) {
  LabelSet labels;
  ++pos;  // '{'
  while (true) {
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      return labels;
    }
    const auto eq = text.find('=', pos);
    if (eq == std::string_view::npos) return std::unexpected("label without '='");
    const std::string name(text.substr(pos, eq - pos));
    if (!is_name(name, false) || name.starts_with("__")) {
      return std::unexpected("bad label name \"" + name + "\"");
    }
    pos = eq + 1;
    if (pos >= text.size() || text[pos] != '"') return std::unexpected("unquoted label value");
    ++pos;
    std::string value;
    while (true) {
      if (pos >= text.size()) return std::unexpected("unterminated label value");
      const char c = text[pos++];
      if (c == '"') break;
      if (c == '\\') {
        if (pos >= text.size()) return std::unexpected("dangling escape");
        const char e = text[pos++];
        if (e == '\\' || e == '"') {
          value += e;
        } else if (e == 'n') {
          value += '\n';
        } else {
          return std::unexpected(std::string("bad escape \\") + e + " in a label value");
        }
      } else {
        value += c;
      }
    }
    if (!labels.emplace(name, value).second) {
      return std::unexpected("label \"" + name + "\" given twice");
    }
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
    } else if (pos >= text.size() || text[pos] != '}') {
      return std::unexpected("expected ',' or '}' after a label");
    }
  }
}

/// Checks one histogram: per label set (without `le`), buckets in increasing `le` ending
/// with +Inf, cumulative counts that never decrease, +Inf == _count, and a _sum.
std::optional<std::string> check_histogram(const std::string& name, const Family& f) {
  struct Series {
    std::vector<std::pair<double, double>> buckets;
    std::optional<double> sum, count;
  };
  std::map<LabelSet, Series> series;
  for (const auto& s : f.samples) {
    LabelSet key = s.labels;
    if (s.name == name + "_bucket") {
      auto le = key.find("le");
      if (le == key.end()) return "a bucket of " + name + " has no le";
      auto bound = parse_float(le->second);
      if (!bound) return "le=\"" + le->second + "\" of " + name + " is not a float";
      key.erase(le);
      series[key].buckets.emplace_back(*bound, s.value);
    } else if (key.contains("le")) {
      return s.name + " must not have an le label";
    } else if (s.name == name + "_sum") {
      series[key].sum = s.value;
    } else if (s.name == name + "_count") {
      series[key].count = s.value;
    } else {
      return s.name + " is no sample name of histogram " + name;
    }
  }
  for (const auto& [labels, s] : series) {
    if (s.buckets.empty() || !std::isinf(s.buckets.back().first)) {
      return name + ": the last bucket is not le=\"+Inf\"";
    }
    for (std::size_t i = 1; i < s.buckets.size(); ++i) {
      if (!(s.buckets[i].first > s.buckets[i - 1].first)) return name + ": le not increasing";
      if (s.buckets[i].second < s.buckets[i - 1].second) return name + ": buckets not cumulative";
    }
    if (!s.count || !s.sum) return name + ": _count or _sum missing";
    if (*s.count != s.buckets.back().second) return name + ": +Inf bucket differs from _count";
  }
  return std::nullopt;
}

std::expected<Exposition, std::string> parse_exposition(std::string_view text) {
  Exposition out;
  if (text.empty() || text.back() != '\n') return std::unexpected("text must end with a newline");
  std::string current;             // the family whose samples are being read
  std::set<std::string> finished;  // families whose samples are over
  std::set<std::pair<std::string, LabelSet>> seen;
  std::size_t line_no = 0;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    auto bad = [&](const std::string& why) {
      return std::unexpected("line " + std::to_string(line_no) + " \"" + std::string(line) +
                             "\": " + why);
    };
    if (line.empty()) return bad("empty line");
    if (line.find('\r') != std::string_view::npos) return bad("carriage return");
    if (line.starts_with("#")) {
      const bool help = line.starts_with("# HELP ");
      if (!help && !line.starts_with("# TYPE ")) return bad("a comment other than HELP/TYPE");
      const auto rest = line.substr(7);
      const auto sp = rest.find(' ');
      if (sp == std::string_view::npos) return bad("no text after the name");
      const std::string name(rest.substr(0, sp));
      if (!is_name(name, true)) return bad("bad metric name");
      if (finished.contains(name) || name == current) return bad("HELP/TYPE after samples");
      auto& f = out.families[name];
      if (help) {
        if (!f.help.empty() || !f.type.empty()) return bad("HELP twice, or after TYPE");
        f.help = std::string(rest.substr(sp + 1));
        for (std::size_t i = 0; i < f.help.size(); ++i) {
          if (f.help[i] == '\\' &&
              (i + 1 == f.help.size() || (f.help[i + 1] != '\\' && f.help[i + 1] != 'n'))) {
            return bad("bad escape in HELP");
          }
          if (f.help[i] == '\\') ++i;
        }
        if (f.help.empty()) return bad("empty HELP");
      } else {
        if (f.help.empty()) return bad("TYPE before HELP");
        if (!f.type.empty()) return bad("TYPE twice");
        f.type = std::string(rest.substr(sp + 1));
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.contains(f.type)) return bad("unknown type");
        if (!current.empty()) finished.insert(current);
        current = name;
      }
      continue;
    }
    // A sample: name[{labels}] value [timestamp]
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] != '{' && line[pos] != ' ') ++pos;
    Sample sample;
    sample.name = std::string(line.substr(0, pos));
    if (!is_name(sample.name, true)) return bad("bad metric name");
    if (pos < line.size() && line[pos] == '{') {
      auto labels = parse_labels(line, pos);
      if (!labels) return bad(labels.error());
      sample.labels = std::move(*labels);
    }
    if (pos >= line.size() || line[pos] != ' ') return bad("no space before the value");
    const auto fields = line.substr(pos + 1);
    const auto sp = fields.find(' ');
    auto value = parse_float(fields.substr(0, sp));
    if (!value) return bad("the value is not a float");
    if (sp != std::string_view::npos) {
      std::int64_t ts = 0;
      const auto t = fields.substr(sp + 1);
      auto [e, ec] = std::from_chars(t.data(), t.data() + t.size(), ts);
      if (ec != std::errc() || e != t.data() + t.size()) return bad("bad timestamp");
    }
    sample.value = *value;
    // The family: the sample's own name, or a histogram's name without its suffix.
    std::string family = sample.name;
    if (!out.families.contains(family)) {
      for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
        if (family.ends_with(suffix)) {
          const auto base = family.substr(0, family.size() - suffix.size());
          if (out.families.contains(base) && out.families[base].type == "histogram") {
            family = base;
          }
        }
      }
    }
    auto it = out.families.find(family);
    if (it == out.families.end() || it->second.type.empty()) return bad("no HELP/TYPE before it");
    if (family != current) return bad("not next to its family's TYPE line");
    if (it->second.type == "counter" && (!family.ends_with("_total") || sample.value < 0)) {
      return bad("a counter must be named *_total and not be negative");
    }
    if (!seen.emplace(sample.name, sample.labels).second) return bad("the same series twice");
    it->second.samples.push_back(std::move(sample));
  }
  for (const auto& [name, f] : out.families) {
    if (f.type.empty()) return std::unexpected(name + ": HELP without TYPE");
    if (f.type == "histogram") {
      if (auto why = check_histogram(name, f)) return std::unexpected(*why);
    }
  }
  return out;
}

// --- the parser itself must reject what is wrong ---------------------------------------------

TEST(ExpositionParser, AcceptsAWellFormedText) {
  auto e = parse_exposition(
      "# HELP a_total A counter.\n# TYPE a_total counter\na_total{x=\"q\\\"\\\\\\n\"} 3\n"
      "# HELP h A histogram.\n# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} "
      "2\nh_sum 0.5\nh_count 2\n# HELP g A gauge.\n# TYPE g gauge\ng 1.5e-3\n");
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(e->value("a_total", {{"x", "q\"\\\n"}}), 3);
  EXPECT_EQ(e->value("g"), 1.5e-3);
}

TEST(ExpositionParser, RejectsMalformedTexts) {
  const char* bad[] = {
      "g 1\n",                                                            // no HELP/TYPE
      "# TYPE g gauge\n# HELP g G.\ng 1\n",                               // TYPE before HELP
      "# HELP g G.\n# TYPE g gauge\ng one\n",                             // value not a float
      "# HELP g G.\n# TYPE g gauge\ng{1x=\"a\"} 1\n",                     // label name
      "# HELP g G.\n# TYPE g gauge\ng{x=a} 1\n",                          // unquoted value
      "# HELP g G.\n# TYPE g gauge\ng{x=\"\\t\"} 1\n",                    // bad escape
      "# HELP g G.\n# TYPE g gauge\ng 1\ng 2\n",                          // same series twice
      "# HELP g G.\n# TYPE g gauge\ng 1",                                 // no final newline
      "# HELP c C.\n# TYPE c counter\nc 1\n",                             // counter not *_total
      "# HELP g G.\n# TYPE g gauge\n# HELP f F.\n# TYPE f gauge\ng 1\n",  // not next to TYPE
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
      "h_sum 1\nh_count 1\n",  // not cumulative
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
      "h_sum 1\nh_count 3\n",  // +Inf != _count
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  // no +Inf
  };
  for (const char* text : bad) EXPECT_FALSE(parse_exposition(text)) << text;
}

// --- RequestMetrics in-process --------------------------------------------------------------

TEST(RequestMetrics, CountsFromManyThreadsAddUpAndLandInTheRightBucket) {
  RequestMetrics m;
  const auto route = m.add_route("/api/search");
  EXPECT_EQ(m.add_route("/api/search"), route);
  constexpr int kThreads = 4, kEach = 2000;
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&m, route, t] {
        for (int i = 0; i < kEach; ++i) m.observe(route, t == 0 ? 404 : 200, 0.003);
      });
    }
  }
  m.observe(route, 200, -1);  // never routed: counted, not timed
  std::string text;
  m.write(text);
  auto e = parse_exposition(text);
  ASSERT_TRUE(e) << e.error() << "\n" << text;
  const LabelSet r = {{"route", "/api/search"}};
  EXPECT_EQ(e->count("bzpeer_http_requests_total", {{"route", "/api/search"}, {"code", "200"}}),
            (kThreads - 1) * kEach + 1);
  EXPECT_EQ(e->count("bzpeer_http_requests_total", {{"route", "/api/search"}, {"code", "404"}}),
            kEach);
  EXPECT_EQ(e->value("bzpeer_http_request_duration_seconds_count", r), kThreads * kEach);
  // 3 ms is above the 2.5 ms bound and within the 5 ms one.
  EXPECT_EQ(e->value("bzpeer_http_request_duration_seconds_bucket",
                     {{"route", "/api/search"}, {"le", "0.0025"}}),
            0);
  EXPECT_EQ(e->value("bzpeer_http_request_duration_seconds_bucket",
                     {{"route", "/api/search"}, {"le", "0.005"}}),
            kThreads * kEach);
  EXPECT_NEAR(*e->value("bzpeer_http_request_duration_seconds_sum", r), kThreads * kEach * 0.003,
              1e-6);
}

// --- over HTTP, against the harvested sample -------------------------------------------------

Exposition scrape(const std::string& metrics_url) {
  HttpReply reply = http_get(metrics_url);
  EXPECT_EQ(reply.curl_error, "");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  auto e = parse_exposition(reply.body);
  EXPECT_TRUE(e) << e.error() << "\n" << reply.body;
  return e ? *e : Exposition{};
}

TEST_F(ServerTest, MetricsMatchTheStoreAndTheIndex) {
  const Exposition e = scrape(url("/metrics"));
  auto stats = get_json("/api/stats", 200);
  EXPECT_EQ(e.value("bzpeer_store_up"), 1);
  EXPECT_EQ(e.value("bzpeer_works"), double(int64_t(stats["works"])));
  EXPECT_EQ(e.value("bzpeer_authors"), double(int64_t(stats["authors"])));
  EXPECT_EQ(e.value("bzpeer_authorships"), double(int64_t(stats["authorships"])));
  EXPECT_EQ(e.value("bzpeer_collaborations"), double(int64_t(stats["collaborations"])));
  EXPECT_EQ(e.value("bzpeer_works_pending_index"), double(int64_t(stats["pending_index"])));
  EXPECT_EQ(e.value("bzpeer_source_records", {{"source", "arxiv"}}),
            double(int64_t(stats["source_records"])));
  EXPECT_EQ(e.value("bzpeer_source_records_deleted", {{"source", "arxiv"}}),
            double(int64_t(stats["deleted_records"])));
  EXPECT_EQ(e.value("bzpeer_quarantined_records", {{"source", "arxiv"}}),
            double(int64_t(stats["quarantined"])));
  EXPECT_EQ(e.value("bzpeer_index_documents"), double(uint64_t(stats["index_documents"])));
  EXPECT_GT(*e.value("bzpeer_works"), 0);
  EXPECT_GT(*e.value("bzpeer_collaborations"), 0);

  // The live build is the one `current` names.
  std::ifstream current(dir_->path() / "index" / "current");
  std::string stub;
  std::getline(current, stub);
  ASSERT_TRUE(stub.starts_with("auto builds/")) << stub;
  EXPECT_EQ(e.value("bzpeer_index_build_info", {{"build", stub.substr(12)}}), 1);
  ASSERT_TRUE(e.families.contains("bzpeer_index_build_info"));
  EXPECT_EQ(e.families.at("bzpeer_index_build_info").samples.size(), 1u);

  // Every registered route has a histogram, counted or not yet.
  for (const std::string route : {"/api/search", "/api/stats", "/api/works/{id}",
                                  "/api/authors/{id}/graph", "/metrics", "page", "other"}) {
    EXPECT_TRUE(e.value("bzpeer_http_request_duration_seconds_count", {{"route", route}})) << route;
  }
}

TEST_F(ServerTest, MetricsCountEachRequestByRouteAndStatus) {
  const Exposition before = scrape(url("/metrics"));
  auto stats = http_get(url("/api/stats"));
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(http_get(url("/api/stats"), {"If-None-Match: " + stats.header("etag")}).status, 304);
  EXPECT_EQ(http_get(url("/api/works/999999999")).status, 404);
  EXPECT_EQ(http_get(url("/no/such/page")).status, 404);
  EXPECT_EQ(http_get(url("/search")).status, 200);
  const Exposition after = scrape(url("/metrics"));

  auto delta = [&](const LabelSet& labels) {
    return after.count("bzpeer_http_requests_total", labels) -
           before.count("bzpeer_http_requests_total", labels);
  };
  EXPECT_EQ(delta({{"route", "/api/stats"}, {"code", "200"}}), 1);
  EXPECT_EQ(delta({{"route", "/api/stats"}, {"code", "304"}}), 1);
  EXPECT_EQ(delta({{"route", "/api/works/{id}"}, {"code", "404"}}), 1);
  EXPECT_EQ(delta({{"route", "other"}, {"code", "404"}}), 1);
  EXPECT_EQ(delta({{"route", "page"}, {"code", "200"}}), 1);
  EXPECT_EQ(delta({{"route", "/metrics"}, {"code", "200"}}), 1);  // the first scrape
  auto timed = [&](const std::string& route) {
    return after.count("bzpeer_http_request_duration_seconds_count", {{"route", route}}) -
           before.count("bzpeer_http_request_duration_seconds_count", {{"route", route}});
  };
  EXPECT_EQ(timed("/api/stats"), 2);
  EXPECT_EQ(timed("/api/works/{id}"), 1);
  EXPECT_GT(after.count("bzpeer_http_request_duration_seconds_sum", {{"route", "/api/stats"}}),
            before.count("bzpeer_http_request_duration_seconds_sum", {{"route", "/api/stats"}}));
}

TEST_F(ServerTest, MetricsAddUpTheRecordedHarvestRuns) {
  const Exposition before = scrape(url("/metrics"));
  pipeline::HarvestSummary ok;
  ok.source = "arxiv";
  ok.pages = 2;
  ok.counts.seen = 10, ok.counts.added = 3, ok.counts.updated = 2, ok.counts.unchanged = 4;
  ok.counts.quarantined = 1;
  pipeline::HarvestSummary failed;
  failed.source = "arxiv";
  failed.status = pipeline::HarvestStatus::temporary_failure;
  failed.pages = 1;
  failed.counts.seen = 5, failed.counts.added = 4, failed.counts.deleted = 1;
  const auto t0 = std::time(nullptr);
  {
    auto store = store::Store::open(dir_->path(), store::OpenMode::read_write);
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE(store->record_run("arxiv", ok.to_json()));
    ASSERT_TRUE(store->record_run("arxiv", failed.to_json()));
  }
  const auto t1 = std::time(nullptr);
  const Exposition after = scrape(url("/metrics"));

  auto delta = [&](const std::string& name, const LabelSet& labels) {
    return after.count(name, labels) - before.count(name, labels);
  };
  const LabelSet arxiv = {{"source", "arxiv"}};
  EXPECT_EQ(delta("bzpeer_harvest_runs_total", {{"source", "arxiv"}, {"status", "ok"}}), 1);
  EXPECT_EQ(
      delta("bzpeer_harvest_runs_total", {{"source", "arxiv"}, {"status", "temporary-failure"}}),
      1);
  EXPECT_EQ(delta("bzpeer_harvest_pages_total", arxiv), 3);
  for (const auto& [outcome, n] : std::map<std::string, int>{
           {"added", 7}, {"updated", 2}, {"unchanged", 4}, {"deleted", 1}, {"quarantined", 1}}) {
    EXPECT_EQ(delta("bzpeer_harvest_records_total", {{"source", "arxiv"}, {"outcome", outcome}}), n)
        << outcome;
  }
  // The last success is the "ok" run just recorded; the last run is the failed one.
  auto success = after.value("bzpeer_harvest_last_success_timestamp_seconds", arxiv);
  ASSERT_TRUE(success);
  EXPECT_GE(*success, double(t0));
  EXPECT_LE(*success, double(t1));
  auto last_run = after.value("bzpeer_harvest_last_run_timestamp_seconds", arxiv);
  ASSERT_TRUE(last_run);
  EXPECT_GE(*last_run, *success);
}

}  // namespace
}  // namespace bzpeer::server::testing
