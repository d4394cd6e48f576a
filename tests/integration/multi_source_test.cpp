// Two sources at the same time into one store: arXiv over OAI-PMH (the replay server over
// one page of the bundled arXivRaw sample) and Crossref (a loopback server serving an
// assembled page of the published versions of three Kepler papers in that page). Each
// paper ends up as one work, listing both sources; the arXiv text and the journal's
// bibliographic data both survive, whichever source lands first.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <thread>

#include "index/queries/export.hpp"
#include "pipeline/connector_factory.hpp"
#include "pipeline/harvest_run.hpp"
#include "tests/unit/http/loopback.hpp"
#include "tools/replay_server/replay_server.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("bzpeer-multi-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Harvested {
  pipeline::HarvestSummary arxiv, crossref;
};

class MultiSource : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "oai");
    fs::copy_file(fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample" / "page-005.xml",
                  dir_.path() / "oai" / "page-005.xml");
    replay::ServerOptions options;
    options.pages_dir = dir_.path() / "oai";
    options.page_size = 25;
    oai_ = std::make_unique<replay::ReplayServer>(options);
    ASSERT_GT(oai_->start(), 0);

    crossref_page_ =
        read(fs::path(BZPEER_FIXTURES) / "crossref" / "assembled_kepler_published_versions.json");
    crossref_.server().Get("/works", [this](const httplib::Request& req, httplib::Response& res) {
      // The page, then what Crossref sends once the cursor is exhausted.
      const bool first = req.get_param_value("cursor") == "*";
      res.set_content(
          first
              ? crossref_page_
              : R"({"status":"ok","message-type":"work-list","message":{"next-cursor":"x","items":[],"items-per-page":3}})",
          "application/json");
    });
    crossref_.start();
  }

  pipeline::SourceConfig arxiv_source() const {
    pipeline::SourceConfig s;
    s.name = "arxiv";
    s.url = oai_->base_url();
    s.min_interval_s = 0;
    return s;
  }

  pipeline::SourceConfig crossref_source() const {
    pipeline::SourceConfig s;
    s.name = "crossref";
    s.kind = "crossref";
    s.metadata_prefix = "crossref";
    s.url = crossref_.url("/works");
    s.page_size = 3;
    s.min_interval_s = 0;
    return s;
  }

  /// Harvests one source with its own store connection and HTTP client, as the harvest
  /// verb does on each source's thread.
  pipeline::HarvestSummary harvest(const pipeline::SourceConfig& source,
                                   const std::string& from = "") {
    http::ClientOptions http_options;
    http_options.retry.initial_backoff = std::chrono::milliseconds(20);
    pipeline::adapt_client_options(source, http_options);
    http::HttpClient http(http_options);
    auto store = store::Store::open(dir_.path() / "store", store::OpenMode::read_write);
    EXPECT_TRUE(store) << store.error().describe();
    pipeline::HarvestOptions options;
    options.source = source;
    options.from = from;
    return pipeline::harvest_source(options, *store, http);
  }

  Harvested harvest_in_parallel(const std::string& from = "") {
    Harvested h;
    {
      std::jthread a([&] { h.arxiv = harvest(arxiv_source(), from); });
      std::jthread c([&] { h.crossref = harvest(crossref_source(), from); });
    }
    return h;
  }

  std::map<std::string, std::vector<queries::ExportWork>> works_by_doi() {
    auto store = store::Store::open(dir_.path() / "store", store::OpenMode::read_write);
    EXPECT_TRUE(store);
    auto indexed = pipeline::consolidate_and_index(*store, dir_.path() / "index");
    EXPECT_TRUE(indexed) << indexed.error().describe();
    std::map<std::string, std::vector<queries::ExportWork>> out;
    auto r = queries::export_works(*store, [&](const queries::ExportWork& w) {
      ++total_works_;
      for (const auto& doi : w.dois) out[doi].push_back(w);
    });
    EXPECT_TRUE(r);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<replay::ReplayServer> oai_;
  http::testing::LoopbackServer crossref_;
  std::string crossref_page_;
  int total_works_ = 0;
};

TEST_F(MultiSource, OverlappingWorksAppearOnceWithBothSources) {
  auto h = harvest_in_parallel();
  ASSERT_EQ(h.arxiv.status, pipeline::HarvestStatus::ok) << h.arxiv.message;
  ASSERT_EQ(h.crossref.status, pipeline::HarvestStatus::ok) << h.crossref.message;
  EXPECT_EQ(h.arxiv.counts.seen, 101);
  EXPECT_EQ(h.crossref.counts.seen, 3);
  EXPECT_EQ(h.crossref.counts.quarantined, 0);

  auto works = works_by_doi();
  EXPECT_EQ(total_works_, 101);  // the three published versions merged into their preprints
  const std::map<std::string, std::string> expected{{"10.1038/nature09760", "1102.0291"},
                                                    {"10.1088/0004-6256/142/4/112", "1102.0342"},
                                                    {"10.1088/0004-637x/736/1/19", "1102.0541"}};
  for (const auto& [doi, arxiv] : expected) {
    ASSERT_EQ(works[doi].size(), 1u) << doi;
    const auto& w = works[doi][0];
    EXPECT_EQ(w.arxiv_id, arxiv) << doi;
    EXPECT_EQ(w.sources, (std::vector<std::string>{"arxiv", "crossref"})) << doi;
    // Text from arXiv, type from the version of record.
    EXPECT_EQ(w.type, "article") << doi;
  }
  EXPECT_EQ(works["10.1038/nature09760"][0].title,
            "A Closely-Packed System of Low-Mass, Low-Density Planets Transiting Kepler-11");
  EXPECT_EQ(works["10.1038/nature09760"][0].year, 2011);
}

TEST_F(MultiSource, OrderDoesNotMatterAndAReplayChangesNothing) {
  // Crossref first, then arXiv: the same single works, the same fields.
  auto c = harvest(crossref_source());
  ASSERT_EQ(c.status, pipeline::HarvestStatus::ok) << c.message;
  auto a = harvest(arxiv_source());
  ASSERT_EQ(a.status, pipeline::HarvestStatus::ok) << a.message;
  auto works = works_by_doi();
  EXPECT_EQ(total_works_, 101);
  ASSERT_EQ(works["10.1038/nature09760"].size(), 1u);
  const auto& w = works["10.1038/nature09760"][0];
  EXPECT_EQ(w.arxiv_id, "1102.0291");
  EXPECT_EQ(w.title,
            "A Closely-Packed System of Low-Mass, Low-Density Planets Transiting Kepler-11");
  EXPECT_EQ(w.type, "article");
  EXPECT_EQ(w.sources, (std::vector<std::string>{"arxiv", "crossref"}));

  // Both again, in parallel, over the whole range again: everything is unchanged.
  auto again = harvest_in_parallel("2000-01-01");
  EXPECT_EQ(again.arxiv.counts.unchanged, 101);
  EXPECT_EQ(again.crossref.counts.unchanged, 3);
  total_works_ = 0;
  works = works_by_doi();
  EXPECT_EQ(total_works_, 101);
}

}  // namespace
}  // namespace bzpeer
