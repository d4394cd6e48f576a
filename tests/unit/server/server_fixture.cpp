// The HTTP API tests' shared set-up (see server_fixture.hpp).
#include "server_fixture.hpp"

#include <chrono>

#include "connectors/http/http_client.hpp"
#include "index/store/store_impl.hpp"
#include "pipeline/harvest_run.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer::server::testing {
namespace {

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* out) {
  std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * count;
}

}  // namespace

HttpReply http_get(const std::string& url, const std::vector<std::string>& headers) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    reply.curl_error = curl_easy_strerror(rc);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return reply;
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void ServerTest::SetUpTestSuite() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  dir_ = std::make_unique<TempDir>("suite");
  replay::ServerOptions replay_options;
  replay_options.pages_dir = fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample";
  replay_options.page_size = 100;
  replay::ReplayServer replay(replay_options);
  ASSERT_GT(replay.start(), 0);
  {
    auto store = store::Store::open(dir_->path(), store::OpenMode::read_write);
    ASSERT_TRUE(store) << store.error().describe();
    http::ClientOptions http_options;
    http_options.retry.initial_backoff = std::chrono::milliseconds(20);
    http::HttpClient http(http_options);
    pipeline::HarvestOptions options;
    options.source.name = "arxiv";
    options.source.url = replay.base_url();
    options.source.metadata_prefix = "arXivRaw";
    options.source.min_interval_s = 0;
    auto summary = pipeline::harvest_source(options, *store, http);
    ASSERT_EQ(summary.status, pipeline::HarvestStatus::ok) << summary.message;
    ASSERT_EQ(summary.counts.added, 509);
    auto indexed = pipeline::consolidate_and_index(*store, dir_->path() / "index");
    ASSERT_TRUE(indexed) << indexed.error().describe();
  }
  ServerOptions options;
  options.storage_dir = dir_->path();
  options.index_root = dir_->path() / "index";
  options.port = 0;
  options.log_requests = false;
  server_ = std::make_unique<ApiServer>(options);
  ASSERT_GT(server_->start(), 0);
}

void ServerTest::TearDownTestSuite() {
  server_.reset();
  dir_.reset();
  curl_global_cleanup();
}

std::string ServerTest::url(const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
}

JsonReply ServerTest::get_json(const std::string& path, long expected_status) {
  JsonReply out;
  out.reply = http_get(url(path));
  EXPECT_EQ(out.reply.curl_error, "") << path;
  EXPECT_EQ(out.reply.status, expected_status) << path << "\n" << out.reply.body;
  EXPECT_EQ(out.reply.header("content-type"), "application/json") << path;
  auto error = out.parser->parse(out.reply.body).get(out.root);
  EXPECT_EQ(error, simdjson::SUCCESS) << path << ": not JSON: " << out.reply.body;
  return out;
}

std::int64_t ServerTest::borucki_id() {
  HttpReply reply = http_get(url("/api/authors?q=" + url_encode("William J. Borucki")));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(reply.body);
  for (simdjson::dom::element a : doc["authors"].get_array()) {
    if (std::string_view(a["name"]) == "William J. Borucki") return int64_t(a["author_id"]);
  }
  ADD_FAILURE() << "no William J. Borucki in " << reply.body;
  return 0;
}

void ServerTest::add_redirect(std::int64_t old_id, std::int64_t new_id) {
  auto store = store::Store::open(dir_->path(), store::OpenMode::read_write);
  ASSERT_TRUE(store) << store.error().describe();
  store->impl()
      .db.prepare("INSERT OR REPLACE INTO author_redirects(old_id, new_id) VALUES(?, ?)")
      .bind(1, old_id)
      .bind(2, new_id)
      .run();
}

}  // namespace bzpeer::server::testing
