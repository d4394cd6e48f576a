// bzpeer — consolidation: author clusters, stable author ids, collaborations, topics.
//
// Runs over what harvests touched (pending_blocks / pending_authors), in one transaction,
// so a crash leaves the pending lists in place and the next run redoes the step.
//
// Clustering within a name block (surname key + first initial) is done by the author
// clusterer (pipeline/dedupe/author_clusterer.hpp): the evidence of each mention —
// co-author keys, the work's categories, year and title words, the affiliation, the
// ORCID, and how common each co-author's name key is in the store — is gathered here with
// SQL. Stable ids, redirects and the pending lists stay here.
//
// Incremental runs: a harvest queues the name blocks it touched (pending_blocks) and a
// rewritten record keeps its mentions' author ids (store.cpp, write_authorships). A large
// block with few new mentions (kAttachMin, kAttachShare) keeps its authors: the new
// mentions are clustered among themselves and each group joins the author it matches best
// or becomes a new one (dedupe::attach_authors). Any other queued block is clustered again
// as a whole, new mentions with the old; every earlier id then goes to the new cluster
// holding most of its mentions (so new mentions join existing authors, and an author keeps
// its id through re-clusters), a cluster with no earlier id gets a new one, and an id left
// without a cluster (two authors merged) redirects to the cluster that took most of its
// mentions. A split keeps the id with the larger part.
//
// Blocks are loaded and written on the one connection, in order; between the two, batches
// of blocks are clustered in parallel (oneTBB) while the next batch loads, so the result is
// the same as clustering them one after the other.
//
// Manual overrides (`bzpeer author merge|split`, author_overrides.hpp) are constraints on
// every run: their mentions get must-link groups and split sides for the clusterer, and
// blocks that one override spans are clustered in one go, their linked clusters joined.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <spdlog/spdlog.h>

#include "index/store/store_impl.hpp"
#include "pipeline/dedupe/author_clusterer.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::store {
namespace {

struct Mention {
  std::int64_t work_id;
  std::string source;
  int position;
  std::string given, family, printed, orcid, suffix, affiliation;
  std::int64_t old_author;
  std::set<std::string> coauthors;  // block keys of the other names on the work
  std::vector<std::string> categories;
  std::vector<std::string> words;  // title words
  int year = 0;
  std::string block;  // name block key
  // Manual overrides (author_overrides.cpp): must-link group and split sides.
  std::int64_t link_group = 0;
  std::vector<std::int64_t> apart;
};

struct Cluster {
  std::vector<std::size_t> members;
  std::string orcid;
};

/// Folded title words of three letters or more.
std::vector<std::string> title_words(const std::string& title) {
  std::vector<std::string> out;
  for (const auto& w : split(normalise::fold_key(title), ' ')) {
    std::string clean;
    for (const char c : w) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) clean += c;
    }
    if (clean.size() > 2) out.push_back(std::move(clean));
  }
  return out;
}

/// Incremental runs: a block of at least kAttachMin mentions of which at most one in
/// kAttachShare is new (no author id yet) keeps its authors, and the new mentions join them
/// or form new ones (dedupe::attach_authors) rather than the whole block being clustered
/// again: a harvest of a few records then costs what it adds, not the size of the blocks
/// it touches. Smaller blocks, blocks with many new mentions and blocks under manual
/// overrides are clustered whole.
constexpr std::size_t kAttachMin = 64;
constexpr std::size_t kAttachShare = 10;

/// The existing author of each mention as a cluster label (0, 1, … by first appearance), -1
/// for new mentions; empty when the block is to be clustered whole.
std::vector<int> known_clusters(const std::vector<Mention>& mentions) {
  if (mentions.size() < kAttachMin) return {};
  std::size_t fresh = 0;
  for (const auto& m : mentions) {
    if (m.link_group != 0 || !m.apart.empty()) return {};
    if (m.old_author == 0) ++fresh;
  }
  if (fresh == mentions.size() || fresh * kAttachShare > mentions.size()) return {};
  std::vector<int> known;
  known.reserve(mentions.size());
  std::unordered_map<std::int64_t, int> label;
  for (const auto& m : mentions) {
    known.push_back(
        m.old_author == 0
            ? -1
            : label.try_emplace(m.old_author, static_cast<int>(label.size())).first->second);
  }
  return known;
}

