// Tests of parse_oai_page on real recorded OAI-PMH responses (tests/fixtures/oai).
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <set>
#include <string>
#include <vector>

#include "connectors/oai_pmh/oai_page.hpp"
#include "oai_test_support.hpp"

namespace bzpeer::oai {
namespace {

using test::read_fixture;
using test::undeclared_prefixes;

OaiPage parse_ok(const std::string& xml, std::string_view format = "arXivRaw",
                 std::vector<std::string>* skipped = nullptr) {
  auto page = parse_oai_page(xml, "arxiv", format, skipped);
  EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().describe());
  return page ? std::move(*page) : OaiPage{};
}

OaiPage parse_fixture(std::string_view relative, std::string_view format = "arXivRaw") {
  SCOPED_TRACE(std::string(relative));
  return parse_ok(read_fixture(relative), format);
}

/// Re-parses a payload on its own; returns the document element's text of `child`.
std::string standalone_child_text(const std::string& payload, const char* child) {
  pugi::xml_document doc;
  const auto result = doc.load_buffer(payload.data(), payload.size());
  EXPECT_TRUE(result) << result.description();
  return doc.document_element().child(child).text().get();
}

// --- arXiv, old export.arxiv.org server (arXivRaw) ------------------------------------------

TEST(OaiPage, MikesaelimArxivRawPageHasSixRecordsAndLegacyToken) {
  const OaiPage page =
      parse_fixture("arxivraw-real/mikesaelim_ListRecords_arXivRaw_from2014-10-01_truncated.xml");
  EXPECT_EQ(page.response_date, "2015-01-06T20:49:59Z");
  EXPECT_TRUE(page.errors.empty());
  EXPECT_TRUE(page.skipped.empty());
  ASSERT_EQ(page.records.size(), 6u);
  const std::vector<std::string> expected_ids = {
      "oai:arXiv.org:0704.0471", "oai:arXiv.org:0704.0716", "oai:arXiv.org:0704.0874",
      "oai:arXiv.org:0704.1109", "oai:arXiv.org:0704.1114", "oai:arXiv.org:0704.1586"};
  for (std::size_t i = 0; i < expected_ids.size(); ++i) {
    EXPECT_EQ(page.records[i].source_id, expected_ids[i]);
    EXPECT_EQ(page.records[i].source, "arxiv");
    EXPECT_EQ(page.records[i].format, "arXivRaw");
    EXPECT_FALSE(page.records[i].deleted);
  }
  const SourceRecord& first = page.records.front();
  EXPECT_EQ(first.datestamp, "2014-11-18");
  EXPECT_EQ(first.sets, (std::vector<std::string>{"physics:nucl-ex", "physics:nucl-th"}));

  ASSERT_TRUE(page.token.has_value());
  EXPECT_EQ(page.token->value, "726959|1001");
  EXPECT_EQ(page.token->cursor, 0);
  EXPECT_EQ(page.token->complete_list_size, 58011);
  EXPECT_EQ(page.token->expiration_date, "");
  EXPECT_FALSE(page.is_last());
}

TEST(OaiPage, ArxivRawPayloadKeepsItsNamespacesAndExactText) {
  const OaiPage page =
      parse_fixture("arxivraw-real/mikesaelim_ListRecords_arXivRaw_from2014-10-01_truncated.xml");
  ASSERT_FALSE(page.records.empty());
  const std::string& payload = page.records.front().payload;
  // The declarations are on the arXivRaw element itself: kept, not duplicated.
  EXPECT_TRUE(payload.starts_with(
      R"(<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation=")"))
      << payload.substr(0, 200);
  EXPECT_EQ(payload.find("xmlns:xsi", payload.find("xmlns:xsi") + 1), std::string::npos);
  EXPECT_TRUE(payload.ends_with("</arXivRaw>"));
  EXPECT_TRUE(undeclared_prefixes(payload).empty());

  EXPECT_EQ(standalone_child_text(payload, "id"), "0704.0471");
  EXPECT_EQ(standalone_child_text(payload, "title"),
            "Density dependence of the symmetry energy and the nuclear equation of\n"
            "  state: A Dynamical and Statistical model perspective");
  EXPECT_EQ(standalone_child_text(payload, "doi"),
            "10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902");
  const std::string abstract = standalone_child_text(payload, "abstract");
  EXPECT_TRUE(abstract.starts_with("  The density dependence")) << abstract.substr(0, 40);
  EXPECT_NE(abstract.find("extremely \" stiff \" and \" soft \""), std::string::npos);

  // TeX survives untouched in the last record.
  EXPECT_NE(standalone_child_text(page.records.back().payload, "abstract").find("$^{11}$Be"),
            std::string::npos);
}

TEST(OaiPage, MikesaelimGetRecordHasNoTokenAndIsLast) {
  const OaiPage page = parse_fixture("arxivraw-real/mikesaelim_GetRecord_arXivRaw_1302.2146.xml");
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].source_id, "oai:arXiv.org:1302.2146");
  EXPECT_FALSE(page.token.has_value());
  EXPECT_TRUE(page.is_last());
  EXPECT_EQ(standalone_child_text(page.records[0].payload, "id"), "1302.2146");
}

