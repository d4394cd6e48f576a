// bzpeer — phrase document frequencies in the store: the counts of a page and of the
// buffer (PhraseCounts), their upkeep as works are written (counted_text,
// update_phrase_df, forget_phrase_df), the buffer across pages (PhraseDfBuffer) and the
// writes to phrase_df. The invariant they keep is described in topic_store.cpp.
#include <algorithm>
#include <bit>
#include <iterator>

#include "index/store/store_impl.hpp"
#include "pipeline/topics/keyphrases.hpp"

namespace bzpeer::store {

void PhraseCounts::rehash(std::size_t slots) {
  slots_.assign(slots, 0);
  const std::size_t mask = slots - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const std::uint64_t h = entries_[i].hash;
    std::size_t s = h & mask;
    while (slots_[s] != 0) s = (s + 1) & mask;
    slots_[s] = (h & 0xffffffff00000000ULL) | (i + 1);
  }
}

void PhraseCounts::reserve(std::size_t keys) {
  entries_.reserve(keys);
  const std::size_t want = std::bit_ceil(std::max<std::size_t>(16, keys * 2));
  if (want > slots_.size()) rehash(want);
}

std::size_t PhraseCounts::probe(std::string_view key, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = hash & 0xffffffff00000000ULL;
  std::size_t s = hash & mask;
  while (true) {
    const std::uint64_t slot = slots_[s];
    if (slot == 0) return s;
    if ((slot & 0xffffffff00000000ULL) == tag) {
      const Entry& e = entries_[(slot & 0xffffffffULL) - 1];
      if (e.hash == hash && this->key(e) == key) return s;
    }
    s = (s + 1) & mask;
  }
}

void PhraseCounts::add(std::string_view key, std::uint64_t hash, std::int64_t delta) {
  // At most half full: probes stay short.
  if ((entries_.size() + 1) * 2 > slots_.size()) {
    rehash(std::max<std::size_t>(16, slots_.size() * 2));
  }
  const std::size_t s = probe(key, hash);
  if (slots_[s] != 0) {
    entries_[(slots_[s] & 0xffffffffULL) - 1].count += delta;
    return;
  }
  entries_.push_back({hash, arena_.size(), static_cast<std::uint32_t>(key.size()), delta});
  arena_.append(key);
  slots_[s] = (hash & 0xffffffff00000000ULL) | entries_.size();
}

void PhraseCounts::merge(const PhraseCounts& other, std::int64_t sign) {
  for (const auto& e : other.entries_) add(other.key(e), e.hash, sign * e.count);
}

std::int64_t PhraseCounts::get(std::string_view key) const {
  if (slots_.empty()) return 0;
  const std::size_t s = probe(key, hash_of(key));
  return slots_[s] == 0 ? 0 : entries_[(slots_[s] & 0xffffffffULL) - 1].count;
}

void PhraseCounts::clear() {
  std::ranges::fill(slots_, 0);
  entries_.clear();
  arena_.clear();
}

namespace {

std::vector<std::string> keys_of(std::string_view title, std::string_view abstract) {
  return topics::document_keys(topics::extract_candidates(title, abstract));
}

/// Adds `delta` to the document frequency of each key (and of the corpus size, key "").
void add_df(PhraseDfDeltas& deltas, const std::vector<std::string>& keys, int delta,
            bool count_doc) {
  for (const auto& key : keys) deltas.add(key, delta);
  if (count_doc) deltas.add(std::string_view(), delta);
}
}  // namespace

std::string meta_get(Connection& db, const char* key) {
  auto q = db.prepare("SELECT value FROM meta WHERE key=?");
  q.bind(1, key);
  return q.step() ? q.get_text(0) : std::string();
}

void meta_set(Connection& db, const char* key, const std::string& value) {
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)")
      .bind(1, key)
      .bind(2, value)
      .run();
}

void rebuild_phrase_df(Connection& db) {
  db.exec("DELETE FROM phrase_df");
  auto works = db.prepare("SELECT title, abstract FROM works WHERE deleted=0");
  PhraseDfDeltas deltas;
  while (works.step()) {
    add_df(deltas, keys_of(works.get_text(0), works.get_text(1)), 1, true);
    // Bounds the memory of the gathered counts.
    if (deltas.size() >= PhraseDfBuffer::kPhraseDfBufferKeys) {
      flush_phrase_df(db, deltas);
      deltas.clear();
    }
  }
  flush_phrase_df(db, deltas);
}

CountedText counted_text(Connection& db, std::int64_t work_id) {
  CountedText t;
  if (work_id == 0) return t;
  auto q = db.cached("SELECT title, abstract FROM works WHERE work_id=? AND deleted=0");
  q->bind(1, work_id);
  if (q->step()) {
    t.counted = true;
    t.title = q->get_text(0);
    t.abstract = q->get_text(1);
  }
  return t;
}

void flush_phrase_df(Connection& db, const PhraseDfDeltas& deltas) {
  // In key order: consecutive keys share B-tree leaves, so a large flush reads and dirties
  // each leaf of phrase_df about once instead of once per key.
  std::vector<const PhraseCounts::Entry*> sorted;
  sorted.reserve(deltas.size());
  for (const auto& entry : deltas.entries()) {
    if (entry.count != 0) sorted.push_back(&entry);
  }
  std::ranges::sort(sorted, {}, [&deltas](const auto* e) { return deltas.key(*e); });
  auto up = db.cached(
      "INSERT INTO phrase_df(stem, df) VALUES(?1, ?2) "
      "ON CONFLICT(stem) DO UPDATE SET df = df + ?2");
  auto drop = db.cached("DELETE FROM phrase_df WHERE stem=? AND df<=0");
  for (const auto* e : sorted) {
    const auto key = deltas.key(*e);
    up->bind(1, key).bind(2, e->count).run();
    if (e->count < 0) drop->bind(1, key).run();
  }
}

