// Incremental author clustering (attach_authors) against batch clustering (cluster_authors)
// on a generated world with known persons (tools/gen_corpus/world.hpp): the later works'
// mentions attached to the clusters of the earlier ones must be about as right as
// clustering everything at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/dedupe/author_clusterer.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"
#include "tools/gen_corpus/world.hpp"

namespace bzpeer::dedupe {
namespace {

struct Block {
  std::vector<AuthorSignature> mentions;  // in work order
  std::vector<int> persons;               // the truth, per mention
};

/// The world's mentions as the store sees them, grouped by name block.
std::map<std::string, Block> blocks_of(const gen_corpus::World& world) {
  std::map<std::string, Block> out;
  for (std::size_t w = 0; w < world.works.size(); ++w) {
    const auto& work = world.works[w];
    std::vector<std::string> given, family, keys;
    for (const auto& a : work.authors) {
      const auto& person = world.persons[static_cast<std::size_t>(a.person)];
      // The printed name ends with the family name (one word, maybe in TeX spelling).
      const auto space = a.printed.rfind(' ');
      given.push_back(a.printed.substr(0, space));
      family.push_back(person.family);
      keys.push_back(normalise::name_block_key(given.back(), family.back()));
    }
    std::vector<std::string> words;
    std::istringstream title(normalise::fold_key(work.title));
    for (std::string word; title >> word;) {
      if (word.size() > 2) words.push_back(word);
    }
    for (std::size_t k = 0; k < work.authors.size(); ++k) {
      AuthorSignature s;
      s.given = given[k];
      s.family = family[k];
      for (std::size_t j = 0; j < keys.size(); ++j) {
        if (j != k && keys[j] != keys[k]) s.coauthors.push_back(keys[j]);
      }
      s.topics = {work.category};
      s.words = words;
      s.year = work.year;
      s.work_id = static_cast<std::int64_t>(w + 1);
      auto& block = out[keys[k]];
      block.mentions.push_back(std::move(s));
      block.persons.push_back(work.authors[k].person);
    }
  }
  return out;
}

/// Pairwise precision/recall counts of `labels` against `truth`.
struct PairCounts {
  double both = 0, predicted = 0, actual = 0;
  void add(const std::vector<int>& labels, const std::vector<int>& truth) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      for (std::size_t j = i + 1; j < labels.size(); ++j) {
        const bool p = labels[i] == labels[j];
        const bool t = truth[i] == truth[j];
        both += p && t, predicted += p, actual += t;
      }
    }
  }
  [[nodiscard]] double f1() const {
    return predicted + actual == 0 ? 1 : 2 * both / (predicted + actual);
  }
};

TEST(AuthorAttach, LaterMentionsJoinTheirAuthorsAboutAsWellAsBatchClustering) {
  gen_corpus::WorldOptions o;
  o.seed = 7;
  o.works = 1500;
  o.communities = 30;
  const auto world = gen_corpus::make_world(o);
  PairCounts batch, incremental, agreement;
  std::size_t attached = 0, blocks_used = 0;
  for (auto& [key, block] : blocks_of(world)) {
    const auto n = block.mentions.size();
    if (n < 20) continue;
    ++blocks_used;
    const auto all = cluster_authors(block.mentions);
    batch.add(all, block.persons);
    // The first 90 % were clustered by an earlier run; the rest arrive now.
    const auto cut = n - std::max<std::size_t>(1, n / 10);
    const std::vector<AuthorSignature> earlier(block.mentions.begin(),
                                               block.mentions.begin() + static_cast<long>(cut));
    auto known = cluster_authors(earlier);
    known.resize(n, -1);
    const auto labels = attach_authors(block.mentions, known);
    ASSERT_EQ(labels.size(), n);
    // Known mentions keep their clusters: two earlier mentions share a label after the
    // attachment exactly when they shared one before.
    for (std::size_t i = 0; i < cut; ++i) {
      for (std::size_t j = i + 1; j < cut; ++j)
        ASSERT_EQ(labels[i] == labels[j], known[i] == known[j]) << key << " " << i << " " << j;
    }
    for (std::size_t i = cut; i < n; ++i) {
      bool joined = false;
      for (std::size_t j = 0; j < cut; ++j) joined = joined || labels[j] == labels[i];
      attached += joined;
    }
    incremental.add(labels, block.persons);
    agreement.add(labels, all);
    EXPECT_EQ(attach_authors(block.mentions, known), labels) << "deterministic: " << key;
  }
  RecordProperty("batch_f1", std::to_string(batch.f1()));
  RecordProperty("incremental_f1", std::to_string(incremental.f1()));
  RecordProperty("agreement_f1", std::to_string(agreement.f1()));
  ASSERT_GE(blocks_used, 20U);
  ASSERT_GT(attached, 100U);  // the later mentions mostly join earlier authors
  // The stated bound: pairwise F1 against the truth at most 0.02 below batch clustering,
  // and the two partitions agree on at least 95 % of their linked pairs.
  EXPECT_GE(incremental.f1(), batch.f1() - 0.02)
      << "incremental " << incremental.f1() << " batch " << batch.f1();
  EXPECT_GE(agreement.f1(), 0.95);
  EXPECT_GE(batch.f1(), 0.8);
}

TEST(AuthorAttach, NewMentionWithoutAMatchStartsAnAuthorAndConflictsNeverJoin) {
  std::vector<AuthorSignature> m(4);
  m[0].given = "Natalie M.", m[0].family = "Batalha", m[0].work_id = 1;
  m[0].coauthors = {"borucki w", "marcy g"};
  m[1].given = "N. M.", m[1].family = "Batalha", m[1].work_id = 2;
  m[1].coauthors = {"borucki w", "marcy g"};
  // New: shares the co-authors (joins), a different middle initial (cannot join), and a
  // mention on work 1 itself (one work never holds one person twice).
  m[2].given = "Natalie M.", m[2].family = "Batalha", m[2].work_id = 3;
  m[2].coauthors = {"borucki w"};
  m[3].given = "Natalie K.", m[3].family = "Batalha", m[3].work_id = 4;
  m[3].coauthors = {"borucki w", "marcy g"};
  const std::vector<int> known{0, 0, -1, -1};
  const auto labels = attach_authors(m, known);
  ASSERT_EQ(labels.size(), 4U);
  EXPECT_EQ(labels[0], 0);
  EXPECT_EQ(labels[1], 0);
  EXPECT_EQ(labels[2], 0);
  EXPECT_EQ(labels[3], 1);

  auto same_work = m;
  same_work[2].work_id = 1;
  EXPECT_NE(attach_authors(same_work, known)[2], 0);
}

}  // namespace
}  // namespace bzpeer::dedupe