// --- arXiv, metadataPrefix=arXiv (hepcrawl captures) -----------------------------------------

TEST(OaiPage, HepcrawlRecordWithoutDefaultNamespaceGetsXsiDeclarationOnly) {
  const OaiPage page =
      parse_fixture("arxiv-hepcrawl/hepcrawl_GetRecord_arXiv_sample0.xml", "arXiv");
  ASSERT_EQ(page.records.size(), 1u);
  const SourceRecord& record = page.records[0];
  EXPECT_EQ(record.source_id, "oai:arXiv.org:1601.03238");
  EXPECT_EQ(record.datestamp, "2016-01-14");
  EXPECT_EQ(record.sets,
            (std::vector<std::string>{"physics:gr-qc", "physics:hep-th", "physics:quant-ph"}));
  // <arXiv xsi:schemaLocation=…> relies on xmlns:xsi of <OAI-PMH>: copied. The envelope's
  // default namespace (OAI-PMH) is not pushed onto the payload.
  EXPECT_TRUE(record.payload.starts_with(
      R"(<arXiv xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd"><id>1601.03238</id>)"))
      << record.payload.substr(0, 200);
  EXPECT_EQ(record.payload.find("xmlns=\""), std::string::npos);
  EXPECT_TRUE(undeclared_prefixes(record.payload).empty());

  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(record.payload.c_str()));
  EXPECT_STREQ(doc.document_element().child("authors").first_child().child_value("keyname"),
               "Planck Collaboration");
}

