// Tests for the index's life: writer upsert/remove/commit, layout, schema version, rebuild.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "index/search/document_data.hpp"
#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"

namespace bzpeer::search {
namespace {

namespace fs = std::filesystem;
using testing::corpus;
using testing::id_set;
using testing::TempDir;
using Ids = std::set<std::int64_t>;

Ids find(IndexReader& reader, const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.limit = 100;
  auto response = reader.search(request);
  EXPECT_TRUE(response) << query << ": " << response.error().describe();
  return response ? id_set(*response) : Ids{};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> build_names(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root / "builds")) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

/// The first writer creates builds/<name> and a stub `current` naming it.
TEST(SearchIndexLayout, FirstOpenCreatesBuildAndStub) {
  TempDir dir;
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer) << writer.error().describe();
    EXPECT_EQ(writer->document_count(), 0u);
  }
  const auto names = build_names(dir.path());
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(names[0].starts_with("b-"));
  EXPECT_EQ(read_file(dir.path() / "current"), "auto builds/" + names[0] + "\n");

  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader) << reader.error().describe();
  EXPECT_EQ(reader->document_count(), 0u);

  // Opening again reuses the live build.
  ASSERT_TRUE(IndexWriter::open(dir.path()));
  EXPECT_EQ(build_names(dir.path()), names);
}

/// No index yet: a reader says so instead of creating one.
TEST(SearchIndexLayout, ReaderWithoutIndexIsNotFound) {
  TempDir dir;
  auto reader = IndexReader::open(dir.path() / "nothing-here");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::not_found);
}

/// One writer at a time: the second gets ErrorCode::locked.
TEST(SearchIndexWriter, SecondWriterIsLocked) {
  TempDir dir;
  auto first = IndexWriter::open(dir.path());
  ASSERT_TRUE(first) << first.error().describe();
  auto second = IndexWriter::open(dir.path());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::locked) << second.error().describe();
  EXPECT_NE(second.error().message.find("builds"), std::string::npos) << second.error().message;
}

/// upsert is keyed by work id: twice gives one document with the latest content.
TEST(SearchIndexWriter, UpsertTwiceKeepsOneDocument) {
  TempDir dir;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer);
  IndexDocument doc = corpus()[5];  // work 6, Wilson loops
  ASSERT_TRUE(writer->upsert(doc));
  ASSERT_TRUE(writer->commit());
  doc.title = "Bootstrapping Null Polygon Wilson Loops, revised";
  doc.categories = {"hep-th"};
  ASSERT_TRUE(writer->upsert(doc));
  ASSERT_TRUE(writer->commit());
  EXPECT_EQ(writer->document_count(), 1u);

  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 1u);
  EXPECT_EQ(find(*reader, "title:revised"), (Ids{6}));
  EXPECT_EQ(find(*reader, "category:hep-ph"), (Ids{}));
}

/// remove deletes by work id; an unknown id is not an error.
TEST(SearchIndexWriter, RemoveDeletesByWorkId) {
  TempDir dir;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer);
  for (const auto& doc : corpus()) ASSERT_TRUE(writer->upsert(doc));
  ASSERT_TRUE(writer->commit());
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(find(*reader, "maldacena"), (Ids{6}));

  ASSERT_TRUE(writer->remove(6));
  ASSERT_TRUE(writer->remove(424242));
  ASSERT_TRUE(writer->commit());
  // The reader opened before the commit sees it on its next search.
  EXPECT_EQ(find(*reader, "maldacena"), (Ids{}));
  EXPECT_EQ(reader->document_count(), 9u);
}

/// Withdrawn works are searchable and can be excluded.
TEST(SearchIndexWriter, WithdrawnStatus) {
  TempDir dir;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer);
  auto docs = corpus();
  docs[0].withdrawn = true;
  for (const auto& doc : docs) ASSERT_TRUE(writer->upsert(doc));
  ASSERT_TRUE(writer->commit());
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(find(*reader, "status:withdrawn"), (Ids{1}));
  EXPECT_EQ(find(*reader, "category:math NOT status:withdrawn"), (Ids{10}));
}

