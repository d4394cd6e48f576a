// bzpeer — phrase document frequencies in the store: the counts of a page and of the
// buffer (PhraseCounts), their upkeep as works are written (counted_text,
// update_phrase_df, forget_phrase_df), the buffer across pages (PhraseDfBuffer) and the
// writes to phrase_df. The invariant they keep is described in topic_store.cpp.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <queue>
#include <utility>

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

namespace {

/// The non-zero entries of `counts`, in key order.
std::vector<const PhraseCounts::Entry*> sorted_entries(const PhraseCounts& counts) {
  std::vector<const PhraseCounts::Entry*> sorted;
  sorted.reserve(counts.size());
  for (const auto& entry : counts.entries()) {
    if (entry.count != 0) sorted.push_back(&entry);
  }
  std::ranges::sort(sorted, {}, [&counts](const auto* e) { return counts.key(*e); });
  return sorted;
}

/// Writes summed changes to phrase_df key by key (callers go in key order, so consecutive
/// keys share B-tree leaves): plain inserts into an empty table, where there is nothing to
/// add to; otherwise added to the stored count, and a key whose count falls to zero or
/// below is deleted.
class PhraseDfWriter {
 public:
  explicit PhraseDfWriter(Connection& db)
      : insert_(db.cached("INSERT INTO phrase_df(stem, df) VALUES(?1, ?2)")),
        up_(db.cached("INSERT INTO phrase_df(stem, df) VALUES(?1, ?2) "
                      "ON CONFLICT(stem) DO UPDATE SET df = df + ?2")),
        drop_(db.cached("DELETE FROM phrase_df WHERE stem=? AND df<=0")) {
    auto any = db.prepare("SELECT 1 FROM phrase_df LIMIT 1");
    empty_ = !any.step();
  }
  void add(std::string_view key, std::int64_t delta) {
    if (delta == 0) return;
    if (empty_) {
      if (delta > 0) insert_->bind(1, key).bind(2, delta).run();
      return;
    }
    up_->bind(1, key).bind(2, delta).run();
    if (delta < 0) drop_->bind(1, key).run();
  }

 private:
  CachedStatement insert_, up_, drop_;
  bool empty_ = false;
};

[[noreturn]] void io_error(const std::string& what, const std::filesystem::path& file) {
  throw SqliteError{SQLITE_IOERR,
                    what + " " + file.string() + ": " + std::strerror(errno ? errno : EIO)};
}

/// A run file, read record by record: u32 key length, key bytes, i64 count (native order).
class RunReader {
 public:
  explicit RunReader(const std::filesystem::path& file) : file_(file) {
    f_ = std::fopen(file.c_str(), "rb");
    if (!f_) io_error("cannot open phrase count run", file);
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 18);
  }
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;
  ~RunReader() {
    if (f_) std::fclose(f_);
  }
  /// Reads the next record; false at the end of the file.
  bool next() {
    std::uint32_t length = 0;
    if (std::fread(&length, sizeof length, 1, f_) != 1) {
      if (std::ferror(f_)) io_error("cannot read phrase count run", file_);
      return false;
    }
    key.resize(length);
    if ((length != 0 && std::fread(key.data(), 1, length, f_) != length) ||
        std::fread(&count, sizeof count, 1, f_) != 1) {
      if (std::ferror(f_)) io_error("cannot read phrase count run", file_);
      throw SqliteError{SQLITE_CORRUPT, "truncated phrase count run " + file_.string()};
    }
    return true;
  }
  std::string key;
  std::int64_t count = 0;

 private:
  std::filesystem::path file_;
  std::FILE* f_ = nullptr;
};

}  // namespace

PhraseRuns::PhraseRuns(PhraseRuns&& other) noexcept
    : dir_(std::move(other.dir_)), files_(std::exchange(other.files_, {})) {}

PhraseRuns& PhraseRuns::operator=(PhraseRuns&& other) noexcept {
  if (this != &other) {
    clear();
    dir_ = std::move(other.dir_);
    files_ = std::exchange(other.files_, {});
  }
  return *this;
}

PhraseRuns::~PhraseRuns() {
  clear();
}

void PhraseRuns::clear() noexcept {
  for (const auto& file : files_) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
  }
  if (!files_.empty()) {
    std::error_code ec;
    std::filesystem::remove(dir_, ec);  // only when empty: another object may use it
  }
  files_.clear();
}

void PhraseRuns::adopt(PhraseRuns& other) {
  if (dir_.empty()) dir_ = other.dir_;
  files_.insert(files_.end(), other.files_.begin(), other.files_.end());
  other.files_.clear();
}

void PhraseRuns::spill(const PhraseCounts& counts) {
  if (counts.empty()) return;
  static std::atomic<std::uint64_t> serial{0};
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw SqliteError{SQLITE_IOERR, "cannot create " + dir_.string() + ": " + ec.message()};
  const auto file = dir_ / ("run-" + std::to_string(::getpid()) + "-" +
                            std::to_string(serial.fetch_add(1)) + ".bin");
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) io_error("cannot create phrase count run", file);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = true;
  for (const auto* e : sorted_entries(counts)) {
    const auto key = counts.key(*e);
    const auto length = static_cast<std::uint32_t>(key.size());
    ok = std::fwrite(&length, sizeof length, 1, f) == 1 &&
         (length == 0 || std::fwrite(key.data(), 1, length, f) == length) &&
         std::fwrite(&e->count, sizeof e->count, 1, f) == 1;
    if (!ok) break;
  }
  const int saved = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::filesystem::remove(file, ec);
    errno = saved;
    io_error("cannot write phrase count run", file);
  }
  files_.push_back(file);
}