TEST(OaiPage, HepcrawlMultiRecordGetRecordMixesNamespaceStyles) {
  const OaiPage page =
      parse_fixture("arxiv-hepcrawl/hepcrawl_sample_arxiv_record_multi.xml", "arXiv");
  ASSERT_EQ(page.records.size(), 12u);
  EXPECT_EQ(page.records.front().source_id, "oai:arXiv.org:1601.03238");
  EXPECT_EQ(page.records.back().source_id, "oai:arXiv.org:1808.04927");
  EXPECT_EQ(page.records[0].payload.find("xmlns=\""), std::string::npos);
  std::string all;
  for (std::size_t i = 1; i < page.records.size(); ++i) {
    EXPECT_TRUE(
        page.records[i].payload.starts_with(R"(<arXiv xmlns="http://arxiv.org/OAI/arXiv/")"))
        << i;
  }
  for (const auto& record : page.records) {
    EXPECT_TRUE(undeclared_prefixes(record.payload).empty()) << record.source_id;
    all += record.payload;
  }
  EXPECT_NE(all.find("<forenames>Günter</forenames>"), std::string::npos);  // UTF-8 kept
}

TEST(OaiPage, HepcrawlSetListHasThreeRecordsAndNoToken) {
  const OaiPage page = parse_fixture(
      "arxiv-hepcrawl/hepcrawl_ListRecords_arXiv_set-physics-hep-th_2017-12-14.xml", "arXiv");
  ASSERT_EQ(page.records.size(), 3u);
  EXPECT_EQ(page.records[0].source_id, "oai:arXiv.org:1412.8323");
  EXPECT_EQ(page.records[2].source_id, "oai:arXiv.org:1607.01710");
  for (const auto& record : page.records) {
    EXPECT_EQ(record.sets, std::vector<std::string>{"physics:hep-th"});
  }
  EXPECT_EQ(page.response_date, "2017-12-14T12:56:31Z");
  EXPECT_TRUE(page.is_last());
  EXPECT_EQ(standalone_child_text(page.records[0].payload, "title"),
            "Toolbox for reconstructing quantum theory from rules on information\n  acquisition");
}

// --- arXiv oai_dc, the largest real capture --------------------------------------------------

TEST(OaiPage, ArxivOaiDcPageHas897RecordsAllStandalone) {
  const OaiPage page = parse_fixture(
      "arxiv-oai-dc/scrapi_ListRecords_oai_dc_2014-12-24_to_2014-12-25.xml", "oai_dc");
  ASSERT_EQ(page.records.size(), 897u);
  EXPECT_EQ(page.response_date, "2015-04-24T13:49:17Z");
  EXPECT_FALSE(page.token.has_value());
  EXPECT_TRUE(page.is_last());
  EXPECT_EQ(page.records.front().source_id, "oai:arXiv.org:0709.2184");
  EXPECT_EQ(page.records.back().source_id, "oai:arXiv.org:math/0208210");

  std::set<std::string> ids;
  int old_style = 0;
  for (const auto& record : page.records) {
    ids.insert(record.source_id);
    if (record.source_id.find('/') != std::string::npos) ++old_style;
    EXPECT_EQ(record.format, "oai_dc");
    ASSERT_TRUE(record.payload.starts_with(
        R"(<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/")"))
        << record.source_id;
    ASSERT_TRUE(undeclared_prefixes(record.payload).empty()) << record.source_id;
  }
  EXPECT_EQ(ids.size(), 897u);
  EXPECT_EQ(old_style, 7);
  EXPECT_EQ(standalone_child_text(page.records.front().payload, "dc:title"),
            "Irrationality measure and lower bounds for pi(x)");
}

// --- resumption-token styles (real non-arXiv repositories) -----------------------------------

TEST(OaiPage, DryadTokensCarryExpirationDateButNoCursor) {
  const OaiPage page1 =
      parse_fixture("generic-scrapi/scrapi_dryad_ListRecords_page1.xml", "oai_dc");
  ASSERT_EQ(page1.records.size(), 100u);
  ASSERT_TRUE(page1.token.has_value());
  EXPECT_EQ(page1.token->value, "2015-05-14T00:00:00Z/2015-05-16T00:00:00Z//oai_dc/100");
  EXPECT_EQ(page1.token->expiration_date, "2015-06-09T22:13:43Z");
  EXPECT_FALSE(page1.token->cursor.has_value());
  EXPECT_FALSE(page1.token->complete_list_size.has_value());
  EXPECT_FALSE(page1.is_last());

  const OaiPage page2 =
      parse_fixture("generic-scrapi/scrapi_dryad_ListRecords_page2.xml", "oai_dc");
  ASSERT_EQ(page2.records.size(), 100u);
  ASSERT_TRUE(page2.token.has_value());
  EXPECT_EQ(page2.token->value, "2015-05-14T00:00:00Z/2015-05-16T00:00:00Z//oai_dc/200");
  EXPECT_EQ(page2.token->expiration_date, "2015-06-09T22:13:44Z");

  // Last page: <resumptionToken /> — present but empty.
  const OaiPage page3 =
      parse_fixture("generic-scrapi/scrapi_dryad_ListRecords_page3.xml", "oai_dc");
  ASSERT_EQ(page3.records.size(), 94u);
  ASSERT_TRUE(page3.token.has_value());
  EXPECT_EQ(page3.token->value, "");
  EXPECT_EQ(page3.token->expiration_date, "");
  EXPECT_FALSE(page3.token->cursor.has_value());
  EXPECT_TRUE(page3.is_last());

  std::set<std::string> ids;
  for (const auto* page : {&page1, &page2, &page3}) {
    for (const auto& record : page->records) ids.insert(record.source_id);
  }
  EXPECT_EQ(ids.size(), 294u);
}

TEST(OaiPage, SpdataverseDeletedRecordsAreCountedAndHaveNoPayload) {
  const OaiPage page1 =
      parse_fixture("generic-scrapi/scrapi_spdataverse_ListRecords_page1.xml", "oai_dc");
  const OaiPage page2 =
      parse_fixture("generic-scrapi/scrapi_spdataverse_ListRecords_page2.xml", "oai_dc");
  ASSERT_EQ(page1.records.size(), 10u);
  ASSERT_EQ(page2.records.size(), 9u);
  int deleted1 = 0;
  int deleted2 = 0;
  for (const auto& record : page1.records) {
    if (record.deleted) {
      ++deleted1;
      EXPECT_TRUE(record.payload.empty()) << record.source_id;
    } else {
      EXPECT_FALSE(record.payload.empty()) << record.source_id;
    }
  }
  for (const auto& record : page2.records) deleted2 += record.deleted ? 1 : 0;
  EXPECT_EQ(deleted1, 9);
  EXPECT_EQ(deleted2, 6);
  EXPECT_FALSE(page1.records[0].deleted);
  EXPECT_EQ(page1.records[0].source_id, "hdl:10864/10535");
  EXPECT_EQ(page1.records[1].source_id, "hdl:10864/10820");
  EXPECT_EQ(page1.records[1].datestamp, "2015-04-22T18:00:01Z");
  EXPECT_TRUE(page1.records[1].sets.empty());

  ASSERT_TRUE(page1.token.has_value());
  EXPECT_EQ(page1.token->value, "1429887886829_null:10:null:oai_dc");
  EXPECT_EQ(page1.token->expiration_date, "2015-04-24T20:04:46Z");
  EXPECT_EQ(page1.token->cursor, 0);
  EXPECT_EQ(page1.token->complete_list_size, 19);
  EXPECT_EQ(static_cast<long>(page1.records.size() + page2.records.size()),
            *page1.token->complete_list_size);
  ASSERT_TRUE(page2.token.has_value());
  EXPECT_TRUE(page2.is_last());
}

TEST(OaiPage, LastPageTokenWithAttributesButNoValue) {
  // Self-closing: <resumptionToken completeListSize="208" cursor="200" />
  const OaiPage calpoly =
      parse_fixture("generic-scrapi/scrapi_calpoly_ListRecords_page3.xml", "oai_dc");
  ASSERT_EQ(calpoly.records.size(), 8u);
  ASSERT_TRUE(calpoly.token.has_value());
  EXPECT_EQ(calpoly.token->value, "");
  EXPECT_EQ(calpoly.token->cursor, 200);
  EXPECT_EQ(calpoly.token->complete_list_size, 208);
  EXPECT_TRUE(calpoly.is_last());

  // Empty element with all three attributes: <resumptionToken …></resumptionToken>
  const OaiPage datacite =
      parse_fixture("generic-scrapi/scrapi_datacite_ListRecords_page2.xml", "oai_dc");
  ASSERT_EQ(datacite.records.size(), 6u);
  ASSERT_TRUE(datacite.token.has_value());
  EXPECT_EQ(datacite.token->value, "");
  EXPECT_EQ(datacite.token->expiration_date, "2015-06-30T19:37:19Z");
  EXPECT_EQ(datacite.token->cursor, 50);
  EXPECT_EQ(datacite.token->complete_list_size, 56);
  EXPECT_TRUE(datacite.is_last());

  const OaiPage datacite1 =
      parse_fixture("generic-scrapi/scrapi_datacite_ListRecords_page1.xml", "oai_dc");
  ASSERT_EQ(datacite1.records.size(), 50u);
  ASSERT_TRUE(datacite1.token.has_value());
  EXPECT_EQ(datacite1.token->value,
            "1435689439510,2012-12-19T00:00:00Z,2012-12-21T00:00:00Z,50,null,oai_dc");
  EXPECT_FALSE(datacite1.is_last());

  // The first page is also the last: <resumptionToken cursor="0" completeListSize="135"/>
  const OaiPage ghent =
      parse_fixture("generic-scrapi/scrapi_ghent_ListRecords_page1.xml", "oai_dc");
  ASSERT_EQ(ghent.records.size(), 135u);
  ASSERT_TRUE(ghent.token.has_value());
  EXPECT_EQ(ghent.token->cursor, 0);
  EXPECT_EQ(ghent.token->complete_list_size, 135);
  EXPECT_TRUE(ghent.is_last());
}

TEST(OaiPage, EprintsPageWithoutTokenElementAndOneDeletedRecord) {
  const OaiPage page = parse_fixture("generic-scrapi/scrapi_lshtm_ListRecords_page1.xml", "oai_dc");
  ASSERT_EQ(page.records.size(), 98u);
  int deleted = 0;
  for (const auto& record : page.records) deleted += record.deleted ? 1 : 0;
  EXPECT_EQ(deleted, 1);
  EXPECT_FALSE(page.token.has_value());
  EXPECT_TRUE(page.is_last());
  EXPECT_EQ(page.response_date, "2015-10-21T20:28:38Z");
}

// --- sickle (spec-style) pages: ListIdentifiers, broken headers ------------------------------

TEST(OaiPage, SickleListRecordsChainsByTokenAndMarksDeleted) {
  const OaiPage page = parse_fixture("sickle/sickle_ListRecords.xml", "oai_dc");
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].source_id, "oai:test.example.com:1585310");
  EXPECT_TRUE(page.records[0].deleted);
  EXPECT_TRUE(page.records[0].payload.empty());
  EXPECT_FALSE(page.records[1].deleted);
  ASSERT_TRUE(page.token.has_value());
  EXPECT_EQ(page.token->value, "ListRecords2.xml");
  EXPECT_EQ(page.token->cursor, 0);
  EXPECT_EQ(page.token->complete_list_size, 8);
}

TEST(OaiPage, DeletedHeaderWithoutIdentifierIsSkippedAndReported) {
  const std::string xml = read_fixture("sickle/sickle_ListRecords4.xml");
  std::vector<std::string> skipped{"earlier line"};
  const OaiPage page = parse_ok(xml, "oai_dc", &skipped);
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].source_id, "oai:test.example.com:1585322");
  EXPECT_EQ(page.records[0].datestamp, "2011-01-10T10:19:23Z");
  ASSERT_EQ(page.skipped.size(), 1u);
  EXPECT_EQ(page.skipped[0],
            "record 1 (no identifier): deleted header without identifier and datestamp");
  // The out-parameter is appended to, not replaced.
  EXPECT_EQ(skipped, (std::vector<std::string>{"earlier line", page.skipped[0]}));
  EXPECT_TRUE(page.is_last());
  // Whitespace-only text is dropped, other text is kept as is.
  EXPECT_NE(
      page.records[0].payload.find("<dc:publisher>\n                        Sample Publisher\n"
                                   "                    </dc:publisher>"),
      std::string::npos);
}