std::vector<Cluster> cluster_block(const std::vector<Mention>& mentions,
                                   const std::unordered_map<std::string, int>& coauthor_counts,
                                   bool incremental = false) {
  std::vector<dedupe::AuthorSignature> sigs;
  sigs.reserve(mentions.size());
  // Two mentions of one work from one source are two people; the same work from two
  // sources may name one person twice, so the "work" the clusterer sees is (work, source).
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> work_keys;
  for (const auto& m : mentions) {
    dedupe::AuthorSignature s;
    s.given = m.given;
    s.family = m.family;
    s.suffix = m.suffix;
    s.orcid = m.orcid;
    s.affiliation = m.affiliation;
    s.coauthors.assign(m.coauthors.begin(), m.coauthors.end());
    s.topics = m.categories;
    s.words = m.words;
    s.year = m.year;
    s.link_group = m.link_group;
    s.apart = m.apart;
    s.work_id =
        work_keys
            .try_emplace({m.work_id, m.source}, static_cast<std::int64_t>(work_keys.size() + 1))
            .first->second;
    sigs.push_back(std::move(s));
  }
  dedupe::AuthorClusterOptions options;
  options.coauthor_counts = &coauthor_counts;
  const auto known = incremental ? known_clusters(mentions) : std::vector<int>{};
  const auto labels = known.empty() ? dedupe::cluster_authors(sigs, options)
                                    : dedupe::attach_authors(sigs, known, options);
  std::vector<Cluster> clusters;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    const auto l = static_cast<std::size_t>(labels[i]);
    if (clusters.size() <= l) clusters.resize(l + 1);
    clusters[l].members.push_back(i);
    if (clusters[l].orcid.empty()) clusters[l].orcid = mentions[i].orcid;
  }
  return clusters;
}

/// The display name: the printed form of the mention with the fullest given name,
/// ties broken by how often it is printed.
std::string display_name(const std::vector<Mention>& ms, const Cluster& c,
                         std::map<std::string, int>& variants) {
  for (auto i : c.members) ++variants[ms[i].printed];
  std::string best;
  std::size_t best_len = 0;
  int best_count = -1;
  for (auto i : c.members) {
    const auto& m = ms[i];
    std::size_t len = m.given.size();
    int count = variants[m.printed];
    if (best.empty() || len > best_len || (len == best_len && count > best_count) ||
        (len == best_len && count == best_count && m.printed < best)) {
      best = m.printed, best_len = len, best_count = count;
    }
  }
  return best;
}

/// Joins the clusters that hold mentions of one manual link group (a merge across name
/// blocks); the others stay as they are.
std::vector<Cluster> join_linked_clusters(const std::vector<Mention>& mentions,
                                          std::vector<Cluster> clusters) {
  std::vector<std::size_t> parent(clusters.size());
  for (std::size_t c = 0; c < clusters.size(); ++c) parent[c] = c;
  const auto root = [&](std::size_t c) {
    while (parent[c] != c) c = parent[c] = parent[parent[c]];
    return c;
  };
  std::map<std::int64_t, std::size_t> group_cluster;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    for (auto i : clusters[c].members) {
      if (mentions[i].link_group == 0) continue;
      const auto first = group_cluster.try_emplace(mentions[i].link_group, c).first->second;
      const auto x = root(first);
      const auto y = root(c);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
  }
  std::vector<Cluster> out;
  std::map<std::size_t, std::size_t> slot;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    auto [it, inserted] = slot.try_emplace(root(c), out.size());
    if (inserted) out.emplace_back();
    auto& into = out[it->second];
    into.members.insert(into.members.end(), clusters[c].members.begin(), clusters[c].members.end());
    if (into.orcid.empty()) into.orcid = clusters[c].orcid;
  }
  return out;
}

/// Store-wide counts of co-author name keys (how common each key is): counted once per run,
/// since consolidation does not add or remove mentions. `fresh` takes the keys first met
/// while another batch is being clustered (that batch reads `known`); they join `known`
/// before the batch that needs them is clustered.
struct CoauthorCounts {
  std::unordered_map<std::string, int> known;
  std::unordered_map<std::string, int> fresh;
  void settle() {
    known.merge(fresh);
    fresh.clear();
  }
};

/// One unit of consolidation: a name block, or the blocks manual overrides join.
struct BlockJob {
  std::vector<std::string> keys;
  std::vector<Mention> mentions;
  std::vector<Cluster> clusters;
  // Per cluster, filled beside the clustering: the display name, the mention it comes
  // from, and the printed variants with their counts.
  std::vector<std::string> names;
  std::vector<std::size_t> fullest;
  std::vector<std::map<std::string, int>> variants;
};

