// bzpeer — one work by id: metadata, identifiers, its resolved author list, its
// locations (source records, with why each joined) and per-field provenance.
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
    {
      auto q = db.prepare(
          "SELECT r.source, r.source_id, r.format, r.deleted, COALESCE(m.evidence, 'record'), "
          "COALESCE(m.identifier, ''), COALESCE(m.similarity, 0), "
          "COALESCE(m.author_overlap, -1), COALESCE(m.reason, '') FROM source_records r "
          "LEFT JOIN work_merges m ON m.source=r.source AND m.source_id=r.source_id AND "
          "m.format=r.format WHERE r.work_id=? ORDER BY r.deleted, r.source, r.source_id, "
          "r.format");
      q.bind(1, work_id);
      while (q.step()) {
        WorkLocation l;
        l.source = q.get_text(0);
        l.source_id = q.get_text(1);
        l.format = q.get_text(2);
        l.deleted = q.get_int(3) != 0;
        l.evidence = q.get_text(4);
        l.identifier = q.get_text(5);
        l.similarity = q.get_double(6);
        l.author_overlap = q.get_double(7);
        l.reason = q.get_text(8);
        w.locations.push_back(std::move(l));
      }
    }
    {
      auto q = db.prepare(
          "SELECT field, source, source_id, format FROM work_field_sources WHERE work_id=? "
          "ORDER BY field");
      q.bind(1, work_id);
      while (q.step()) {
        w.field_sources.push_back({q.get_text(0), q.get_text(1), q.get_text(2), q.get_text(3)});
      }
    }
    return w;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading work " + std::to_string(work_id)));
  }
}

}  // namespace bzpeer::queries
