// bzpeer — per-author roll-ups recomputed for the authors a run touched (pending_authors):
// the collaboration table, work counts and the topic profile.
#include "index/store/store_impl.hpp"
#include "pipeline/topics/author_topics.hpp"

namespace bzpeer::store {

// Works with more than 100 names (collaboration papers with thousands of authors) do not
// make their signers collaborators: they would add millions of meaningless pairs.
void recompute_author_rollups(Connection& db, ConsolidationStats& stats) {
  db.exec(
      "DELETE FROM collaborations WHERE a IN (SELECT author_id FROM pending_authors) "
      "OR b IN (SELECT author_id FROM pending_authors)");
  // When most authors are pending (a first harvest, a full rescore) one pass over every
  // authorship is cheapest; otherwise the pairs are found from the pending authors' own
  // mentions, as the pair's smaller id and as its larger, so an incremental run reads only
  // their works rather than the whole store. Both give the same rows.
  std::int64_t pending = 0, top_id = 0;
  {
    auto q = db.prepare(
        "SELECT (SELECT COUNT(*) FROM pending_authors), "
        "(SELECT COALESCE(MAX(author_id), 0) FROM authors)");
    if (q.step()) pending = q.get_int(0), top_id = q.get_int(1);
  }
  if (pending * 4 >= top_id) {
    db.exec(
        "INSERT OR REPLACE INTO collaborations(a, b, works, first_year, last_year) "
        "SELECT x.author_id, y.author_id, COUNT(DISTINCT x.work_id), MIN(w.year), MAX(w.year) "
        "FROM authorships x JOIN authorships y ON y.work_id=x.work_id AND y.author_id>x.author_id "
        "JOIN works w ON w.work_id=x.work_id AND w.deleted=0 "
        "AND (SELECT COUNT(*) FROM authorships n WHERE n.work_id=x.work_id AND n.source=x.source) "
        "<= 100 "
        "WHERE x.author_id IN (SELECT author_id FROM pending_authors) "
        "OR y.author_id IN (SELECT author_id FROM pending_authors) "
        "GROUP BY x.author_id, y.author_id");
  } else {
    db.exec(
        "INSERT OR REPLACE INTO collaborations(a, b, works, first_year, last_year) "
        "SELECT a, b, COUNT(DISTINCT work_id), MIN(year), MAX(year) FROM ("
        "SELECT x.author_id AS a, y.author_id AS b, x.work_id AS work_id, w.year AS year "
        "FROM pending_authors p CROSS JOIN authorships x ON x.author_id=p.author_id "
        "JOIN authorships y ON y.work_id=x.work_id AND y.author_id>x.author_id "
        "JOIN works w ON w.work_id=x.work_id AND w.deleted=0 "
        "AND (SELECT COUNT(*) FROM authorships n WHERE n.work_id=x.work_id AND n.source=x.source) "
        "<= 100 "
        "UNION "
        "SELECT x.author_id, y.author_id, x.work_id, w.year "
        "FROM pending_authors p CROSS JOIN authorships y ON y.author_id=p.author_id "
        "JOIN authorships x ON x.work_id=y.work_id AND x.author_id<y.author_id "
        "JOIN works w ON w.work_id=x.work_id AND w.deleted=0 "
        "AND (SELECT COUNT(*) FROM authorships n WHERE n.work_id=x.work_id AND n.source=x.source) "
        "<= 100) "
        "GROUP BY a, b");
  }
  stats.collaborations = db.changes();
  db.exec(
      "UPDATE authors SET works=(SELECT COUNT(DISTINCT a.work_id) FROM authorships a "
      "JOIN works w ON w.work_id=a.work_id AND w.deleted=0 WHERE a.author_id=authors.author_id) "
      "WHERE author_id IN (SELECT author_id FROM pending_authors)");

  // Topic profile (pipeline/topics/author_topics.hpp): categories, OpenAlex topics and
  // keyphrases of the author's works (work_topics), fractional per author count, >= 2
  // supporting works.
  auto authors = db.prepare("SELECT author_id FROM pending_authors");
  auto rows = db.prepare(
      "SELECT w.work_id, w.year, (SELECT COUNT(*) FROM authorships n WHERE n.work_id=w.work_id "
      "AND n.source=(SELECT MIN(m.source) FROM authorships m WHERE m.work_id=w.work_id)), "
      "t.kind, t.topic, t.score, COALESCE(o.label, '') "
      "FROM (SELECT DISTINCT work_id FROM authorships WHERE author_id=?) x "
      "JOIN works w ON w.work_id=x.work_id AND w.deleted=0 "
      "LEFT JOIN work_topics t ON t.work_id=w.work_id "
      "AND t.kind IN ('category', 'keyphrase', 'openalex') "
      "LEFT JOIN openalex_topics o ON t.kind='openalex' AND o.topic_id=t.topic "
      "ORDER BY w.work_id");
  auto del = db.prepare("DELETE FROM author_topics WHERE author_id=?");
  auto ins = db.prepare(
      "INSERT OR REPLACE INTO author_topics(author_id, topic, works, weight, kind, label) "
      "VALUES(?,?,?,?,?,?)");
  std::vector<std::int64_t> ids;
  while (authors.step()) ids.push_back(authors.get_int(0));
  for (auto id : ids) {
    std::vector<topics::AuthorWork> works;
    std::int64_t current = 0;
    rows.bind(1, id);
    while (rows.step()) {
      if (works.empty() || rows.get_int(0) != current) {
        current = rows.get_int(0);
        works.push_back({static_cast<int>(rows.get_int(1)), static_cast<int>(rows.get_int(2)), {}});
      }
      if (rows.is_null(3)) continue;
      auto kind = topics::topic_kind(rows.get_text(3)).value_or(topics::TopicKind::category);
      works.back().topics.push_back({kind, rows.get_text(4), rows.get_double(5), rows.get_text(6)});
    }
    rows.reset();
    del.bind(1, id).run();
    for (const auto& t : topics::aggregate_author_topics(works)) {
      ins.bind(1, id)
          .bind(2, t.topic)
          .bind(3, t.works)
          .bind(4, t.weight)
          .bind(5, topics::to_string(t.kind))
          .bind(6, t.label)
          .run();
    }
  }
  db.exec(
      "DELETE FROM authors WHERE works=0 AND author_id IN (SELECT author_id FROM pending_authors)");
}

}  // namespace bzpeer::store
