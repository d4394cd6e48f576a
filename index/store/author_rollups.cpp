// bzpeer — per-author roll-ups recomputed for the authors a run touched (pending_authors):
// the collaboration table, work counts and the topic profile.
//
// The authorships of the works the pending authors appear on (every live work when most
// authors are pending, as in a first harvest) are read once, in work order, into a compact
// graph: per work its year, the size of its first source's author list and its distinct
// authors; per author its works. Collaborations, work counts and topic profiles are then
// computed from the graph in parallel (oneTBB), in batches of authors, and written in
// author order on this thread while the next batch is computed. Memory follows the
// mentions (a few dozen bytes each) plus one batch of results; the topics of works are
// held for a chunk of authors at a time (kTopicWorks works at most).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include "index/store/store_impl.hpp"
#include "pipeline/topics/author_topics.hpp"

namespace bzpeer::store {
namespace {

// Works with more than 100 names on one source's list (collaboration papers with
// thousands of authors) do not make their signers collaborators: they would add millions
// of meaningless pairs. A name counts as a collaborator on a work when it is on a list of
// at most this many names; its partners are every other author of the work.
constexpr std::int64_t kMaxCollaborationList = 100;

/// Authors per batch of the parallel computation (one batch's results are held at a time,
/// beside the batch being written).
constexpr std::size_t kAuthorBatch = 8192;

/// The topic profiles of a chunk of pending authors read the topics of at most this many
/// distinct works, held in memory for the chunk.
constexpr std::size_t kTopicWorks = 262144;

struct GraphWork {
  std::int64_t work_id = 0;
  int year = 0;
  int n_authors = 0;  ///< names on the work's first source (by source name): the divisor
};

/// The authorships of the works that the roll-ups read. Authors are numbered densely in
/// id order (`ids`); a work's members and an author's works are CSR lists, each entry
/// `index << 1 | eligible` where eligible means the author is on a list of at most
/// kMaxCollaborationList names of that work.
struct Graph {
  std::vector<GraphWork> works;             ///< in work id order
  std::vector<std::uint32_t> work_begin;    ///< members of work w: [work_begin[w], work_begin[w+1])
  std::vector<std::uint32_t> members;       ///< author index << 1 | eligible, by author index
  std::vector<std::int64_t> ids;            ///< author index -> author id, ascending
  std::vector<std::uint32_t> author_begin;  ///< works of author i: [author_begin[i], …[i+1])
  std::vector<std::uint32_t> author_works;  ///< work index << 1 | eligible, by work index
  std::vector<char> pending;                ///< per author index

