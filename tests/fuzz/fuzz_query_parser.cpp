// libFuzzer target: the user query parser as the index reader runs it (schema prefixes,
// boolean fields, year ranges, wildcards and spelling against a small database), the
// snippet query, and the request filters. The first line is the query; each further line
// is a category, type and topic filter value.
#include <unistd.h>
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "index/search/query_parser.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

Xapian::WritableDatabase& database() {
  static Xapian::WritableDatabase db = [] {
    // A real (glass) database: the in-memory backend has no spelling table.
    static const std::string path = (std::filesystem::temp_directory_path() /
                                     ("bzpeer-fuzz-query-" + std::to_string(::getpid())))
                                        .string();
    std::atexit([] { std::filesystem::remove_all(path); });
    Xapian::WritableDatabase d(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    for (const char* words :
         {"planet transit kepler", "neural tangent kernel", "dark matter halo"}) {
      Xapian::Document doc;
      Xapian::TermGenerator gen;
      gen.set_document(doc);
      gen.set_stemmer(Xapian::Stem("english"));
      gen.index_text(words);
      gen.index_text(words, 1, "S");
      d.add_document(doc);
      d.add_spelling(words);
    }
    d.commit();
    return d;
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bzpeer::search;
  static Xapian::QueryParser parser = [] {
    Xapian::QueryParser qp = make_query_parser();
    qp.set_database(database());
    return qp;
  }();
  static SnippetQuery snippet;

  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = input.find('\n');
  const std::string query = input.substr(0, eol);
  SearchRequest request;
  for (std::size_t at = eol; at != std::string::npos && at < input.size();) {
    const std::size_t next = input.find('\n', at + 1);
    const std::string value =
        input.substr(at + 1, next == std::string::npos ? next : next - at - 1);
    request.categories.push_back(value);
    request.types.push_back(value);
    request.topics.push_back(value);
    at = next;
  }
  try {
    Xapian::Query parsed =
        parser.parse_query(query, kQueryFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    if (auto filter = request_filter(request)) {
      parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed, *filter);
    }
    (void)parsed.get_description();
    (void)parser.get_corrected_query_string();
    Xapian::Enquire enquire(database());
    enquire.set_query(parsed);
    (void)enquire.get_mset(0, 10);
  } catch (const Xapian::QueryParserError&) {
    // A malformed query: the reader reports it as a bad request (exit 64 / HTTP 400).
  }
  (void)snippet.parse(query, database());
  return 0;
}
