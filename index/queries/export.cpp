#include "index/queries/export.hpp"

#include "index/store/store_impl.hpp"

namespace bzpeer::queries {

using store::SqliteError;
using store::to_error;

Result<void> export_works(store::Store& store, const std::function<void(const ExportWork&)>& fn) {
  auto& db = store.impl().db;
  try {
    auto q = db.prepare(
        "SELECT work_id, COALESCE(arxiv_id,''), title, year, type, categories, withdrawn "
        "FROM works WHERE deleted=0 ORDER BY work_id");
    auto dois =
        db.prepare("SELECT value FROM work_ids WHERE work_id=? AND scheme='doi' ORDER BY value");
    auto sources = db.prepare(
        "SELECT DISTINCT source FROM source_records WHERE work_id=? AND deleted=0 ORDER BY source");
    while (q.step()) {
      ExportWork w;
      w.work_id = q.get_int(0);
      w.arxiv_id = q.get_text(1);
      w.title = q.get_text(2);
      w.year = static_cast<int>(q.get_int(3));
      w.type = q.get_text(4);
      w.topics = store::split(q.get_text(5), ' ');
      w.withdrawn = q.get_int(6) != 0;
      dois.bind(1, w.work_id);
      while (dois.step()) w.dois.push_back(dois.get_text(0));
      dois.reset();
      sources.bind(1, w.work_id);
      while (sources.step()) w.sources.push_back(sources.get_text(0));
      sources.reset();
      fn(w);
    }
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "exporting works"));
  }
}

Result<void> export_authors(store::Store& store,
                            const std::function<void(const ExportAuthor&)>& fn) {
  auto& db = store.impl().db;
  try {
    auto q = db.prepare("SELECT author_id, name, orcid, works FROM authors ORDER BY author_id");
    auto variants = db.prepare(
        "SELECT variant FROM author_variants WHERE author_id=? ORDER BY mentions DESC, variant");
    auto topics =
        db.prepare("SELECT topic FROM author_topics WHERE author_id=? ORDER BY weight DESC, topic");
    while (q.step()) {
      ExportAuthor a;
      a.author_id = q.get_int(0);
      a.name = q.get_text(1);
      a.orcid = q.get_text(2);
      a.works = q.get_int(3);
      variants.bind(1, a.author_id);
      while (variants.step()) a.variants.push_back(variants.get_text(0));
      variants.reset();
      topics.bind(1, a.author_id);
      while (topics.step()) a.topics.push_back(topics.get_text(0));
      topics.reset();
      fn(a);
    }
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "exporting authors"));
  }
}

Result<void> export_authorships(store::Store& store,
                                const std::function<void(const ExportAuthorship&)>& fn) {
  auto& db = store.impl().db;
  try {
    auto q = db.prepare(
        "SELECT a.work_id, COALESCE(w.arxiv_id,''), a.source, a.position, a.printed, "
        "COALESCE(a.author_id,0) FROM authorships a JOIN works w ON w.work_id=a.work_id "
        "WHERE w.deleted=0 ORDER BY a.work_id, a.source, a.position");
    while (q.step()) {
      fn({q.get_int(0), q.get_text(1), q.get_text(2), static_cast<int>(q.get_int(3)), q.get_text(4),
          q.get_int(5)});
    }
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "exporting authorships"));
  }
}

}  // namespace bzpeer::queries