/// The mentions of one name block, with their evidence; `counts` gains the store-wide
/// counts of their co-author keys.
void load_block(Connection& db, const std::string& key, std::vector<Mention>& out,
                CoauthorCounts& counts) {
  const auto first = out.size();
  {
    auto q = db.cached(
        "SELECT a.work_id, a.source, a.position, a.given, a.family, a.printed, a.orcid, "
        "a.author_id, a.suffix, a.affiliation, w.categories, w.year, w.title "
        "FROM authorships a JOIN works w ON w.work_id=a.work_id "
        "WHERE a.block_key=? AND a.is_collaboration=0 AND w.deleted=0 "
        "ORDER BY length(a.given) DESC, w.first_date, a.work_id, a.source, a.position");
    q->bind(1, key);
    while (q->step()) {
      out.push_back(Mention{q->get_int(0),
                            q->get_text(1),
                            static_cast<int>(q->get_int(2)),
                            q->get_text(3),
                            q->get_text(4),
                            q->get_text(5),
                            q->get_text(6),
                            q->get_text(8),
                            q->get_text(9),
                            q->is_null(7) ? 0 : q->get_int(7),
                            {},
                            split(q->get_text(10), ' '),
                            title_words(q->get_text(12)),
                            static_cast<int>(q->get_int(11)),
                            key,
                            0,
                            {}});
    }
  }
  auto co = db.cached(
      "SELECT DISTINCT block_key FROM authorships WHERE work_id=? AND block_key<>? "
      "AND is_collaboration=0");
  for (auto i = first; i < out.size(); ++i) {
    auto& m = out[i];
    co->bind(1, m.work_id).bind(2, key);
    while (co->step()) m.coauthors.insert(co->get_text(0));
    co->reset();
  }
  // How common each co-author's name key is in the whole store: sharing "li j" is weaker
  // evidence than sharing "kovac s".
  auto count = db.cached("SELECT COUNT(*) FROM authorships WHERE block_key=?");
  for (auto i = first; i < out.size(); ++i) {
    for (const auto& c : out[i].coauthors) {
      if (counts.known.contains(c)) continue;
      auto [it, inserted] = counts.fresh.try_emplace(c, 0);
      if (!inserted) continue;
      count->bind(1, c);
      if (count->step()) it->second = static_cast<int>(count->get_int(0));
      count->reset();
    }
  }
}

/// Reads the mentions of `job.keys` with their evidence and override constraints (SQL).
void load_job(Connection& db, BlockJob& job, const OverrideConstraints& overrides,
              CoauthorCounts& counts, ConsolidationStats& stats) {
  auto& mentions = job.mentions;
  for (const auto& key : job.keys) load_block(db, key, mentions, counts);
  stats.mentions += static_cast<std::int64_t>(mentions.size());
  if (!overrides.empty()) {
    std::vector<OverrideConstraints::Ref> refs;
    refs.reserve(mentions.size());
    for (const auto& m : mentions)
      refs.push_back({m.work_id, m.source, m.position, m.given, m.family, m.block});
    auto tags = overrides.constrain(refs);
    for (std::size_t i = 0; i < mentions.size(); ++i) {
      mentions[i].link_group = tags[i].link_group;
      mentions[i].apart = std::move(tags[i].apart);
    }
  }
}

/// Clusters a loaded job and names its clusters. Pure: no SQL, so jobs run in parallel.
void cluster_job(BlockJob& job, const std::unordered_map<std::string, int>& coauthor_counts) {
  const auto& mentions = job.mentions;
  // Each block is clustered on its own; a manual merge across blocks then joins the
  // clusters that hold its mentions.
  if (job.keys.size() == 1) {
    job.clusters = cluster_block(mentions, coauthor_counts, true);
  } else {
    std::vector<Cluster> clusters;
    std::vector<Mention> block;
    std::vector<std::size_t> index;
    for (const auto& key : job.keys) {
      block.clear();
      index.clear();
      for (std::size_t i = 0; i < mentions.size(); ++i) {
        if (mentions[i].block == key) block.push_back(mentions[i]), index.push_back(i);
      }
      for (auto& c : cluster_block(block, coauthor_counts)) {
        for (auto& i : c.members) i = index[i];
        clusters.push_back(std::move(c));
      }
    }
    job.clusters = join_linked_clusters(mentions, std::move(clusters));
  }
  const auto n = job.clusters.size();
  job.names.resize(n);
  job.fullest.resize(n);
  job.variants.resize(n);
  for (std::size_t ci = 0; ci < n; ++ci) {
    const auto& c = job.clusters[ci];
    job.names[ci] = display_name(mentions, c, job.variants[ci]);
    job.fullest[ci] = c.members.front();
    for (auto i : c.members) {
      if (mentions[i].printed == job.names[ci]) {
        job.fullest[ci] = i;
        break;
      }
    }
  }
}

