// Storage faults: a disk that fills up mid-harvest (RLIMIT_FSIZE in the child process, with
// SIGXFSZ ignored so writes fail with EFBIG as on a full disk) and a storage directory that
// cannot exist. Each gives a clear error and exit 74, corrupts nothing, and the next run
// recovers.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "tests/integration/harvest_support.hpp"

namespace bzpeer::it {
namespace {

struct CmdResult {
  int code = -1;
  std::string out;  ///< stdout and stderr
};

/// Runs bzpeer through /bin/sh, after `prefix` (shell commands such as ulimit).
CmdResult run_sh(const std::string& prefix, const std::string& args) {
  const std::string cmd =
      prefix + " exec " + std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args + " 2>&1";
  CmdResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string config_for(const fs::path& dir, const fs::path& storage, const std::string& url) {
  const fs::path file = dir / "bzpeer.toml";
  std::ofstream(file)
      << "[storage]\ndir = \"" << storage.string()
      << "\"\n[harvest]\ncontact = \"test@localhost\"\ninitial_backoff_s = 0.01\nmax_attempts = 2\n"
      << "[[source]]\nname = \"arxiv\"\nkind = \"oai-pmh\"\nurl = \"" << url
      << "\"\nmetadata_prefix = \"arXivRaw\"\nmin_interval_s = 0\n";
  return "--config " + file.string() + " ";
}

TEST(StorageFaults, FullDiskMidHarvestIsAClearErrorAndTheNextRunRecovers) {
  // Two of the sample's pages (about 200 records) keep the three harvests below short.
  TempDir dir("full-disk");
  fs::create_directories(dir.path() / "pages");
  for (const char* page : {"page-001.xml", "page-002.xml"}) {
    fs::copy_file(sample_pages() / page, dir.path() / "pages" / page);
  }
  auto server = start_replay(dir.path() / "pages", 100);
  const std::string cfg = config_for(dir.path(), dir.path() / "var", server->base_url());
  // No file may grow past 512 KB (ulimit -f counts 512-byte blocks in dash, 1 KB in bash:
  // either way far below what the sample needs).
  const auto full = run_sh("trap '' XFSZ; ulimit -f 1024;", cfg + "harvest");
  EXPECT_EQ(full.code, 74) << full.out;
  EXPECT_NE(full.out.find("storage-error"), std::string::npos) << full.out;

  const auto again = run_sh("", cfg + "harvest");
  ASSERT_EQ(again.code, 0) << again.out;
  const auto doctor = run_sh("", cfg + "doctor");
  EXPECT_EQ(doctor.code, 0) << doctor.out;

  // The store ends up exactly as an uninterrupted harvest leaves it.
  TempDir clean_dir("full-disk-clean");
  const std::string clean =
      config_for(clean_dir.path(), clean_dir.path() / "var", server->base_url());
  ASSERT_EQ(run_sh("", clean + "harvest").code, 0);
  for (const std::string verb : {"export works", "export authorships", "export authors"}) {
    EXPECT_EQ(run_sh("", cfg + verb).out, run_sh("", clean + verb).out) << verb;
  }
}

TEST(StorageFaults, StorageDirThatCannotExistIsAClearError) {
  auto server = start_replay(sample_pages(), 100);
  TempDir dir("no-dir");
  std::ofstream(dir.path() / "a-file") << "x";
  const fs::path storage = dir.path() / "a-file" / "var";
  const std::string cfg = config_for(dir.path(), storage, server->base_url());
  const auto harvest = run_sh("", cfg + "harvest");
  EXPECT_EQ(harvest.code, 74) << harvest.out;
  EXPECT_NE(harvest.out.find(storage.string()), std::string::npos) << harvest.out;
  const auto stats = run_sh("", cfg + "stats");
  EXPECT_NE(stats.code, 0) << stats.out;
  EXPECT_NE(stats.out.find((dir.path() / "a-file").string()), std::string::npos) << stats.out;
  std::ifstream kept(dir.path() / "a-file");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(kept)), {}), "x");
}

}  // namespace
}  // namespace bzpeer::it