  [[nodiscard]] std::span<const std::uint32_t> members_of(std::size_t w) const {
    return {members.data() + work_begin[w], members.data() + work_begin[w + 1]};
  }
  [[nodiscard]] std::span<const std::uint32_t> works_of(std::size_t i) const {
    return {author_works.data() + author_begin[i], author_works.data() + author_begin[i + 1]};
  }
  /// The index of author `id`, or -1 when none of the read works names it.
  [[nodiscard]] std::int64_t index_of(std::int64_t id) const {
    const auto it = std::ranges::lower_bound(ids, id);
    return it != ids.end() && *it == id ? it - ids.begin() : -1;
  }
};

/// Reads rows (work_id, year, source, author_id or NULL) ordered by work, source and
/// position into the graph.
Graph read_graph(Statement& rows, const std::vector<std::int64_t>& pending_ids) {
  Graph g;
  // First with author ids (index -> id comes once every work is read).
  std::vector<std::int64_t> raw;  // per membership: author id << 1 | eligible
  g.work_begin.push_back(0);
  std::vector<std::int64_t> list;  // the author ids on the current source's list
  std::int64_t list_size = 0;      // its names, with those not yet given an author
  std::vector<std::int64_t> work_members;
  std::string source;
  std::int64_t current = -1;
  int year = 0;
  int first_list = -1;
  const auto end_list = [&] {
    const bool eligible = list_size <= kMaxCollaborationList;
    if (first_list < 0) first_list = static_cast<int>(list_size);
    for (auto a : list) work_members.push_back(a << 1 | (eligible ? 1 : 0));
    list.clear();
    list_size = 0;
  };
  const auto end_work = [&] {
    if (current < 0) return;
    end_list();
    // One entry per author, eligible if any of its lists is.
    std::ranges::sort(work_members);
    for (std::size_t i = 0; i < work_members.size();) {
      const auto id = work_members[i] >> 1;
      std::int64_t eligible = 0;
      for (; i < work_members.size() && (work_members[i] >> 1) == id; ++i)
        eligible |= work_members[i] & 1;
      raw.push_back(id << 1 | eligible);
    }
    work_members.clear();
    g.works.push_back({current, year, first_list});
    g.work_begin.push_back(static_cast<std::uint32_t>(raw.size()));
  };
  while (rows.step()) {
    const auto work = rows.get_int(0);
    if (work != current) {
      end_work();
      current = work;
      year = static_cast<int>(rows.get_int(1));
      first_list = -1;
      source = rows.get_text(2);
    } else if (auto s = rows.get_text(2); s != source) {
      end_list();
      source = std::move(s);
    }
    ++list_size;
    if (!rows.is_null(3)) list.push_back(rows.get_int(3));
  }
  end_work();

  g.ids.reserve(raw.size());
  for (auto m : raw) g.ids.push_back(m >> 1);
  std::ranges::sort(g.ids);
  const auto [dup, last] = std::ranges::unique(g.ids);
  g.ids.erase(dup, last);
  g.ids.shrink_to_fit();
  // Members by index; ids ascend within a work, so indices do too.
  g.members.resize(raw.size());
  std::vector<std::uint32_t> count(g.ids.size() + 1, 0);
  for (std::size_t k = 0; k < raw.size(); ++k) {
    const auto i = static_cast<std::uint32_t>(g.index_of(raw[k] >> 1));
    g.members[k] = i << 1 | static_cast<std::uint32_t>(raw[k] & 1);
    ++count[i + 1];
  }
  raw = {};
  g.author_begin.assign(g.ids.size() + 1, 0);
  for (std::size_t i = 0; i < g.ids.size(); ++i)
    g.author_begin[i + 1] = g.author_begin[i] + count[i + 1];
  g.author_works.resize(g.members.size());
  std::vector<std::uint32_t> fill(g.author_begin.begin(), g.author_begin.end() - 1);
  for (std::size_t w = 0; w < g.works.size(); ++w) {
    for (auto m : g.members_of(w))
      g.author_works[fill[m >> 1]++] = static_cast<std::uint32_t>(w) << 1 | (m & 1);
  }
  g.pending.assign(g.ids.size(), 0);
  for (auto id : pending_ids) {
    if (const auto i = g.index_of(id); i >= 0) g.pending[static_cast<std::size_t>(i)] = 1;
  }
  return g;
}

struct Collaboration {
  std::uint32_t b = 0;  // author index
  std::int64_t works = 0;
  int first_year = 0, last_year = 0;
};

/// The collaborations of author index `a` with the authors of larger id (pairs with a
/// pending side only), by partner. `scratch` is reused between calls.
void collaborations_of(const Graph& g, std::uint32_t a,
                       std::vector<std::pair<std::uint32_t, int>>& scratch,
                       std::vector<Collaboration>& out) {
  scratch.clear();
  const bool a_pending = g.pending[a] != 0;
  for (auto entry : g.works_of(a)) {
    if ((entry & 1) == 0) continue;  // a is on this work only in an over-long list
    const auto w = entry >> 1;
    const auto members = g.members_of(w);
    // Members ascend by index: the partners of larger id follow a.
    auto it = std::ranges::upper_bound(members, a << 1 | 1);
    for (; it != members.end(); ++it) {
      const auto b = *it >> 1;
      if (a_pending || g.pending[b] != 0) scratch.emplace_back(b, g.works[w].year);
    }
  }
  std::ranges::sort(scratch);
  for (std::size_t k = 0; k < scratch.size();) {
    Collaboration c{scratch[k].first, 0, scratch[k].second, scratch[k].second};
    for (; k < scratch.size() && scratch[k].first == c.b; ++k) {
      ++c.works;  // a work names b once, so each entry is one shared work
      c.first_year = std::min(c.first_year, scratch[k].second);
      c.last_year = std::max(c.last_year, scratch[k].second);
    }
    out.push_back(c);
  }
}

/// The topic kinds of work_topics that profiles read, in the order profiles read them.
constexpr const char* kWorkTopicsSql =
    "SELECT t.kind, t.topic, t.score, COALESCE(o.label, '') FROM work_topics t "
    "LEFT JOIN openalex_topics o ON t.kind='openalex' AND o.topic_id=t.topic "
    "WHERE t.work_id=? AND t.kind IN ('category', 'keyphrase', 'openalex') "
    "ORDER BY t.kind, t.topic";

/// Runs `compute(batch)` for batches [0, batches) in parallel with `write(batch)` of the
/// batch before, writes staying on this thread and in batch order.
template <class Compute, class Write>
void pipeline(std::size_t batches, Compute compute, Write write) {
  if (batches == 0) return;
  tbb::task_group group;
  compute(0);
  for (std::size_t k = 0; k < batches; ++k) {
    if (k + 1 < batches) group.run([&compute, k] { compute(k + 1); });
    try {
      write(k);
    } catch (...) {
      group.wait();
      throw;
    }
    group.wait();
  }
}

}  // namespace

void recompute_author_rollups(Connection& db, ConsolidationStats& stats) {
  const auto started = std::chrono::steady_clock::now();
  db.exec(
      "DELETE FROM collaborations WHERE a IN (SELECT author_id FROM pending_authors) "
      "OR b IN (SELECT author_id FROM pending_authors)");
  std::vector<std::int64_t> pending_ids;
  {
    auto q = db.prepare("SELECT author_id FROM pending_authors ORDER BY author_id");
    while (q.step()) pending_ids.push_back(q.get_int(0));
  }
  std::int64_t top_id = 0;
  {
    auto q = db.prepare("SELECT COALESCE(MAX(author_id), 0) FROM authors");
    if (q.step()) top_id = q.get_int(0);
  }
  // When most authors are pending (a first harvest, a full rescore) one pass over every
  // live work is cheapest; otherwise only the works that name a pending author are read.
  // Every work a pending author shares with anyone names the pending author, so both give
  // the same rows. CROSS JOIN keeps SQLite from scanning every authorship or work for a
  // small increment: pending authors, then their works, then those works' names.
  const bool all = static_cast<std::int64_t>(pending_ids.size()) * 4 >= top_id;
  Graph g;
  {
    auto rows =
        db.prepare(all ? "SELECT w.work_id, w.year, a.source, a.author_id FROM works w "
                         "JOIN authorships a ON a.work_id=w.work_id WHERE w.deleted=0 "
                         "ORDER BY w.work_id, a.source, a.position"
                       : "SELECT w.work_id, w.year, a.source, a.author_id FROM "
                         "(SELECT DISTINCT x.work_id AS work_id FROM pending_authors p CROSS "
                         "JOIN authorships x ON x.author_id=p.author_id) q CROSS "
                         "JOIN works w ON w.work_id=q.work_id AND w.deleted=0 CROSS "
                         "JOIN authorships a ON a.work_id=w.work_id "
                         "ORDER BY w.work_id, a.source, a.position");
    g = read_graph(rows, pending_ids);
  }
  const auto read_done = std::chrono::steady_clock::now();

  // Collaborations, in batches of authors by id: pairs (a, b), a < b, with a pending side.
  std::int64_t collaborations = 0;
  {
    const auto n = g.ids.size();
    const auto batches = (n + kAuthorBatch - 1) / kAuthorBatch;
    std::vector<std::vector<Collaboration>> results[2];
    auto insert = db.prepare(
        "INSERT OR REPLACE INTO collaborations(a, b, works, first_year, last_year) "
        "VALUES(?,?,?,?,?)");
    pipeline(
        batches,
        [&](std::size_t k) {
          auto& out = results[k % 2];
          const auto lo = k * kAuthorBatch;
          const auto hi = std::min(n, lo + kAuthorBatch);
          out.assign(hi - lo, {});
          tbb::parallel_for(tbb::blocked_range<std::size_t>(lo, hi, 256),
                            [&](const tbb::blocked_range<std::size_t>& r) {
                              std::vector<std::pair<std::uint32_t, int>> scratch;
                              for (auto a = r.begin(); a != r.end(); ++a)
                                collaborations_of(g, static_cast<std::uint32_t>(a), scratch,
                                                  out[a - lo]);
                            });
        },
        [&](std::size_t k) {
          const auto& out = results[k % 2];
          for (std::size_t i = 0; i < out.size(); ++i) {
            const auto a = g.ids[k * kAuthorBatch + i];
            for (const auto& c : out[i]) {
              insert.bind(1, a)
                  .bind(2, g.ids[c.b])
                  .bind(3, c.works)
                  .bind(4, c.first_year)
                  .bind(5, c.last_year)
                  .run();
              ++collaborations;
            }
          }
        });
  }
  stats.collaborations = collaborations;
  const auto collaborations_done = std::chrono::steady_clock::now();

  // Work counts: live works that name the author.
  {
    auto update = db.prepare("UPDATE authors SET works=? WHERE author_id=?");
    for (auto id : pending_ids) {
      const auto i = g.index_of(id);
      const auto works = i < 0 ? 0 : g.works_of(static_cast<std::size_t>(i)).size();
      update.bind(1, static_cast<std::int64_t>(works)).bind(2, id).run();
    }
  }

  // Topic profile (pipeline/topics/author_topics.hpp): categories, OpenAlex topics and
  // keyphrases of the author's works (work_topics), fractional per author count, >= 2
  // supporting works. Pending authors come in chunks whose works' topics are read once
  // into memory; within a chunk, batches are aggregated in parallel and written in order.
  db.exec("DELETE FROM author_topics WHERE author_id IN (SELECT author_id FROM pending_authors)");
  std::vector<std::uint32_t> profiled;  // pending author indices with works, by id
  for (auto id : pending_ids) {
    if (const auto i = g.index_of(id); i >= 0) profiled.push_back(static_cast<std::uint32_t>(i));
  }
  {
    auto read_topics = db.prepare(kWorkTopicsSql);
    auto insert = db.prepare(
        "INSERT OR REPLACE INTO author_topics(author_id, topic, works, weight, kind, label) "
        "VALUES(?,?,?,?,?,?)");
    std::vector<std::vector<topics::WorkTopic>> work_topics(g.works.size());
    std::vector<std::uint32_t> chunk_works;             // works whose topics are held
    std::vector<std::size_t> stamp(g.works.size(), 0);  // chunk number + 1 that read it
    std::size_t chunk_number = 0;
    std::vector<std::vector<topics::AuthorTopic>> results[2];
    for (std::size_t begin = 0; begin < profiled.size();) {
      // The chunk: authors until their distinct works would pass kTopicWorks (at least one).
      ++chunk_number;
      for (auto w : chunk_works) work_topics[w] = {};
      chunk_works.clear();
      auto end = begin;
      for (; end < profiled.size(); ++end) {
        const auto works = g.works_of(profiled[end]);
        std::size_t fresh = 0;
        for (auto e : works) fresh += stamp[e >> 1] != chunk_number ? 1 : 0;
        if (end > begin && chunk_works.size() + fresh > kTopicWorks) break;
        for (auto e : works) {
          if (stamp[e >> 1] != chunk_number)
            stamp[e >> 1] = chunk_number, chunk_works.push_back(e >> 1);
        }
      }
      std::ranges::sort(chunk_works);
      for (auto w : chunk_works) {
        read_topics.bind(1, g.works[w].work_id);
        auto& ts = work_topics[w];
        while (read_topics.step()) {
          auto kind =
              topics::topic_kind(read_topics.get_text(0)).value_or(topics::TopicKind::category);
          ts.push_back(
              {kind, read_topics.get_text(1), read_topics.get_double(2), read_topics.get_text(3)});
        }
        read_topics.reset();
      }
      const auto authors = std::span<const std::uint32_t>(profiled).subspan(begin, end - begin);
      const auto batches = (authors.size() + kAuthorBatch - 1) / kAuthorBatch;
      pipeline(
          batches,
          [&](std::size_t k) {
            auto& out = results[k % 2];
            const auto lo = k * kAuthorBatch;
            const auto hi = std::min(authors.size(), lo + kAuthorBatch);
            out.assign(hi - lo, {});
            tbb::parallel_for(tbb::blocked_range<std::size_t>(lo, hi, 64),
                              [&](const tbb::blocked_range<std::size_t>& r) {
                                std::vector<topics::AuthorWork> works;
                                for (auto j = r.begin(); j != r.end(); ++j) {
                                  works.clear();
                                  for (auto e : g.works_of(authors[j])) {
                                    const auto& w = g.works[e >> 1];
                                    works.push_back({w.year, w.n_authors, work_topics[e >> 1]});
                                  }
                                  out[j - lo] = topics::aggregate_author_topics(works);
                                }
                              });
          },
          [&](std::size_t k) {
            const auto& out = results[k % 2];
            for (std::size_t j = 0; j < out.size(); ++j) {
              const auto id = g.ids[authors[k * kAuthorBatch + j]];
              for (const auto& t : out[j]) {
                insert.bind(1, id)
                    .bind(2, t.topic)
                    .bind(3, t.works)
                    .bind(4, t.weight)
                    .bind(5, topics::to_string(t.kind))
                    .bind(6, t.label)
                    .run();
              }
            }
          });
      begin = end;
    }
  }
  db.exec(
      "DELETE FROM authors WHERE works=0 AND author_id IN (SELECT author_id FROM pending_authors)");
  const auto done = std::chrono::steady_clock::now();
  const auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  spdlog::debug(
      "roll-ups: {} authors ({} works read{}), {} collaborations in {:.2f} s (read {:.2f} s, "
      "collaborations {:.2f} s, counts and topics {:.2f} s)",
      pending_ids.size(), g.works.size(), all ? ", all" : "", collaborations,
      seconds(started, done), seconds(started, read_done), seconds(read_done, collaborations_done),
      seconds(collaborations_done, done));
}

}  // namespace bzpeer::store
