// Tests of the loopback OAI-PMH replay server, driven with libcurl as the client.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "tools/httplib_encoding.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace fs = std::filesystem;
using bzpeer::replay::Fault;
using bzpeer::replay::FaultKind;
using bzpeer::replay::ReplayServer;
using bzpeer::replay::ServerOptions;
using bzpeer::replay::TokenStyle;

namespace {

const fs::path kSampleDir = fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample";
constexpr std::size_t kSampleRecords = 509;

// ---- a minimal libcurl client ------------------------------------------------------------

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};
const CurlGlobal curl_global;

struct HttpResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  std::string_view line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = std::string(value);
  }
  return size * n;
}

HttpResult http(const std::string& url, const std::string* post_body = nullptr,
                const char* accept_encoding = nullptr) {
  HttpResult r;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (accept_encoding) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, accept_encoding);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (post_body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  r.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(curl);
  return r;
}

std::string escape(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out(e);
  curl_free(e);
  return out;
}

// ---- reading OAI-PMH responses -----------------------------------------------------------

struct Page {
  bool well_formed = false;
  std::string error_code;  // OAI error code, if any
  std::vector<std::string> ids;
  std::vector<std::string> datestamps;
  bool has_token_element = false;
  std::string token;
  std::map<std::string, std::string> token_attrs;
  std::map<std::string, std::string> request_attrs;
};

/// Characters XML 1.0 forbids (pugixml does not check them).
bool has_forbidden_char(std::string_view body) {
  return std::any_of(body.begin(), body.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
  });
}

Page parse_page(const std::string& body) {
  Page p;
  pugi::xml_document doc;
  p.well_formed =
      static_cast<bool>(doc.load_buffer(body.data(), body.size())) && !has_forbidden_char(body);
  if (!p.well_formed) return p;
  const auto root = doc.child("OAI-PMH");
  for (auto a : root.child("request").attributes()) p.request_attrs[a.name()] = a.value();
  if (auto err = root.child("error")) p.error_code = err.attribute("code").value();
  for (const char* verb : {"ListRecords", "ListIdentifiers", "GetRecord"}) {
    const auto list = root.child(verb);
    if (!list) continue;
    for (auto child : list.children()) {
      const std::string_view name = child.name();
      const auto header = name == "header" ? child : child.child("header");
      if (name == "record" || name == "header") {
        p.ids.emplace_back(header.child_value("identifier"));
        p.datestamps.emplace_back(header.child_value("datestamp"));
      }
    }
    if (auto token = list.child("resumptionToken")) {
      p.has_token_element = true;
      p.token = token.child_value();
      for (auto a : token.attributes()) p.token_attrs[a.name()] = a.value();
    }
  }
  return p;
}

struct Harvest {
  std::vector<std::string> ids;
  std::vector<Page> pages;
  std::string error_code;
};

/// Follows resumption tokens from `first_query` to the end.
Harvest harvest(const std::string& base, const std::string& verb, const std::string& first_query) {
  Harvest h;
  std::string url = base + "?verb=" + verb + "&" + first_query;
  for (int guard = 0; guard < 100; ++guard) {
    auto r = http(url);
    EXPECT_EQ(r.code, CURLE_OK);
    EXPECT_EQ(r.status, 200);
    auto page = parse_page(r.body);
    EXPECT_TRUE(page.well_formed);
    if (!page.error_code.empty()) {
      h.error_code = page.error_code;
      return h;
    }
    h.ids.insert(h.ids.end(), page.ids.begin(), page.ids.end());
    h.pages.push_back(page);
    if (page.token.empty()) return h;
    url = base + "?verb=" + verb + "&resumptionToken=" + escape(page.token);
  }
  ADD_FAILURE() << "harvest did not end";
  return h;
}

// ---- counting the fixture independently (plain text scan, no XML library) -----------------

struct FixtureHeader {
  std::string id;
  std::string datestamp;
  std::vector<std::string> sets;
};

