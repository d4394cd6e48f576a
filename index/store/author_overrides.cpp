// bzpeer — manual author overrides (see author_overrides.hpp): storing them, and the
// constraints consolidation hands to the clusterer.
#include "index/store/author_overrides.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "index/store/store_impl.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::store {
namespace {

using Row = OverrideConstraints::Row;
using Ref = OverrideConstraints::Ref;

bool table_exists(Connection& db, const char* name) {
  auto q = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?");
  q.bind(1, name);
  q.step();
  return q.get_int(0) > 0;
}

/// Override rows, all or those of one override (override_id 0 = all).
std::vector<Row> load_rows(Connection& db, std::int64_t override_id = 0) {
  std::vector<Row> rows;
  if (!table_exists(db, "author_override_mentions")) return rows;
  auto q = db.prepare(
      "SELECT m.override_id, m.work_id, m.source, m.position, m.given, m.family, m.side, "
      "o.kind FROM author_override_mentions m JOIN author_overrides o "
      "ON o.override_id=m.override_id WHERE ?=0 OR m.override_id=? "
      "ORDER BY m.override_id, m.work_id, m.source, m.position");
  q.bind(1, override_id).bind(2, override_id);
  while (q.step()) {
    Row r{q.get_int(0),
          q.get_int(1),
          q.get_text(2),
          static_cast<int>(q.get_int(3)),
          q.get_text(4),
          q.get_text(5),
          {},
          static_cast<int>(q.get_int(6)),
          q.get_text(7) == "merge"};
    r.block = normalise::name_block_key(r.given, r.family);
    rows.push_back(std::move(r));
  }
  return rows;
}

/// The mention each row names now (an index into `mentions`, or nullopt when it is gone):
/// same work, source and name block; then the same position and given name, else the
/// same given name, else the same position, else the only such mention.
std::vector<std::optional<std::size_t>> resolve(const std::vector<Row>& rows,
                                                const std::vector<Ref>& mentions) {
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    const auto& m = mentions[i];
    by_key[{m.work_id, m.source, m.block}].push_back(i);
  }
  std::vector<std::optional<std::size_t>> out(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    auto it = by_key.find({row.work_id, row.source, row.block});
    if (it == by_key.end()) continue;
    const std::string given = normalise::fold_key(row.given);
    int best = 0;
    for (auto i : it->second) {
      const auto& m = mentions[i];
      const bool same_given = normalise::fold_key(m.given) == given;
      const bool same_position = m.position == row.position;
      const int score = same_given && same_position ? 4
                        : same_given                ? 3
                        : same_position             ? 2
                        : it->second.size() == 1    ? 1
                                                    : 0;
      if (score > best) best = score, out[r] = i;
    }
  }
  return out;
}

/// The live mentions of an author, or of the given works.
std::vector<Ref> mentions_where(Connection& db, const std::string& where, std::int64_t value) {
  std::vector<Ref> out;
  auto q = db.prepare(
      "SELECT a.work_id, a.source, a.position, a.given, a.family, a.block_key FROM authorships a "
      "JOIN works w ON w.work_id=a.work_id AND w.deleted=0 WHERE a.is_collaboration=0 AND " +
      where + " ORDER BY a.work_id, a.source, a.position");
  q.bind(1, value);
  while (q.step()) {
    out.push_back({q.get_int(0), q.get_text(1), static_cast<int>(q.get_int(2)), q.get_text(3),
                   q.get_text(4), q.get_text(5)});
  }
  return out;
}

/// The live author `id` names (following redirects); not_found otherwise.
Result<std::int64_t> live_author(Connection& db, std::int64_t id) {
  const std::int64_t resolved = follow_redirects(db, id);
  auto q = db.prepare("SELECT 1 FROM authors WHERE author_id=?");
  q.bind(1, resolved);
  if (!q.step()) {
    return fail(ErrorCode::not_found, "no author with id " + std::to_string(id) +
                                          " (find ids with `bzpeer authors NAME`)");
  }
  return resolved;
}

std::string describe_work(Connection& db, std::int64_t work_id) {
  auto q = db.prepare("SELECT COALESCE(arxiv_id, ''), title FROM works WHERE work_id=?");
  q.bind(1, work_id);
  std::string out = "work " + std::to_string(work_id);
  if (q.step()) {
    if (!q.get_text(0).empty())
      out += " (arXiv " + q.get_text(0) + ")";
    else
      out += " (\"" + q.get_text(1).substr(0, 60) + "\")";
  }
  return out;
}

