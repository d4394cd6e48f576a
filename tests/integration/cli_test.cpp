// The bzpeer executable as an operator runs it: output and exit codes of every verb,
// against a store harvested from the replay server on 127.0.0.1.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "tools/replay_server/replay_server.hpp"

namespace {

namespace fs = std::filesystem;

struct CmdResult {
  int code = -1;
  std::string out;  ///< stdout and stderr together
};

CmdResult run(const std::string& args) {
  std::string cmd = std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args + " 2>&1";
  CmdResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("bzpeer-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    bzpeer::replay::ServerOptions options;
    options.pages_dir = fs::path(BZPEER_FIXTURES) / "oai" / "arxivraw-sample";
    options.page_size = 200;
    server_ = new bzpeer::replay::ReplayServer(options);
    ASSERT_GT(server_->start(), 0);
    config_ = (dir_ / "bzpeer.toml").string();
    std::ofstream(config_) << "[storage]\ndir = \"" << (dir_ / "var").string()
                           << "\"\n[harvest]\ncontact = \"test@localhost\"\n"
                           << "initial_backoff_s = 0.05\n[[source]]\nname = \"arxiv\"\n"
                           << "kind = \"oai-pmh\"\nurl = \"" << server_->base_url()
                           << "\"\nmetadata_prefix = \"arXivRaw\"\nmin_interval_s = 0\n";
    harvest_ = run("--config " + config_ + " harvest");
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(dir_);
  }
  static std::string cfg() { return "--config " + config_ + " "; }

  static inline fs::path dir_;
  static inline std::string config_;
  static inline bzpeer::replay::ReplayServer* server_ = nullptr;
  static inline CmdResult harvest_;
};

TEST_F(Cli, HarvestPrintsOneSummaryLineAndWritesJson) {
  EXPECT_EQ(harvest_.code, 0) << harvest_.out;
  EXPECT_NE(harvest_.out.find("harvest arxiv: ok seen=509 added=509"), std::string::npos)
      << harvest_.out;
  std::ifstream json(dir_ / "var" / "last-harvest-arxiv.json");
  std::string text((std::istreambuf_iterator<char>(json)), {});
  EXPECT_NE(text.find("\"status\":\"ok\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"seen\":509"), std::string::npos) << text;
}

TEST_F(Cli, SecondHarvestIsAnEmptySuccess) {
  auto r = run(cfg() + "harvest");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("seen=0"), std::string::npos) << r.out;
}

TEST_F(Cli, SearchTextAndJson) {
  auto r = run(cfg() + "search --limit 3 'author:borucki'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("6 results"), std::string::npos) << r.out;
  r = run(cfg() + "search --json 'title:\"transit timing\"'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"arxiv_id\":\"1102.0544\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"arxiv_id\":\"1102.0525\""), std::string::npos) << r.out;
}

TEST_F(Cli, MalformedQueryIsAUsageError) {
  auto r = run(cfg() + "search 'planet AND'");
  EXPECT_EQ(r.code, 64) << r.out;
  EXPECT_NE(r.out.find("planet AND"), std::string::npos) << r.out;
}

TEST_F(Cli, ProfileByNameAndById) {
  auto r = run(cfg() + "profile 'William J. Borucki'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("6 works"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Geoffrey W. Marcy"), std::string::npos) << r.out;
  r = run(cfg() + "profile --json 'William J. Borucki'");
  ASSERT_EQ(r.code, 0) << r.out;
  auto at = r.out.find("\"author_id\":");
  ASSERT_NE(at, std::string::npos);
  std::string id = r.out.substr(at + 12, r.out.find(',', at) - at - 12);
  auto by_id = run(cfg() + "profile --json " + id);
  EXPECT_EQ(by_id.code, 0);
  EXPECT_EQ(by_id.out, r.out);
  EXPECT_NE(r.out.find("\"works\":6"), std::string::npos) << r.out;
}

TEST_F(Cli, UnknownAuthorIsNotFound) {
  auto r = run(cfg() + "profile 'Nobody Atall'");
  EXPECT_EQ(r.code, 66) << r.out;
  EXPECT_NE(r.out.find("Nobody Atall"), std::string::npos) << r.out;
  r = run(cfg() + "collaborators 999999999");
  EXPECT_EQ(r.code, 66) << r.out;
}

TEST_F(Cli, CollaboratorsListSharedWorks) {
  auto r = run(cfg() + "collaborators 'Natalie Batalha'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Natalie M. Batalha"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("shared works"), std::string::npos) << r.out;
}

