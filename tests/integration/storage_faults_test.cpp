// Storage faults: a disk that fills up mid-harvest (RLIMIT_FSIZE in the child process, with
// SIGXFSZ ignored so writes fail with EFBIG as on a full disk), a storage directory that
// cannot exist, and a read-only one. Each gives a clear error and exit 74, corrupts
// nothing, and the next run recovers.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "tests/integration/harvest_support.hpp"

namespace bzpeer::it {
namespace {

struct CmdResult {
  int code = -1;
  std::string out;  ///< stdout and stderr
};

/// Runs a shell command line; its exit code (128 + signal when killed) and output.
CmdResult run_shell(const std::string& cmd) {
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

/// Runs bzpeer through /bin/sh, after `prefix` (shell commands such as ulimit).
CmdResult run_sh(const std::string& prefix, const std::string& args) {
  return run_shell(prefix + " exec " + std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args +
                   " 2>&1");
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

/// Whether this process may make a private mount namespace (unshare -m) and bind-mount a
/// directory read-only in it.
bool can_mount_read_only(const fs::path& probe) {
  const std::string p = probe.string();
  const std::string cmd = "unshare -m sh -c 'mount --bind \"" + p + "\" \"" + p +
                          "\" && mount -o remount,ro,bind \"" + p + "\" && ! touch \"" + p +
                          "/x\"' >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 && !fs::exists(probe / "x");
}

/// `bzpeer ARGS` with the directory `storage` read-only. Root is not stopped by file
/// permissions, so as root `storage` is bind-mounted read-only onto itself in a private
/// mount namespace (unshare -m; the mount ends with the command, nothing to clean up);
/// otherwise the directory and its files are chmod'ed 0555/0444 for the command.
CmdResult run_read_only(const fs::path& storage, const std::string& args) {
  if (::geteuid() == 0) {
    const std::string p = storage.string();
    return run_shell("unshare -m sh -c 'mount --bind \"" + p + "\" \"" + p +
                     "\" && mount -o remount,ro,bind \"" + p + "\" && exec " +
                     std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args + "' 2>&1");
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(storage)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  for (const auto& f : files) fs::permissions(f, fs::perms(0444));
  fs::permissions(storage, fs::perms(0555));
  auto r = run_sh("", args);
  fs::permissions(storage, fs::perms(0755));
  for (const auto& f : files) fs::permissions(f, fs::perms(0644));
  return r;
}

/// Every file under `dir` with its size and contents (to show that nothing changed).
std::set<std::string> snapshot(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    out.insert(e.path().string() + "\n" +
               std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  return out;
}

TEST(StorageFaults, ReadOnlyStorageIsAClearErrorCorruptsNothingAndTheNextRunRecovers) {
  TempDir dir("read-only");
  fs::create_directories(dir.path() / "probe");
  if (::geteuid() == 0 && !can_mount_read_only(dir.path() / "probe")) {
    GTEST_SKIP() << "running as root, whom a chmod'ed directory does not stop, and this system "
                    "does not let the test bind-mount a directory read-only (unshare -m, mount)";
  }
  fs::create_directories(dir.path() / "pages");
  for (const char* page : {"page-001.xml", "page-002.xml"}) {
    fs::copy_file(sample_pages() / page, dir.path() / "pages" / page);
  }
  auto server = start_replay(dir.path() / "pages", 50);
  const fs::path storage = dir.path() / "var";
  const std::string cfg = config_for(dir.path(), storage, server->base_url());
  // A store with the first records (up to 2011-02-03), so the read-only runs have a store
  // to refuse to change and the writable run after them has records to add.
  const auto first = run_sh("", cfg + "harvest --until 2011-02-03");
  ASSERT_EQ(first.code, 0) << first.out;
  const auto works_before = run_sh("", cfg + "export works");
  ASSERT_EQ(works_before.code, 0);
  const auto stats_before = run_sh("", cfg + "stats");
  const auto before = snapshot(storage);

  // The writers refuse, naming the file they could not open under the storage directory.
  for (const std::string verb : {"harvest", "rebuild"}) {
    const auto r = run_read_only(storage, cfg + verb);
    EXPECT_EQ(r.code, 74) << verb << ": " << r.out;
    EXPECT_NE(r.out.find(storage.string() + "/"), std::string::npos) << verb << ": " << r.out;
    EXPECT_EQ(r.out.find("harvest arxiv: ok"), std::string::npos) << verb << ": " << r.out;
  }
  // A reader reads it when SQLite can (the store's -shm file is there), else it is exit 74
  // naming the store file.
  const auto stats = run_read_only(storage, cfg + "stats");
  if (stats.code == 0) {
    EXPECT_EQ(stats.out, stats_before.out);
  } else {
    EXPECT_EQ(stats.code, 74) << stats.out;
    EXPECT_NE(stats.out.find((storage / "store.sqlite").string()), std::string::npos) << stats.out;
  }
  EXPECT_TRUE(snapshot(storage) == before) << "a file under the read-only storage changed";
  EXPECT_EQ(run_sh("", cfg + "export works").out, works_before.out);

  // Writable again: the next harvest adds the rest, and the store ends up as an
  // uninterrupted harvest of everything leaves it.
  const auto again = run_sh("", cfg + "harvest");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_EQ(run_sh("", cfg + "doctor").code, 0);
  TempDir clean_dir("read-only-clean");
  const std::string clean =
      config_for(clean_dir.path(), clean_dir.path() / "var", server->base_url());
  ASSERT_EQ(run_sh("", clean + "harvest --until 2011-02-03").code, 0);
  ASSERT_EQ(run_sh("", clean + "harvest").code, 0);
  for (const std::string verb : {"export works", "export authorships", "export authors"}) {
    EXPECT_EQ(run_sh("", cfg + verb).out, run_sh("", clean + verb).out) << verb;
  }
}

}  // namespace
}  // namespace bzpeer::it