/// A work named on the command line: its id, an arXiv id or a DOI.
Result<std::int64_t> find_work(Connection& db, const std::string& spec) {
  const bool digits =
      !spec.empty() && std::ranges::all_of(spec, [](unsigned char c) { return std::isdigit(c); });
  if (digits) {
    auto q = db.prepare("SELECT work_id FROM works WHERE work_id=? AND deleted=0");
    q.bind(1, static_cast<std::int64_t>(std::stoll(spec)));
    if (q.step()) return q.get_int(0);
  }
  std::string value = spec;
  std::string scheme = value.starts_with("10.") ? "doi" : "arxiv";
  for (const char* prefix : {"arXiv:", "arxiv:", "doi:", "https://doi.org/"}) {
    if (value.starts_with(prefix)) {
      scheme = std::string(prefix).find("doi") != std::string::npos ? "doi" : "arxiv";
      value = value.substr(std::string(prefix).size());
    }
  }
  auto q = db.prepare(
      "SELECT i.work_id FROM work_ids i JOIN works w ON w.work_id=i.work_id AND w.deleted=0 "
      "WHERE i.scheme=? AND lower(i.value)=lower(?)");
  q.bind(1, scheme).bind(2, value);
  if (q.step()) return q.get_int(0);
  return fail(ErrorCode::not_found,
              "no work \"" + spec + "\" (give a work id, an arXiv id or a DOI)");
}

std::int64_t insert_override(Connection& db, const std::string& kind, std::int64_t a,
                             std::int64_t b, const std::string& works) {
  db.prepare(
        "INSERT INTO author_overrides(kind, author_id, other_id, works, created_at) "
        "VALUES(?,?,?,?,?)")
      .bind(1, kind)
      .bind(2, a)
      .bind(3, b)
      .bind(4, works)
      .bind(5, utc_now_iso())
      .run();
  return db.last_insert_id();
}

void insert_rows(Connection& db, std::int64_t override_id, const std::vector<Ref>& mentions,
                 int side) {
  auto ins = db.prepare(
      "INSERT OR REPLACE INTO author_override_mentions(override_id, work_id, source, position, "
      "given, family, side) VALUES(?,?,?,?,?,?,?)");
  for (const auto& m : mentions) {
    ins.bind(1, override_id)
        .bind(2, m.work_id)
        .bind(3, m.source)
        .bind(4, m.position)
        .bind(5, m.given)
        .bind(6, m.family)
        .bind(7, side)
        .run();
  }
}

void delete_override(Connection& db, std::int64_t override_id) {
  db.prepare("DELETE FROM author_override_mentions WHERE override_id=?").bind(1, override_id).run();
  db.prepare("DELETE FROM author_overrides WHERE override_id=?").bind(1, override_id).run();
}

void delete_row(Connection& db, const Row& row) {
  db.prepare(
        "DELETE FROM author_override_mentions WHERE override_id=? AND work_id=? AND source=? "
        "AND position=?")
      .bind(1, row.override_id)
      .bind(2, row.work_id)
      .bind(3, row.source)
      .bind(4, row.position)
      .run();
}

std::string override_label(Connection& db, std::int64_t override_id) {
  auto q = db.prepare("SELECT kind, author_id, other_id FROM author_overrides WHERE override_id=?");
  q.bind(1, override_id);
  if (!q.step()) return "override " + std::to_string(override_id);
  return "override " + std::to_string(override_id) + " (" + q.get_text(0) + " of " +
         std::to_string(q.get_int(1)) + " and " + std::to_string(q.get_int(2)) + ")";
}

/// Queues the name blocks of `mentions` for consolidation and the works of `moved` (whose
/// author id changes here) for reindexing.
void queue(Connection& db, const std::vector<Ref>& mentions, const std::vector<Ref>& moved) {
  auto block = db.prepare("INSERT OR IGNORE INTO pending_blocks(block_key) VALUES(?)");
  for (const auto& m : mentions) block.bind(1, m.block).run();
  auto work = db.prepare("INSERT OR IGNORE INTO pending_index(work_id) VALUES(?)");
  for (const auto& m : moved) work.bind(1, m.work_id).run();
}

