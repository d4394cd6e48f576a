#include "pipeline/storage_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bzpeer::pipeline {

Result<StorageLock> StorageLock::acquire(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return fail(ErrorCode::io,
                "cannot create storage directory " + dir.string() + ": " + ec.message());
  }
  auto path = dir / "bzpeer.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fail(ErrorCode::io,
                "cannot open lock file " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("?");
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    if (err == EWOULDBLOCK) {
      return fail(ErrorCode::locked, "storage " + dir.string() +
                                         " is in use by another bzpeer process (pid " + holder +
                                         "); try again when it has finished");
    }
    return fail(ErrorCode::io, "cannot lock " + path.string() + ": " + std::strerror(err));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] auto written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  return StorageLock(fd);
}

StorageLock::~StorageLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace bzpeer::pipeline
