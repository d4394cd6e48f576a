// The store's work identity (work_resolver.cpp, work_upsert.cpp): records from several
// sources go through Store::apply_page, as a harvest sends them, and the test reads back
// which work each record landed in, why (work_merges), what was flagged (work_flags) and
// which record supplied each field (work_field_sources).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "index/queries/work.hpp"
#include "index/store/store.hpp"
#include "index/store/store_impl.hpp"
#include "tests/support/temp_dir.hpp"

namespace bzpeer {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

std::vector<AuthorMention> people(const std::vector<std::pair<std::string, std::string>>& names) {
  std::vector<AuthorMention> out;
  for (const auto& [given, family] : names) {
    AuthorMention m;
    m.position = static_cast<int>(out.size()) + 1;
    m.given = given;
    m.family = family;
    m.printed = given + " " + family;
    out.push_back(std::move(m));
  }
  return out;
}

/// Faber et al.: arXiv 1702.05532 and its retitled JCTC version (issue #5's example).
const std::vector<std::pair<std::string, std::string>> kFaber{
    {"Felix A.", "Faber"},       {"Luke", "Hutchison"},
    {"Bing", "Huang"},           {"Justin", "Gilmer"},
    {"Samuel S.", "Schoenholz"}, {"George E.", "Dahl"},
    {"Oriol", "Vinyals"},        {"Steven", "Kearnes"},
    {"Patrick F.", "Riley"},     {"O. Anatole", "von Lilienfeld"}};

Work arxiv_work(const std::string& id, const std::string& title, int year,
                const std::vector<std::pair<std::string, std::string>>& authors) {
  Work w;
  w.arxiv_id = id;
  w.title = title;
  w.abstract = "Abstract of " + title;
  w.type = WorkType::preprint;
  w.venue = "arXiv";
  w.year = year;
  w.first_date = std::to_string(year) + "-02-17";
  w.categories = {"physics.chem-ph"};
  w.authors = people(authors);
  return w;
}

Work journal_work(const std::vector<std::string>& dois, const std::string& title, int year,
                  const std::string& venue,
                  const std::vector<std::pair<std::string, std::string>>& authors) {
  Work w;
  w.dois = dois;
  w.title = title;
  w.type = WorkType::article;
  w.venue = venue;
  w.year = year;
  w.pub_date = std::to_string(year) + "-10-10";
  w.authors = people(authors);
  return w;
}

store::MappedRecord mapped(const std::string& source, const std::string& format,
                           const std::string& source_id, Work w, const std::string& salt = "") {
  store::MappedRecord r;
  r.record.source = source;
  r.record.format = format;
  r.record.source_id = source_id;
  r.record.datestamp = "2024-01-01";
  r.record.payload = "{\"id\":\"" + source_id + "\",\"title\":\"" + w.title + "\"" + salt + "}";
  r.work = std::move(w);
  return r;
}

store::MappedRecord arxiv_record(Work w, const std::string& format = "arXivRaw") {
  const auto id = w.arxiv_id;
  return mapped("arxiv", format, "oai:arXiv.org:" + id, std::move(w));
}

store::MappedRecord crossref_record(Work w) {
  const auto id = w.dois.empty() ? w.title : w.dois.front();
  return mapped("crossref", "crossref", id, std::move(w));
}

class WorkResolverTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    auto opened = store::Store::open(dir_.path(), store::OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().describe();
    store_.emplace(std::move(*opened));
  }

  void apply(std::vector<store::MappedRecord> page) {
    store::Checkpoint next;
    next.source = page.empty() ? "test" : page.front().record.source;
    auto applied = store_->apply_page(page, next);
    ASSERT_TRUE(applied) << applied.error().describe();
  }

  store::Connection& db() { return store_->impl().db; }

  /// The work a source record sits in (0 if none).
  std::int64_t work_of(const std::string& source, const std::string& source_id) {
    auto q = db().prepare(
        "SELECT COALESCE(work_id, 0) FROM source_records WHERE source=? AND source_id=?");
    q.bind(1, source).bind(2, source_id);
    return q.step() ? q.get_int(0) : 0;
  }

  std::int64_t live_works() {
    auto q = db().prepare("SELECT COUNT(*) FROM works WHERE deleted=0");
    q.step();
    return q.get_int(0);
  }

