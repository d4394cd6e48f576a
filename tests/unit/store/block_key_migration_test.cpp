// The schema step that recomputes stored name block keys (version 3: "Mueller" and
// "Müller", "de Oliveira" and "Oliveira" block together): a store written with the old
// keys gets the new ones on opening, the blocks that met are re-clustered, and the two
// earlier authors of one person become one, the other id redirecting.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

#include "index/queries/queries.hpp"
#include "index/store/store.hpp"
#include "index/store/store_impl.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

store::MappedRecord record(const std::string& arxiv_id, const std::string& given,
                           const std::string& family) {
  store::MappedRecord r;
  r.record.source = "arxiv";
  r.record.format = "arXivRaw";
  r.record.source_id = "oai:arXiv.org:" + arxiv_id;
  r.record.datestamp = "2018-05-01";
  r.record.payload = "<arXivRaw><id>" + arxiv_id + "</id></arXivRaw>";
  Work w;
  w.arxiv_id = arxiv_id;
  w.title = "Cortical dynamics " + arxiv_id;
  w.first_date = "2018-05-01";
  w.year = 2018;
  w.categories = {"q-bio.NC"};
  for (const auto& [g, f] :
       {std::pair{given, family}, std::pair{std::string("Ines"), std::string("Kovac")}}) {
    AuthorMention m;
    m.position = static_cast<int>(w.authors.size()) + 1;
    m.given = g;
    m.family = f;
    m.printed = g + " " + f;
    w.authors.push_back(std::move(m));
  }
  r.work = std::move(w);
  return r;
}

std::string scalar(store::Store& s, const std::string& sql) {
  auto q = s.impl().db.prepare(sql);
  return q.step() ? q.get_text(0) : std::string("<none>");
}

TEST(BlockKeyMigration, OldKeysAreRecomputedAndTheBlocksThatMeetAreReclustered) {
  test_support::TempDir dir;
  std::int64_t umlaut_id = 0;
  std::int64_t ascii_id = 0;
  {
    auto s = store::Store::open(dir.path(), store::OpenMode::read_write);
    ASSERT_TRUE(s) << s.error().describe();
    store::Checkpoint next;
    next.source = "arxiv";
    next.format = "arXivRaw";
    ASSERT_TRUE(s->apply_page(
        {record("1805.0001", "Anna", "M\u00FCller"), record("1805.0002", "Anna", "Mueller")},
        next));
    ASSERT_TRUE(s->consolidate());
    // Make it a version-2 store as the old keys left it: "mueller a" apart from
    // "muller a", each with an author of its own.
    auto& db = s->impl().db;
    db.exec(
        "UPDATE authorships SET block_key='mueller a' WHERE family='Mueller';"
        "UPDATE meta SET value='2' WHERE key='schema_version';"
        "DELETE FROM pending_blocks;");
    umlaut_id = std::stoll(scalar(*s,
                                  "SELECT author_id FROM authorships WHERE family<>'Mueller' "
                                  "AND family<>'Kovac'"));
    db.prepare(
          "INSERT INTO authors(author_id, block_key, name, given, family) "
          "VALUES(?, 'mueller a', 'Anna Mueller', 'Anna', 'Mueller')")
        .bind(1, umlaut_id + 100)
        .run();
    ascii_id = umlaut_id + 100;
    db.prepare("UPDATE authorships SET author_id=? WHERE family='Mueller'").bind(1, ascii_id).run();
    ASSERT_EQ(scalar(*s, "SELECT COUNT(DISTINCT block_key) FROM authorships WHERE family<>'Kovac'"),
              "2");
  }
  auto s = store::Store::open(dir.path(), store::OpenMode::read_write);
  ASSERT_TRUE(s) << s.error().describe();
  EXPECT_EQ(scalar(*s, "SELECT value FROM meta WHERE key='schema_version'"),
            std::to_string(store::kStoreSchemaVersion));
  EXPECT_EQ(scalar(*s,
                   "SELECT group_concat(DISTINCT block_key) FROM authorships "
                   "WHERE family<>'Kovac'"),
            "muller a");
  EXPECT_EQ(scalar(*s, "SELECT block_key FROM authors WHERE author_id=" + std::to_string(ascii_id)),
            "muller a");
  EXPECT_EQ(scalar(*s, "SELECT group_concat(block_key) FROM pending_blocks"), "muller a");

  ASSERT_TRUE(s->consolidate());
  auto found = queries::find_authors(*s, "Mueller");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u) << "one person, one author";
  const auto kept = found->front().author_id;
  EXPECT_TRUE(kept == umlaut_id || kept == ascii_id);
  const auto gone = kept == umlaut_id ? ascii_id : umlaut_id;
  auto p = queries::profile(*s, gone);
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->author_id, kept) << "the other id redirects";
  EXPECT_EQ(p->works.size(), 2u);
  auto by_umlaut = queries::find_authors(*s, "M\u00FCller");
  ASSERT_TRUE(by_umlaut);
  ASSERT_EQ(by_umlaut->size(), 1u);
  EXPECT_EQ(by_umlaut->front().author_id, kept) << "either spelling finds her";
}

}  // namespace
}  // namespace bzpeer
