// bzpeer — Store internals shared by the store's .cpp files and index/queries.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "index/store/sqlite.hpp"
#include "index/store/store.hpp"

namespace bzpeer::store {

/// The live author id `id` stands for, following merge redirects (at most 16 hops, so a
/// cycle cannot hang a reader).
inline std::int64_t follow_redirects(Connection& db, std::int64_t id) {
  auto q = db.prepare("SELECT new_id FROM author_redirects WHERE old_id=?");
  for (int hops = 0; hops < 16; ++hops) {
    q.bind(1, id);
    if (!q.step()) break;
    id = q.get_int(0);
    q.reset();
  }
  return id;
}

/// The current UTC time as ISO 8601 ("2026-11-27T21:03:52Z"): the store's timestamps.
inline std::string utc_now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// Signed counts per phrase key (the phrase_df changes of a page, or of the buffer).
///
/// An open-addressing hash table over one string arena: a page adds about a hundred keys
/// per work, and the buffer holds up to millions, so a node per key (std::unordered_map)
/// made allocation and pointer chasing most of the store's time. A slot keeps 32 bits of
/// the key's hash beside the entry's index, so a probe rarely reads an entry it does not
/// want. An entry whose count returns to zero stays (and is skipped when written).
class PhraseCounts {
 public:
  struct Entry {
    std::uint64_t hash = 0;
    std::size_t offset = 0;  ///< of the key in the arena
    std::uint32_t length = 0;
    std::int64_t count = 0;
  };
  [[nodiscard]] static std::uint64_t hash_of(std::string_view key) {
    return std::hash<std::string_view>{}(key);
  }
  void add(std::string_view key, std::int64_t delta) { add(key, hash_of(key), delta); }
  void add(std::string_view key, std::uint64_t hash, std::int64_t delta);
  /// Adds every count of `other`, times `sign`.
  void merge(const PhraseCounts& other, std::int64_t sign = 1);
  [[nodiscard]] std::int64_t get(std::string_view key) const;
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  void clear();
  void reserve(std::size_t keys);
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] std::string_view key(const Entry& e) const {
    return {arena_.data() + e.offset, e.length};
  }

 private:
  /// The slot holding `key`, or the empty slot where it would go. Needs a non-empty table.
  [[nodiscard]] std::size_t probe(std::string_view key, std::uint64_t hash) const;
  void rehash(std::size_t slots);
  std::vector<std::uint64_t> slots_;  ///< high 32 bits of the hash | entry index + 1; 0: empty
  std::vector<Entry> entries_;
  std::string arena_;
};
using PhraseDfDeltas = PhraseCounts;

/// Phrase counts spilled to disk as sorted runs (files of key, count records in key order),
/// to be summed and written to phrase_df in one ordered pass (apply).
///
/// Why: writing the buffer into phrase_df each time it fills costs a pass over the leaves
/// of a B-tree that grows with the store (tens of millions of keys, mostly seen once), so
/// each such write took longer than the last: at 200,000 works from 3.0 s for the first
/// 2 M keys to 6.4 s for the twelfth, and a first harvest of 1 M works spent most of its
/// store phase there. A run costs a sort and a sequential file write; one merge of all
/// runs then touches each leaf once, and into an empty phrase_df (a first harvest) it only
/// appends.
///
/// The files live in `dir` (beside the store) and go with the object: it is move-only and
/// deletes its files when destroyed, so a caller keeps it until the transaction that
/// applied it has committed. Never trusted across processes: leftovers of a process that
/// died are deleted when the next one attaches (PhraseDfBuffer::attach), and the meta row
/// tells whether their counts were lost.
class PhraseRuns {
 public:
  PhraseRuns() = default;
  explicit PhraseRuns(std::filesystem::path dir) : dir_(std::move(dir)) {}
  PhraseRuns(PhraseRuns&& other) noexcept;
  PhraseRuns& operator=(PhraseRuns&& other) noexcept;
  PhraseRuns(const PhraseRuns&) = delete;
  PhraseRuns& operator=(const PhraseRuns&) = delete;
  ~PhraseRuns();

  /// Writes the non-zero counts of `counts` as a new run (none when `counts` is empty). Throws
  /// SqliteError (SQLITE_IOERR, naming the file) when the file cannot be written; nothing is then
  /// added.
  void spill(const PhraseCounts& counts);
  /// Sums the counts of each key over every run and writes the sums to phrase_df in key
  /// order: plain inserts when phrase_df is empty, else added to the stored counts (a key
  /// whose count falls to zero or below is deleted). Throws SqliteError.
  void apply(Connection& db) const;
  /// Takes over the runs of `other` (restore after a failed transaction).
  void adopt(PhraseRuns& other);
  [[nodiscard]] bool empty() const { return files_.empty(); }
  [[nodiscard]] std::size_t size() const { return files_.size(); }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  /// Deletes the files now.
  void clear() noexcept;

 private:
  std::filesystem::path dir_;
  std::vector<std::filesystem::path> files_;
};

/// Where the runs of the store behind `db` go: `<store file>.phrase-runs`, or a directory
/// under the system's temporary directory for a store without a file.
std::filesystem::path phrase_runs_dir(Connection& db);