  struct Merge {
    std::int64_t work_id = 0;
    std::string evidence, identifier, reason;
    double similarity = 0;
  };
  std::optional<Merge> merge_of(const std::string& source, const std::string& source_id) {
    auto q = db().prepare(
        "SELECT work_id, evidence, identifier, reason, similarity FROM work_merges "
        "WHERE source=? AND source_id=?");
    q.bind(1, source).bind(2, source_id);
    if (!q.step()) return std::nullopt;
    return Merge{q.get_int(0), q.get_text(1), q.get_text(2), q.get_text(3), q.get_double(4)};
  }

  /// "source|source_id" of the record that supplied `field` of work `id`.
  std::string supplier(std::int64_t id, const std::string& field) {
    auto q = db().prepare(
        "SELECT source || '|' || source_id FROM work_field_sources WHERE work_id=? AND field=?");
    q.bind(1, id).bind(2, field);
    return q.step() ? q.get_text(0) : std::string();
  }

  TempDir dir_;
  std::optional<store::Store> store_;
};

TEST_F(WorkResolverTest, SameArxivIdMergesWhateverTheTitle) {
  apply({arxiv_record(arxiv_work(
      "1702.05532", "Machine learning prediction errors better than DFT accuracy", 2017, kFaber))});
  // An OpenAlex record that carries the arXiv id, under the journal's title.
  Work oa = journal_work({},
                         "Prediction Errors of Molecular Machine Learning Models Lower than "
                         "Hybrid DFT Error",
                         2017, "Journal of Chemical Theory and Computation", kFaber);
  oa.arxiv_id = "1702.05532";
  apply({mapped("openalex", "openalex", "W2604314002", oa)});
  EXPECT_EQ(live_works(), 1);
  const auto id = work_of("arxiv", "oai:arXiv.org:1702.05532");
  EXPECT_EQ(work_of("openalex", "W2604314002"), id);
  const auto m = merge_of("openalex", "W2604314002");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->evidence, "arxiv_id");
  EXPECT_EQ(m->identifier, "arxiv:1702.05532");
  EXPECT_EQ(merge_of("arxiv", "oai:arXiv.org:1702.05532")->evidence, "new");
}

TEST_F(WorkResolverTest, SharedDoiMergesARetitledVersionAndArxivDoisAreTheArxivId) {
  // arXiv's record names the journal DOI; Crossref has the journal's (new) title.
  Work preprint = arxiv_work(
      "1702.05532", "Machine learning prediction errors better than DFT accuracy", 2017, kFaber);
  preprint.dois = {"10.1021/acs.jctc.7b00577"};
  apply({arxiv_record(preprint)});
  apply(
      {crossref_record(journal_work({"10.1021/acs.jctc.7b00577"},
                                    "Prediction Errors of Molecular Machine Learning Models "
                                    "Lower than Hybrid DFT Error",
                                    2017, "Journal of Chemical Theory and Computation", kFaber))});
  // DataCite's record of the preprint: only arXiv's own DOI, no arXiv id field.
  Work datacite = journal_work({"10.48550/arxiv.1702.05532"},
                               "Machine learning prediction errors better than DFT accuracy", 2017,
                               "arXiv", kFaber);
  datacite.type = WorkType::preprint;
  apply({mapped("datacite", "datacite", "10.48550/arxiv.1702.05532", datacite)});

  EXPECT_EQ(live_works(), 1);
  const auto id = work_of("arxiv", "oai:arXiv.org:1702.05532");
  EXPECT_EQ(work_of("crossref", "10.1021/acs.jctc.7b00577"), id);
  EXPECT_EQ(work_of("datacite", "10.48550/arxiv.1702.05532"), id);
  const auto doi = merge_of("crossref", "10.1021/acs.jctc.7b00577");
  ASSERT_TRUE(doi);
  EXPECT_EQ(doi->evidence, "doi");
  EXPECT_EQ(doi->identifier, "doi:10.1021/acs.jctc.7b00577");
  EXPECT_EQ(doi->reason, "shared DOI");  // the titles share half their words
  const auto arxiv_doi = merge_of("datacite", "10.48550/arxiv.1702.05532");
  ASSERT_TRUE(arxiv_doi);
  EXPECT_EQ(arxiv_doi->evidence, "arxiv_id");
  EXPECT_EQ(arxiv_doi->identifier, "arxiv:1702.05532");
}