/// Writes a clustered job: keeps author ids stable across its blocks (SQL). `next_id` is
/// the next new author id of the run.
void write_job(Connection& db, const BlockJob& job, ConsolidationStats& stats,
               std::int64_t& next_id) {
  const auto& keys = job.keys;
  const auto& mentions = job.mentions;
  const auto& clusters = job.clusters;
  // Keep ids stable: each earlier id goes to the new cluster holding most of its mentions.
  std::vector<std::tuple<long, std::size_t, std::int64_t>> votes;  // (-overlap, cluster, id)
  std::set<std::int64_t> old_ids;
  for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
    std::map<std::int64_t, long> count;
    for (auto i : clusters[ci].members) {
      if (mentions[i].old_author != 0) ++count[mentions[i].old_author];
    }
    for (auto [id, n] : count) votes.emplace_back(-n, ci, id), old_ids.insert(id);
  }
  {
    auto q = db.cached("SELECT author_id FROM authors WHERE block_key=?");
    for (const auto& key : keys) {
      q->bind(1, key);
      while (q->step()) old_ids.insert(q->get_int(0));
      q->reset();
    }
  }
  std::ranges::sort(votes);
  std::vector<std::int64_t> assigned(clusters.size(), 0);
  std::set<std::int64_t> used;
  for (auto [neg, ci, id] : votes) {
    if (assigned[ci] == 0 && !used.contains(id)) assigned[ci] = id, used.insert(id);
  }

  auto insert_author = db.cached(
      "INSERT INTO authors(author_id, block_key, name, given, family, orcid, works) "
      "VALUES(?,?,?,?,?,?,0)");
  auto update_author =
      db.cached("UPDATE authors SET name=?, given=?, family=?, orcid=? WHERE author_id=?");
  auto set_mention =
      db.cached("UPDATE authorships SET author_id=? WHERE work_id=? AND source=? AND position=?");
  auto reindex = db.cached("INSERT OR IGNORE INTO pending_index(work_id) VALUES(?)");
  auto pend = db.cached("INSERT OR IGNORE INTO pending_authors(author_id) VALUES(?)");
  auto pend_work_authors = db.cached(
      "INSERT OR IGNORE INTO pending_authors(author_id) "
      "SELECT DISTINCT author_id FROM authorships WHERE work_id=? AND author_id IS NOT NULL");
  // Roll-ups (author_rollups.cpp) follow an author's mentions and its works' data: they are
  // redone for the ids that gained or lost a mention here, and for every author of a work
  // that consolidation queues for rescoring (pending_index); an author of the block whose
  // mentions stayed as they were keeps its roll-ups (a harvest already queued the authors
  // of the works it rewrote). Re-clustering a large block so costs what changed in it.
  std::set<std::int64_t> changed;  // earlier ids that gained or lost a mention
  for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
    for (auto i : clusters[ci].members) {
      const auto old = mentions[i].old_author;
      if (old == assigned[ci]) continue;
      if (assigned[ci] != 0) changed.insert(assigned[ci]);
      if (old != 0) changed.insert(old);
    }
  }
  auto del_variants = db.cached("DELETE FROM author_variants WHERE author_id=?");
  auto add_variant =
      db.cached("INSERT INTO author_variants(author_id, variant, mentions) VALUES(?,?,?)");

  for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
    const auto& c = clusters[ci];
    const auto& name = job.names[ci];
    const Mention* fullest = &mentions[job.fullest[ci]];
    std::int64_t id = assigned[ci];
    if (id == 0) {
      // Never the id of an author that redirects (SQLite would reuse a deleted top id).
      id = next_id++;
      insert_author->bind(1, id)
          .bind(2, fullest->block)
          .bind(3, name)
          .bind(4, fullest->given)
          .bind(5, fullest->family)
          .bind(6, c.orcid)
          .run();
      ++stats.authors_created;
    } else {
      update_author->bind(1, name)
          .bind(2, fullest->given)
          .bind(3, fullest->family)
          .bind(4, c.orcid)
          .bind(5, id)
          .run();
    }
    del_variants->bind(1, id).run();
    for (const auto& [variant, n] : job.variants[ci])
      add_variant->bind(1, id).bind(2, variant).bind(3, n).run();
    if (assigned[ci] == 0 || changed.contains(id)) pend->bind(1, id).run();
    for (auto i : c.members) {
      const auto& m = mentions[i];
      if (m.old_author != id) {
        set_mention->bind(1, id).bind(2, m.work_id).bind(3, m.source).bind(4, m.position).run();
        reindex->bind(1, m.work_id).run();
        if (db.changes() > 0) pend_work_authors->bind(1, m.work_id).run();
      }
    }
  }
  // Ids that lost every mention: redirect to where most of their mentions went.
  auto redirect = db.cached("INSERT OR REPLACE INTO author_redirects(old_id, new_id) VALUES(?,?)");
  auto drop = db.cached("DELETE FROM authors WHERE author_id=?");
  auto drop_topics = db.cached("DELETE FROM author_topics WHERE author_id=?");
  auto drop_collaborations = db.cached("DELETE FROM collaborations WHERE a=? OR b=?");
  for (auto id : old_ids) {
    if (used.contains(id)) continue;
    std::int64_t target = 0;
    for (auto [neg, ci, vid] : votes) {
      if (vid == id) {
        target = assigned[ci];
        break;
      }
    }
    if (target != 0) redirect->bind(1, id).bind(2, target).run();
    del_variants->bind(1, id).run();
    drop->bind(1, id).run();
    drop_topics->bind(1, id).run();
    drop_collaborations->bind(1, id).bind(2, id).run();
    ++stats.authors_removed;
  }
}