TEST(OaiPage, ListIdentifiersGivesHeaderOnlyRecords) {
  const OaiPage page = parse_fixture("sickle/sickle_ListIdentifiers.xml", "oai_dc");
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].source_id, "oai:test.example.com::1585310");
  EXPECT_EQ(page.records[0].datestamp, "2011-07-18T16:31:00Z");
  EXPECT_FALSE(page.records[0].deleted);
  EXPECT_TRUE(page.records[1].deleted);
  for (const auto& record : page.records) EXPECT_TRUE(record.payload.empty());
  ASSERT_TRUE(page.token.has_value());
  EXPECT_EQ(page.token->value, "ListIdentifiers2.xml");
  EXPECT_EQ(page.token->complete_list_size, 4);
}

TEST(OaiPage, Utf8RecordIsKeptByteForByte) {
  const OaiPage page = parse_fixture("sickle/sickle_GetRecord_utf8test.xml", "oai_dc");
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_NE(page.records[0].payload.find("<dc:creator>某人</dc:creator>"), std::string::npos);
}

TEST(OaiPage, NonListVerbsGiveEmptyPages) {
  for (const char* name : {"sickle/sickle_Identify.xml", "sickle/sickle_ListSets.xml",
                           "sickle/sickle_ListMetadataFormats.xml"}) {
    const OaiPage page = parse_fixture(name, "oai_dc");
    EXPECT_TRUE(page.records.empty()) << name;
    EXPECT_TRUE(page.errors.empty()) << name;
    EXPECT_FALSE(page.response_date.empty()) << name;
  }
}

