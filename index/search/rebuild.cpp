// bzpeer — rebuild: write a complete new build beside the live one, then swap `current`.
#include <xapian.h>

#include <chrono>
#include <exception>
#include <system_error>

#include "index/search/document_builder.hpp"
#include "index/search/index_files.hpp"
#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {
namespace fs = std::filesystem;

namespace {

/// Commit every this many documents: Xapian's own default threshold, made explicit so a
/// rebuild's memory use does not depend on XAPIAN_FLUSH_THRESHOLD.
constexpr std::uint64_t kCommitEvery = 10'000;

/// Writes every document from `next` into a new database at `path`. Returns the number of
/// distinct works written, checked against the database's own count.
Result<std::uint64_t> write_build(const fs::path& path,
                                  const std::function<bool(IndexDocument&)>& next) {
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE);
  Xapian::TermGenerator terms = make_term_generator();
  std::uint64_t given = 0;
  std::uint64_t repeated = 0;
  for (;;) {
    IndexDocument doc;
    if (!next(doc)) break;
    const std::string id = id_term(doc.work_id);
    // A repeated id replaces the earlier document; count it so the check below is exact.
    if (db.term_exists(id)) ++repeated;
    db.replace_document(id, build_document(doc, terms));
    if (++given % kCommitEvery == 0) db.commit();
  }
  set_schema_version(db);
  db.commit();

  const std::uint64_t expected = given - repeated;
  const std::uint64_t found = db.get_doccount();
  db.close();  // release the lock and files before the build goes live
  if (found != expected) {
    return fail(ErrorCode::index, "new build " + path.string() + " holds " + std::to_string(found) +
                                      " documents, expected " + std::to_string(expected));
  }
  return expected;
}

}  // namespace

Result<RebuildStats> rebuild(const fs::path& index_root,
                             const std::function<bool(IndexDocument&)>& next) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  fs::create_directories(builds_dir(index_root), ec);
  if (ec) {
    return fail(ErrorCode::io,
                "cannot create " + builds_dir(index_root).string() + ": " + ec.message());
  }

  RebuildStats stats;
  stats.build_name = new_build_name(index_root);
  const fs::path path = builds_dir(index_root) / stats.build_name;

  Result<std::uint64_t> written = 0;
  try {
    written = write_build(path, next);
  } catch (const Xapian::Error& e) {
    written = std::unexpected(xapian_error(e, "cannot write new index build", path));
  } catch (const std::exception& e) {
    // Thrown by the caller's `next`; it must not cross our edge either.
    written = fail(ErrorCode::index,
                   "rebuild of " + path.string() + " stopped by the document source: " + e.what());
  }
  if (!written) {
    fs::remove_all(path, ec);  // `current` still names the old build
    return std::unexpected(written.error());
  }
  stats.documents = *written;

  if (auto swapped = write_stub(index_root, stats.build_name); !swapped) {
    fs::remove_all(path, ec);
    return std::unexpected(swapped.error());
  }
  stats.removed_builds = prune_builds(index_root);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace bzpeer::search
