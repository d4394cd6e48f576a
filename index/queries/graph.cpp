// bzpeer — the research graph around one author (see graph.hpp).
#include "index/queries/graph.hpp"

#include <algorithm>
#include <set>

#include "index/queries/queries.hpp"
#include "index/store/store_impl.hpp"

namespace bzpeer::queries {
namespace {

std::string author_node(std::int64_t id) {
  return "author:" + std::to_string(id);
}
std::string work_node(std::int64_t id) {
  return "work:" + std::to_string(id);
}
std::string topic_node(const std::string& topic) {
  return "topic:" + topic;
}

}  // namespace

Result<AuthorGraph> author_graph(store::Store& store, std::int64_t author_id,
                                 const GraphOptions& options) {
  auto p = profile(store, author_id);
  if (!p) return std::unexpected(p.error());
  AuthorGraph g;
  g.author_id = p->author_id;
  g.requested_id = p->requested_id;
  g.truncated = p->works.size() > options.max_works ||
                p->collaborators.size() > options.max_coauthors ||
                p->topics.size() > options.max_topics;
  const std::string centre = author_node(p->author_id);
  g.nodes.push_back({centre, GraphNodeKind::author, p->author_id, p->name,
                     static_cast<std::int64_t>(p->works.size()), 0, true});

  // Co-authors, most shared works first (profile() orders them so).
  std::set<std::int64_t> shown_authors;
  for (const auto& c : p->collaborators) {
    if (shown_authors.size() >= options.max_coauthors) break;
    shown_authors.insert(c.author_id);
    g.nodes.push_back(
        {author_node(c.author_id), GraphNodeKind::author, c.author_id, c.name, c.works, 0, false});
    g.edges.push_back({centre, author_node(c.author_id), GraphEdgeKind::coauthor, c.works});
  }

  // Works, newest first.
  std::vector<const ProfileWork*> works;
  for (const auto& w : p->works) {
    if (works.size() >= options.max_works) break;
    works.push_back(&w);
    g.nodes.push_back(
        {work_node(w.work_id), GraphNodeKind::work, w.work_id, w.title, 1, w.year, false});
    g.edges.push_back({centre, work_node(w.work_id), GraphEdgeKind::authored, 1});
  }

  // Topics, and which shown works carry them.
  std::size_t topics = 0;
  for (const auto& t : p->topics) {
    if (topics++ >= options.max_topics) break;
    g.nodes.push_back({topic_node(t.topic), GraphNodeKind::topic, 0,
                       t.label.empty() ? t.topic : t.label, t.works, 0, false});
    g.edges.push_back({centre, topic_node(t.topic), GraphEdgeKind::topic, t.works});
    for (const auto* w : works) {
      if (std::ranges::find(w->categories, t.topic) != w->categories.end()) {
        g.edges.push_back({work_node(w->work_id), topic_node(t.topic), GraphEdgeKind::topic, 1});
      }
    }
  }

  auto& db = store.impl().db;
  try {
    // Shown co-authors on shown works.
    auto on_work = db.prepare(
        "SELECT DISTINCT author_id FROM authorships WHERE work_id=? AND author_id IS NOT NULL");
    for (const auto* w : works) {
      on_work.bind(1, w->work_id);
      while (on_work.step()) {
        const std::int64_t id = on_work.get_int(0);
        if (shown_authors.contains(id)) {
          g.edges.push_back({author_node(id), work_node(w->work_id), GraphEdgeKind::authored, 1});
        }
      }
      on_work.reset();
    }
    // Shown co-authors who also wrote with each other (collaborations keeps a < b).
    auto pairs = db.prepare("SELECT b, works FROM collaborations WHERE a=?");
    for (const std::int64_t a : shown_authors) {
      pairs.bind(1, a);
      while (pairs.step()) {
        const std::int64_t b = pairs.get_int(0);
        if (shown_authors.contains(b)) {
          g.edges.push_back(
              {author_node(a), author_node(b), GraphEdgeKind::coauthor, pairs.get_int(1)});
        }
      }
      pairs.reset();
    }
  } catch (const store::SqliteError& e) {
    return std::unexpected(
        store::to_error(e, "reading the graph around author " + std::to_string(author_id)));
  }
  return g;
}

}  // namespace bzpeer::queries