// --- OAI error responses ---------------------------------------------------------------------

struct ErrorCase {
  const char* file;
  OaiErrorCode code;
  const char* code_text;
  const char* message;
};

TEST(OaiPage, EveryErrorFixtureMapsToItsCode) {
  const ErrorCase cases[] = {
      {"errors/mikesaelim_ErrorResponseBadArgument.xml", OaiErrorCode::badArgument, "badArgument",
       "Verb 'ListRecords', illegal argument 'identifier'."},
      {"errors/mikesaelim_ErrorResponseBadResumptionToken.xml", OaiErrorCode::badResumptionToken,
       "badResumptionToken", "The resumptionToken supplied is illegal for this repository"},
      {"errors/mikesaelim_ErrorResponseBadVerb.xml", OaiErrorCode::badVerb, "badVerb",
       "Bad verb. Verb 'wah' not implemented."},
      {"errors/mikesaelim_ErrorResponseIdDoesNotExist.xml", OaiErrorCode::idDoesNotExist,
       "idDoesNotExist",
       "Identifier 'oai:arXiv.org:0813.2274' has correct form but does not correspond to an item "
       "in this repository"},
      {"errors/mikesaelim_ErrorResponseNoRecordsMatch.xml", OaiErrorCode::noRecordsMatch,
       "noRecordsMatch", "Set argument doesn't match any sets. The setSpec was 'moo'"},
      {"errors/sickle_badArgument.xml", OaiErrorCode::badArgument, "badArgument", ""},
      {"errors/sickle_badResumptionToken.xml", OaiErrorCode::badResumptionToken,
       "badResumptionToken", "This resumptionToken is invalid"},
      {"errors/sickle_cannotDisseminateFormat.xml", OaiErrorCode::cannotDisseminateFormat,
       "cannotDisseminateFormat", ""},
      {"errors/sickle_idDoesNotExist.xml", OaiErrorCode::idDoesNotExist, "idDoesNotExist",
       "oai:lcoa1.loc.gov:loc.rbc/rbpe.00000111 has the structure of a valid LOC identifier, but "
       "it maps to no known item"},
      {"errors/sickle_noRecordsMatch.xml", OaiErrorCode::noRecordsMatch, "noRecordsMatch", ""},
      {"errors/sickle_noSetHierarchy.xml", OaiErrorCode::noSetHierarchy, "noSetHierarchy",
       "This repository does not support sets"},
      {"errors/sickle_undefinedError.xml", OaiErrorCode::other, "undefinedError", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const OaiPage page = parse_fixture(c.file);
    ASSERT_EQ(page.errors.size(), 1u);
    EXPECT_EQ(page.errors[0].code, c.code);
    EXPECT_EQ(page.errors[0].code_text, c.code_text);
    EXPECT_EQ(page.errors[0].message, c.message);
    EXPECT_TRUE(page.records.empty());
    EXPECT_FALSE(page.token.has_value());
    EXPECT_TRUE(page.is_last());
    EXPECT_FALSE(page.response_date.empty());
  }
}

TEST(OaiPage, ErrorCodeFromString) {
  EXPECT_EQ(oai_error_code_from_string("badArgument"), OaiErrorCode::badArgument);
  EXPECT_EQ(oai_error_code_from_string("badResumptionToken"), OaiErrorCode::badResumptionToken);
  EXPECT_EQ(oai_error_code_from_string("badVerb"), OaiErrorCode::badVerb);
  EXPECT_EQ(oai_error_code_from_string("cannotDisseminateFormat"),
            OaiErrorCode::cannotDisseminateFormat);
  EXPECT_EQ(oai_error_code_from_string("idDoesNotExist"), OaiErrorCode::idDoesNotExist);
  EXPECT_EQ(oai_error_code_from_string("noRecordsMatch"), OaiErrorCode::noRecordsMatch);
  EXPECT_EQ(oai_error_code_from_string("noMetadataFormats"), OaiErrorCode::noMetadataFormats);
  EXPECT_EQ(oai_error_code_from_string("noSetHierarchy"), OaiErrorCode::noSetHierarchy);
  EXPECT_EQ(oai_error_code_from_string("noDataForResultSet"), OaiErrorCode::other);
  EXPECT_EQ(oai_error_code_from_string(""), OaiErrorCode::other);
  EXPECT_EQ(oai_error_code_from_string("badargument"), OaiErrorCode::other);
}

// --- tolerance: prefixes, missing namespaces, inherited declarations -------------------------

TEST(OaiPage, PrefixedEnvelopeAndInheritedPayloadPrefixes) {
  const std::string xml =
      R"(<?xml version="1.0"?>)"
      R"(<oai:OAI-PMH xmlns:oai="http://www.openarchives.org/OAI/2.0/" )"
      R"(xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" )"
      R"(xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
      R"(xmlns:dcterms="http://purl.org/dc/terms/">)"
      R"(<oai:responseDate> 2024-05-01T00:00:00Z </oai:responseDate>)"
      R"(<oai:ListRecords>)"
      R"(<oai:record><oai:header><oai:identifier> oai:x:1 </oai:identifier>)"
      R"(<oai:datestamp>2024-04-30</oai:datestamp><oai:setSpec>a</oai:setSpec><oai:setSpec/>)"
      R"(</oai:header><oai:metadata><oai_dc:dc><dc:title>A &amp; B</dc:title>)"
      R"(<dc:date xsi:type="dcterms:W3CDTF">2024</dc:date>)"
      R"(<x:local xmlns:x="urn:x"><x:inner/></x:local></oai_dc:dc></oai:metadata></oai:record>)"
      R"(<oai:resumptionToken oai:cursor="5" completeListSize="junk">)"
      "\n   tok en  \n"
      R"(</oai:resumptionToken>)"
      R"(</oai:ListRecords></oai:OAI-PMH>)";
  const OaiPage page = parse_ok(xml, "oai_dc");
  EXPECT_EQ(page.response_date, "2024-05-01T00:00:00Z");
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].source_id, "oai:x:1");
  EXPECT_EQ(page.records[0].sets, std::vector<std::string>{"a"});
  EXPECT_EQ(page.records[0].payload,
            R"(<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" )"
            R"(xmlns:dc="http://purl.org/dc/elements/1.1/" )"
            R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
            R"(xmlns:dcterms="http://purl.org/dc/terms/">)"
            R"(<dc:title>A &amp; B</dc:title><dc:date xsi:type="dcterms:W3CDTF">2024</dc:date>)"
            R"(<x:local xmlns:x="urn:x"><x:inner/></x:local></oai_dc:dc>)");
  EXPECT_TRUE(undeclared_prefixes(page.records[0].payload).empty());
  ASSERT_TRUE(page.token.has_value());
  EXPECT_EQ(page.token->value, "tok en");
  EXPECT_EQ(page.token->cursor, 5);
  EXPECT_FALSE(page.token->complete_list_size.has_value());
}