std::string between(std::string_view text, std::string_view open, std::string_view close,
                    std::size_t& pos) {
  const auto a = text.find(open, pos);
  if (a == std::string_view::npos) {
    pos = std::string_view::npos;
    return {};
  }
  const auto b = text.find(close, a + open.size());
  pos = b + close.size();
  return std::string(text.substr(a + open.size(), b - a - open.size()));
}

std::vector<FixtureHeader> fixture_headers() {
  std::vector<FixtureHeader> out;
  for (const auto& entry : fs::directory_iterator(kSampleDir)) {
    if (entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::size_t pos = 0;
    while (true) {
      const std::string header = between(text, "<header>", "</header>", pos);
      if (pos == std::string_view::npos) break;
      FixtureHeader h;
      std::size_t p = 0;
      h.id = between(header, "<identifier>", "</identifier>", p);
      p = 0;
      h.datestamp = between(header, "<datestamp>", "</datestamp>", p).substr(0, 10);
      p = 0;
      while (true) {
        auto spec = between(header, "<setSpec>", "</setSpec>", p);
        if (p == std::string_view::npos) break;
        h.sets.push_back(spec);
      }
      out.push_back(std::move(h));
    }
  }
  return out;
}

bool in_set(const FixtureHeader& h, const std::string& set) {
  return std::any_of(h.sets.begin(), h.sets.end(),
                     [&](const std::string& s) { return s == set || s.rfind(set + ":", 0) == 0; });
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- the shared server -------------------------------------------------------------------

class ReplayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.pages_dir = kSampleDir;
    o.page_size = 100;
    server_ = std::make_unique<ReplayServer>(o);
    ASSERT_GT(server_->start(), 0);
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    server_->clear_faults();
    server_->clear_requests();
  }
  static std::string url() { return server_->base_url(); }
  static std::string get(const std::string& query) { return http(url() + "?" + query).body; }

  static std::unique_ptr<ReplayServer> server_;
};
std::unique_ptr<ReplayServer> ReplayTest::server_;

const std::string kFirst = "verb=ListRecords&metadataPrefix=arXivRaw";

}  // namespace

TEST_F(ReplayTest, FixtureHasTheExpectedRecords) {
  const auto headers = fixture_headers();
  EXPECT_EQ(headers.size(), kSampleRecords);
  EXPECT_EQ(server_->record_count("arXivRaw"), kSampleRecords);
  EXPECT_EQ(server_->record_count("oai_dc"), 0u);
}

TEST_F(ReplayTest, Identify) {
  auto r = http(url() + "?verb=Identify");
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/xml; charset=utf-8");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r.body.c_str()));
  const auto id = doc.child("OAI-PMH").child("Identify");
  EXPECT_STREQ(id.child_value("granularity"), "YYYY-MM-DD");
  EXPECT_STREQ(id.child_value("deletedRecord"), "persistent");
  EXPECT_STREQ(id.child_value("protocolVersion"), "2.0");
  EXPECT_EQ(std::string(id.child_value("baseURL")), url());
  const auto headers = fixture_headers();
  const auto earliest = std::min_element(headers.begin(), headers.end(), [](auto& a, auto& b) {
                          return a.datestamp < b.datestamp;
                        })->datestamp;
  EXPECT_EQ(std::string(id.child_value("earliestDatestamp")), earliest);
}