/// The phrase_df changes of committed pages that are not yet written to phrase_df.
///
/// Writing a page's document-frequency changes with the page costs a random B-tree update
/// per distinct phrase: on a large store phrase_df (millions of keys) no longer fits the
/// page cache, and at 100,000 works those updates and the WAL checkpoints they cause were
/// two thirds of the store's time, growing with the store. So the changes gather here,
/// across pages. When the buffer is large (kPhraseDfBufferKeys) it is spilled to disk as
/// a sorted run (PhraseRuns); the buffer and its runs are written to phrase_df in key
/// order, in one pass, when consolidation starts and when a Store closes. A buffer that
/// cannot spill (no room for the file) is written to phrase_df there and then instead.
///
/// Crash safety: the first page that leaves changes here also writes the meta row
/// `phrase_df_unflushed` in its own transaction, and the transaction that writes the
/// changes deletes it. A process that finds the row when it first opens the store knows
/// that an earlier one died with changes in memory: the buffer is then `stale`, gathers
/// nothing, and the next consolidation recounts phrase_df from the works.
///
/// One buffer per store file and process, shared by its read-write Stores (the sources of
/// one harvest each have a connection). Thread safety: every call runs inside a write
/// transaction of its caller (BEGIN IMMEDIATE), which orders them; the mutex guards the
/// buffer's own state. One writing process per store (the storage lock) is assumed, as
/// everywhere in the store.
class PhraseDfBuffer {
 public:
  static constexpr std::size_t kPhraseDfBufferKeys = 2'000'000;

  /// The buffer of `file` in this process; the first attach checks the meta row.
  static std::shared_ptr<PhraseDfBuffer> attach(const std::filesystem::path& file, Connection& db);

  /// Inside a page's transaction: takes the page's changes (written to `db`: the meta
  /// row, when the buffer was empty). Returns whether the meta row was written.
  bool add(Connection& db, const PhraseDfDeltas& page);
  /// The page's transaction failed: gives its changes back.
  void undo(const PhraseDfDeltas& page, bool marked_by_page);
  [[nodiscard]] bool full() const;
  [[nodiscard]] bool empty() const;
  [[nodiscard]] bool stale() const;
  /// Moves the buffered changes to a run on disk (outside any transaction: the meta row
  /// stays). Throws SqliteError when the run cannot be written; the changes then stay here.
  void spill();

  /// What write() took out of the buffer, for restore() when its transaction fails. Its
  /// runs are deleted with it: keep it until the transaction has committed.
  struct Taken {
    PhraseDfDeltas deltas;
    PhraseRuns runs;
    bool was_marked = false, was_stale = false;
  };
  /// Inside a write transaction: takes the changes (and runs) out of the buffer and writes
  /// them to phrase_df (recounts phrase_df from the works instead when stale), and deletes
  /// the meta row. When it throws, the buffer is as it was.
  Taken write(Connection& db);
  /// The transaction of write() failed: the changes go back.
  void restore(Taken taken);

 private:
  mutable std::mutex mutex_;
  PhraseDfDeltas pending_;
  PhraseRuns runs_;      // spilled changes, older than pending_
  bool marked_ = false;  // the meta row is committed (or being written)
  bool stale_ = false;
};

struct Store::Impl {
  std::filesystem::path path;
  Connection db;
  std::shared_ptr<PhraseDfBuffer> phrase_df;  ///< read-write stores only
  Impl(std::filesystem::path p, bool read_only)
      : path(std::move(p)), db(path.string(), read_only) {}
  /// Writes the buffered phrase_df changes in a transaction of their own. Throws SqliteError.
  void flush_phrase_df_buffer();
};

/// The error of a write to a store opened read-only.
inline std::string read_only_message(const Store::Impl& impl) {
  return "store " + impl.path.string() + " is open read-only: it cannot be written";
}

/// Creates or migrates the schema. Throws SqliteError.
void ensure_schema(Connection& db);

/// Recomputes collaborations, work counts and topics of the authors in pending_authors.
/// Runs inside the caller's transaction. Throws SqliteError.
void recompute_author_rollups(Connection& db, ConsolidationStats& stats);

/// Why a record joins a work (or makes a new one), as work_merges keeps it.
struct WorkResolution {
  std::int64_t work_id = 0;  ///< the existing work, or 0 for a new work
  std::string evidence;      ///< "new", "record", "arxiv_id", "doi", "relation", "fingerprint"
  std::string identifier;    ///< "arxiv:<id>", "doi:<doi>" or "fingerprint:<key>"; "" if new
  double similarity = 0;     ///< title similarity to the stored work (dedupe::match)
  double author_overlap = -1;
  std::string reason;  ///< the matcher's reason ("shared DOI", "similar title, same year", …)
};

/// Identity resolution (work_resolver.cpp): the existing work an incoming record belongs
/// to (work_id 0 for a new work), with the evidence. Tier 1: the arXiv id, then arXiv
/// DOIs and DOIs, then the versions the record names (Crossref/OpenAlex relations), each
/// link but the arXiv id confirmed by dedupe::match (a rejected link is recorded in
/// work_flags, not merged). Tier 2: works with the same title fingerprint (work_keys),
/// confirmed by dedupe::match (authors, year, venue). Different arXiv ids are never
/// merged. Throws SqliteError.
[[nodiscard]] WorkResolution resolve_work(Connection& db, const Work& work);