void PhraseRuns::apply(Connection& db) const {
  std::vector<std::unique_ptr<RunReader>> readers;
  readers.reserve(files_.size());
  const auto later = [](const RunReader* a, const RunReader* b) { return a->key > b->key; };
  std::priority_queue<RunReader*, std::vector<RunReader*>, decltype(later)> heap(later);
  for (const auto& file : files_) {
    readers.push_back(std::make_unique<RunReader>(file));
    if (readers.back()->next()) heap.push(readers.back().get());
  }
  PhraseDfWriter out(db);
  std::string key;
  while (!heap.empty()) {
    key = heap.top()->key;
    std::int64_t sum = 0;
    while (!heap.empty() && heap.top()->key == key) {
      auto* r = heap.top();
      heap.pop();
      sum += r->count;
      if (r->next()) heap.push(r);
    }
    out.add(key, sum);
  }
}

std::filesystem::path phrase_runs_dir(Connection& db) {
  const char* file = sqlite3_db_filename(db.handle(), "main");
  if (file == nullptr || *file == '\0') {
    return std::filesystem::temp_directory_path() /
           ("bzpeer-phrase-runs-" + std::to_string(::getpid()));
  }
  return std::filesystem::path(std::string(file) + ".phrase-runs");
}

void rebuild_phrase_df(Connection& db) {
  db.exec("DELETE FROM phrase_df");
  auto works = db.prepare("SELECT title, abstract FROM works WHERE deleted=0");
  PhraseDfDeltas deltas;
  PhraseRuns runs(phrase_runs_dir(db));
  while (works.step()) {
    add_df(deltas, keys_of(works.get_text(0), works.get_text(1)), 1, true);
    // Bounds the memory of the gathered counts: sorted runs on disk, merged at the end.
    if (deltas.size() >= PhraseDfBuffer::kPhraseDfBufferKeys) {
      runs.spill(deltas);
      deltas.clear();
    }
  }
  if (runs.empty()) {
    flush_phrase_df(db, deltas);
    return;
  }
  runs.spill(deltas);
  runs.apply(db);
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
  PhraseDfWriter out(db);
  for (const auto* e : sorted_entries(deltas)) out.add(deltas.key(*e), e->count);
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
  // Left by a process that died with changes in memory (or in runs): phrase_df misses them.
  buffer->stale_ = !meta_get(db, kUnflushedKey).empty();
  buffer->runs_ = PhraseRuns(phrase_runs_dir(db));
  // Runs are never trusted across processes: a stale buffer recounts, and a fresh one's
  // leftovers were either written before the meta row went or lost with it.
  std::filesystem::remove_all(buffer->runs_.dir(), ec);
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
  return pending_.empty() && runs_.empty() && !marked_;
}

void PhraseDfBuffer::spill() {
  const std::scoped_lock lock(mutex_);
  if (stale_ || pending_.empty()) return;
  runs_.spill(pending_);
  pending_.clear();
}

bool PhraseDfBuffer::stale() const {
  const std::scoped_lock lock(mutex_);
  return stale_;
}

PhraseDfBuffer::Taken PhraseDfBuffer::write(Connection& db) {
  const std::scoped_lock lock(mutex_);
  Taken taken{std::move(pending_), std::move(runs_), marked_, stale_};
  pending_.clear();
  runs_ = PhraseRuns(taken.runs.dir());
  try {
    if (stale_) {
      rebuild_phrase_df(db);
      taken.deltas.clear();  // the recount holds every committed page
      taken.runs.clear();
    } else if (!taken.runs.empty()) {
      // The buffer goes to disk too, and every run to phrase_df in one ordered pass.
      taken.runs.spill(taken.deltas);
      taken.deltas.clear();
      taken.runs.apply(db);
    } else {
      flush_phrase_df(db, taken.deltas);
    }
    if (marked_) db.prepare("DELETE FROM meta WHERE key=?").bind(1, kUnflushedKey).run();
  } catch (...) {
    // The caller's transaction rolls back what was written: the buffer is as it was.
    pending_.merge(taken.deltas);
    runs_.adopt(taken.runs);
    throw;
  }
  marked_ = stale_ = false;
  return taken;
}

void PhraseDfBuffer::restore(Taken taken) {
  const std::scoped_lock lock(mutex_);
  // Pages committed since write() are in pending_ and marked the meta row again; the
  // restored changes join them (the runs are older than anything in pending_, which only
  // matters for their order on disk, not for the sums).
  pending_.merge(taken.deltas);
  runs_.adopt(taken.runs);
  marked_ = marked_ || taken.was_marked;
  stale_ = stale_ || taken.was_stale;
}

void Store::Impl::flush_phrase_df_buffer() {
  if (!phrase_df || phrase_df->empty() || phrase_df->stale()) return;
  const auto started = std::chrono::steady_clock::now();
  Transaction tx(db);
  auto taken = phrase_df->write(db);
  try {
    tx.commit();
    spdlog::debug("phrase_df: changes written in {:.2f} s ({} runs from disk, {} keys from memory)",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                  taken.runs.size(), taken.deltas.size());
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
