// bzpeer — per-author roll-ups recomputed for the authors a run touched (pending_authors):
// the collaboration table, work counts and the topic profile.
#include <map>

#include "index/store/store_impl.hpp"

namespace bzpeer::store {

// Works with more than 100 names (collaboration papers with thousands of authors) do not
// make their signers collaborators: they would add millions of meaningless pairs.
void recompute_author_rollups(Connection& db, ConsolidationStats& stats) {
  db.exec(
      "DELETE FROM collaborations WHERE a IN (SELECT author_id FROM pending_authors) "
      "OR b IN (SELECT author_id FROM pending_authors)");
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
  stats.collaborations = db.changes();
  db.exec(
      "UPDATE authors SET works=(SELECT COUNT(DISTINCT a.work_id) FROM authorships a "
      "JOIN works w ON w.work_id=a.work_id AND w.deleted=0 WHERE a.author_id=authors.author_id) "
      "WHERE author_id IN (SELECT author_id FROM pending_authors)");

  // Topic profile: arXiv categories of the author's works, each work shared out over its
  // categories (primary counted like the others), weight = share of the author's works.
  auto authors = db.prepare("SELECT author_id FROM pending_authors");
  auto cats = db.prepare(
      "SELECT DISTINCT w.work_id, w.categories FROM authorships a JOIN works w "
      "ON w.work_id=a.work_id AND w.deleted=0 WHERE a.author_id=?");
  auto del = db.prepare("DELETE FROM author_topics WHERE author_id=?");
  auto ins =
      db.prepare("INSERT INTO author_topics(author_id, topic, works, weight) VALUES(?,?,?,?)");
  std::vector<std::int64_t> ids;
  while (authors.step()) ids.push_back(authors.get_int(0));
  for (auto id : ids) {
    std::map<std::string, std::pair<int, double>> topics;
    int works = 0;
    cats.bind(1, id);
    while (cats.step()) {
      ++works;
      auto list = split(cats.get_text(1), ' ');
      for (const auto& c : list) {
        auto& t = topics[c];
        t.first += 1;
        t.second += 1.0 / static_cast<double>(list.size());
      }
    }
    cats.reset();
    del.bind(1, id).run();
    for (const auto& [topic, t] : topics) {
      ins.bind(1, id).bind(2, topic).bind(3, t.first).bind(4, works ? t.second / works : 0.0).run();
    }
  }
  db.exec("DELETE FROM authors WHERE works=0 AND author_id IN (SELECT author_id FROM pending_authors)");
}


}  // namespace bzpeer::store
