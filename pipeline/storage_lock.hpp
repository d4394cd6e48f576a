// bzpeer — an exclusive lock on a storage directory (flock on <dir>/bzpeer.lock), so two
// harvests or a harvest and a rebuild never write the same store and index at once.
// The kernel releases it when the process dies, kill -9 included.
#pragma once

#include <filesystem>

#include "pipeline/model/error.hpp"

namespace bzpeer::pipeline {

class StorageLock {
 public:
  /// Takes the lock without waiting. ErrorCode::locked names the holder's pid when known.
  [[nodiscard]] static Result<StorageLock> acquire(const std::filesystem::path& dir);
  StorageLock(StorageLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StorageLock& operator=(StorageLock&&) = delete;
  ~StorageLock();

 private:
  explicit StorageLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace bzpeer::pipeline