void queue_author(Connection& db, std::int64_t id) {
  db.prepare("INSERT OR IGNORE INTO pending_authors(author_id) VALUES(?)").bind(1, id).run();
}

std::int64_t current_author(Connection& db, std::int64_t override_id) {
  const auto rows = load_rows(db, override_id);
  const bool merge = !rows.empty() && rows.front().merge;
  std::vector<Row> wanted;
  for (const auto& r : rows) {
    if (merge || r.side == 1) wanted.push_back(r);
  }
  std::vector<Ref> mentions;
  std::set<std::int64_t> works;
  for (const auto& r : wanted) works.insert(r.work_id);
  std::vector<std::int64_t> ids;
  auto q = db.prepare(
      "SELECT a.work_id, a.source, a.position, a.given, a.family, a.block_key, "
      "COALESCE(a.author_id, 0) FROM authorships a WHERE a.work_id=? AND a.is_collaboration=0");
  for (auto w : works) {
    q.bind(1, w);
    while (q.step()) {
      mentions.push_back({q.get_int(0), q.get_text(1), static_cast<int>(q.get_int(2)),
                          q.get_text(3), q.get_text(4), q.get_text(5)});
      ids.push_back(q.get_int(6));
    }
    q.reset();
  }
  std::map<std::int64_t, int> votes;
  for (const auto& hit : resolve(wanted, mentions)) {
    if (hit && ids[*hit] != 0) ++votes[ids[*hit]];
  }
  std::int64_t best = 0;
  int most = 0;
  for (auto [id, n] : votes) {
    if (n > most) best = id, most = n;
  }
  return best;
}

/// Taking a merge back: B's mentions of then are B's again (B no longer redirects), as
/// long as B is only a redirect; consolidation then decides from the evidence.
void restore_merged(Connection& db, const AuthorOverride& merge, const std::vector<Row>& rows) {
  const std::int64_t b = merge.other_id;
  {
    auto live = db.prepare("SELECT 1 FROM authors WHERE author_id=?");
    live.bind(1, b);
    if (live.step()) return;
    auto redirected = db.prepare("SELECT 1 FROM author_redirects WHERE old_id=?");
    redirected.bind(1, b);
    if (!redirected.step()) return;
  }
  std::vector<Row> of_b;
  std::set<std::int64_t> works;
  for (const auto& r : rows) {
    if (r.side == 1) of_b.push_back(r), works.insert(r.work_id);
  }
  std::vector<Ref> mentions;
  for (auto w : works) {
    auto found = mentions_where(db, "a.work_id=?", w);
    mentions.insert(mentions.end(), found.begin(), found.end());
  }
  std::vector<const Ref*> back;
  for (const auto& hit : resolve(of_b, mentions)) {
    if (hit) back.push_back(&mentions[*hit]);
  }
  if (back.empty()) return;
  const Ref& first = *back.front();
  db.prepare(
        "INSERT INTO authors(author_id, block_key, name, given, family, orcid, works) "
        "VALUES(?,?,?,?,?,'',0)")
      .bind(1, b)
      .bind(2, first.block)
      .bind(3, first.given.empty() ? first.family : first.given + " " + first.family)
      .bind(4, first.given)
      .bind(5, first.family)
      .run();
  db.prepare("DELETE FROM author_redirects WHERE old_id=?").bind(1, b).run();
  auto move =
      db.prepare("UPDATE authorships SET author_id=? WHERE work_id=? AND source=? AND position=?");
  auto work = db.prepare("INSERT OR IGNORE INTO pending_index(work_id) VALUES(?)");
  for (const auto* m : back) {
    move.bind(1, b).bind(2, m->work_id).bind(3, m->source).bind(4, m->position).run();
    work.bind(1, m->work_id).run();
  }
  queue_author(db, b);
  queue_author(db, merge.author_id);
}

}  // namespace

// --- consolidation's view -------------------------------------------------------------

OverrideConstraints::OverrideConstraints(Connection& db) : rows_(load_rows(db)) {
  std::function<std::string(const std::string&)> root = [&](const std::string& k) {
    auto it = block_root_.find(k);
    if (it == block_root_.end() || it->second == k) return k;
    return it->second = root(it->second);
  };
  std::map<std::int64_t, std::string> first_block;
  for (const auto& r : rows_) {
    block_root_.try_emplace(r.block, r.block);
    auto [it, inserted] = first_block.try_emplace(r.override_id, r.block);
    if (inserted) continue;
    const auto x = root(it->second);
    const auto y = root(r.block);
    if (x != y) block_root_[std::max(x, y)] = std::min(x, y);
  }
  for (auto& [k, v] : block_root_) v = root(k);
}