/// Records in work_merges why `record` is in work `work_id`. A record already linked
/// (evidence "record") keeps the reason it was first merged for. Throws SqliteError.
void record_merge(Connection& db, const SourceRecord& record, std::int64_t work_id,
                  const WorkResolution& why);

/// Records the title fingerprint of a stored work in work_keys (kept across retitles).
/// Throws SqliteError.
void write_work_keys(Connection& db, std::int64_t work_id, const Work& work);

/// Topics (topic_store.cpp). ensure_topic_schema adds the topic columns to stores made
/// before them. Document frequencies follow a work's stored text: counted_text reads it
/// just before the work's row is written (work_id 0: a new work), update_phrase_df moves
/// the counts to the text stored once the row is written. forget_phrase_df runs when a
/// work becomes a tombstone. Both gather their changes in `deltas` (one harvest page's
/// worth), which go to the PhraseDfBuffer; flush_phrase_df writes such changes once per
/// key, in key order. write_record_topics keeps the topics a source record
/// assigned (OpenAlex) with their hierarchy. refresh_work_topics (during consolidation)
/// rescores the works in pending_index, or every work when the corpus changed size
/// materially. All throw SqliteError.
struct CountedText {
  bool counted = false;  ///< a live work whose text is in phrase_df
  std::string title, abstract;
};
void ensure_topic_schema(Connection& db);
[[nodiscard]] CountedText counted_text(Connection& db, std::int64_t work_id);
/// `incoming` is the mapped record whose work was just written: its prepared keys stand
/// for the stored text's when the stored title and abstract are the record's.
void update_phrase_df(Connection& db, std::int64_t work_id, const CountedText& before,
                      const MappedRecord& incoming, PhraseDfDeltas& deltas);
void forget_phrase_df(Connection& db, std::int64_t work_id, PhraseDfDeltas& deltas);
void flush_phrase_df(Connection& db, const PhraseDfDeltas& deltas);
/// Recounts phrase_df from the live works.
void rebuild_phrase_df(Connection& db);
/// The value of a meta row ("" when absent), and writing one.
[[nodiscard]] std::string meta_get(Connection& db, const char* key);
void meta_set(Connection& db, const char* key, const std::string& value);
void write_record_topics(Connection& db, const SourceRecord& record, const Work& work);
/// Writes `buffer` first (what it took goes to `written`, for PhraseDfBuffer::restore
/// when the consolidation fails).
void refresh_work_topics(Connection& db, PhraseDfBuffer::Taken& written, PhraseDfBuffer& buffer);

/// Fills IndexDocument::topics from the work's categories (their names: "Earth and
/// Planetary Astrophysics"), its OpenAlex topics and their subfields, and its top
/// keyphrases, so `topic:` queries and the topic facet find them.
class IndexTopics {
 public:
  explicit IndexTopics(Connection& db);
  void fill(search::IndexDocument& doc);

 private:
  Statement keyphrases_;
  Statement openalex_;
};

/// Manual author overrides as consolidation applies them (author_overrides.cpp). Loaded
/// once per consolidation. Throws SqliteError.
class OverrideConstraints {
 public:
  explicit OverrideConstraints(Connection& db);
  [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }
  /// The name blocks to cluster together with `key` (sorted, `key` included): blocks
  /// that one override's mentions span, transitively.
  [[nodiscard]] std::vector<std::string> component(const std::string& key) const;
  /// A mention being clustered.
  struct Ref {
    std::int64_t work_id;
    std::string source;
    int position;
    std::string given, family, block;
  };
  /// The clusterer's constraints for each of `mentions` (see dedupe::AuthorSignature):
  /// link_group (0 = none) and split sides.
  struct Tags {
    std::int64_t link_group = 0;
    std::vector<std::int64_t> apart;
  };
  [[nodiscard]] std::vector<Tags> constrain(const std::vector<Ref>& mentions) const;

  struct Row {
    std::int64_t override_id, work_id;
    std::string source;
    int position;
    std::string given, family, block;
    int side;
    bool merge;
  };

 private:
  std::vector<Row> rows_;
  std::map<std::string, std::string> block_root_;  // union-find over name blocks
};

/// Recomputes authorships.block_key and authors.block_key with the current
/// normalise::name_block_key and queues every changed block for consolidation (which then
/// re-clusters the blocks that met, ids following the clusters they overlap most).
/// Returns the number of mentions whose key changed. Throws SqliteError.
std::int64_t recompute_block_keys(Connection& db);

/// The next free author id: above every live id and every id that redirects, so a new
/// author never takes the id of one that redirects. Throws SqliteError.
[[nodiscard]] std::int64_t next_author_id(Connection& db);

/// Joins strings with a separator (store columns keep lists as space/tab separated text).
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view sep);
[[nodiscard]] std::vector<std::string> split(std::string_view text, char sep);

}  // namespace bzpeer::store