namespace {

constexpr const char* kUnflushedKey = "phrase_df_unflushed";

/// One buffer per store file in this process (weak: it goes with the last Store).
std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<PhraseDfBuffer>> registry;

}  // namespace

std::shared_ptr<PhraseDfBuffer> PhraseDfBuffer::attach(const std::filesystem::path& file,
                                                       Connection& db) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(file, ec);
  const std::string key = ec ? file.string() : canonical.string();
  const std::scoped_lock lock(registry_mutex);
  if (auto live = registry[key].lock()) return live;
  std::erase_if(registry, [](const auto& entry) { return entry.second.expired(); });
  auto buffer = std::make_shared<PhraseDfBuffer>();
  // Left by a process that died with changes in memory: phrase_df misses them.
  buffer->stale_ = !meta_get(db, kUnflushedKey).empty();
  buffer->marked_ = buffer->stale_;
  registry[key] = buffer;
  return buffer;
}

bool PhraseDfBuffer::add(Connection& db, const PhraseDfDeltas& page) {
  const std::scoped_lock lock(mutex_);
  if (stale_) return false;  // the next consolidation recounts everything
  bool marked_by_page = false;
  if (!marked_) {
    meta_set(db, kUnflushedKey, "1");
    marked_ = marked_by_page = true;
  }
  pending_.merge(page);
  return marked_by_page;
}

void PhraseDfBuffer::undo(const PhraseDfDeltas& page, bool marked_by_page) {
  const std::scoped_lock lock(mutex_);
  if (stale_) return;
  if (marked_by_page) {
    // The buffer was empty before the page, and the meta row went with its transaction.
    pending_.clear();
    marked_ = false;
    return;
  }
  pending_.merge(page, -1);
}

bool PhraseDfBuffer::full() const {
  const std::scoped_lock lock(mutex_);
  return pending_.size() >= kPhraseDfBufferKeys;
}

bool PhraseDfBuffer::empty() const {
  const std::scoped_lock lock(mutex_);
  return pending_.empty() && !marked_;
}

bool PhraseDfBuffer::stale() const {
  const std::scoped_lock lock(mutex_);
  return stale_;
}

PhraseDfBuffer::Taken PhraseDfBuffer::write(Connection& db) {
  const std::scoped_lock lock(mutex_);
  Taken taken{std::move(pending_), marked_, stale_};
  pending_.clear();
  if (stale_) {
    rebuild_phrase_df(db);
    taken.deltas.clear();  // the recount holds every committed page
  } else {
    flush_phrase_df(db, taken.deltas);
  }
  if (marked_) db.prepare("DELETE FROM meta WHERE key=?").bind(1, kUnflushedKey).run();
  marked_ = stale_ = false;
  return taken;
}

void PhraseDfBuffer::restore(Taken taken) {
  const std::scoped_lock lock(mutex_);
  // Pages committed since write() are in pending_ and marked the meta row again; the
  // restored changes join them.
  pending_.merge(taken.deltas);
  marked_ = marked_ || taken.was_marked;
  stale_ = stale_ || taken.was_stale;
}

void Store::Impl::flush_phrase_df_buffer() {
  if (!phrase_df || phrase_df->empty() || phrase_df->stale()) return;
  Transaction tx(db);
  auto taken = phrase_df->write(db);
  try {
    tx.commit();
  } catch (...) {
    phrase_df->restore(std::move(taken));
    throw;
  }
}

void prepare_for_store(MappedRecord& record) {
  if (record.record.deleted || !record.work) return;
  record.df_keys = keys_of(record.work->title, record.work->abstract);
}

void update_phrase_df(Connection& db, std::int64_t work_id, const CountedText& before,
                      const MappedRecord& incoming, PhraseDfDeltas& deltas) {
  const CountedText now = counted_text(db, work_id);
  if (!now.counted && !before.counted) return;
  if (now.counted && before.counted && now.title == before.title &&
      now.abstract == before.abstract) {
    return;
  }
  std::vector<std::string> old_keys, computed, gone, added;
  if (before.counted) old_keys = keys_of(before.title, before.abstract);
  const std::vector<std::string>* new_keys = &computed;
  if (now.counted) {
    if (incoming.df_keys && incoming.work && now.title == incoming.work->title &&
        now.abstract == incoming.work->abstract) {
      new_keys = &*incoming.df_keys;
    } else {
      computed = keys_of(now.title, now.abstract);
    }
  }
  if (old_keys.empty()) {  // a new work (the common case): every key is added
    add_df(deltas, *new_keys, 1, now.counted && !before.counted);
    if (before.counted && !now.counted) add_df(deltas, {}, -1, true);
    return;
  }
  std::ranges::set_difference(old_keys, *new_keys, std::back_inserter(gone));
  std::ranges::set_difference(*new_keys, old_keys, std::back_inserter(added));
  add_df(deltas, gone, -1, before.counted && !now.counted);
  add_df(deltas, added, 1, now.counted && !before.counted);
}

void forget_phrase_df(Connection& db, std::int64_t work_id, PhraseDfDeltas& deltas) {
  auto q = db.cached("SELECT title, abstract FROM works WHERE work_id=? AND deleted=0");
  q->bind(1, work_id);
  if (q->step()) add_df(deltas, keys_of(q->get_text(0), q->get_text(1)), -1, true);
}

}  // namespace bzpeer::store