TEST_F(WorkResolverTest, FingerprintMergesAPreprintAndItsJournalVersionUpToThreeYearsLater) {
  const std::vector<std::pair<std::string, std::string>> authors{{"Ada", "Lovelace"},
                                                                 {"Charles", "Babbage"}};
  const std::string title = "Notes on the analytical engine: a sketch";
  apply({arxiv_record(arxiv_work("1501.00001", title, 2015, authors))});
  // Three years later, case and punctuation changed; no identifier in common.
  apply({crossref_record(journal_work({"10.1000/engine.2018"},
                                      "Notes on the Analytical Engine - A Sketch", 2018,
                                      "Journal of Computing Machinery", authors))});
  // A second version of record (another DOI) is another work.
  apply({crossref_record(journal_work({"10.1000/engine.2019"}, title, 2019,
                                      "Journal of Computing Machinery", authors))});
  const auto id = work_of("arxiv", "oai:arXiv.org:1501.00001");
  EXPECT_EQ(work_of("crossref", "10.1000/engine.2018"), id);
  EXPECT_NE(work_of("crossref", "10.1000/engine.2019"), id);
  // Four years after a preprint is too late, even with the same title and authors.
  apply({arxiv_record(arxiv_work("1501.00002", "On the difference engine", 2015, authors))});
  apply({mapped("openalex", "openalex", "W2019",
                journal_work({}, "On the difference engine", 2019, "Journal of Computing Machinery",
                             authors))});
  EXPECT_NE(work_of("openalex", "W2019"), work_of("arxiv", "oai:arXiv.org:1501.00002"));
  const auto m = merge_of("crossref", "10.1000/engine.2018");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->evidence, "fingerprint");
  EXPECT_EQ(m->identifier, "fingerprint:note analytical engine sketch");
  EXPECT_DOUBLE_EQ(m->similarity, 1.0);
  EXPECT_EQ(m->reason, "same title and authors, year apart");
}

TEST_F(WorkResolverTest, GenericTitlesAreNeverMerged) {
  const std::vector<std::pair<std::string, std::string>> editor{{"Ron", "Weber"}};
  for (const char* id : {"W1", "W2"}) {
    apply({mapped("openalex", "openalex", id,
                  journal_work({}, "Editorial", 2004, "MIS Quarterly", editor))});
  }
  for (const char* id : {"W3", "W4"}) {
    apply({mapped("openalex", "openalex", id,
                  journal_work({}, "Comment on \"Notes on the analytical engine\"", 2004,
                               "MIS Quarterly", editor))});
  }
  EXPECT_EQ(live_works(), 4);
}

TEST_F(WorkResolverTest, TwoVersionsOfRecordAreNeverMerged) {
  const std::vector<std::pair<std::string, std::string>> authors{{"Grace", "Hopper"}};
  const std::string title = "A compiler for arithmetic expressions";
  apply(
      {crossref_record(journal_work({"10.1000/a"}, title, 2001, "Journal of Compilers", authors))});
  apply(
      {crossref_record(journal_work({"10.1000/b"}, title, 2001, "Journal of Compilers", authors))});
  EXPECT_EQ(live_works(), 2);
}

TEST_F(WorkResolverTest, SameTitleWithDisjointAuthorsStaysTwoWorks) {
  const std::string title = "Atypical hemolytic uremic syndrome";
  apply({mapped("openalex", "openalex", "W1",
                journal_work({}, title, 2011, "Orphanet Journal of Rare Diseases",
                             {{"C.", "Loirat"}, {"V.", "Fremeaux-Bacchi"}}))});
  apply({mapped("openalex", "openalex", "W2",
                journal_work({}, title, 2011, "Orphanet Journal of Rare Diseases",
                             {{"D.", "Kavanagh"}, {"T. H. J.", "Goodship"}}))});
  EXPECT_EQ(live_works(), 2);
  EXPECT_NE(work_of("openalex", "W1"), work_of("openalex", "W2"));
}

