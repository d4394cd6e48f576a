// bzpeer — read-only store and index handles for the HTTP server's worker threads.
//
// A SQLite connection and a Xapian reader may be used by one thread at a time, so each
// request leases a Readers pair and gives it back when done. Handles open lazily (a
// store or index that does not exist yet is retried on the next lease) and stay open
// between requests; IndexReader follows `current` to a new build by itself, and a
// read-only WAL connection sees each commit of the writer at its next statement.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "index/search/search_index.hpp"
#include "index/store/store.hpp"

namespace bzpeer::server {

struct Readers {
  std::optional<store::Store> store;
  std::optional<search::IndexReader> index;
};

class ReaderPool {
 public:
  ReaderPool(std::filesystem::path storage_dir, std::filesystem::path index_root,
             std::size_t max_idle = 32);

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Readers> readers)
        : pool_(&pool), readers_(std::move(readers)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    /// The store, opened read-only on first use. Errors come from Store::open.
    [[nodiscard]] Result<store::Store*> store();
    /// The index reader, opened on first use. ErrorCode::not_found when there is none.
    [[nodiscard]] Result<search::IndexReader*> index();
    /// Do not return these handles to the pool (after a storage or index error).
    void discard() { discard_ = true; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Readers> readers_;
    bool discard_ = false;
  };

  [[nodiscard]] Lease acquire();

 private:
  friend class Lease;
  void give_back(std::unique_ptr<Readers> readers);

  std::filesystem::path storage_dir_, index_root_;
  std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Readers>> idle_;
};

}  // namespace bzpeer::server
