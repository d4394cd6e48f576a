// bzpeer — the HTTP server's pool of read-only store and index handles.
#include "tools/server/reader_pool.hpp"

namespace bzpeer::server {

ReaderPool::ReaderPool(std::filesystem::path storage_dir, std::filesystem::path index_root,
                       std::size_t max_idle)
    : storage_dir_(std::move(storage_dir)),
      index_root_(std::move(index_root)),
      max_idle_(max_idle) {}

ReaderPool::Lease ReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto readers = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(readers));
    }
  }
  return Lease(*this, std::make_unique<Readers>());
}

void ReaderPool::give_back(std::unique_ptr<Readers> readers) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(readers));
}

ReaderPool::Lease::~Lease() {
  if (pool_ && readers_ && !discard_) pool_->give_back(std::move(readers_));
}

Result<store::Store*> ReaderPool::Lease::store() {
  if (!readers_->store) {
    auto opened = store::Store::open(pool_->storage_dir_, store::OpenMode::read_only);
    if (!opened) return std::unexpected(opened.error());
    readers_->store.emplace(std::move(*opened));
  }
  return &*readers_->store;
}

Result<search::IndexReader*> ReaderPool::Lease::index() {
  if (!readers_->index) {
    auto opened = search::IndexReader::open(pool_->index_root_);
    if (!opened) return std::unexpected(opened.error());
    readers_->index.emplace(std::move(*opened));
  }
  return &*readers_->index;
}

}  // namespace bzpeer::server