TEST_F(Cli, StatsStatusAndDoctor) {
  auto r = run(cfg() + "stats --json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"works\":509"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"index_documents\":509"), std::string::npos) << r.out;
  r = run(cfg() + "status");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("source arxiv"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("harvested until"), std::string::npos) << r.out;
  r = run(cfg() + "status --json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"last_success_at\":\"20"), std::string::npos) << r.out;
  r = run(cfg() + "doctor");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("all checks passed"), std::string::npos) << r.out;
}

TEST_F(Cli, ExportIsJsonLines) {
  auto r = run(cfg() + "export works | wc -l");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(std::stoi(r.out), 509);
  r = run(cfg() + "export authorships | grep -c '\"arxiv_id\":\"1102.0541\"'");
  EXPECT_GT(std::stoi(r.out), 40);  // the Kepler team paper has dozens of authors
}

TEST_F(Cli, ConfigErrorsNameFileKeyAndExpectation) {
  auto bad = dir_ / "bad.toml";
  std::ofstream(bad) << "[storage]\ndir = 7\ncolour = \"red\"\n[[source]]\nname = \"x\"\n"
                     << "kind = \"oai-pmh\"\nurl = \"ftp://nowhere\"\nfrom = \"2024-13-01\"\n";
  auto r = run("--config " + bad.string() + " stats");
  EXPECT_EQ(r.code, 78) << r.out;
  EXPECT_NE(r.out.find(bad.string() + ": storage.dir: expected a string"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("storage.colour: unknown key"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source \"x\".url"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source \"x\".from"), std::string::npos) << r.out;
  r = run("--config " + (dir_ / "missing.toml").string() + " stats");
  EXPECT_EQ(r.code, 78) << r.out;
}

TEST_F(Cli, UsageErrors) {
  EXPECT_EQ(run("stats").code, 64);               // no --config
  EXPECT_EQ(run(cfg() + "frobnicate").code, 64);  // unknown verb
  EXPECT_EQ(run(cfg() + "harvest --from yesterday").code, 64);
  auto help = run("search --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--sort"), std::string::npos);
  EXPECT_EQ(run("--version").code, 0);
}

TEST_F(Cli, RebuildKeepsSearchAnswering) {
  auto r = run(cfg() + "rebuild");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("509 documents"), std::string::npos) << r.out;
  r = run(cfg() + "search --json 'author:borucki'");
  EXPECT_NE(r.out.find("\"total_estimate\":6"), std::string::npos) << r.out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(Cli, RebuildRollbackSwapsBackAndRefusesWithoutPrevious) {
  const fs::path index = dir_ / "var" / "index";
  auto r = run(cfg() + "rebuild");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("kept the previous build"), std::string::npos) << r.out;
  const std::string live = read_text(index / "current");
  const std::string previous = read_text(index / "previous");
  ASSERT_NE(live, previous);

  r = run(cfg() + "rebuild --rollback");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("rolled the index back"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(index / "current"), previous);
  EXPECT_EQ(read_text(index / "previous"), live);
  r = run(cfg() + "search --json 'author:borucki'");
  EXPECT_NE(r.out.find("\"total_estimate\":6"), std::string::npos) << r.out;
  r = run(cfg() + "rebuild --rollback");  // undoes the rollback
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(read_text(index / "current"), live);

  // An index without a previous build: exit 66, a message saying so, nothing changed.
  const fs::path other = dir_ / "no-previous";
  fs::create_directories(other / "var");
  fs::copy(index, other / "var" / "index", fs::copy_options::recursive);
  fs::remove(other / "var" / "index" / "previous");
  const fs::path config = other / "bzpeer.toml";
  std::ofstream(config) << "[storage]\ndir = \"" << (other / "var").string() << "\"\n";
  r = run("--config " + config.string() + " rebuild --rollback");
  EXPECT_EQ(r.code, 66) << r.out;
  EXPECT_NE(r.out.find("no previous build"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(other / "var" / "index" / "current"), live);
}

TEST_F(Cli, SearchTimeLimitAndTruncatedFlag) {
  auto r = run(cfg() + "search --json --facets --time-limit-ms 0 'planet'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"truncated\":false"), std::string::npos) << r.out;
  r = run(cfg() + "search --time-limit-ms -5 'planet'");
  EXPECT_EQ(r.code, 64) << r.out;
  auto bad = dir_ / "bad-limit.toml";
  std::ofstream(bad) << "[storage]\ndir = \"" << (dir_ / "var").string()
                     << "\"\n[search]\ntime_limit_ms = -1\n";
  r = run("--config " + bad.string() + " search planet");
  EXPECT_EQ(r.code, 78) << r.out;
  EXPECT_NE(r.out.find("search.time_limit_ms"), std::string::npos) << r.out;
}

}  // namespace
