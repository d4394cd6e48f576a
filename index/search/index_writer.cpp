// bzpeer — IndexWriter: adds, replaces and deletes work documents in the live build.
#include <xapian.h>

#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>

#include "index/search/document_builder.hpp"
#include "index/search/index_files.hpp"
#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {
namespace fs = std::filesystem;

// IndexWriter::kCommitEvery: two costs shape it (measured for the rebuild, see rebuild.cpp
// and the notes of issue 8). Xapian 1.4 keeps an uncommitted batch in std::maps that get
// slower as they fill, so batches of thousands of works index about half as fast as
// batches of a few hundred; and each commit of the live build costs its fsyncs plus a merge
// of every term the batch touched into the posting lists, which small batches repeat more
// often. A few hundred also bounds the writer's memory.

struct IndexWriter::Impl {
  Impl(fs::path build_path, Xapian::WritableDatabase database)
      : build(std::move(build_path)), db(std::move(database)) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  // Xapian commits the documents of an unfinished batch when the database is destroyed;
  // their spelling words go in first so that the two stay together. Errors cannot be
  // reported here (callers commit() to learn about them).
  ~Impl() {
    try {
      if (changes != 0) spelling.write_to(db);
    } catch (const Xapian::Error&) {
    }
  }

  /// Writes the batch's spelling words (one add_spelling per distinct word) and commits.
  void commit() {
    spelling.write_to(db);
    spelling.clear();
    db.commit();
    changes = 0;
  }
  /// Counts one change and commits when the batch is full.
  void changed() {
    if (++changes >= IndexWriter::kCommitEvery) commit();
  }

  fs::path build;
  Xapian::WritableDatabase db;
  Xapian::TermGenerator terms = make_term_generator(db);  // owned: not thread-safe
  /// The batch's spelling words, counted in memory: Xapian's per-word add_spelling
  /// (FLAG_SPELLING) costs more than the rest of indexing a document.
  SpellingCollector spelling;
  std::uint64_t changes = 0;  ///< since the last commit
};

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;
// Xapian commits pending changes when the WritableDatabase is destroyed (errors are
// swallowed there); callers commit() explicitly to see them.
IndexWriter::~IndexWriter() = default;

Result<IndexWriter> IndexWriter::open(const fs::path& index_root) {
  std::error_code ec;
  fs::create_directories(builds_dir(index_root), ec);
  if (ec) {
    return fail(ErrorCode::io,
                "cannot create " + builds_dir(index_root).string() + ": " + ec.message());
  }
  fs::path build;
  try {
    auto target = read_stub(index_root);
    if (target) {
      build = resolve_target(index_root, *target);
      Xapian::WritableDatabase db(build.string(), Xapian::DB_OPEN);
      if (auto ok = check_schema_version(db, build); !ok) return std::unexpected(ok.error());
      return IndexWriter(std::make_unique<Impl>(build, std::move(db)));
    }
    if (target.error().code != ErrorCode::not_found) return std::unexpected(target.error());

    // First use: an empty build that carries the schema version, then the stub, so a
    // reader can open the index at once.
    const std::string name = new_build_name(index_root);
    build = builds_dir(index_root) / name;
    Xapian::WritableDatabase db(build.string(), Xapian::DB_CREATE);
    set_schema_version(db);
    db.commit();
    if (auto ok = write_stub(index_root, name); !ok) return std::unexpected(ok.error());
    return IndexWriter(std::make_unique<Impl>(build, std::move(db)));
  } catch (const Xapian::Error& e) {
    return std::unexpected(
        xapian_error(e, "cannot open search index build", build.empty() ? index_root : build));
  }
}

Result<void> IndexWriter::upsert(const IndexDocument& doc) {
  try {
    impl_->db.replace_document(id_term(doc.work_id),
                               build_document(doc, impl_->terms, &impl_->spelling));
    impl_->changed();
    return {};
  } catch (const Xapian::Error& e) {
    return std::unexpected(
        xapian_error(e, "cannot index work " + std::to_string(doc.work_id) + " in", impl_->build));
  }
}

Result<void> IndexWriter::remove(std::int64_t work_id) {
  try {
    impl_->db.delete_document(id_term(work_id));  // no document with that id: no-op
    impl_->changed();
    return {};
  } catch (const Xapian::Error& e) {
    return std::unexpected(
        xapian_error(e, "cannot remove work " + std::to_string(work_id) + " from", impl_->build));
  }
}

Result<void> IndexWriter::commit() {
  try {
    impl_->commit();
    return {};
  } catch (const Xapian::Error& e) {
    return std::unexpected(xapian_error(e, "cannot commit search index", impl_->build));
  }
}

std::uint64_t IndexWriter::document_count() const {
  try {
    return impl_->db.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

}  // namespace bzpeer::search