std::vector<std::string> OverrideConstraints::component(const std::string& key) const {
  auto it = block_root_.find(key);
  if (it == block_root_.end()) return {key};
  std::vector<std::string> out;
  for (const auto& [k, v] : block_root_) {
    if (v == it->second) out.push_back(k);
  }
  return out;  // sorted: map order
}

std::vector<OverrideConstraints::Tags> OverrideConstraints::constrain(
    const std::vector<Ref>& mentions) const {
  std::vector<Tags> tags(mentions.size());
  if (rows_.empty()) return tags;
  const auto hits = resolve(rows_, mentions);
  // Together-sets: a merge's mentions (node 2k) and a split's split-off part (node 2k + 1);
  // sets sharing a mention are one set (union-find over nodes).
  std::map<std::int64_t, std::int64_t> parent;
  std::function<std::int64_t(std::int64_t)> root = [&](std::int64_t x) {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    return it->second = root(it->second);
  };
  std::vector<std::vector<std::int64_t>> nodes(mentions.size());
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    if (!hits[r]) continue;
    const auto& row = rows_[r];
    const std::size_t i = *hits[r];
    if (row.merge) {
      nodes[i].push_back(2 * row.override_id);
    } else {
      tags[i].apart.push_back(2 * row.override_id + row.side);
      if (row.side == 1) nodes[i].push_back(2 * row.override_id + 1);
    }
  }
  for (const auto& ns : nodes) {
    for (std::size_t k = 1; k < ns.size(); ++k) {
      const auto x = root(ns[0]);
      const auto y = root(ns[k]);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
  }
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    if (!nodes[i].empty()) tags[i].link_group = root(nodes[i].front()) + 1;
  }
  return tags;
}

std::int64_t next_author_id(Connection& db) {
  auto q = db.prepare(
      "SELECT MAX(COALESCE((SELECT MAX(author_id) FROM authors), 0), "
      "COALESCE((SELECT MAX(old_id) FROM author_redirects), 0)) + 1");
  q.step();
  return q.get_int(0);
}

// --- the verbs' view --------------------------------------------------------------------

Result<OverrideResult> merge_authors(Store& store, std::int64_t a, std::int64_t b) {
  auto& db = store.impl().db;
  try {
    Transaction tx(db);
    if (a == b) {
      return fail(ErrorCode::invalid_argument,
                  "cannot merge author " + std::to_string(a) + " with itself");
    }
    auto ra = live_author(db, a);
    if (!ra) return std::unexpected(ra.error());
    auto rb = live_author(db, b);
    if (!rb) return std::unexpected(rb.error());
    if (*ra == *rb) {
      return fail(ErrorCode::invalid_argument, "authors " + std::to_string(a) + " and " +
                                                   std::to_string(b) + " are already one author (" +
                                                   std::to_string(*ra) + ")");
    }
    const auto of_a = mentions_where(db, "a.author_id=?", *ra);
    const auto of_b = mentions_where(db, "a.author_id=?", *rb);
    std::set<std::pair<std::int64_t, std::string>> signed_by_a;
    for (const auto& m : of_a) signed_by_a.insert({m.work_id, m.source});
    for (const auto& m : of_b) {
      if (signed_by_a.contains({m.work_id, m.source})) {
        return fail(ErrorCode::invalid_argument, "authors " + std::to_string(*ra) + " and " +
                                                     std::to_string(*rb) + " both sign " +
                                                     describe_work(db, m.work_id) +
                                                     ": one person is not two authors of one work");
      }
    }
    std::vector<Ref> all = of_a;
    all.insert(all.end(), of_b.begin(), of_b.end());

    OverrideResult out;
    // A merge of what a split kept apart undoes that split.
    const auto rows = load_rows(db);
    const auto hits = resolve(rows, all);
    std::map<std::int64_t, std::set<int>> sides;  // split override -> sides hit
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (hits[r] && !rows[r].merge) sides[rows[r].override_id].insert(rows[r].side);
    }
    for (const auto& [id, hit] : sides) {
      if (hit.size() < 2) continue;
      out.superseded.push_back(override_label(db, id) + " removed");
      delete_override(db, id);
    }

    out.override_id = insert_override(db, "merge", *ra, *rb, "");
    insert_rows(db, out.override_id, of_a, 0);
    insert_rows(db, out.override_id, of_b, 1);  // B's, so that removing the merge restores B
    // B's mentions are A's now; B redirects to A (and so does whatever redirected to B).
    db.prepare("UPDATE authorships SET author_id=? WHERE author_id=?")
        .bind(1, *ra)
        .bind(2, *rb)
        .run();
    db.prepare("INSERT OR REPLACE INTO author_redirects(old_id, new_id) VALUES(?,?)")
        .bind(1, *rb)
        .bind(2, *ra)
        .run();
    db.prepare("UPDATE author_redirects SET new_id=? WHERE new_id=?")
        .bind(1, *ra)
        .bind(2, *rb)
        .run();
    for (const char* sql :
         {"DELETE FROM authors WHERE author_id=?", "DELETE FROM author_variants WHERE author_id=?",
          "DELETE FROM author_topics WHERE author_id=?",
          "DELETE FROM pending_authors WHERE author_id=?"}) {
      db.prepare(sql).bind(1, *rb).run();
    }
    db.prepare("DELETE FROM collaborations WHERE a=? OR b=?").bind(1, *rb).bind(2, *rb).run();
    queue(db, all, of_b);
    queue_author(db, *ra);
    tx.commit();
    out.author_id = *ra;
    out.mentions = static_cast<std::int64_t>(of_b.size());
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "merging authors"));
  }
}

