// The compiled arXiv taxonomy: names, aliases and retired archives.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/topics/taxonomy.hpp"

namespace bzpeer::topics {
namespace {

TEST(Taxonomy, NamesCurrentCategories) {
  EXPECT_EQ(category_label("cs.LG"), "Machine Learning");
  EXPECT_EQ(category_label("astro-ph.EP"), "Earth and Planetary Astrophysics");
  EXPECT_EQ(category_label("hep-th"), "High Energy Physics - Theory");
  const Category* c = find_category("math.AP");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->archive, "math");
  EXPECT_EQ(c->group_name, "Mathematics");
  EXPECT_TRUE(c->active);
}

TEST(Taxonomy, TableIsSortedAndComplete) {
  auto all = all_categories();
  EXPECT_GT(all.size(), 150u);
  EXPECT_TRUE(std::ranges::is_sorted(all, {}, &Category::id));
  EXPECT_EQ(find_category("bad-arch.bad-cat"), nullptr);
  EXPECT_EQ(find_category("cs.XX"), nullptr);
}

TEST(Taxonomy, AliasesMapToTheCanonicalCategory) {
  EXPECT_EQ(canonical_category("math.MP"), "math-ph");
  EXPECT_EQ(canonical_category("stat.TH"), "math.ST");
  EXPECT_EQ(canonical_category("math.IT"), "cs.IT");
  EXPECT_EQ(canonical_category("cs.NA"), "math.NA");
  EXPECT_EQ(canonical_category("cs.SY"), "eess.SY");
  EXPECT_EQ(canonical_category("q-fin.EC"), "econ.GN");
  EXPECT_EQ(canonical_category("math-ph"), "math-ph");
  EXPECT_EQ(category_label("math.MP"), "Mathematical Physics");
}

TEST(Taxonomy, RetiredArchivesMapToCurrentCategories) {
  EXPECT_EQ(canonical_category("chao-dyn"), "nlin.CD");
  EXPECT_EQ(canonical_category("alg-geom"), "math.AG");
  EXPECT_EQ(canonical_category("cmp-lg"), "cs.CL");
  EXPECT_EQ(canonical_category("supr-con"), "cond-mat.supr-con");
  EXPECT_EQ(category_label("alg-geom"), "Algebraic Geometry");
  EXPECT_EQ(category_label("chao-dyn"), "Chaotic Dynamics");
}

TEST(Taxonomy, UnknownIdsAreTheirOwnLabel) {
  EXPECT_EQ(canonical_category("foo.BAR"), "foo.BAR");
  EXPECT_EQ(category_label("foo.BAR"), "foo.BAR");
}

TEST(Taxonomy, CategoryWeightsPrimaryFirstAliasesMerged) {
  auto w = category_weights({"math-ph", "math.MP", "chao-dyn", "", "nlin.CD", "hep-th"});
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].id, "math-ph");
  EXPECT_TRUE(w[0].primary);
  EXPECT_DOUBLE_EQ(w[0].weight, 1.0);
  EXPECT_EQ(w[1].id, "nlin.CD");
  EXPECT_DOUBLE_EQ(w[1].weight, 0.5);
  EXPECT_EQ(w[2].id, "hep-th");
  EXPECT_TRUE(category_weights({}).empty());
}

}  // namespace
}  // namespace bzpeer::topics