TEST(OaiPage, EnvelopeWithoutNamespaceAndInheritedNonOaiDefaultNamespace) {
  const std::string xml =
      R"(<OAI-PMH><responseDate>2024-05-01</responseDate><GetRecord>)"
      R"(<record xmlns="urn:meta"><header xmlns=""><identifier>id1</identifier>)"
      R"(<datestamp>2024-01-01</datestamp></header>)"
      R"(<metadata xmlns=""><m xmlns="urn:meta"><a/></m></metadata></record>)"
      R"(<record><header><identifier>id2</identifier><datestamp>2024-01-02</datestamp></header>)"
      R"(<metadata><wrapped><b/></wrapped></metadata></record>)"
      R"(</GetRecord></OAI-PMH>)";
  const OaiPage page = parse_ok(xml, "x");
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].payload, R"(<m xmlns="urn:meta"><a/></m>)");
  EXPECT_EQ(page.records[1].payload, "<wrapped><b/></wrapped>");
}

TEST(OaiPage, ProblemRecordsAreSkippedNotFatal) {
  const std::string xml =
      R"(<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>)"
      R"(<record><metadata><x/></metadata></record>)"
      R"(<record><header><identifier>a</identifier></header><metadata><x/></metadata></record>)"
      R"(<record><header><identifier>b</identifier><datestamp>2020-01-01</datestamp></header></record>)"
      R"(<record><header><identifier>c</identifier><datestamp>2020-01-01</datestamp></header>)"
      R"(<metadata>   </metadata></record>)"
      R"(<record><header status="deleted"><identifier>d</identifier><datestamp>2020-01-01</datestamp>)"
      R"(</header><metadata><ignored/></metadata></record>)"
      R"(<record><header><identifier>e</identifier><datestamp>2020-01-01</datestamp></header>)"
      R"(<metadata><ok/></metadata></record>)"
      R"(</ListRecords></OAI-PMH>)";
  const OaiPage page = parse_ok(xml, "x");
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].source_id, "d");
  EXPECT_TRUE(page.records[0].deleted);
  EXPECT_TRUE(page.records[0].payload.empty());
  EXPECT_EQ(page.records[1].payload, "<ok/>");
  EXPECT_EQ(page.skipped, (std::vector<std::string>{
                              "record 1 (no identifier): record without header",
                              "record 2 (a): header without datestamp",
                              "record 3 (b): record without metadata",
                              "record 4 (c): record without metadata",
                          }));
}