/// Jobs are loaded, clustered and written in batches of about this many mentions (or
/// kBatchJobs jobs): big enough to keep the cores busy, small enough for memory.
constexpr std::size_t kBatchMentions = 40000;
constexpr std::size_t kBatchJobs = 512;

}  // namespace

Result<ConsolidationStats> Store::consolidate() {
  if (!impl_->phrase_df) return fail(ErrorCode::storage, read_only_message(*impl_));
  auto& db = impl_->db;
  ConsolidationStats stats;
  PhraseDfBuffer::Taken df_written;
  try {
    Transaction tx(db);
    std::vector<std::string> blocks;
    {
      auto q = db.prepare("SELECT block_key FROM pending_blocks ORDER BY block_key");
      while (q.step()) blocks.push_back(q.get_text(0));
    }
    // Blocks that manual overrides join are clustered together, once.
    const OverrideConstraints overrides(db);
    std::vector<std::vector<std::string>> units;
    {
      std::set<std::string> done;
      for (const auto& key : blocks) {
        if (done.contains(key)) continue;
        auto keys = overrides.component(key);
        done.insert(keys.begin(), keys.end());
        units.push_back(std::move(keys));
      }
    }
    // SQL stays on this thread; the clustering of the blocks of one batch runs in
    // parallel while this thread reads the next batch, and the batch is then written in
    // block order, so the result is that of clustering the blocks one after another.
    using Clock = std::chrono::steady_clock;
    const auto secs = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    const auto started = Clock::now();
    Clock::duration load_time{}, wait_time{}, write_time{};
    CoauthorCounts counts;
    std::int64_t next_id = next_author_id(db);
    std::size_t next_unit = 0;
    const auto load_batch = [&] {
      const auto t = Clock::now();
      std::vector<BlockJob> batch;
      std::size_t loaded = 0;
      while (next_unit < units.size() && loaded < kBatchMentions && batch.size() < kBatchJobs) {
        auto& job = batch.emplace_back();
        job.keys = std::move(units[next_unit++]);
        load_job(db, job, overrides, counts, stats);
        loaded += job.mentions.size();
      }
      load_time += Clock::now() - t;
      return batch;
    };
    auto batch = load_batch();
    counts.settle();
    tbb::task_group clustering;
    while (!batch.empty()) {
      clustering.run([&batch, &known = counts.known] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.size(), 1),
                          [&](const tbb::blocked_range<std::size_t>& r) {
                            for (auto i = r.begin(); i != r.end(); ++i)
                              cluster_job(batch[i], known);
                          });
      });
      std::vector<BlockJob> next;
      try {
        next = load_batch();
      } catch (...) {
        clustering.wait();
        throw;
      }
      const auto waited = Clock::now();
      clustering.wait();
      counts.settle();
      const auto written = Clock::now();
      wait_time += written - waited;
      for (const auto& job : batch) write_job(db, job, stats, next_id);
      write_time += Clock::now() - written;
      batch = std::move(next);
    }
    stats.blocks = static_cast<std::int64_t>(blocks.size());
    spdlog::debug(
        "authors: {} name blocks, {} mentions in {:.2f} s (load {:.2f} s, waiting for the "
        "clustering {:.2f} s, write {:.2f} s)",
        stats.blocks, stats.mentions, secs(Clock::now() - started), secs(load_time),
        secs(wait_time), secs(write_time));
    refresh_work_topics(db, df_written, *impl_->phrase_df);
    recompute_author_rollups(db, stats);
    auto q = db.prepare("SELECT COUNT(*) FROM pending_index");
    q.step();
    stats.works_reindexed = q.get_int(0);
    db.exec("DELETE FROM pending_blocks");
    db.exec("DELETE FROM pending_authors");
    const auto committing = Clock::now();
    tx.commit();
    spdlog::debug("consolidation: {:.2f} s, of which commit {:.2f} s", secs(Clock::now() - started),
                  secs(Clock::now() - committing));
    return stats;
  } catch (const SqliteError& e) {
    impl_->phrase_df->restore(std::move(df_written));
    return std::unexpected(to_error(e, "consolidating authors"));
  } catch (...) {
    impl_->phrase_df->restore(std::move(df_written));  // rolled back with the rest
    throw;
  }
}

