// The keyphrases the store keeps per work (work_topics, kind 'keyphrase') are exactly
// those of rank_keyphrases with every document frequency counted over the stored works:
// the store looks up only the frequencies its ranking visits, in batches of works, and
// this must not change a row or a score. Real text: the bundled arXivRaw sample and the
// arXiv oai_dc page, each record giving two works (its title and abstract; its abstract's
// first sentence as title and the rest as abstract), more than one batch of works in all
// and enough for the generic-phrase cut-off to apply.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "index/store/sqlite.hpp"
#include "index/store/store.hpp"
#include "pipeline/topics/keyphrases.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;
using Texts = std::vector<std::pair<std::string, std::string>>;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

/// (title, abstract) of every record of an OAI-PMH page, read from the two elements.
void read_page(const fs::path& file, const std::string& title_tag, const std::string& abstract_tag,
               Texts& out) {
  const std::string xml = slurp(file);
  ASSERT_FALSE(xml.empty()) << file;
  auto element = [&xml](const std::string& tag, std::size_t from, std::size_t until) {
    const std::string open = "<" + tag + ">";
    auto b = xml.find(open, from);
    if (b == std::string::npos || b >= until) return std::string();
    b += open.size();
    return unescape(xml.substr(b, xml.find("</" + tag + ">", b) - b));
  };
  for (auto at = xml.find("<record>"); at != std::string::npos; at = xml.find("<record>", at + 1)) {
    const auto end = xml.find("</record>", at);
    auto title = element(title_tag, at, end);
    auto abstract = element(abstract_tag, at, end);
    if (!title.empty() && !abstract.empty()) out.emplace_back(title, abstract);
  }
}

store::MappedRecord record(std::size_t n, const std::string& title, const std::string& abstract) {
  char id[16];
  std::snprintf(id, sizeof id, "2101.%05zu", n);
  store::MappedRecord r;
  r.record.source = "arxiv";
  r.record.format = "arXivRaw";
  r.record.source_id = std::string("oai:arXiv.org:") + id;
  r.record.datestamp = "2021-01-15";
  r.record.payload = std::string("<arXivRaw><id>") + id + "</id></arXivRaw>";
  Work w;
  w.arxiv_id = id;
  w.title = title;
  w.abstract = abstract;
  w.first_date = "2021-01-15";
  w.year = 2021;
  w.categories = {"cs.CL"};
  r.work = std::move(w);
  return r;
}

/// work_id -> (surface -> score) of the stored keyphrases.
using Rows = std::map<std::int64_t, std::map<std::string, double>>;

Rows stored_keyphrases(store::Connection& db) {
  Rows rows;
  auto q = db.prepare("SELECT work_id, topic, score FROM work_topics WHERE kind='keyphrase'");
  while (q.step()) rows[q.get_int(0)][q.get_text(1)] = q.get_double(2);
  return rows;
}

/// The keyphrases of every live work, ranked against frequencies counted here.
Rows expected_keyphrases(store::Connection& db, std::int64_t& n_docs) {
  std::map<std::int64_t, std::vector<topics::Candidate>> candidates;
  std::map<std::string, std::int64_t, std::less<>> df;
  auto works = db.prepare("SELECT work_id, title, abstract FROM works WHERE deleted=0");
  while (works.step()) {
    auto& c = candidates[works.get_int(0)];
    c = topics::extract_candidates(works.get_text(1), works.get_text(2));
    for (const auto& k : topics::document_keys(c)) ++df[k];
  }
  n_docs = static_cast<std::int64_t>(candidates.size());
  auto lookup = [&df](std::string_view key) {
    auto it = df.find(key);
    return it == df.end() ? std::int64_t{0} : it->second;
  };
  Rows rows;
  for (const auto& [id, c] : candidates) {
    for (const auto& k : topics::rank_keyphrases(c, lookup, n_docs)) rows[id][k.surface] = k.score;
  }
  return rows;
}

TEST(WorkKeyphrases, StoredScoresEqualARankingWithEveryFrequency) {
  const fs::path oai = fs::path(BZPEER_FIXTURES) / "oai";
  Texts texts;
  for (int page = 1; page <= 5; ++page) {
    read_page(oai / "arxivraw-sample" / ("page-00" + std::to_string(page) + ".xml"), "title",
              "abstract", texts);
  }
  read_page(oai / "arxiv-oai-dc" / "scrapi_ListRecords_oai_dc_2014-12-24_to_2014-12-25.xml",
            "dc:title", "dc:description", texts);
  ASSERT_GE(texts.size(), 1300u);

  std::vector<store::MappedRecord> records;
  for (const auto& [title, abstract] : texts) {
    records.push_back(record(records.size(), title, abstract));
    const auto stop = abstract.find(". ");
    if (stop != std::string::npos && stop > 20 && abstract.size() > stop + 40) {
      records.push_back(
          record(records.size(), abstract.substr(0, stop), abstract.substr(stop + 2)));
    }
  }
  // The last 100 works come in a second harvest: an incremental pass scores only them.
  const std::vector<store::MappedRecord> later(records.end() - 100, records.end());
  records.resize(records.size() - 100);

  TempDir dir;
  {
    auto store = store::Store::open(dir.path(), store::OpenMode::read_write);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store::Checkpoint checkpoint;
    checkpoint.source = "arxiv";
    checkpoint.format = "arXivRaw";
    for (std::size_t at = 0; at < records.size(); at += 500) {
      const std::vector<store::MappedRecord> page(
          records.begin() + static_cast<std::ptrdiff_t>(at),
          records.begin() + static_cast<std::ptrdiff_t>(std::min(at + 500, records.size())));
      ASSERT_TRUE(store->apply_page(page, checkpoint).has_value());
    }
    ASSERT_TRUE(store->consolidate().has_value());
  }
  std::int64_t n_docs = 0;
  {
    store::Connection db((dir.path() / "store.sqlite").string(), true);
    const Rows want = expected_keyphrases(db, n_docs);
    // More than one batch of works (2,048), and a corpus large enough (>= 1,000 works)
    // for generic phrases to be skipped.
    EXPECT_GT(n_docs, 2048);
    const Rows have = stored_keyphrases(db);
    EXPECT_EQ(have.size(), want.size());
    EXPECT_EQ(have, want);
  }

  // Incremental: only the new works are scored, against the frequencies of now.
  {
    auto store = store::Store::open(dir.path(), store::OpenMode::read_write);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store::Checkpoint checkpoint;
    checkpoint.source = "arxiv";
    checkpoint.format = "arXivRaw";
    ASSERT_TRUE(store->apply_page(later, checkpoint).has_value());
    ASSERT_TRUE(store->consolidate().has_value());
  }
  store::Connection db((dir.path() / "store.sqlite").string(), true);
  std::int64_t n_now = 0;
  const Rows want = expected_keyphrases(db, n_now);
  EXPECT_EQ(n_now, n_docs + 100);
  const Rows have = stored_keyphrases(db);
  std::size_t compared = 0;
  auto ids = db.prepare("SELECT work_id FROM source_records WHERE source_id=?");
  for (const auto& r : later) {
    ids.bind(1, r.record.source_id);
    ASSERT_TRUE(ids.step()) << r.record.source_id;
    const auto id = ids.get_int(0);
    ids.reset();
    ASSERT_TRUE(want.contains(id));
    const auto stored = have.contains(id) ? have.at(id) : std::map<std::string, double>{};
    EXPECT_EQ(stored, want.at(id)) << r.record.source_id;
    ++compared;
  }
  EXPECT_EQ(compared, 100u);
}

}  // namespace
}  // namespace bzpeer