TEST_F(WorkResolverTest, ADoiOnTwoDifferentPapersIsFlaggedNotMerged) {
  apply({crossref_record(journal_work({"10.1000/shared"},
                                      "Reputation offsets trust judgments based on social biases "
                                      "among Airbnb users",
                                      2017, "PNAS", {{"Bruno", "Abrahao"}, {"Paolo", "Parigi"}}))});
  apply({mapped("openalex", "openalex", "W9",
                journal_work({"10.1000/shared"}, "Tectonics of the Tibetan plateau", 2017,
                             "Geology", {{"An", "Yin"}}))});
  EXPECT_EQ(live_works(), 2);
  auto q = db().prepare("SELECT work_id, identifier, reason FROM work_flags");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.get_int(0), work_of("crossref", "10.1000/shared"));
  EXPECT_EQ(q.get_text(1), "doi:10.1000/shared");
  EXPECT_EQ(q.get_text(2), "shared DOI but the titles disagree");
  EXPECT_FALSE(q.step());
}

TEST_F(WorkResolverTest, WorkIdsStayStableAcrossAReHarvest) {
  auto page = [](const std::string& salt) {
    std::vector<store::MappedRecord> p;
    Work faber = arxiv_work(
        "1702.05532", "Machine learning prediction errors better than DFT accuracy", 2017, kFaber);
    faber.dois = {"10.1021/acs.jctc.7b00577"};
    p.push_back(mapped("arxiv", "arXivRaw", "oai:arXiv.org:1702.05532", faber, salt));
    p.push_back(mapped(
        "arxiv", "arXivRaw", "oai:arXiv.org:1501.00001",
        arxiv_work("1501.00001", "Notes on the analytical engine", 2015, {{"Ada", "Lovelace"}}),
        salt));
    return p;
  };
  apply(page(""));
  apply(
      {crossref_record(journal_work({"10.1021/acs.jctc.7b00577"},
                                    "Prediction Errors of Molecular Machine Learning Models "
                                    "Lower than Hybrid DFT Error",
                                    2017, "Journal of Chemical Theory and Computation", kFaber))});
  const auto faber = work_of("arxiv", "oai:arXiv.org:1702.05532");
  const auto lovelace = work_of("arxiv", "oai:arXiv.org:1501.00001");
  const auto journal = work_of("crossref", "10.1021/acs.jctc.7b00577");
  ASSERT_NE(faber, 0);
  ASSERT_NE(lovelace, 0);
  ASSERT_EQ(journal, faber);  // merged through the DOI the arXiv record names
  // Re-harvest: changed payloads (a new datestamp), in the opposite order, after the store
  // was closed and opened again.
  store_.reset();
  open();
  auto again = page(",\"datestamp\":\"2025-01-01\"");
  std::swap(again[0], again[1]);
  apply(std::move(again));
  EXPECT_EQ(work_of("arxiv", "oai:arXiv.org:1702.05532"), faber);
  EXPECT_EQ(work_of("arxiv", "oai:arXiv.org:1501.00001"), lovelace);
  EXPECT_EQ(work_of("crossref", "10.1021/acs.jctc.7b00577"), journal);
  EXPECT_EQ(merge_of("arxiv", "oai:arXiv.org:1702.05532")->evidence, "new");
  // A new arXiv version under a new title stays in its work too.
  Work v2 = arxiv_work("1501.00001", "The analytical engine, revised", 2015, {{"Ada", "Lovelace"}});
  apply({mapped("arxiv", "arXivRaw", "oai:arXiv.org:1501.00001", v2, ",\"v\":2")});
  EXPECT_EQ(work_of("arxiv", "oai:arXiv.org:1501.00001"), lovelace);
  EXPECT_EQ(live_works(), 2);
}