/// A DOI too long for a Xapian term is still found (same shortening at both ends).
TEST(SearchIndexWriter, VeryLongBooleanValue) {
  TempDir dir;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer);
  IndexDocument doc = corpus()[0];
  const std::string doi = "10.1234/" + std::string(300, 'x');
  doc.dois = {doi, "10.1234/short"};
  ASSERT_TRUE(writer->upsert(doc)) << "a long DOI must not make the document fail";
  ASSERT_TRUE(writer->commit());
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(find(*reader, "doi:" + doi), (Ids{1}));
  EXPECT_EQ(find(*reader, "doi:10.1234/" + std::string(299, 'x')), (Ids{}));
}

/// Snippets are plain text: Xapian's HTML escaping is undone.
TEST(SearchIndexWriter, SnippetIsPlainText) {
  TempDir dir;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer);
  IndexDocument doc = corpus()[0];
  doc.abstract = "Bounds for q < 1 & \"hard\" instances of the planar case.";
  ASSERT_TRUE(writer->upsert(doc));
  ASSERT_TRUE(writer->commit());
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  SearchRequest request;
  request.query = "planar";
  auto response = reader->search(request);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->hits.size(), 1u);
  EXPECT_EQ(response->hits[0].snippet,
            "Bounds for q < 1 & \"hard\" instances of the [planar] case.");
}

/// Set the schema version stored in the live build (empty removes it).
void set_stored_version(const fs::path& root, const std::string& version) {
  Xapian::WritableDatabase db((root / "builds" / build_names(root).at(0)).string(),
                              Xapian::DB_OPEN);
  db.set_metadata("bzpeer.schema_version", version);
  db.commit();
}

/// Readers and writers refuse an index written with another schema version.
TEST(SearchIndexSchema, OtherVersionIsRefused) {
  TempDir dir;
  ASSERT_TRUE(IndexWriter::open(dir.path()));
  set_stored_version(dir.path(), "999");

  auto reader = IndexReader::open(dir.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::index);
  EXPECT_NE(reader.error().message.find("schema version 999"), std::string::npos)
      << reader.error().message;
  auto writer = IndexWriter::open(dir.path());
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().code, ErrorCode::index);

  set_stored_version(dir.path(), "");
  reader = IndexReader::open(dir.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::index);
  EXPECT_NE(reader.error().message.find("bzpeer.schema_version"), std::string::npos)
      << reader.error().message;
}

/// Feeds rebuild() from a vector.
std::function<bool(IndexDocument&)> feed(std::vector<IndexDocument> docs) {
  auto next = std::make_shared<std::size_t>(0);
  auto all = std::make_shared<std::vector<IndexDocument>>(std::move(docs));
  return [next, all](IndexDocument& out) {
    if (*next == all->size()) return false;
    out = (*all)[(*next)++];
    return true;
  };
}