// --- malformed input -------------------------------------------------------------------------

TEST(OaiPage, BrokenXmlBodyIsAParseError) {
  const std::string body = read_fixture("sickle/sickle_ListRecordsBroken.xml");
  ASSERT_EQ(body.size(), 10u);
  const auto page = parse_oai_page(body, "arxiv", "oai_dc");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, ErrorCode::parse);
  EXPECT_EQ(page.error().message,
            "not well-formed XML: No document element found at byte offset 10");
  EXPECT_FALSE(is_well_formed_xml(body));
}

TEST(OaiPage, TruncatedPageGivesPugixmlDescriptionAndOffset) {
  const std::string full =
      read_fixture("arxivraw-real/mikesaelim_ListRecords_arXivRaw_from2014-10-01_truncated.xml");
  const std::string half = full.substr(0, full.size() / 2);
  const auto page = parse_oai_page(half, "arxiv", "arXivRaw");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, ErrorCode::parse);
  EXPECT_TRUE(page.error().message.starts_with("not well-formed XML: ")) << page.error().message;
  EXPECT_NE(page.error().message.find(" at byte offset "), std::string::npos);
  EXPECT_FALSE(is_well_formed_xml(half));
  EXPECT_TRUE(is_well_formed_xml(full));
}

TEST(OaiPage, ControlCharacterIsAParseErrorWithItsOffset) {
  std::string body =
      read_fixture("arxivraw-real/mikesaelim_ListRecords_arXivRaw_from2014-10-01_truncated.xml");
  const std::size_t at = body.find("Dinesh");
  body.insert(at, 1, '\x01');
  const auto page = parse_oai_page(body, "arxiv", "arXivRaw");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().message,
            "not well-formed XML: control character 0x01 at byte offset " + std::to_string(at));
  EXPECT_FALSE(is_well_formed_xml(body));
}

