// bzpeer — index layout helpers (see index_files.hpp).
#include "index/search/index_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <system_error>

#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStubKeyword = "auto ";
constexpr std::string_view kBuildsDir = "builds";

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

/// Writes all of `text` to `fd`, retrying short writes and EINTR.
bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

fs::path stub_path(const fs::path& root) {
  return root / "current";
}
fs::path previous_stub_path(const fs::path& root) {
  return root / "previous";
}
fs::path builds_dir(const fs::path& root) {
  return root / kBuildsDir;
}

namespace {

Result<std::string> read_stub_file(const fs::path& root, const fs::path& stub) {
  std::ifstream in(stub);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(stub, ec)) {
      return fail(ErrorCode::not_found, "no search index at " + root.string() + " (" +
                                            stub.string() + " does not exist)");
    }
    return fail(ErrorCode::io, "cannot read " + stub.string());
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(kStubKeyword)) continue;
    std::string target = line.substr(kStubKeyword.size());
    while (!target.empty() && (target.back() == ' ' || target.back() == '\r')) target.pop_back();
    if (!target.empty()) return target;
  }
  return fail(ErrorCode::index,
              stub.string() + " is not an index stub (expected a line \"auto builds/<name>\")");
}

/// Writes the stub file `stub_name` under `root` naming builds/<build_name>: a temp file,
/// fsync, rename(), fsync of the directory.
Result<void> write_stub_file(const fs::path& root, std::string_view stub_name,
                             const std::string& build_name) {
  const fs::path stub = root / stub_name;
  const fs::path tmp = root / ("." + std::string(stub_name) + ".tmp-" + std::to_string(::getpid()));
  const std::string text =
      std::string(kStubKeyword) + std::string(kBuildsDir) + "/" + build_name + "\n";

  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail(ErrorCode::io, "cannot create " + tmp.string() + ": " + errno_text(errno));
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return fail(ErrorCode::io, "cannot write " + tmp.string() + ": " + errno_text(write_errno));
  }
  if (::rename(tmp.c_str(), stub.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return fail(ErrorCode::io,
                "cannot rename " + tmp.string() + " to " + stub.string() + ": " + errno_text(err));
  }
  // The rename is durable only once the directory entry is on disk.
  if (const int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace

Result<std::string> read_stub(const fs::path& root) {
  return read_stub_file(root, stub_path(root));
}

Result<std::string> read_previous_stub(const fs::path& root) {
  return read_stub_file(root, previous_stub_path(root));
}

std::string build_name_of(const std::string& target) {
  return fs::path(target).filename().string();
}

fs::path resolve_target(const fs::path& root, const std::string& target) {
  const fs::path p(target);
  return p.is_absolute() ? p : root / p;
}

Result<void> write_stub(const fs::path& root, const std::string& build_name) {
  return write_stub_file(root, "current", build_name);
}

Result<void> write_previous_stub(const fs::path& root, const std::string& build_name) {
  return write_stub_file(root, "previous", build_name);
}

std::string new_build_name(const fs::path& root) {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lldZ", static_cast<long long>(micros % 1'000'000));
  const std::string base = "b-" + std::string(stamp) + fraction + "-" + std::to_string(::getpid());
  // Two builds in the same microsecond from one process: add a counter.
  std::string name = base;
  std::error_code ec;
  for (int n = 2; fs::exists(builds_dir(root) / name, ec); ++n)
    name = base + "-" + std::to_string(n);
  return name;
}

std::vector<std::string> prune_builds(const fs::path& root) {
  std::vector<std::string> removed;
  auto target = read_stub(root);
  if (!target) return removed;  // never delete anything without knowing what is live
  const fs::path live = resolve_target(root, *target).lexically_normal();
  fs::path previous;
  if (auto p = read_previous_stub(root)) previous = resolve_target(root, *p).lexically_normal();
  std::error_code ec;
  for (fs::directory_iterator it(builds_dir(root), ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path here = it->path().lexically_normal();
    if (here == live || here == previous) continue;
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    if (!rm) removed.push_back(it->path().filename().string());
  }
  // A process killed inside write_stub_file leaves its ".<stub>.tmp-<pid>"; remove those
  // of processes that no longer run (a live writer's own file is never touched).
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto mark = name.rfind(".tmp-");
    if (name.empty() || name[0] != '.' || mark == std::string::npos) continue;
    long pid = 0;
    const char* digits = name.c_str() + mark + 5;
    char* stop = nullptr;
    pid = std::strtol(digits, &stop, 10);
    if (stop == digits || *stop != '\0' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code rm;
    if (fs::remove(it->path(), rm) && !rm) removed.push_back(name);
  }
  return removed;
}

void set_schema_version(Xapian::WritableDatabase& db) {
  db.set_metadata(std::string(kSchemaVersionKey), std::to_string(kSchemaVersion));
}

Result<void> check_schema_version(const Xapian::Database& db, const fs::path& path) {
  const std::string found = db.get_metadata(std::string(kSchemaVersionKey));
  if (found == std::to_string(kSchemaVersion)) return {};
  const std::string expected = std::to_string(kSchemaVersion);
  if (found.empty()) {
    return fail(ErrorCode::index, "search index " + path.string() + " has no " +
                                      std::string(kSchemaVersionKey) +
                                      " (not a bzpeer index?); this bzpeer reads schema " +
                                      expected + ": rebuild the index");
  }
  return fail(ErrorCode::index, "search index " + path.string() + " has schema version " + found +
                                    ", this bzpeer reads schema " + expected +
                                    ": rebuild the index");
}

Error xapian_error(const Xapian::Error& e, std::string_view doing, const fs::path& path) {
  std::string message =
      std::string(doing) + " " + path.string() + ": " + e.get_type() + ": " + e.get_msg();
  if (const char* context = e.get_error_string(); context != nullptr && *context != '\0') {
    message += " (" + std::string(context) + ")";
  }
  // Xapian::Error has no virtual functions, so the class is known only by name.
  if (std::string_view(e.get_type()) == "DatabaseLockError") {
    return Error{ErrorCode::locked,
                 message + " — another process is writing this index; one writer at a time"};
  }
  return Error{ErrorCode::index, std::move(message)};
}

}  // namespace bzpeer::search