/// rebuild writes a new build, swaps `current`, keeps the old build as `previous`, and a
/// reader that was open all along keeps answering: the old contents during, the new after.
TEST(SearchIndexRebuild, SwapsWhileReaderKeepsAnswering) {
  TempDir dir;
  const auto docs = corpus();
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(writer->upsert(docs[i]));
    ASSERT_TRUE(writer->commit());
  }
  const auto old_builds = build_names(dir.path());
  ASSERT_EQ(old_builds.size(), 1u);

  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 3u);

  auto source = feed(docs);
  int calls = 0;
  bool answered_during = false;
  auto next = [&](IndexDocument& out) {
    if (++calls == 6) {  // half-way through the new build
      answered_during = find(*reader, "dark matter") == Ids{2} &&
                        find(*reader, "maldacena").empty() && reader->document_count() == 3u;
    }
    return source(out);
  };
  auto stats = rebuild(dir.path(), next);
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_TRUE(answered_during);
  EXPECT_EQ(stats->documents, 10u);
  EXPECT_TRUE(stats->removed_builds.empty());
  EXPECT_EQ(stats->previous_build, old_builds[0]);
  auto names = build_names(dir.path());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{old_builds[0], stats->build_name}));
  EXPECT_EQ(read_file(dir.path() / "current"), "auto builds/" + stats->build_name + "\n");
  EXPECT_EQ(read_file(dir.path() / "previous"), "auto builds/" + old_builds[0] + "\n");

  // The same reader follows `current` to the new build.
  EXPECT_EQ(find(*reader, "maldacena"), (Ids{6}));
  EXPECT_EQ(reader->document_count(), 10u);

  // A writer opened now writes into the new build.
  auto writer = IndexWriter::open(dir.path());
  ASSERT_TRUE(writer);
  EXPECT_EQ(writer->document_count(), 10u);
}

/// A work id given twice counts once; the last version wins.
TEST(SearchIndexRebuild, RepeatedWorkIdCountsOnce) {
  TempDir dir;
  auto docs = corpus();
  IndexDocument again = docs[0];
  again.title = "Q-system cluster algebras, second telling";
  docs.push_back(again);
  auto stats = rebuild(dir.path(), feed(docs));
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_EQ(stats->documents, 10u);
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(find(*reader, "title:telling"), (Ids{1}));
}

/// A rebuild that fails leaves the live index as it was and no half-written build.
TEST(SearchIndexRebuild, FailureLeavesCurrentUntouched) {
  TempDir dir;
  ASSERT_TRUE(rebuild(dir.path(), feed({corpus()[0]})));
  const auto before = build_names(dir.path());
  const std::string stub = read_file(dir.path() / "current");

  int calls = 0;
  auto stats = rebuild(dir.path(), [&](IndexDocument& out) -> bool {
    if (++calls == 3) throw std::runtime_error("store went away");
    out = corpus()[static_cast<std::size_t>(calls)];
    return true;
  });
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::index);
  EXPECT_NE(stats.error().message.find("store went away"), std::string::npos);
  EXPECT_EQ(build_names(dir.path()), before);
  EXPECT_EQ(read_file(dir.path() / "current"), stub);
  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 1u);
}

/// Each rebuild keeps exactly the live build and the one it replaced; older ones go.
TEST(SearchIndexRollback, RebuildKeepsCurrentAndPreviousOnly) {
  TempDir dir;
  const auto docs = corpus();
  auto first = rebuild(dir.path(), feed({docs[0]}), RebuildOptions{.shards = 1});
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(first->previous_build.empty());
  EXPECT_FALSE(fs::exists(dir.path() / "previous"));
  auto second = rebuild(dir.path(), feed({docs[0], docs[1]}), RebuildOptions{.shards = 2});
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->previous_build, first->build_name);
  EXPECT_TRUE(second->removed_builds.empty());
  auto third = rebuild(dir.path(), feed({docs[0], docs[1], docs[2]}), RebuildOptions{.shards = 1});
  ASSERT_TRUE(third) << third.error().describe();
  EXPECT_EQ(third->previous_build, second->build_name);
  EXPECT_EQ(third->removed_builds, std::vector<std::string>{first->build_name});
  auto names = build_names(dir.path());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{second->build_name, third->build_name}));
}