TEST_F(ReplayTest, FullHarvestFollowsTokensToTheEnd) {
  auto h = harvest(url(), "ListRecords", "metadataPrefix=arXivRaw");
  EXPECT_EQ(h.ids.size(), kSampleRecords);
  EXPECT_EQ(std::set<std::string>(h.ids.begin(), h.ids.end()).size(), kSampleRecords);
  ASSERT_EQ(h.pages.size(), 6u);
  for (std::size_t i = 0; i + 1 < h.pages.size(); ++i) {
    EXPECT_EQ(h.pages[i].ids.size(), 100u);
    EXPECT_FALSE(h.pages[i].token.empty());
    EXPECT_EQ(h.pages[i].token_attrs.count("expirationDate"), 1u);
    EXPECT_EQ(h.pages[i].token_attrs.count("cursor"), 0u);
    EXPECT_TRUE(h.pages[i].token_attrs["expirationDate"].ends_with("T00:00:00Z"));
  }
  // Last page of a multi-page list: an empty <resumptionToken/>.
  EXPECT_TRUE(h.pages.back().has_token_element);
  EXPECT_TRUE(h.pages.back().token.empty());
  EXPECT_EQ(h.pages.back().ids.size(), 9u);
  // Ordered by (datestamp, identifier).
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& p : h.pages) {
    for (std::size_t i = 0; i < p.ids.size(); ++i) keys.emplace_back(p.datestamps[i], p.ids[i]);
  }
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  // Token requests echo only verb and resumptionToken.
  EXPECT_EQ(h.pages[0].request_attrs["metadataPrefix"], "arXivRaw");
  EXPECT_EQ(h.pages[1].request_attrs.size(), 2u);
  EXPECT_EQ(h.pages[1].request_attrs["resumptionToken"], h.pages[0].token);
}

TEST_F(ReplayTest, ListIdentifiersAndSinglePage) {
  auto h = harvest(url(), "ListIdentifiers", "metadataPrefix=arXivRaw");
  EXPECT_EQ(h.ids.size(), kSampleRecords);
  // A list that fits one page has no resumptionToken element at all.
  const auto headers = fixture_headers();
  const std::string day = headers.front().datestamp;
  const auto expected = std::count_if(headers.begin(), headers.end(),
                                      [&](const auto& x) { return x.datestamp == day; });
  ASSERT_LE(expected, 100);
  const auto one =
      harvest(url(), "ListRecords", "metadataPrefix=arXivRaw&from=" + day + "&until=" + day);
  EXPECT_EQ(static_cast<long>(one.ids.size()), expected);
  ASSERT_EQ(one.pages.size(), 1u);
  EXPECT_FALSE(one.pages[0].has_token_element);
}

TEST_F(ReplayTest, FromUntilIsInclusiveDayGranularity) {
  const auto headers = fixture_headers();
  for (const auto& [from, until] : std::vector<std::pair<std::string, std::string>>{
           {"2011-02-03", "2011-12-31"}, {"2015-01-01", ""}, {"", "2010-12-31"}}) {
    const auto expected = std::count_if(headers.begin(), headers.end(), [&](const auto& x) {
      return (from.empty() || x.datestamp >= from) && (until.empty() || x.datestamp <= until);
    });
    std::string q = "metadataPrefix=arXivRaw";
    if (!from.empty()) q += "&from=" + from;
    if (!until.empty()) q += "&until=" + until;
    auto h = harvest(url(), "ListRecords", q);
    EXPECT_GT(expected, 0) << q;
    EXPECT_EQ(static_cast<long>(h.ids.size()), expected) << q;
  }
  // A range holding no records.
  EXPECT_EQ(harvest(url(), "ListRecords", "metadataPrefix=arXivRaw&from=2030-01-01").error_code,
            "noRecordsMatch");
}

TEST_F(ReplayTest, SetFilterMatchesSetAndSubsets) {
  const auto headers = fixture_headers();
  for (const std::string set : {"physics:hep-th", "math", "cs:cs:LG", "physics:astro-ph"}) {
    const auto expected = std::count_if(headers.begin(), headers.end(),
                                        [&](const auto& x) { return in_set(x, set); });
    auto h = harvest(url(), "ListRecords", "metadataPrefix=arXivRaw&set=" + escape(set));
    EXPECT_GT(expected, 0) << set;
    EXPECT_EQ(static_cast<long>(h.ids.size()), expected) << set;
  }
  EXPECT_EQ(harvest(url(), "ListRecords", "metadataPrefix=arXivRaw&set=moo").error_code,
            "noRecordsMatch");
  // ListSets lists the sets seen.
  const auto body = get("verb=ListSets");
  EXPECT_NE(body.find("<setSpec>physics:hep-th</setSpec>"), std::string::npos);
}

