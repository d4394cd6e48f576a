// The harvest's progress line appears on a terminal only: the real binary runs with its
// stderr on a pseudo-terminal (output post-processing off, so the only carriage returns are
// the ones bzpeer writes), and the line must be there by default and absent with --quiet
// and with JSON logs. (Off a terminal, see quarantine_cli_test.cpp.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "harvest_support.hpp"

namespace bzpeer::it {
namespace {

struct TtyResult {
  int code = -1;
  std::string err;  ///< what was written to the terminal (stderr)
};

TtyResult run_on_tty(const std::string& args) {
  TtyResult r;
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) {
    ADD_FAILURE() << "openpty failed: " << std::strerror(errno);
    return r;
  }
  termios t{};
  ::tcgetattr(slave, &t);
  t.c_oflag &= ~static_cast<tcflag_t>(OPOST);  // no "\n" -> "\r\n"
  ::tcsetattr(slave, TCSANOW, &t);
  const std::string cmd = std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer " + args;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    ::dup2(slave, STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDOUT_FILENO);
    ::close(master);
    ::close(slave);
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(slave);
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.err.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child and its children closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(ProgressLine, OnATerminalOnlyWithoutQuietOrJsonLogs) {
  TempDir dir("progress");
  auto server = start_replay(sample_pages(), 100);
  auto write_config = [&](const fs::path& path, const std::string& extra) {
    std::ofstream(path) << "[storage]\ndir = \"" << (dir.path() / "var").string()
                        << "\"\n[harvest]\ncontact = \"test@localhost\"\n"
                        << extra << "[[source]]\nname = \"arxiv\"\nkind = \"oai-pmh\"\nurl = \""
                        << server->base_url()
                        << "\"\nmetadata_prefix = \"arXivRaw\"\nmin_interval_s = 0\n";
  };
  const auto text = dir.path() / "text.toml";
  const auto json = dir.path() / "json.toml";
  write_config(text, "");
  write_config(json, "[log]\nformat = \"json\"\n");

  // Each run harvests the whole sample again (--from): 509 records, six pages.
  auto r = run_on_tty("--config " + text.string() + " harvest --no-index --from 2000-01-01");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("\r[arxiv] pages 1  records 100"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\r[arxiv] pages 6  records 509"), std::string::npos) << r.err;

  r = run_on_tty("--config " + text.string() + " --quiet harvest --no-index --from 2000-01-01");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("[arxiv] pages"), std::string::npos) << r.err;

  r = run_on_tty("--config " + json.string() + " harvest --no-index --from 2000-01-01");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  // Only JSON lines on the terminal.
  for (std::size_t start = 0; start < r.err.size();) {
    const auto end = r.err.find('\n', start);
    const std::string line = r.err.substr(start, end - start);
    EXPECT_TRUE(line.starts_with("{") && line.ends_with("}")) << line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  EXPECT_NE(r.err.find("seen=509"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bzpeer::it
