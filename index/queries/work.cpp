// bzpeer — one work by id: metadata, identifiers and its resolved author list.
#include "index/queries/work.hpp"

#include "index/store/store_impl.hpp"

namespace bzpeer::queries {

using store::SqliteError;
using store::to_error;

Result<WorkDetail> work(store::Store& store, std::int64_t work_id) {
  auto& db = store.impl().db;
  try {
    WorkDetail w;
    {
      auto q = db.prepare(
          "SELECT work_id, COALESCE(arxiv_id,''), type, venue, title, abstract, journal_ref, "
          "comments, license, first_date, last_date, year, versions, categories, withdrawn, "
          "deleted FROM works WHERE work_id=?");
      q.bind(1, work_id);
      if (!q.step()) {
        return fail(ErrorCode::not_found, "no work with id " + std::to_string(work_id));
      }
      w.work_id = q.get_int(0);
      w.arxiv_id = q.get_text(1);
      w.type = q.get_text(2);
      w.venue = q.get_text(3);
      w.title = q.get_text(4);
      w.abstract = q.get_text(5);
      w.journal_ref = q.get_text(6);
      w.comments = q.get_text(7);
      w.license = q.get_text(8);
      w.date = q.get_text(9);
      w.last_date = q.get_text(10);
      w.year = static_cast<int>(q.get_int(11));
      w.versions = static_cast<int>(q.get_int(12));
      w.categories = store::split(q.get_text(13), ' ');
      w.withdrawn = q.get_int(14) != 0;
      w.deleted = q.get_int(15) != 0;
    }
    {
      auto q =
          db.prepare("SELECT value FROM work_ids WHERE work_id=? AND scheme='doi' ORDER BY value");
      q.bind(1, work_id);
      while (q.step()) w.dois.push_back(q.get_text(0));
    }
    {
      // One source's list, the same one the index document is built from (the first
      // source by name), so the work page and the hit list name the same people.
      auto q = db.prepare(
          "SELECT position, printed, COALESCE(author_id,0), is_collaboration, affiliation, "
          "orcid FROM authorships WHERE work_id=?1 AND source="
          "(SELECT MIN(source) FROM authorships WHERE work_id=?1) ORDER BY position");
      q.bind(1, work_id);
      while (q.step()) {
        WorkAuthor a;
        a.position = static_cast<int>(q.get_int(0));
        a.name = q.get_text(1);
        a.author_id = q.get_int(2);
        a.is_collaboration = q.get_int(3) != 0;
        a.affiliation = q.get_text(4);
        a.orcid = q.get_text(5);
        w.authors.push_back(std::move(a));
      }
    }
    return w;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading work " + std::to_string(work_id)));
  }
}

}  // namespace bzpeer::queries
