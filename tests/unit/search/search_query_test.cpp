// Tests for IndexReader::search: the query language, filters, sorting, paging, snippets.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"

namespace bzpeer::search {
namespace {

using testing::corpus;
using testing::id_set;
using testing::ids;
using testing::TempDir;
using Ids = std::set<std::int64_t>;

class SearchQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto writer = IndexWriter::open(dir_.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    for (const auto& doc : corpus()) ASSERT_TRUE(writer->upsert(doc));
    ASSERT_TRUE(writer->commit());
    auto reader = IndexReader::open(dir_.path());
    ASSERT_TRUE(reader) << reader.error().describe();
    reader_.emplace(std::move(*reader));
  }

  SearchResponse search(SearchRequest request) {
    auto response = reader_->search(request);
    EXPECT_TRUE(response) << request.query << ": " << response.error().describe();
    return response ? *response : SearchResponse{};
  }

  /// All matching work ids (limit large enough for the corpus).
  Ids find(const std::string& query) {
    SearchRequest request;
    request.query = query;
    request.limit = 100;
    return id_set(search(request));
  }

  TempDir dir_;
  std::optional<IndexReader> reader_;
};

/// title:, abstract:, author: and topic: search one free-text field each.
TEST_F(SearchQueryTest, FreeTextFields) {
  EXPECT_EQ(find("title:consensus"), (Ids{4}));
  EXPECT_EQ(find("title:clusterings"), (Ids{1, 4}));  // stems to cluster, as does Cluster
  EXPECT_EQ(find("title:wilson"), (Ids{6}));
  EXPECT_EQ(find("abstract:gravitino"), (Ids{2, 3}));
  EXPECT_EQ(find("title:gravitino"), (Ids{}));
  EXPECT_EQ(find("author:maldacena"), (Ids{6}));
  EXPECT_EQ(find("author:\"Juan Maldacena\""), (Ids{6}));
  EXPECT_EQ(find("topic:exoplanet"), (Ids{5}));
  EXPECT_EQ(find("topic:\"dark matter\""), (Ids{2}));
}

/// Author names are separate phrases: a phrase never runs from one author into the next.
TEST_F(SearchQueryTest, AuthorPhraseDoesNotSpanTwoAuthors) {
  EXPECT_EQ(find("author:\"Maldacena Amit\""), (Ids{}));
}

/// Words without a field search title, abstract and authors.
TEST_F(SearchQueryTest, PlainWordsSearchTitleAbstractAndAuthors) {
  EXPECT_EQ(find("maldacena"), (Ids{6}));      // author
  EXPECT_EQ(find("bootstrapping"), (Ids{6}));  // title only
  EXPECT_EQ(find("magnetosphere"), (Ids{8}));  // abstract only
  EXPECT_EQ(find("exoplanet"), (Ids{}));       // topics are not plain text
}

/// category: matches a category in any case and an archive by its name.
TEST_F(SearchQueryTest, CategoryAndArchive) {
  EXPECT_EQ(find("category:cs.LG"), (Ids{4}));
  EXPECT_EQ(find("category:CS.lg"), (Ids{4}));
  EXPECT_EQ(find("category:cs"), (Ids{4}));
  EXPECT_EQ(find("category:astro-ph.EP"), (Ids{5, 7, 8}));
  EXPECT_EQ(find("category:astro-ph"), (Ids{2, 3, 5, 7, 8}));
  EXPECT_EQ(find("category:hep-th"), (Ids{3, 6}));
  EXPECT_EQ(find("category:math"), (Ids{1, 10}));  // math.CO, math.RT; math-ph is its own
  EXPECT_EQ(find("category:math-ph"), (Ids{1}));
  // Two values of one field OR; different fields AND.
  EXPECT_EQ(find("category:cs.LG category:hep-th"), (Ids{3, 4, 6}));
  EXPECT_EQ(find("category:astro-ph year:2010"), (Ids{2, 3}));
}

/// Identifier fields are exact lookups.
TEST_F(SearchQueryTest, IdentifierFields) {
  EXPECT_EQ(find("doi:10.1038/nature09760"), (Ids{5}));
  EXPECT_EQ(find("doi:10.1038/NATURE09760"), (Ids{5}));
  EXPECT_EQ(find("doi:\"10.1007/jhep01(2011)139\""), (Ids{3}));
  EXPECT_EQ(find("arxiv:1102.0291"), (Ids{5}));
  EXPECT_EQ(find("arxiv:1102.029"), (Ids{}));
  EXPECT_EQ(find("id:7"), (Ids{7}));
  EXPECT_EQ(find("authorid:601"), (Ids{6}));
  EXPECT_EQ(find("type:article"), (Ids{5}));
  EXPECT_EQ(find("source:crossref"), (Ids{2, 5}));
  EXPECT_EQ(find("year:2012"), (Ids{10}));
}

/// A quoted phrase matches words in order.
TEST_F(SearchQueryTest, PhraseMatches) {
  EXPECT_EQ(find("\"transiting planets\""), (Ids{5}));
  EXPECT_EQ(find("\"we derive the two loop expressions\""), (Ids{6}));
  EXPECT_EQ(find("\"planets transiting\""), (Ids{5}));  // "Planets Transiting Kepler-11"
  EXPECT_EQ(find("\"dwarf white\""), (Ids{}));
}

/// The title ends "Wilson Loops" and the abstract starts "We derive": the gap between
/// fields keeps that from being a phrase.
TEST_F(SearchQueryTest, PhraseDoesNotSpanTitleAndAbstract) {
  EXPECT_EQ(find("\"wilson loops\""), (Ids{6}));
  EXPECT_EQ(find("\"we derive\""), (Ids{6}));
  EXPECT_EQ(find("\"wilson loops we derive\""), (Ids{}));
  EXPECT_EQ(find("\"terrestrial water the origin\""), (Ids{}));
}

/// English stemming at both ends: planets finds a work that says only "planet".
TEST_F(SearchQueryTest, Stemming) {
  const Ids planets = find("planets");
  EXPECT_TRUE(planets.contains(7));  // "Minor Planet", "Earth-like planet"
  EXPECT_EQ(planets, (Ids{5, 7, 8}));
  EXPECT_EQ(find("planet"), planets);
  EXPECT_EQ(find("title:planets"), (Ids{5, 7}));
}

/// Right truncation expands over the index's terms.
TEST_F(SearchQueryTest, Wildcards) {
  EXPECT_EQ(find("tang*"), (Ids{9, 10}));  // Fu Tang, Rudolf Tange
  EXPECT_EQ(find("kepl*"), (Ids{5}));
  EXPECT_EQ(find("kepl"), (Ids{}));
  EXPECT_EQ(find("title:cluster*"), (Ids{1, 4}));
}

/// Boolean operators, in any case, with brackets, +/- and pure NOT.
TEST_F(SearchQueryTest, BooleanOperators) {
  EXPECT_EQ(find("dark AND matter"), (Ids{2}));
  EXPECT_EQ(find("dark matter"), (Ids{2}));  // default AND
  EXPECT_EQ(find("wilson OR consensus"), (Ids{4, 6}));
  EXPECT_EQ(find("wilson or consensus"), (Ids{4, 6}));
  EXPECT_EQ(find("planet NOT kepler"), (Ids{7, 8}));
  EXPECT_EQ(find("planet -kepler"), (Ids{7, 8}));
  EXPECT_EQ(find("(wilson OR planet) AND category:astro-ph.SR"), (Ids{7}));
  EXPECT_EQ(find("NOT category:astro-ph"), (Ids{1, 4, 6, 9, 10}));
}

/// year:A..B is a range over the year value; open ends work too.
TEST_F(SearchQueryTest, YearRange) {
  EXPECT_EQ(find("year:2010..2011"), (Ids{2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(find("year:2011.."), (Ids{4, 5, 7, 8, 10}));
  EXPECT_EQ(find("year:..2009"), (Ids{1}));
  EXPECT_EQ(find("planet year:2011..2011"), (Ids{5, 7, 8}));
}

/// Filters select without changing the weight or the order of what they keep.
TEST_F(SearchQueryTest, FiltersDoNotChangeRelevance) {
  SearchRequest plain;
  plain.query = "planet OR matter OR strain OR loops OR solar";
  plain.limit = 100;
  const SearchResponse all = search(plain);
  ASSERT_GE(all.hits.size(), 6u);

  SearchRequest filtered = plain;
  filtered.categories = {"astro-ph", "cs.LG"};
  filtered.year_from = 2010;
  filtered.year_to = 2011;
  const SearchResponse some = search(filtered);
  ASSERT_FALSE(some.hits.empty());
  ASSERT_LT(some.hits.size(), all.hits.size());

  std::vector<std::int64_t> expected;
  for (const auto& hit : all.hits) {
    const bool astro = hit.categories.end() !=
                       std::find_if(hit.categories.begin(), hit.categories.end(),
                                    [](const std::string& c) { return c.starts_with("astro-ph"); });
    if (astro && hit.year >= 2010 && hit.year <= 2011) expected.push_back(hit.work_id);
  }
  EXPECT_EQ(ids(some), expected);
  for (const auto& hit : some.hits) {
    const auto same = std::find_if(all.hits.begin(), all.hits.end(),
                                   [&](const SearchHit& h) { return h.work_id == hit.work_id; });
    ASSERT_NE(same, all.hits.end());
    EXPECT_DOUBLE_EQ(hit.weight, same->weight) << "work " << hit.work_id;
  }

  SearchRequest only_years;
  only_years.year_from = 2012;
  only_years.limit = 100;
  EXPECT_EQ(ids(search(only_years)), (std::vector<std::int64_t>{10}));
}

/// Sort by date, both ways; an empty query matches everything.
TEST_F(SearchQueryTest, SortNewestAndOldest) {
  SearchRequest request;
  request.limit = 100;
  request.sort = SortOrder::newest;
  const std::vector<std::int64_t> newest{10, 8, 7, 5, 4, 3, 6, 9, 2, 1};
  EXPECT_EQ(ids(search(request)), newest);
  request.sort = SortOrder::oldest;
  EXPECT_EQ(ids(search(request)), std::vector<std::int64_t>(newest.rbegin(), newest.rend()));
  request.query = "category:astro-ph";
  request.sort = SortOrder::newest;
  EXPECT_EQ(ids(search(request)), (std::vector<std::int64_t>{8, 7, 5, 3, 2}));
}

/// offset/limit page through the hits; the total covers all of them.
TEST_F(SearchQueryTest, PagingAndTotal) {
  SearchRequest request;
  request.sort = SortOrder::oldest;
  request.limit = 3;
  std::vector<std::int64_t> seen;
  for (std::size_t offset = 0; offset < 12; offset += 3) {
    request.offset = offset;
    const SearchResponse page = search(request);
    EXPECT_EQ(page.total_estimate, 10u);
    EXPECT_LE(page.hits.size(), 3u);
    for (auto id : ids(page)) seen.push_back(id);
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 9, 6, 3, 4, 5, 7, 8, 10}));

  request.query = "category:astro-ph";
  request.offset = 0;
  request.limit = 2;
  const SearchResponse first = search(request);
  EXPECT_EQ(first.hits.size(), 2u);
  EXPECT_EQ(first.total_estimate, 5u);
}

/// A hit carries the stored fields, a percentage and a marked snippet.
TEST_F(SearchQueryTest, HitFieldsAndSnippet) {
  SearchRequest request;
  request.query = "planets";
  request.limit = 100;
  const SearchResponse response = search(request);
  const auto hit = std::find_if(response.hits.begin(), response.hits.end(),
                                [](const SearchHit& h) { return h.work_id == 7; });
  ASSERT_NE(hit, response.hits.end());
  EXPECT_NE(hit->snippet.find("[planet]"), std::string::npos) << hit->snippet;
  EXPECT_GT(hit->percent, 0);
  EXPECT_LE(hit->percent, 100);

  request.query = "arxiv:1102.0291 transits";
  const SearchResponse kepler = search(request);
  ASSERT_EQ(kepler.hits.size(), 1u);
  const SearchHit& h = kepler.hits[0];
  const IndexDocument d = corpus()[4];
  EXPECT_EQ(h.work_id, 5);
  EXPECT_EQ(h.arxiv_id, d.arxiv_id);
  EXPECT_EQ(h.title, d.title);
  EXPECT_EQ(h.authors, d.author_names);
  EXPECT_EQ(h.author_ids, d.author_ids);
  EXPECT_EQ(h.categories, d.categories);
  EXPECT_EQ(h.type, "article");
  EXPECT_EQ(h.venue, "Nature");
  EXPECT_EQ(h.date, "2011-02-01");
  EXPECT_EQ(h.year, 2011);
  EXPECT_FALSE(h.withdrawn);
  // Stems are marked too: "transits" and "transiting" both come from the query word.
  EXPECT_NE(h.snippet.find("[transiting]"), std::string::npos) << h.snippet;
  EXPECT_FALSE(kepler.parsed_query.empty());

  // A phrase is marked where it occurs word for word.
  request.query = "\"transiting planets\"";
  const SearchResponse phrase = search(request);
  ASSERT_EQ(phrase.hits.size(), 1u);
  EXPECT_NE(phrase.hits[0].snippet.find("[transiting planets]"), std::string::npos)
      << phrase.hits[0].snippet;

  // Without a query there is nothing to mark: the snippet is the start of the abstract.
  request.query = "";
  request.sort = SortOrder::oldest;
  request.limit = 1;
  const SearchResponse first = search(request);
  ASSERT_EQ(first.hits.size(), 1u);
  EXPECT_TRUE(first.hits[0].snippet.starts_with("We review the solution")) << first.hits[0].snippet;
  EXPECT_EQ(first.hits[0].snippet.find('['), std::string::npos);
  EXPECT_TRUE(first.hits[0].snippet.ends_with("…"));

  // Only exact-value fields: nothing to mark either.
  request.query = "id:1";
  const SearchResponse by_id = search(request);
  ASSERT_EQ(by_id.hits.size(), 1u);
  EXPECT_EQ(by_id.hits[0].snippet, first.hits[0].snippet);
}

/// A query Xapian cannot parse is the caller's error, named with the query.
TEST_F(SearchQueryTest, MalformedQueryIsInvalidArgument) {
  for (const std::string query : {"planet AND", "OR planet", "a AND AND b", "NOT"}) {
    SearchRequest request;
    request.query = query;
    auto response = reader_->search(request);
    ASSERT_FALSE(response) << query;
    EXPECT_EQ(response.error().code, ErrorCode::invalid_argument) << query;
    EXPECT_NE(response.error().message.find(query), std::string::npos) << response.error().message;
  }
}

/// Blank queries match everything; queries of only punctuation match nothing.
TEST_F(SearchQueryTest, BlankAndEmptyQueries) {
  SearchRequest request;
  request.query = "   ";
  request.limit = 100;
  EXPECT_EQ(search(request).hits.size(), 10u);
  EXPECT_EQ(reader_->document_count(), 10u);
  request.query = "(";
  EXPECT_TRUE(search(request).hits.empty());
}

}  // namespace
}  // namespace bzpeer::search