TEST_F(ReplayTest, ProtocolErrors) {
  auto first = parse_page(get(kFirst));
  ASSERT_FALSE(first.token.empty());
  auto code = [&](const std::string& q) { return parse_page(get(q)).error_code; };
  auto token_and_prefix = parse_page(
      get("verb=ListRecords&metadataPrefix=arXivRaw&resumptionToken=" + escape(first.token)));
  EXPECT_EQ(token_and_prefix.error_code, "badArgument");
  EXPECT_TRUE(token_and_prefix.request_attrs.empty());  // no attributes with badArgument
  EXPECT_EQ(code("verb=ListRecords&resumptionToken=nonsense"), "badResumptionToken");
  EXPECT_EQ(code("verb=ListIdentifiers&resumptionToken=" + escape(first.token)),
            "badResumptionToken");  // a ListRecords token
  EXPECT_EQ(code("verb=ListRecords&metadataPrefix=marcxml"), "cannotDisseminateFormat");
  EXPECT_EQ(code("verb=ListRecords"), "badArgument");
  EXPECT_EQ(code("verb=ListRecords&metadataPrefix=arXivRaw&from=2011-02-03T00:00:00Z"),
            "badArgument");
  EXPECT_EQ(code("verb=ListRecords&metadataPrefix=arXivRaw&from=2012-01-01&until=2011-01-01"),
            "badArgument");
  EXPECT_EQ(code("verb=ListRecords&metadataPrefix=arXivRaw&metadataPrefix=arXivRaw"),
            "badArgument");
  EXPECT_EQ(code("verb=Identify&foo=bar"), "badArgument");
  EXPECT_EQ(code("verb=GetRecord&metadataPrefix=arXivRaw&identifier=oai:arXiv.org:0000.0000"),
            "idDoesNotExist");
  EXPECT_EQ(code("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:arXiv.org:0906.3421"),
            "cannotDisseminateFormat");
  EXPECT_EQ(code("verb=Frobnicate"), "badVerb");
  EXPECT_EQ(code("foo=bar"), "badVerb");
  EXPECT_EQ(code("verb=Identify&verb=Identify"), "badVerb");
  // OAI errors travel in HTTP 200.
  EXPECT_EQ(http(url() + "?verb=Frobnicate").status, 200);
}

TEST_F(ReplayTest, GetRecordReturnsTheRecordBytesAsCaptured) {
  auto r = http(url() + "?verb=GetRecord&metadataPrefix=arXivRaw&identifier=" +
                escape("oai:arXiv.org:0906.3421"));
  ASSERT_EQ(r.status, 200);
  const auto start = r.body.find("<record>");
  const auto end = r.body.find("</record>");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const std::string record = r.body.substr(start, end + 9 - start);
  bool found = false;
  for (const auto& entry : fs::directory_iterator(kSampleDir)) {
    found = found || read_file(entry.path()).find(record) != std::string::npos;
  }
  EXPECT_TRUE(found);
  EXPECT_NE(record.find("<version version=\"v2\">"), std::string::npos);
}

TEST_F(ReplayTest, PostIsAccepted) {
  const std::string form = "verb=ListRecords&metadataPrefix=arXivRaw&set=physics%3Ahep-th";
  auto r = http(url(), &form);
  ASSERT_EQ(r.code, CURLE_OK);
  auto page = parse_page(r.body);
  EXPECT_TRUE(page.error_code.empty());
  EXPECT_FALSE(page.ids.empty());
  EXPECT_EQ(page.request_attrs["set"], "physics:hep-th");
}

