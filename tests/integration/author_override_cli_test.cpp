// `bzpeer author merge|split|list-overrides|remove-override|recluster` as an operator runs
// them: the real binary on the bundled arXiv sample, harvested from the replay server on
// 127.0.0.1. The profiles change at once, and the overrides hold through `bzpeer rebuild`,
// a second harvest that rewrites the records involved (new versions, a name printed
// differently) and a full re-cluster. Errors exit with the CLI's codes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/replay_server/replay_server.hpp"

namespace {

namespace fs = std::filesystem;

struct CmdResult {
  int code = -1;
  std::string out;  ///< stdout and stderr together
};

CmdResult run(const std::string& args) {
  const std::string cmd = std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args + " 2>&1";
  CmdResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// The integer after "key": in JSON output (first occurrence), -1 when absent.
long long json_int(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::stoll(json.substr(at + key.size() + 3));
}

fs::path sample_pages() {
  return fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample";
}

/// The <record> of `arxiv_id` in the sample pages.
std::string sample_record(const std::string& arxiv_id) {
  for (const auto& entry : fs::directory_iterator(sample_pages())) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string page = text.str();
    const auto id = page.find("<identifier>oai:arXiv.org:" + arxiv_id + "</identifier>");
    if (id == std::string::npos) continue;
    const auto start = page.rfind("<record>", id);
    const auto end = page.find("</record>", id) + 9;
    return page.substr(start, end - start);
  }
  ADD_FAILURE() << arxiv_id << " is not in the sample";
  return {};
}

/// A re-harvest's page: the sample records of `ids` as arXiv sends them after a new
/// version (one more <version> element), with `rename` applied to the author list.
void write_update_page(const fs::path& file, const std::vector<std::string>& ids,
                       const std::pair<std::string, std::string>& rename) {
  std::string records;
  for (const auto& id : ids) {
    std::string r = sample_record(id);
    const auto title = r.find("<title>");
    r.insert(title,
             "<version version=\"v9\"><date>Mon, 1 Jan 2024 00:00:00 GMT</date>"
             "<size>200kb</size></version>");
    if (const auto at = r.find(rename.first); at != std::string::npos)
      r.replace(at, rename.first.size(), rename.second);
    records += r + "\n";
  }
  std::ofstream(file) << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">\n"
                         "<responseDate>2026-01-16T12:00:00Z</responseDate>\n"
                         "<request verb=\"ListRecords\" metadataPrefix=\"arXivRaw\">"
                         "https://oaipmh.arxiv.org/oai</request>\n<ListRecords>\n"
                      << records << "</ListRecords>\n</OAI-PMH>\n";
}

class AuthorOverrideCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bzpeer-author-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    server_ = start(sample_pages());
    config_ = write_config("first.toml", *server_);
    auto harvest = run(cfg() + "harvest");
    ASSERT_EQ(harvest.code, 0) << harvest.out;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  static std::unique_ptr<bzpeer::replay::ReplayServer> start(const fs::path& pages) {
    bzpeer::replay::ServerOptions options;
    options.pages_dir = pages;
    options.page_size = 200;
    auto server = std::make_unique<bzpeer::replay::ReplayServer>(options);
    EXPECT_GT(server->start(), 0);
    return server;
  }

  std::string write_config(const std::string& name, bzpeer::replay::ReplayServer& server) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << "[storage]\ndir = \"" << (dir_ / "var").string()
                        << "\"\n[harvest]\ncontact = \"test@localhost\"\n"
                        << "initial_backoff_s = 0.05\n[[source]]\nname = \"arxiv\"\n"
                        << "kind = \"oai-pmh\"\nurl = \"" << server.base_url()
                        << "\"\nmetadata_prefix = \"arXivRaw\"\nmin_interval_s = 0\n";
    return path;
  }

  std::string cfg() const { return "--config " + config_ + " "; }

  /// (author id, works) of a profile, by id or name.
  std::pair<long long, long long> profile(const std::string& who) {
    auto r = run(cfg() + "profile --json '" + who + "'");
    EXPECT_EQ(r.code, 0) << who << "\n" << r.out;
    return {json_int(r.out, "author_id"), json_int(r.out, "works")};
  }

  /// Whether the author's profile lists the work.
  bool lists(long long author, const std::string& arxiv_id) {
    auto r = run(cfg() + "profile --json " + std::to_string(author));
    return r.out.find("\"arxiv_id\":\"" + arxiv_id + "\"") != std::string::npos;
  }

  fs::path dir_;
  std::string config_;
  std::unique_ptr<bzpeer::replay::ReplayServer> server_;
};