Result<OverrideResult> split_author(Store& store, std::int64_t a,
                                    const std::vector<std::string>& works) {
  auto& db = store.impl().db;
  try {
    Transaction tx(db);
    if (works.empty()) {
      return fail(ErrorCode::invalid_argument, "split needs the works to split off (--works)");
    }
    auto ra = live_author(db, a);
    if (!ra) return std::unexpected(ra.error());
    std::set<std::int64_t> chosen;
    for (const auto& spec : works) {
      auto w = find_work(db, spec);
      if (!w) return std::unexpected(w.error());
      chosen.insert(*w);
    }
    const auto of_a = mentions_where(db, "a.author_id=?", *ra);
    std::vector<Ref> off, rest;
    std::set<std::int64_t> signed_works;
    for (const auto& m : of_a) {
      signed_works.insert(m.work_id);
      (chosen.contains(m.work_id) ? off : rest).push_back(m);
    }
    for (auto w : chosen) {
      if (!signed_works.contains(w)) {
        return fail(ErrorCode::invalid_argument,
                    describe_work(db, w) + " is not a work of author " + std::to_string(*ra) +
                        " (see `bzpeer profile " + std::to_string(*ra) + "`)");
      }
    }
    if (rest.empty()) {
      return fail(ErrorCode::invalid_argument, "those are all the works of author " +
                                                   std::to_string(*ra) +
                                                   ": a split needs works on both sides");
    }

    OverrideResult out;
    // Earlier together-sets (merges, split-off parts) that the split cuts lose the
    // split-off mentions.
    const auto rows = load_rows(db);
    std::vector<Ref> mine = off;
    mine.insert(mine.end(), rest.begin(), rest.end());
    const auto hits = resolve(rows, mine);
    std::map<std::int64_t, std::set<int>> parts;  // together-set -> 0 rest / 1 split off
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (!hits[r] || (!rows[r].merge && rows[r].side == 0)) continue;
      parts[rows[r].override_id].insert(*hits[r] < off.size() ? 1 : 0);
    }
    for (const auto& [id, part] : parts) {
      if (part.size() < 2) continue;
      for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].override_id == id && hits[r] && *hits[r] < off.size()) delete_row(db, rows[r]);
      }
      auto left = db.prepare("SELECT COUNT(*) FROM author_override_mentions WHERE override_id=?");
      left.bind(1, id);
      left.step();
      if (left.get_int(0) < 2) {
        out.superseded.push_back(override_label(db, id) + " removed");
        delete_override(db, id);
      } else {
        out.superseded.push_back(override_label(db, id) + " no longer holds the split-off works");
      }
    }

    // The new author, with the name of its first mention; consolidation fills the rest.
    const std::int64_t id = next_author_id(db);
    const auto& first = off.front();
    std::string printed = first.given.empty() ? first.family : first.given + " " + first.family;
    {
      auto q =
          db.prepare("SELECT printed FROM authorships WHERE work_id=? AND source=? AND position=?");
      q.bind(1, first.work_id).bind(2, first.source).bind(3, first.position);
      if (q.step()) printed = q.get_text(0);
    }
    db.prepare(
          "INSERT INTO authors(author_id, block_key, name, given, family, orcid, works) "
          "VALUES(?,?,?,?,?,'',0)")
        .bind(1, id)
        .bind(2, first.block)
        .bind(3, printed)
        .bind(4, first.given)
        .bind(5, first.family)
        .run();
    auto move = db.prepare(
        "UPDATE authorships SET author_id=? WHERE work_id=? AND source=? AND position=?");
    for (const auto& m : off)
      move.bind(1, id).bind(2, m.work_id).bind(3, m.source).bind(4, m.position).run();
    std::string work_list;
    for (auto w : chosen) work_list += (work_list.empty() ? "" : ",") + std::to_string(w);
    out.override_id = insert_override(db, "split", *ra, id, work_list);
    insert_rows(db, out.override_id, off, 1);
    insert_rows(db, out.override_id, rest, 0);
    queue(db, mine, off);
    queue_author(db, *ra);
    queue_author(db, id);
    tx.commit();
    out.author_id = id;
    out.mentions = static_cast<std::int64_t>(off.size());
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "splitting author " + std::to_string(a)));
  }
}