TEST(ReplayEncoding, BrotliIsDroppedFromAcceptEncoding) {
  EXPECT_EQ(bzpeer::http::without_brotli("gzip, deflate, br"), "gzip, deflate");
  EXPECT_EQ(bzpeer::http::without_brotli("br;q=1.0, gzip;q=0.8"), "gzip;q=0.8");
  EXPECT_EQ(bzpeer::http::without_brotli("BR"), "");
  EXPECT_EQ(bzpeer::http::without_brotli("identity"), "identity");
  EXPECT_EQ(bzpeer::http::without_brotli("brotli, gzip"), "brotli, gzip");  // not the br token
}

namespace {
/// The page with the text of its responseDate (the second it was served) replaced: two
/// requests for one page may straddle a second, under a sanitizer in particular.
std::string without_response_date(std::string body) {
  const std::string open = "<responseDate>", close = "</responseDate>";
  const auto from = body.find(open);
  const auto to = body.find(close);
  EXPECT_NE(from, std::string::npos) << "no responseDate in the page";
  if (from == std::string::npos || to == std::string::npos || to < from) return body;
  return body.replace(from + open.size(), to - from - open.size(), "(date)");
}
}  // namespace

// A client accepting br and gzip gets gzip (httplib's brotli runs at quality 11: about a
// minute for a 1 MB page under load), one accepting only br gets the page uncompressed,
// and the decoded bodies are the same page.
TEST_F(ReplayTest, PagesAreGzipNotBrotliEncoded) {
  const std::string page = url() + "?" + kFirst;
  const auto plain = http(page, nullptr, "identity");
  const auto both = http(page, nullptr, "br, gzip");
  ASSERT_EQ(both.headers.count("content-encoding"), 1u);
  const auto br_only = http(page, nullptr, "br");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(both.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(br_only.headers.count("content-encoding"), 0u);
  ASSERT_FALSE(plain.body.empty());
  EXPECT_EQ(without_response_date(both.body), without_response_date(plain.body));
  EXPECT_EQ(without_response_date(br_only.body), without_response_date(plain.body));
}

TEST_F(ReplayTest, FaultStatusWithRetryAfter) {
  server_->inject(Fault{.kind = FaultKind::status, .status = 503, .retry_after_s = 7, .times = 2});
  for (int i = 0; i < 2; ++i) {
    auto r = http(url() + "?verb=Identify");
    EXPECT_EQ(r.code, CURLE_OK);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.headers["retry-after"], "7");
  }
  EXPECT_EQ(http(url() + "?verb=Identify").status, 200);
  server_->inject(Fault{.kind = FaultKind::status, .status = 429});
  auto r = http(url() + "?verb=Identify");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.count("retry-after"), 0u);
  const auto log = server_->requests();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].status, 503);
  EXPECT_EQ(log[2].status, 200);
  EXPECT_EQ(log[3].status, 429);
  EXPECT_EQ(log[0].target, "/oai?verb=Identify");
}

TEST_F(ReplayTest, FaultDropConnection) {
  server_->inject(Fault{.kind = FaultKind::drop_connection});
  auto r = http(url() + "?" + kFirst);
  // No HTTP response at all: "Empty reply from server" (or a reset while receiving).
  EXPECT_TRUE(r.code == CURLE_GOT_NOTHING || r.code == CURLE_RECV_ERROR)
      << curl_easy_strerror(r.code);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.body.empty());
  // The next request is answered normally.
  auto ok = http(url() + "?" + kFirst);
  EXPECT_EQ(ok.code, CURLE_OK);
  EXPECT_EQ(parse_page(ok.body).ids.size(), 100u);
  const auto log = server_->requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].status, 0);
  EXPECT_EQ(log[1].status, 200);
}