/// A writer killed inside write_stub_file leaves ".current.tmp-<pid>"; the next rebuild
/// removes it once that process is gone, and never a running process's file.
TEST(SearchIndexRollback, RebuildRemovesStubTempFilesOfDeadProcesses) {
  TempDir dir;
  const auto docs = corpus();
  ASSERT_TRUE(rebuild(dir.path(), feed({docs[0]}), RebuildOptions{.shards = 1}));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // reaped: its pid names no process now
  const fs::path dead = dir.path() / (".current.tmp-" + std::to_string(child));
  const fs::path alive = dir.path() / ".current.tmp-1";  // init: always running
  std::ofstream(dead) << "auto builds/half-written\n";
  std::ofstream(alive) << "auto builds/being-written\n";
  auto second = rebuild(dir.path(), feed({docs[0], docs[1]}), RebuildOptions{.shards = 2});
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
  const auto& removed = second->removed_builds;
  EXPECT_NE(std::find(removed.begin(), removed.end(), dead.filename().string()), removed.end());
}

/// rollback swaps `current` back to the previous build, an open reader follows, and a
/// second rollback undoes the first.
TEST(SearchIndexRollback, SwapsBackAndForth) {
  TempDir dir;
  const auto docs = corpus();
  auto old_build = rebuild(dir.path(), feed({docs[0], docs[1]}), RebuildOptions{.shards = 1});
  ASSERT_TRUE(old_build) << old_build.error().describe();
  auto new_build = rebuild(dir.path(), feed(docs), RebuildOptions{.shards = 2});
  ASSERT_TRUE(new_build) << new_build.error().describe();

  auto reader = IndexReader::open(dir.path());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->document_count(), 10u);
  EXPECT_EQ(find(*reader, "maldacena"), (Ids{6}));

  auto back = rollback(dir.path());
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->build_name, old_build->build_name);
  EXPECT_EQ(back->previous_build, new_build->build_name);
  EXPECT_EQ(read_file(dir.path() / "current"), "auto builds/" + old_build->build_name + "\n");
  EXPECT_EQ(read_file(dir.path() / "previous"), "auto builds/" + new_build->build_name + "\n");
  // The same reader answers from the old build on its next query.
  EXPECT_EQ(reader->document_count(), 2u);
  EXPECT_TRUE(find(*reader, "maldacena").empty());
  EXPECT_EQ(find(*reader, "dark matter"), (Ids{2}));
  // A writer opened now writes into the build rolled back to.
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer);
    EXPECT_EQ(writer->document_count(), 2u);
  }
  // No stub left half-written, nothing deleted.
  EXPECT_EQ(build_names(dir.path()).size(), 2u);
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << entry.path();
  }

  auto forth = rollback(dir.path());
  ASSERT_TRUE(forth) << forth.error().describe();
  EXPECT_EQ(forth->build_name, new_build->build_name);
  EXPECT_EQ(reader->document_count(), 10u);
  EXPECT_EQ(find(*reader, "maldacena"), (Ids{6}));
}