TEST_F(WorkResolverTest, EachFieldNamesTheRecordThatSuppliedIt) {
  Work preprint = arxiv_work(
      "1702.05532", "Machine learning prediction errors better than DFT accuracy", 2017, kFaber);
  preprint.dois = {"10.1021/acs.jctc.7b00577"};
  apply({arxiv_record(preprint)});
  const auto id = work_of("arxiv", "oai:arXiv.org:1702.05532");
  EXPECT_EQ(supplier(id, "venue"), "arxiv|oai:arXiv.org:1702.05532");
  EXPECT_EQ(supplier(id, "type"), "arxiv|oai:arXiv.org:1702.05532");
  Work journal = journal_work({"10.1021/acs.jctc.7b00577"},
                              "Prediction Errors of Molecular Machine Learning Models Lower "
                              "than Hybrid DFT Error",
                              2017, "Journal of Chemical Theory and Computation", kFaber);
  journal.abstract = "";
  apply({crossref_record(journal)});
  ASSERT_EQ(work_of("crossref", "10.1021/acs.jctc.7b00577"), id);
  // The words are the authors' (arXiv); the bibliographic fields are the journal's.
  EXPECT_EQ(supplier(id, "title"), "arxiv|oai:arXiv.org:1702.05532");
  EXPECT_EQ(supplier(id, "abstract"), "arxiv|oai:arXiv.org:1702.05532");
  EXPECT_EQ(supplier(id, "first_date"), "arxiv|oai:arXiv.org:1702.05532");
  EXPECT_EQ(supplier(id, "venue"), "crossref|10.1021/acs.jctc.7b00577");
  EXPECT_EQ(supplier(id, "type"), "crossref|10.1021/acs.jctc.7b00577");
  EXPECT_EQ(supplier(id, "pub_date"), "crossref|10.1021/acs.jctc.7b00577");
  // The DOI was first given by the arXiv record.
  EXPECT_EQ(supplier(id, "doi:10.1021/acs.jctc.7b00577"), "arxiv|oai:arXiv.org:1702.05532");
  auto q = db().prepare("SELECT venue, title FROM works WHERE work_id=?");
  q.bind(1, id);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.get_text(0), "Journal of Chemical Theory and Computation");
  EXPECT_EQ(q.get_text(1), "Machine learning prediction errors better than DFT accuracy");

  // The work page shows both locations, why each is there, and the suppliers.
  const auto detail = queries::work(*store_, id);
  ASSERT_TRUE(detail) << detail.error().describe();
  ASSERT_EQ(detail->locations.size(), 2U);
  EXPECT_EQ(detail->locations[0].source, "arxiv");
  EXPECT_EQ(detail->locations[0].evidence, "new");
  EXPECT_EQ(detail->locations[1].source, "crossref");
  EXPECT_EQ(detail->locations[1].evidence, "doi");
  EXPECT_EQ(detail->locations[1].identifier, "doi:10.1021/acs.jctc.7b00577");
  EXPECT_EQ(detail->locations[1].reason, "shared DOI");
  bool venue_listed = false;
  for (const auto& f : detail->field_sources) {
    if (f.field == "venue") {
      venue_listed = true;
      EXPECT_EQ(f.source, "crossref");
      EXPECT_EQ(f.format, "crossref");
    }
  }
  EXPECT_TRUE(venue_listed);
}

TEST_F(WorkResolverTest, DeletingOneFormatKeepsTheAuthorsAnotherFormatStillGives) {
  const Work w = arxiv_work(
      "1702.05532", "Machine learning prediction errors better than DFT accuracy", 2017, kFaber);
  apply({arxiv_record(w, "arXivRaw")});
  apply({arxiv_record(w, "arXiv")});
  const auto id = work_of("arxiv", "oai:arXiv.org:1702.05532");
  auto authors = [&] {
    auto q = db().prepare("SELECT COUNT(*) FROM authorships WHERE work_id=?");
    q.bind(1, id);
    q.step();
    return q.get_int(0);
  };
  ASSERT_EQ(authors(), 10);
  // The arXiv-format record is withdrawn from the feed; the arXivRaw record still stands.
  auto gone = arxiv_record(w, "arXiv");
  gone.record.deleted = true;
  gone.record.payload = "";
  apply({gone});
  EXPECT_EQ(authors(), 10);
  // When the last record of the source goes, so do its authors.
  auto last = arxiv_record(w, "arXivRaw");
  last.record.deleted = true;
  last.record.payload = "";
  apply({last});
  EXPECT_EQ(authors(), 0);
  EXPECT_EQ(live_works(), 0);
}

}  // namespace
}  // namespace bzpeer