TEST(OaiPage, NotAnOaiDocument) {
  const auto page = parse_oai_page("<html><body>Service Unavailable</body></html>", "arxiv", "x");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, ErrorCode::parse);
  EXPECT_EQ(page.error().message, "not an OAI-PMH response: document element is <html>");
  EXPECT_TRUE(is_well_formed_xml("<html><body>Service Unavailable</body></html>"));
}

TEST(OaiPage, WellFormednessEdgeCases) {
  EXPECT_FALSE(is_well_formed_xml(""));
  EXPECT_FALSE(is_well_formed_xml("   \n"));
  EXPECT_FALSE(is_well_formed_xml("<?xml version=\"1.0\"?>"));
  EXPECT_FALSE(is_well_formed_xml("<a/><b/>"));
  EXPECT_FALSE(is_well_formed_xml("<a/>trailing"));
  EXPECT_FALSE(is_well_formed_xml(std::string("<a>x\0y</a>", 10)));
  EXPECT_FALSE(is_well_formed_xml(std::string("<a/>\0", 5)));
  EXPECT_FALSE(is_well_formed_xml("<a>\x1f</a>"));
  EXPECT_FALSE(is_well_formed_xml("<a><b></a></b>"));
  EXPECT_TRUE(is_well_formed_xml("<a/>"));
  EXPECT_TRUE(
      is_well_formed_xml("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<a>\t\r\n</a>\n"));

  const auto two_roots = parse_oai_page("<OAI-PMH/><OAI-PMH/>", "s", "f");
  ASSERT_FALSE(two_roots.has_value());
  EXPECT_EQ(two_roots.error().message,
            "not well-formed XML: second top-level element <OAI-PMH> at byte offset 10");
  const auto empty = parse_oai_page("", "s", "f");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message,
            "not well-formed XML: No document element found at byte offset 0");
}

TEST(OaiPage, AllRecordedPagesAreWellFormed) {
  for (const char* name :
       {"arxivraw-real/mikesaelim_GetRecord_arXivRaw_1302.2146.xml",
        "arxiv-oai-dc/scrapi_ListRecords_oai_dc_2014-12-24_to_2014-12-25.xml",
        "arxiv-hepcrawl/hepcrawl_sample_arxiv_record_multi.xml",
        "generic-scrapi/scrapi_datacite_ListRecords_page1.xml",  // has an xml-stylesheet PI
        "generic-scrapi/scrapi_lshtm_ListRecords_page1.xml", "errors/sickle_badArgument.xml",
        "sickle/sickle_GetRecord_utf8test.xml"}) {
    EXPECT_TRUE(is_well_formed_xml(read_fixture(name))) << name;
  }
}

}  // namespace
}  // namespace bzpeer::oai