/// Without a previous build, rollback refuses (not_found, saying why) and changes nothing.
TEST(SearchIndexRollback, RefusesWithoutPreviousBuild) {
  TempDir dir;
  auto none = rollback(dir.path());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::not_found);

  // An index made by the incremental writer has had no rebuild: nothing to go back to.
  {
    auto writer = IndexWriter::open(dir.path());
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->upsert(corpus()[0]));
    ASSERT_TRUE(writer->commit());
  }
  const std::string stub = read_file(dir.path() / "current");
  auto refused = rollback(dir.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  EXPECT_NE(refused.error().message.find("no previous build"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(read_file(dir.path() / "current"), stub);

  // The previous build's directory removed by hand: refused as well, `current` untouched.
  auto rebuilt = rebuild(dir.path(), feed(corpus()), RebuildOptions{.shards = 1});
  ASSERT_TRUE(rebuilt) << rebuilt.error().describe();
  fs::remove_all(dir.path() / "builds" / rebuilt->previous_build);
  refused = rollback(dir.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  EXPECT_NE(refused.error().message.find("is gone"), std::string::npos) << refused.error().message;
  EXPECT_EQ(read_file(dir.path() / "current"), "auto builds/" + rebuilt->build_name + "\n");
}

/// A previous build of another schema version is refused: readers could not open it.
TEST(SearchIndexRollback, RefusesPreviousBuildOfAnotherSchema) {
  TempDir dir;
  auto old_build = rebuild(dir.path(), feed({corpus()[0]}), RebuildOptions{.shards = 1});
  ASSERT_TRUE(old_build);
  {
    Xapian::WritableDatabase db((dir.path() / "builds" / old_build->build_name).string(),
                                Xapian::DB_OPEN);
    db.set_metadata("bzpeer.schema_version", "1");
    db.commit();
  }
  auto new_build = rebuild(dir.path(), feed(corpus()), RebuildOptions{.shards = 1});
  ASSERT_TRUE(new_build);
  auto refused = rollback(dir.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::index);
  EXPECT_NE(refused.error().message.find("schema version 1"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(read_file(dir.path() / "current"), "auto builds/" + new_build->build_name + "\n");
}

/// Every word of the spelling data with its frequency, read straight from the live build.
std::map<std::string, Xapian::doccount> spelling_data(const fs::path& root) {
  Xapian::Database db((root / "current").string());
  std::map<std::string, Xapian::doccount> words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    words[*it] = it.get_termfreq();
  }
  return words;
}

/// A rebuild gathers the spelling data in memory and writes each word once; the result is
/// exactly what the incremental writer's per-word FLAG_SPELLING gives.
TEST(SearchIndexRebuild, SpellingDataSameAsIncrementalWriter) {
  auto docs = corpus();
  docs.push_back(docs[4]);  // a repeated work: its words count twice, as when upserted twice
  docs.back().work_id = 11;
  TempDir incremental;
  {
    auto writer = IndexWriter::open(incremental.path());
    ASSERT_TRUE(writer);
    for (const auto& d : docs) ASSERT_TRUE(writer->upsert(d));
    ASSERT_TRUE(writer->commit());
  }
  const auto expected = spelling_data(incremental.path());
  ASSERT_GT(expected.size(), 200u);
  // Unstemmed, lower case, every occurrence counted.
  Xapian::doccount planets = 0;
  for (const auto& d : docs) {
    for (const std::string* field : {&d.title, &d.abstract}) {
      std::string text = " " + *field + " ";
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (auto at = text.find("planets"); at != std::string::npos;
           at = text.find("planets", at + 1)) {
        if (!std::isalnum(static_cast<unsigned char>(text[at - 1])) &&
            !std::isalnum(static_cast<unsigned char>(text[at + 7]))) {
          ++planets;
        }
      }
    }
  }
  EXPECT_GT(planets, 2u);
  EXPECT_EQ(expected.at("planets"), planets);
  for (const unsigned shards : {1u, 3u}) {
    TempDir dir;
    auto stats = rebuild(dir.path(), feed(docs), RebuildOptions{.shards = shards});
    ASSERT_TRUE(stats) << stats.error().describe();
    EXPECT_EQ(spelling_data(dir.path()), expected) << shards << " shards";
  }
}

/// The stored data survives a round trip; anything else is refused, not misread.
TEST(SearchDocumentData, RoundTripAndGarbage) {
  IndexDocument doc = corpus()[1];
  doc.work_id = -7;
  doc.withdrawn = true;
  const auto stored = decode_document_data(encode_document_data(doc));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->work_id, -7);
  EXPECT_EQ(stored->title, doc.title);
  EXPECT_EQ(stored->authors, doc.author_names);
  EXPECT_EQ(stored->author_ids, doc.author_ids);
  EXPECT_EQ(stored->abstract, doc.abstract);
  EXPECT_TRUE(stored->withdrawn);

  const std::string data = encode_document_data(doc);
  EXPECT_FALSE(decode_document_data(""));
  EXPECT_FALSE(decode_document_data("{\"title\":\"json\"}"));
  EXPECT_FALSE(decode_document_data(data.substr(0, data.size() - 1)));
  EXPECT_FALSE(decode_document_data(data + "x"));
}

}  // namespace
}  // namespace bzpeer::search