TEST_F(AuthorOverrideCli, MergeAndSplitHoldThroughRebuildAndReharvest) {
  // The sample has "Jessie L. Christiansen" (2 works) and "J. Christiansen" (1102.0348)
  // as two authors, and William J. Borucki with 6 works.
  const auto [jessie, jessie_works] = profile("Jessie L. Christiansen");
  const auto [j, j_works] = profile("J. Christiansen");
  ASSERT_NE(jessie, j) << "precondition: two authors";
  ASSERT_EQ(jessie_works, 2);
  ASSERT_EQ(j_works, 1);
  const auto [borucki, borucki_works] = profile("William J. Borucki");
  ASSERT_EQ(borucki_works, 6);

  auto merge = run(cfg() + "author merge " + std::to_string(jessie) + " " + std::to_string(j));
  ASSERT_EQ(merge.code, 0) << merge.out;
  EXPECT_NE(merge.out.find(std::to_string(j) + " redirects to " + std::to_string(jessie)),
            std::string::npos)
      << merge.out;
  EXPECT_EQ(profile(std::to_string(jessie)), std::make_pair(jessie, 3LL));
  EXPECT_EQ(profile(std::to_string(j)), std::make_pair(jessie, 3LL)) << "the old id redirects";
  EXPECT_TRUE(lists(jessie, "1102.0348"));

  auto split = run(cfg() + "author split --json " + std::to_string(borucki) +
                   " --works 1102.0555,1102.0547");
  ASSERT_EQ(split.code, 0) << split.out;
  const long long split_off = json_int(split.out, "author_id");
  ASSERT_GT(split_off, 0) << split.out;
  EXPECT_NE(split_off, borucki);
  EXPECT_EQ(profile(std::to_string(borucki)), std::make_pair(borucki, 4LL));
  EXPECT_EQ(profile(std::to_string(split_off)), std::make_pair(split_off, 2LL));
  EXPECT_TRUE(lists(split_off, "1102.0555"));
  EXPECT_FALSE(lists(borucki, "1102.0555"));

  auto check = [&](const std::string& when) {
    SCOPED_TRACE(when);
    EXPECT_EQ(profile(std::to_string(jessie)), std::make_pair(jessie, 3LL));
    EXPECT_EQ(profile(std::to_string(j)).first, jessie);
    EXPECT_EQ(profile(std::to_string(borucki)), std::make_pair(borucki, 4LL));
    EXPECT_EQ(profile(std::to_string(split_off)), std::make_pair(split_off, 2LL));
    EXPECT_TRUE(lists(jessie, "1102.0348"));
    EXPECT_TRUE(lists(split_off, "1102.0555"));
    EXPECT_TRUE(lists(split_off, "1102.0547"));
  };

  auto rebuild = run(cfg() + "rebuild");
  ASSERT_EQ(rebuild.code, 0) << rebuild.out;
  check("after rebuild");

  // A second harvest sends new versions of the merged and the split-off works, one with
  // the split author's name printed differently: their authorships are rewritten.
  fs::create_directories(dir_ / "pages2" / "a");
  fs::create_directories(dir_ / "pages2" / "b");
  for (const auto& entry : fs::directory_iterator(sample_pages()))
    fs::copy_file(entry.path(), dir_ / "pages2" / "a" / entry.path().filename());
  write_update_page(dir_ / "pages2" / "b" / "updates.xml", {"1102.0348", "1102.0555"},
                    {"William J. Borucki", "W. J. Borucki"});
  server_ = start(dir_ / "pages2");
  config_ = write_config("second.toml", *server_);
  auto again = run(cfg() + "harvest --from 2000-01-01");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("updated=2"), std::string::npos) << again.out;
  check("after the second harvest");

  auto recluster = run(cfg() + "author recluster");
  ASSERT_EQ(recluster.code, 0) << recluster.out;
  check("after a full re-cluster");

  auto listed = run(cfg() + "author list-overrides --json");
  ASSERT_EQ(listed.code, 0) << listed.out;
  EXPECT_NE(listed.out.find("\"kind\":\"merge\""), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\"kind\":\"split\""), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("\"current_id\":" + std::to_string(split_off)), std::string::npos)
      << listed.out;

  // Taking the split back: the evidence (shared co-authors) joins the works again.
  const long long split_override = json_int(split.out, "override_id");
  auto removed = run(cfg() + "author remove-override " + std::to_string(split_override));
  ASSERT_EQ(removed.code, 0) << removed.out;
  EXPECT_EQ(profile(std::to_string(borucki)), std::make_pair(borucki, 6LL));
}

TEST_F(AuthorOverrideCli, BadRequestsExitWithTheCliCodes) {
  const auto borucki = profile("William J. Borucki").first;
  const auto b = std::to_string(borucki);
  struct Case {
    std::string args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {"author merge " + b + " " + b, 64, "with itself"},
      {"author merge " + b + " 987654321", 66, "987654321"},
      {"author merge 987654321 " + b, 66, "987654321"},
      {"author split " + b + " --works 1102.0348", 64, "1102.0348"},
      {"author split " + b + " --works 9999.99999", 66, "9999.99999"},
      {"author split " + b + " --works 1102.0541,1102.0543,1102.0544,1102.0291,1102.0555,1102.0547",
       64, "all the works"},
      {"author remove-override 4242", 66, "4242"},
      {"author split " + b, 64, "--works"},
  };
  for (const auto& c : cases) {
    auto r = run(cfg() + c.args);
    EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << c.args << "\n" << r.out;
  }
  auto listed = run(cfg() + "author list-overrides");
  EXPECT_EQ(listed.code, 0);
  EXPECT_NE(listed.out.find("no author overrides"), std::string::npos) << listed.out;
  EXPECT_EQ(profile(b).second, 6) << "nothing changed";
}

}  // namespace
