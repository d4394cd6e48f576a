// bzpeer — the query half of the schema: QueryParser setup, filters and snippet queries.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>

#include "index/search/search_index.hpp"

namespace bzpeer::search {

/// Flags for every user query: phrases, AND/OR/NOT/brackets in any case, +/-, right
/// truncation (tang*) and pure NOT ("NOT withdrawn" alone).
inline constexpr unsigned kQueryFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE | Xapian::QueryParser::FLAG_PURE_NOT;

/// The user query parser, built from kFields (rows with a name): add_prefix for free-text fields,
/// add_boolean_prefix (through boolean_term, so values fold as at index time) for boolean
/// ones, a NumberRangeProcessor for fields with a range slot, the schema's stemmer and
/// stemming strategy, default operator AND. Call set_database() before parsing so
/// wildcards can expand. Not thread-safe: each reader owns one.
[[nodiscard]] Xapian::QueryParser make_query_parser();

/// The filters of a request (years, categories, types, topics), or nullopt when there are none.
/// Apply with OP_FILTER so they select without changing relevance.
[[nodiscard]] std::optional<Xapian::Query> request_filter(const SearchRequest& request);

/// Builds the query MSet::snippet() uses to mark words in an abstract.
///
/// The index is STEM_ALL (stems without a Z prefix, often with a field prefix), but
/// Xapian 1.4's snippet marks a word only if it equals an unprefixed query term or its
/// stem equals a Z-prefixed one. So the user query is parsed again with every free-text
/// field mapped to no prefix, once with STEM_ALL_Z (marks inflected forms) and once with
/// STEM_SOME (marks exact phrases), and the two are ORed. This query never selects hits.
class SnippetQuery {
 public:
  SnippetQuery();
  /// Nullopt when the text cannot be parsed (the caller then marks nothing).
  [[nodiscard]] std::optional<Xapian::Query> parse(const std::string& text,
                                                   const Xapian::Database& db);

 private:
  Xapian::QueryParser stems_;
  Xapian::QueryParser exact_;
};

}  // namespace bzpeer::search