TEST_F(ReplayTest, FaultTruncateAndInvalidXml) {
  const auto good = http(url() + "?" + kFirst).body;
  server_->inject(Fault{.kind = FaultKind::truncate});
  auto cut = http(url() + "?" + kFirst);
  EXPECT_EQ(cut.code, CURLE_OK);
  EXPECT_EQ(cut.status, 200);
  EXPECT_FALSE(parse_page(cut.body).well_formed);
  EXPECT_NEAR(static_cast<double>(cut.body.size()), good.size() / 2.0, 200.0);
  EXPECT_EQ(good.compare(0, 200, cut.body, 0, 200), 0);

  server_->inject(Fault{.kind = FaultKind::invalid_xml});
  auto bad = http(url() + "?" + kFirst);
  EXPECT_EQ(bad.status, 200);
  EXPECT_NE(bad.body.find('\x01'), std::string::npos);
  EXPECT_FALSE(parse_page(bad.body).well_formed);
  EXPECT_EQ(bad.body.size(), good.size() + 1);
}

TEST_F(ReplayTest, FaultTokenOnlyExpireRepeatAndDelay) {
  auto first = parse_page(get(kFirst));
  ASSERT_FALSE(first.token.empty());
  const std::string next_url = url() + "?verb=ListRecords&resumptionToken=" + escape(first.token);

  // expire_token: requests without a token pass; the first token request gets
  // badResumptionToken; re-issuing the token then works.
  server_->inject(Fault{.kind = FaultKind::expire_token});
  EXPECT_TRUE(parse_page(get(kFirst)).error_code.empty());
  EXPECT_EQ(parse_page(http(next_url).body).error_code, "badResumptionToken");
  auto second = parse_page(http(next_url).body);
  EXPECT_TRUE(second.error_code.empty());
  EXPECT_EQ(second.ids.size(), 100u);

  // repeat_token: the page carries the token that was requested.
  server_->inject(Fault{.kind = FaultKind::repeat_token});
  auto repeated = parse_page(http(next_url).body);
  EXPECT_EQ(repeated.token, first.token);
  EXPECT_EQ(repeated.ids, second.ids);

  // only_token_requests on a status fault.
  server_->inject(Fault{
      .kind = FaultKind::status, .status = 503, .retry_after_s = 0, .only_token_requests = true});
  EXPECT_EQ(http(url() + "?" + kFirst).status, 200);
  EXPECT_EQ(http(next_url).status, 503);
  EXPECT_EQ(http(next_url).status, 200);

  // delay
  server_->inject(Fault{.kind = FaultKind::delay, .delay = std::chrono::milliseconds(300)});
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(http(url() + "?verb=Identify").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(300));
}

TEST_F(ReplayTest, FaultsApplyInOrderAndCanBeCleared) {
  server_->inject(Fault{.kind = FaultKind::status, .status = 500});
  server_->inject(Fault{.kind = FaultKind::status, .status = 502});
  EXPECT_EQ(http(url() + "?verb=Identify").status, 500);
  EXPECT_EQ(http(url() + "?verb=Identify").status, 502);
  EXPECT_EQ(http(url() + "?verb=Identify").status, 200);
  server_->inject(Fault{.kind = FaultKind::status, .status = 500});
  server_->clear_faults();
  EXPECT_EQ(http(url() + "?verb=Identify").status, 200);
}

