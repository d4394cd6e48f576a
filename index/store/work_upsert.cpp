// bzpeer — writing a work row when several sources describe the same work (see
// work_upsert.hpp for the precedence rule).
#include "index/store/work_upsert.hpp"

#include <algorithm>

#include "index/store/store_impl.hpp"

namespace bzpeer::store {
namespace {

/// The columns of a works row, as upsert_work merges them.
struct WorkRow {
  std::string arxiv_id, title, abstract, type, venue, journal_ref, comments, license, first_date,
      last_date, pub_date, categories;
  std::int64_t year = 0, versions = 0, withdrawn = 0;
};

/// Ranks of a payload format for the text and the bibliographic fields (higher wins).
int text_rank(std::string_view format) {
  if (format == "crossref") return 2;
  if (format == "openalex") return 1;
  if (format == "arXivRaw" || format == "arXiv" || format == "oai_dc" || format == "arxiv-atom" ||
      format == "arxiv-snapshot") {
    return 3;
  }
  return 0;
}
int bibliographic_rank(std::string_view format) {
  if (format == "crossref") return 3;
  if (format == "openalex") return 2;
  return text_rank(format) > 0 ? 1 : 0;
}

/// Per-field provenance: `record` supplied `fields` of work `work_id` (replacing the
/// previous supplier), and every DOI of `w` that no earlier record supplied.
void write_field_sources(Connection& db, std::int64_t work_id,
                         const std::vector<std::string>& fields, const Work& w,
                         const SourceRecord& record) {
  auto held_replace = db.cached(
      "INSERT OR REPLACE INTO work_field_sources(work_id, field, source, source_id, format) "
      "VALUES(?,?,?,?,?)");
  auto& replace = *held_replace;
  for (const auto& f : fields) {
    replace.bind(1, work_id)
        .bind(2, f)
        .bind(3, record.source)
        .bind(4, record.source_id)
        .bind(5, record.format)
        .run();
  }
  auto held_first = db.cached(
      "INSERT OR IGNORE INTO work_field_sources(work_id, field, source, source_id, format) "
      "VALUES(?,?,?,?,?)");
  auto& first = *held_first;
  for (const auto& doi : w.dois) {
    first.bind(1, work_id)
        .bind(2, "doi:" + doi)
        .bind(3, record.source)
        .bind(4, record.source_id)
        .bind(5, record.format)
        .run();
  }
}

}  // namespace

std::int64_t upsert_work(Connection& db, std::int64_t work_id, const Work& w,
                         const SourceRecord& record) {
  WorkRow row{w.arxiv_id,
              w.title,
              w.abstract,
              std::string(to_string(w.type)),
              w.venue,
              w.journal_ref,
              w.comments,
              w.license,
              w.first_date,
              w.last_date,
              w.pub_date,
              join(w.categories, " "),
              w.year,
              static_cast<std::int64_t>(w.versions.size()),
              w.withdrawn ? 1 : 0};
  // The fields this record supplies (non-empty), until a stored value is kept instead.
  std::vector<std::string> supplied;
  for (const auto& [field, value] :
       {std::pair<const char*, bool>{"arxiv_id", !row.arxiv_id.empty()},
        {"title", !row.title.empty()},
        {"abstract", !row.abstract.empty()},
        {"comments", !row.comments.empty()},
        {"license", !row.license.empty()},
        {"first_date", !row.first_date.empty()},
        {"last_date", !row.last_date.empty()},
        {"categories", !row.categories.empty()},
        {"year", row.year != 0},
        {"versions", row.versions != 0},
        {"type", !row.type.empty()},
        {"venue", !row.venue.empty()},
        {"journal_ref", !row.journal_ref.empty()},
        {"pub_date", !row.pub_date.empty()}}) {
    if (value) supplied.emplace_back(field);
  }
  if (work_id != 0) {
    int other_text = 0, other_bib = 0;
    auto held_others = db.cached(
        "SELECT format FROM source_records WHERE work_id=? AND deleted=0 "
        "AND NOT (source=? AND source_id=? AND format=?)");
    auto& others = *held_others;
    others.bind(1, work_id).bind(2, record.source).bind(3, record.source_id).bind(4, record.format);
    while (others.step()) {
      auto format = others.get_text(0);
      other_text = std::max(other_text, text_rank(format));
      other_bib = std::max(other_bib, bibliographic_rank(format));
    }
    auto held_q = db.cached(
        "SELECT COALESCE(arxiv_id,''), title, abstract, type, venue, journal_ref, comments, "
        "license, first_date, last_date, pub_date, categories, year, versions, withdrawn "
        "FROM works WHERE work_id=?");
    auto& q = *held_q;
    q.bind(1, work_id);
    if (q.step()) {
      WorkRow old{q.get_text(0),  q.get_text(1),  q.get_text(2), q.get_text(3), q.get_text(4),
                  q.get_text(5),  q.get_text(6),  q.get_text(7), q.get_text(8), q.get_text(9),
                  q.get_text(10), q.get_text(11), q.get_int(12), q.get_int(13), q.get_int(14)};
      const bool takes_text = text_rank(record.format) >= other_text;
      const bool takes_bib = bibliographic_rank(record.format) >= other_bib &&
                             !(w.type == WorkType::preprint && !old.type.empty() &&
                               old.type != to_string(WorkType::preprint));
      auto pick = [&supplied](const char* field, bool takes, std::string& mine,
                              const std::string& stored) {
        if (!stored.empty() && (!takes || mine.empty())) {
          mine = stored;
          std::erase(supplied, field);
        }
      };
      pick("arxiv_id", true, row.arxiv_id, old.arxiv_id);  // a known arXiv id is kept
      pick("title", takes_text, row.title, old.title);
      pick("abstract", takes_text, row.abstract, old.abstract);
      pick("comments", takes_text, row.comments, old.comments);
      pick("license", takes_text, row.license, old.license);
      pick("first_date", takes_text, row.first_date, old.first_date);
      pick("last_date", takes_text, row.last_date, old.last_date);
      pick("categories", takes_text, row.categories, old.categories);
      if (old.year != 0 && (!takes_text || row.year == 0)) {
        row.year = old.year;
        std::erase(supplied, "year");
      }
      if (!takes_text) {
        row.versions = old.versions, row.withdrawn = old.withdrawn;
        std::erase(supplied, "versions");
      }
      pick("type", takes_bib, row.type, old.type);
      pick("venue", takes_bib, row.venue, old.venue);
      pick("journal_ref", takes_bib, row.journal_ref, old.journal_ref);
      pick("pub_date", takes_bib, row.pub_date, old.pub_date);
    }
  }
  auto held_stmt = db.cached(
      work_id == 0
          ? "INSERT INTO works(arxiv_id, title, abstract, type, venue, journal_ref, comments, "
            "license, first_date, last_date, pub_date, year, categories, versions, withdrawn, "
            "deleted) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,0)"
          : "UPDATE works SET arxiv_id=?1, title=?2, abstract=?3, type=?4, venue=?5, "
            "journal_ref=?6, comments=?7, license=?8, first_date=?9, last_date=?10, "
            "pub_date=?11, year=?12, categories=?13, versions=?14, withdrawn=?15, deleted=0 "
            "WHERE work_id=?16");
  auto& stmt = *held_stmt;
  stmt.bind_optional(1, row.arxiv_id)
      .bind(2, row.title)
      .bind(3, row.abstract)
      .bind(4, row.type)
      .bind(5, row.venue)
      .bind(6, row.journal_ref)
      .bind(7, row.comments)
      .bind(8, row.license)
      .bind(9, row.first_date)
      .bind(10, row.last_date)
      .bind(11, row.pub_date)
      .bind(12, row.year)
      .bind(13, row.categories)
      .bind(14, row.versions)
      .bind(15, row.withdrawn);
  if (work_id != 0) stmt.bind(16, work_id);
  stmt.run();
  const std::int64_t id = work_id != 0 ? work_id : db.last_insert_id();
  write_field_sources(db, id, supplied, w, record);
  return id;
}

}  // namespace bzpeer::store
