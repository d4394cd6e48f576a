// Crossref work JSON -> Work, on real items of the habanero captures.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "pipeline/parse/record_mapper.hpp"
#include "tests/unit/connectors/connector_test_support.hpp"

namespace bzpeer::testing {
namespace {

/// The item with `doi` from a captured work-list (or the single work), as the connector
/// stores it: minified JSON.
SourceRecord crossref_item(const std::string& fixture, const std::string& doi) {
  static std::map<std::string, std::string> cache;
  if (!cache.contains(fixture)) cache[fixture] = read_fixture(fixture);
  simdjson::dom::parser parser;
  simdjson::dom::element message = parser.parse(cache[fixture])["message"];
  SourceRecord r;
  r.source = "crossref";
  r.format = "crossref";
  r.source_id = doi;
  simdjson::dom::array items;
  if (message["items"].get_array().get(items) != simdjson::SUCCESS) {
    r.payload = simdjson::minify(message);
    return r;
  }
  for (simdjson::dom::element item : items) {
    if (std::string_view(item["DOI"].get_string()) == doi) {
      r.payload = simdjson::minify(item);
      return r;
    }
  }
  ADD_FAILURE() << doi << " not in " << fixture;
  return r;
}

Work map_item(const std::string& fixture, const std::string& doi) {
  auto work = parse::map_record(crossref_item(fixture, doi));
  EXPECT_TRUE(work) << work.error().message;
  return work ? *work : Work{};
}

constexpr const char* kBoettiger =
    "crossref/habanero_works_query-ecology_author-carl-boettiger.json";

TEST(CrossrefMapper, JournalArticleWithPreprintRelationJatsAbstractAndAffiliations) {
  Work w = map_item(kBoettiger, "10.1002/ece3.2314");
  EXPECT_EQ(w.dois, std::vector<std::string>{"10.1002/ece3.2314"});
  EXPECT_TRUE(w.arxiv_id.empty());
  EXPECT_EQ(w.type, WorkType::article);
  EXPECT_EQ(w.title,
            "After the games are over: life‐history trade‐offs drive dispersal attenuation "
            "following range expansion");
  EXPECT_EQ(w.venue, "Ecology and Evolution");
  EXPECT_EQ(w.pub_date, "2016-08-18");
  EXPECT_EQ(w.year, 2016);
  EXPECT_EQ(w.journal_ref, "Ecology and Evolution 6(18), 6425-6434 (2016)");
  // JATS: the <jats:title>Abstract</jats:title> heading and the tags are gone.
  EXPECT_EQ(w.abstract.rfind("Increased dispersal propensity often evolves", 0), 0u) << w.abstract;
  EXPECT_EQ(w.abstract.find('<'), std::string::npos);
  ASSERT_EQ(w.related_ids.size(), 1u);
  EXPECT_EQ(w.related_ids[0].relation, "has-preprint");
  EXPECT_EQ(w.related_ids[0].scheme, "doi");
  EXPECT_EQ(w.related_ids[0].value, "10.1101/014852");
  ASSERT_GE(w.authors.size(), 3u);
  EXPECT_EQ(w.authors[0].printed, "T. Alex Perkins");
  EXPECT_EQ(w.authors[0].given, "T. Alex");
  EXPECT_EQ(w.authors[0].family, "Perkins");
  EXPECT_EQ(w.authors[0].position, 1);
  EXPECT_EQ(w.authors[0].affiliation,
            "Department of Biological Sciences and Eck Institute for Global Health University of "
            "Notre Dame Notre Dame Indiana");
  // Entities in affiliations are decoded.
  EXPECT_EQ(w.authors[1].affiliation,
            "Department of Environmental Science, Policy, & Management University of California, "
            "Berkeley Berkeley California");
}

TEST(CrossrefMapper, PostedContentIsAPreprintOnItsServer) {
  Work w = map_item(kBoettiger, "10.1101/014852");
  EXPECT_EQ(w.type, WorkType::preprint);
  EXPECT_EQ(w.venue, "bioRxiv");  // institution, no container-title
  EXPECT_EQ(w.pub_date, "2015-02-04");
  EXPECT_EQ(w.abstract.rfind("Increased dispersal propensity", 0), 0u)
      << w.abstract;  // "ABSTRACT" heading dropped
}

TEST(CrossrefMapper, OrcidWithAuthenticatedFlag) {
  Work w = map_item(kBoettiger, "10.32614/cran.package.rfishbase");
  EXPECT_EQ(w.type, WorkType::dataset);
  EXPECT_EQ(w.venue, "CRAN: Contributed Packages");
  ASSERT_GE(w.authors.size(), 3u);
  EXPECT_EQ(w.authors[0].orcid, "0000-0002-1642-628X");
  EXPECT_TRUE(w.authors[0].orcid_authenticated);
  EXPECT_EQ(w.authors[1].orcid, "0000-0003-1444-9135");
  EXPECT_EQ(w.authors[2].family, "Temple Lang");
  EXPECT_TRUE(w.authors[2].orcid.empty());
  EXPECT_FALSE(w.authors[2].orcid_authenticated);

  Work ele = map_item(kBoettiger, "10.1111/ele.14024");
  ASSERT_FALSE(ele.authors.empty());
  EXPECT_EQ(ele.authors[0].orcid, "0000-0002-1642-628X");
  EXPECT_FALSE(ele.authors[0].orcid_authenticated);  // typed in, not authenticated
  EXPECT_TRUE(ele.related_ids.empty());              // has-review is not a version
}

TEST(CrossrefMapper, PartialDates) {
  Work month = map_item(kBoettiger, "10.1111/2041-210x.14070");
  EXPECT_EQ(month.pub_date, "2023-03");
  EXPECT_EQ(month.year, 2023);
  Work year = map_item("crossref/habanero_works_query-widget_cursor-page3.json",
                       "10.1016/b978-0-12-384717-1.00013-0");
  EXPECT_EQ(year.pub_date, "2012");
  EXPECT_EQ(year.year, 2012);
  EXPECT_EQ(year.type, WorkType::book_chapter);
  // issued [[null]]: the created date stands in.
  Work none = map_item("crossref/habanero_works_query-widget_cursor-page1.json",
                       "10.1007/978-1-4302-0197-7_9");
  EXPECT_EQ(none.pub_date, "2007-09-08");
  EXPECT_EQ(none.title, "Widget Mania: Using a GUI Widget Framework");
  EXPECT_EQ(none.venue, "Practical JavaScript™, DOM Scripting, and Ajax Projects");
  EXPECT_TRUE(none.authors.empty());  // "author": null
}

TEST(CrossrefMapper, ProceedingsArticleAndEntitiesInVenue) {
  Work p = map_item("crossref/habanero_work_10.1109_icdcsw.2003.1203662.json",
                    "10.1109/icdcsw.2003.1203662");
  EXPECT_EQ(p.type, WorkType::proceedings);
  EXPECT_EQ(p.title, "Accurate and explicit differentiation of wireless and congestion losses");
  ASSERT_EQ(p.authors.size(), 2u);
  EXPECT_EQ(p.authors[1].printed, "T. Turletti");

  Work big = map_item(kBoettiger, "10.1177/2053951719836258");
  EXPECT_EQ(big.venue, "Big Data & Society");
  EXPECT_EQ(big.pub_date, "2019-01");
}

TEST(CrossrefMapper, NonAsciiNames) {
  Work w = map_item(kBoettiger, "10.1002/fee.70021");
  auto it = std::ranges::find(w.authors, std::string("Timothée Poisot"), &AuthorMention::printed);
  ASSERT_NE(it, w.authors.end());
  EXPECT_EQ(it->given, "Timothée");
  EXPECT_EQ(it->family, "Poisot");
}

TEST(CrossrefMapper, EveryCapturedItemMapsOrIsRejectedWithAReason) {
  for (const char* fixture : {kBoettiger, "crossref/habanero_works_query-widget_cursor-page1.json",
                              "crossref/habanero_works_query-widget_cursor-page2.json",
                              "crossref/habanero_works_query-widget_cursor-page3.json"}) {
    simdjson::dom::parser parser;
    auto text = read_fixture(fixture);
    for (simdjson::dom::element item : parser.parse(text)["message"]["items"].get_array()) {
      SourceRecord r{"crossref",
                     "crossref",
                     std::string(std::string_view(item["DOI"].get_string())),
                     "",
                     false,
                     {},
                     simdjson::minify(item)};
      auto w = parse::map_record(r);
      if (w) {
        EXPECT_FALSE(w->title.empty()) << r.source_id;
        EXPECT_FALSE(w->dois.empty()) << r.source_id;
      } else {
        EXPECT_NE(w.error().message.find(r.source_id), std::string::npos) << w.error().message;
      }
    }
  }
}

TEST(CrossrefMapper, BrokenPayloadIsAMappingError) {
  SourceRecord r{
      "crossref", "crossref", "10.1/x", "", false, {}, R"({"DOI":"10.1/x","title":["a")"};
  auto w = parse::map_record(r);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ErrorCode::mapping);
  SourceRecord no_doi{"crossref", "crossref", "x", "", false, {}, R"({"title":["a"]})"};
  EXPECT_FALSE(parse::map_record(no_doi));
}

}  // namespace
}  // namespace bzpeer::testing
