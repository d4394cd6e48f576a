// bzpeer — copying the current index build (see index_backup.hpp).
#include "index/search/index_backup.hpp"

#include <xapian.h>

#include <system_error>

#include "index/search/index_files.hpp"

namespace bzpeer::search {
namespace {

namespace fs = std::filesystem;

constexpr int kAttempts = 5;

std::uint64_t bytes_under(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) total += it->file_size(size_ec);
  }
  return total;
}

}  // namespace

Result<IndexBackupStats> backup_index(const fs::path& index_root, const fs::path& dest_root) {
  std::error_code ec;
  fs::create_directories(builds_dir(dest_root), ec);
  if (ec) {
    return fail(ErrorCode::io,
                "cannot create " + builds_dir(dest_root).string() + ": " + ec.message());
  }
  std::string last_problem;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto target = read_stub(index_root);
    if (!target) return std::unexpected(target.error());
    const fs::path build = resolve_target(index_root, *target);
    IndexBackupStats stats;
    stats.build = build_name_of(*target);
    stats.attempts = attempt;
    const fs::path out = builds_dir(dest_root) / stats.build;
    fs::remove_all(out, ec);
    try {
      Xapian::Database db(build.string());
      if (auto ok = check_schema_version(db, build); !ok) return std::unexpected(ok.error());
      stats.documents = db.get_doccount();
      db.compact(out.string(), Xapian::DBCOMPACT_NO_RENUMBER);
      db.close();
      Xapian::Database copy(out.string());
      if (auto ok = check_schema_version(copy, out); !ok) return std::unexpected(ok.error());
      if (copy.get_doccount() != stats.documents) {
        return fail(ErrorCode::index, "the copy " + out.string() + " holds " +
                                          std::to_string(copy.get_doccount()) + " documents, " +
                                          build.string() + " held " +
                                          std::to_string(stats.documents));
      }
    } catch (const Xapian::DatabaseModifiedError& e) {
      last_problem = e.get_description();  // a commit discarded our revision: again
      continue;
    } catch (const Xapian::DatabaseOpeningError& e) {
      // The build was swapped out and pruned between reading the stub and opening it.
      if (auto now = read_stub(index_root); !now || *now != *target) {
        last_problem = e.get_description();
        continue;
      }
      return std::unexpected(xapian_error(e, "cannot open the index build to back up", build));
    } catch (const Xapian::Error& e) {
      fs::remove_all(out, ec);
      return std::unexpected(
          xapian_error(e, "cannot copy the index build into " + out.string(), build));
    }
    if (auto ok = write_stub(dest_root, stats.build); !ok) return std::unexpected(ok.error());
    stats.bytes = bytes_under(out);
    return stats;
  }
  fs::remove_all(dest_root / "builds", ec);
  return fail(ErrorCode::index, "the index under " + index_root.string() + " kept changing (" +
                                    std::to_string(kAttempts) +
                                    " attempts to copy it; last: " + last_problem + ")");
}

}  // namespace bzpeer::search