TEST(ReplayLegacy, CursorCompleteListSizeTokens) {
  ServerOptions o;
  o.pages_dir = kSampleDir;
  o.page_size = 200;
  o.token_style = TokenStyle::legacy;
  ReplayServer server(o);
  ASSERT_GT(server.start(), 0);
  auto h = harvest(server.base_url(), "ListRecords", "metadataPrefix=arXivRaw");
  EXPECT_EQ(h.ids.size(), kSampleRecords);
  EXPECT_EQ(std::set<std::string>(h.ids.begin(), h.ids.end()).size(), kSampleRecords);
  ASSERT_EQ(h.pages.size(), 3u);
  EXPECT_EQ(h.pages[0].token_attrs["cursor"], "0");
  EXPECT_EQ(h.pages[0].token_attrs["completeListSize"], "509");
  EXPECT_TRUE(h.pages[0].token.ends_with("|201")) << h.pages[0].token;
  EXPECT_EQ(h.pages[1].token_attrs["cursor"], "200");
  EXPECT_TRUE(h.pages[1].token.ends_with("|401"));
  EXPECT_EQ(h.pages[0].token.substr(0, h.pages[0].token.find('|')),
            h.pages[1].token.substr(0, h.pages[1].token.find('|')));
  // Last page: empty token that still carries cursor and completeListSize.
  EXPECT_TRUE(h.pages[2].has_token_element);
  EXPECT_TRUE(h.pages[2].token.empty());
  EXPECT_EQ(h.pages[2].token_attrs["cursor"], "400");
  EXPECT_EQ(h.pages[2].token_attrs["completeListSize"], "509");
  EXPECT_EQ(
      parse_page(
          http(server.base_url() + "?verb=ListRecords&resumptionToken=" + escape("1|201")).body)
          .error_code,
      "badResumptionToken");
}

TEST(ReplayPool, NewestDatestampWinsAndDeletedRecordsAreServed) {
  const fs::path dir =
      fs::temp_directory_path() / ("bzpeer-replay-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  auto page = [](const std::string& records) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">"
           "<responseDate>2020-01-01T00:00:00Z</responseDate>"
           "<request verb=\"ListRecords\" metadataPrefix=\"oai_dc\">http://x/oai</request>"
           "<ListRecords>" +
           records + "</ListRecords></OAI-PMH>\n";
  };
  auto rec = [](const std::string& id, const std::string& date, const std::string& title) {
    return "<record><header><identifier>" + id + "</identifier><datestamp>" + date +
           "</datestamp><setSpec>a:b</setSpec></header><metadata><oai_dc:dc "
           "xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" +
           title + "</dc:title></oai_dc:dc></metadata></record>";
  };
  std::ofstream(dir / "a.xml") << page(rec("oai:x:1", "2020-05-01T10:00:00Z", "new") +
                                       rec("oai:x:2", "2020-01-01", "two"));
  std::ofstream(dir / "sub" / "b.xml")
      << page(rec("oai:x:1", "2019-01-01", "old") +
              "<record><header status=\"deleted\"><identifier>oai:x:3</identifier>"
              "<datestamp>2021-01-01</datestamp></header></record>");
  std::ofstream(dir / "broken.xml") << "broken xml";

  ServerOptions o;
  o.pages_dir = dir;
  ReplayServer server(o);
  ASSERT_GT(server.start(), 0);
  EXPECT_EQ(server.record_count("oai_dc"), 3u);
  const auto body = http(server.base_url() + "?verb=ListRecords&metadataPrefix=oai_dc").body;
  auto p = parse_page(body);
  EXPECT_EQ(p.ids, (std::vector<std::string>{"oai:x:2", "oai:x:1", "oai:x:3"}));
  EXPECT_NE(body.find("<dc:title>new</dc:title>"), std::string::npos);
  EXPECT_EQ(body.find("<dc:title>old</dc:title>"), std::string::npos);
  EXPECT_NE(body.find("<header status=\"deleted\">"), std::string::npos);
  // The deleted header carries no setSpec.
  EXPECT_EQ(harvest(server.base_url(), "ListRecords", "metadataPrefix=oai_dc&set=a").ids.size(),
            2u);
  EXPECT_EQ(harvest(server.base_url(), "ListRecords", "metadataPrefix=oai_dc&set=a:b:c").error_code,
            "noRecordsMatch");
  server.stop();
  fs::remove_all(dir);
}

TEST(ReplayStart, MissingDirectoryFails) {
  ServerOptions o;
  o.pages_dir = "/nonexistent/bzpeer";
  ReplayServer server(o);
  EXPECT_EQ(server.start(), -1);
}