Result<void> Store::for_each_index_document(
    bool all, const std::function<void(const search::IndexDocument&)>& fn,
    std::vector<std::int64_t>* removed) {
  auto& db = impl_->db;
  try {
    if (removed && !all) {
      auto q = db.prepare(
          "SELECT p.work_id FROM pending_index p LEFT JOIN works w ON w.work_id=p.work_id "
          "WHERE w.work_id IS NULL OR w.deleted=1 ORDER BY p.work_id");
      while (q.step()) removed->push_back(q.get_int(0));
    }
    auto works = db.prepare(
        std::string("SELECT work_id, COALESCE(arxiv_id,''), title, abstract, type, venue, "
                    "first_date, year, categories, withdrawn FROM works WHERE deleted=0 ") +
        (all ? "" : "AND work_id IN (SELECT work_id FROM pending_index) ") + "ORDER BY work_id");
    auto dois =
        db.prepare("SELECT value FROM work_ids WHERE work_id=? AND scheme='doi' ORDER BY value");
    auto sources = db.prepare(
        "SELECT DISTINCT source FROM source_records WHERE work_id=? AND deleted=0 ORDER BY source");
    auto authors = db.prepare(
        "SELECT printed, COALESCE(author_id,0) FROM authorships WHERE work_id=? AND source="
        "(SELECT MIN(source) FROM authorships WHERE work_id=?) ORDER BY position");
    IndexTopics topics(db);
    search::IndexDocument doc;
    while (works.step()) {
      doc = {};
      doc.work_id = works.get_int(0);
      doc.arxiv_id = works.get_text(1);
      doc.title = works.get_text(2);
      doc.abstract = works.get_text(3);
      doc.type = works.get_text(4);
      doc.venue = works.get_text(5);
      doc.date = works.get_text(6);
      doc.year = static_cast<int>(works.get_int(7));
      doc.categories = split(works.get_text(8), ' ');
      topics.fill(doc);
      doc.withdrawn = works.get_int(9) != 0;
      dois.bind(1, doc.work_id);
      while (dois.step()) doc.dois.push_back(dois.get_text(0));
      dois.reset();
      sources.bind(1, doc.work_id);
      while (sources.step()) doc.sources.push_back(sources.get_text(0));
      sources.reset();
      authors.bind(1, doc.work_id).bind(2, doc.work_id);
      while (authors.step()) {
        doc.author_names.push_back(authors.get_text(0));
        doc.author_ids.push_back(authors.get_int(1));
      }
      authors.reset();
      fn(doc);
    }
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading works for the index"));
  }
}

Result<void> Store::clear_pending_index() {
  try {
    impl_->db.exec("DELETE FROM pending_index");
    return {};
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "clearing the index queue"));
  }
}

}  // namespace bzpeer::store
