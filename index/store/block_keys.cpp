// bzpeer — recomputing the stored name block keys after normalise::name_block_key changed
// (a schema migration step, schema.cpp).
#include "index/store/store_impl.hpp"
#include "pipeline/normalise/names.hpp"

namespace bzpeer::store {

std::int64_t recompute_block_keys(Connection& db) {
  struct Change {
    std::int64_t work_id;
    std::string source;
    std::int64_t position;
    std::string key;
  };
  std::vector<Change> changes;
  {
    auto q = db.prepare(
        "SELECT work_id, source, position, given, family, block_key FROM authorships "
        "WHERE is_collaboration=0");
    while (q.step()) {
      std::string key = normalise::name_block_key(q.get_text(3), q.get_text(4));
      if (key != q.get_text(5)) changes.push_back({q.get_int(0), q.get_text(1), q.get_int(2), key});
    }
  }
  auto update =
      db.prepare("UPDATE authorships SET block_key=? WHERE work_id=? AND source=? AND position=?");
  auto pending = db.prepare("INSERT OR IGNORE INTO pending_blocks(block_key) VALUES(?)");
  for (const auto& c : changes) {
    update.bind(1, c.key).bind(2, c.work_id).bind(3, c.source).bind(4, c.position).run();
    pending.bind(1, c.key).run();
  }
  // An author's block is the block of its display name's mention.
  std::vector<std::pair<std::int64_t, std::string>> authors;
  {
    auto q = db.prepare("SELECT author_id, given, family, block_key FROM authors");
    while (q.step()) {
      std::string key = normalise::name_block_key(q.get_text(1), q.get_text(2));
      if (key != q.get_text(3)) authors.emplace_back(q.get_int(0), std::move(key));
    }
  }
  auto move = db.prepare("UPDATE authors SET block_key=? WHERE author_id=?");
  for (const auto& [id, key] : authors) {
    move.bind(1, key).bind(2, id).run();
    pending.bind(1, key).run();
  }
  // Queued keys that no longer exist have nothing left to cluster.
  db.exec(
      "DELETE FROM pending_blocks WHERE block_key NOT IN "
      "(SELECT block_key FROM authorships WHERE is_collaboration=0)");
  return static_cast<std::int64_t>(changes.size());
}

}  // namespace bzpeer::store