Result<std::vector<AuthorOverride>> author_overrides(Store& store) {
  auto& db = store.impl().db;
  try {
    std::vector<AuthorOverride> out;
    if (!table_exists(db, "author_overrides")) return out;
    auto q = db.prepare(
        "SELECT o.override_id, o.kind, o.author_id, o.other_id, o.works, o.created_at, "
        "(SELECT COUNT(*) FROM author_override_mentions m WHERE m.override_id=o.override_id) "
        "FROM author_overrides o ORDER BY o.override_id");
    while (q.step()) {
      AuthorOverride o;
      o.override_id = q.get_int(0);
      o.kind = q.get_text(1);
      o.author_id = q.get_int(2);
      o.other_id = q.get_int(3);
      for (const auto& w : split(q.get_text(4), ',')) o.works.push_back(std::stoll(w));
      o.created_at = q.get_text(5);
      o.mentions = q.get_int(6);
      out.push_back(std::move(o));
    }
    for (auto& o : out) o.current_id = current_author(db, o.override_id);
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading author overrides"));
  }
}

Result<AuthorOverride> remove_author_override(Store& store, std::int64_t override_id) {
  auto& db = store.impl().db;
  try {
    Transaction tx(db);
    auto all = author_overrides(store);
    if (!all) return std::unexpected(all.error());
    auto it = std::ranges::find(*all, override_id, &AuthorOverride::override_id);
    if (it == all->end()) {
      return fail(ErrorCode::not_found, "no author override " + std::to_string(override_id) +
                                            " (see `bzpeer author list-overrides`)");
    }
    const auto rows = load_rows(db, override_id);
    auto block = db.prepare("INSERT OR IGNORE INTO pending_blocks(block_key) VALUES(?)");
    for (const auto& r : rows) block.bind(1, r.block).run();
    if (it->kind == "merge") restore_merged(db, *it, rows);
    delete_override(db, override_id);
    tx.commit();
    return *it;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "removing author override " + std::to_string(override_id)));
  }
}

Result<std::int64_t> queue_all_blocks(Store& store) {
  auto& db = store.impl().db;
  try {
    Transaction tx(db);
    db.exec(
        "INSERT OR IGNORE INTO pending_blocks(block_key) SELECT DISTINCT block_key "
        "FROM authorships WHERE is_collaboration=0 AND block_key<>''");
    auto q = db.prepare("SELECT COUNT(*) FROM pending_blocks");
    q.step();
    const auto n = q.get_int(0);
    tx.commit();
    return n;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "queueing every name block"));
  }
}

Result<std::int64_t> override_author(Store& store, std::int64_t override_id) {
  try {
    return current_author(store.impl().db, override_id);
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading author override " + std::to_string(override_id)));
  }
}

}  // namespace bzpeer::store
