// bzpeer — the search index schema: every field, term prefix, value slot and metadata key.
//
// This header owns the schema. The document builder (document_builder.cpp) and the query
// parser (query_parser.cpp) both walk kFields, so what is indexed and what can be searched
// cannot drift apart (notmuch keeps one prefix table in lib/prefix.cc for the same reason).
//
// Terms follow Omega's conventions (xapian-omega docs/termprefixes.rst): single capital
// letters are the standard prefixes (Q unique id, S title, A author, K keyword/topic), and
// our own prefixes start with X and always end in ':' so a value that starts with a capital
// or a digit can never be read as part of the prefix.
//
// A work document holds:
//   Q<work_id>                 the identity term; upsert = replace_document(Q…), remove =
//                              delete_document(Q…)
//   free-text terms            per kFields row with kind free_text: prefixed terms for the
//                              field (S…, A…, XAB:…, K…) and, for rows with in_free_text,
//                              the same words unprefixed, so a query without a field finds
//                              them; each index_text call is followed by a gap of
//                              kFieldGap positions so a phrase never spans two fields (or
//                              two authors)
//   boolean terms              per kFields row with kind boolean, via boolean_term()
//   values                     see ValueSlot
//   spelling data              the words of titles and abstracts (unstemmed, lower case) go
//                              into Xapian's spelling table for "did you mean"
//   data                       see document_data.hpp (what a hit list shows)
//
// Stemming: English, Xapian STEM_ALL at index and at query time (see kStemStrategy).
//
// Changing what is indexed, how it is spelled or what a slot holds needs a new
// kSchemaVersion (search_index.hpp) and a rebuild; readers refuse any other version.
#pragma once

#include <xapian.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::search {

/// Index metadata key holding kSchemaVersion as decimal text.
inline constexpr std::string_view kSchemaVersionKey = "bzpeer.schema_version";

/// Stemming language, used by the TermGenerator, the QueryParser and MSet::snippet.
inline constexpr std::string_view kStemLanguage = "english";

/// STEM_ALL, chosen deliberately: every word is stored once, stemmed, with positions. The
/// default STEM_SOME stores each word twice (as is, and as a Z-prefixed stem without
/// positions); measured on this kind of machine STEM_ALL indexes ~1,600 works/s against
/// ~1,050 (DESIGN.md "Index schema") and the index is smaller. Phrases still work because
/// the stems carry positions and the query parser stems phrase words the same way, so
/// "transiting planets" also matches "transiting planet". The price: no exact-form search
/// ("planets" always means planet|planets) and names are stemmed like words
/// (author:Tange also matches Tang). Index and query must agree, hence one constant each.
inline constexpr auto kStemStrategy = Xapian::TermGenerator::STEM_ALL;
inline constexpr auto kQueryStemStrategy = Xapian::QueryParser::STEM_ALL;

/// Term positions skipped after every free-text field (and between author names).
inline constexpr Xapian::termpos kFieldGap = 100;

/// Value slots. Append only: a slot number never changes meaning within a schema version.
enum class ValueSlot : Xapian::valueno {
  date = 0,        ///< ISO date string as given ("2011-02-01"); sorts chronologically as bytes
  year = 1,        ///< Xapian::sortable_serialise(year); year:A..B ranges, filters, facet
  categories = 2,  ///< the work's categories as given, joined by kValueListSeparator; facet
  type = 3,        ///< the work type as given ("preprint"); facet
  topics = 4,      ///< topic labels as given, joined by kValueListSeparator; facet
};

/// Separates the items of a list held in one value slot (categories, topics). A byte that
/// never occurs in a category or a topic label (ASCII unit separator).
inline constexpr char kValueListSeparator = '\x1f';

[[nodiscard]] constexpr Xapian::valueno slot(ValueSlot s) noexcept {
  return static_cast<Xapian::valueno>(s);
}

enum class FieldKind {
  free_text,  ///< words, stemmed, with positions; QueryParser::add_prefix
  boolean,    ///< exact terms (no wdf, no positions); QueryParser::add_boolean_prefix
};

/// How a boolean value is spelled in its term, at index and at query time alike.
enum class Fold {
  none,   ///< as given (numeric ids, years)
  lower,  ///< ASCII lower case (DOIs, arXiv ids, categories, types, sources)
};

/// Identifies a row of kFields (the enumerators are the row indexes).
enum class FieldId {
  id,
  title,
  abstract,
  author,
  topic,
  author_id,
  category,
  doi,
  arxiv,
  type,
  source,
  year,
  status,
  topic_label,
};

/// One row of the schema.
struct Field {
  FieldId id;
  /// Query field name (`name:value`); empty for a field that only request filters use.
  std::string_view name;
  std::string_view prefix;  ///< term prefix
  FieldKind kind;
  Xapian::termcount wdf_inc;  ///< free text: wdf added per word (field weight)
  bool in_free_text;          ///< free text: also indexed unprefixed (queries without a field)
  Fold fold;                  ///< boolean: spelling of the value
  /// Value slot searched by `name:A..B` (Xapian::NumberRangeProcessor), or
  /// Xapian::BAD_VALUENO when the field has no range form.
  Xapian::valueno range_slot;
  std::string_view meaning;  ///< one line for --help and docs
};

// clang-format off
inline constexpr std::array kFields = {
  Field{FieldId::id,        "id",       "Q",       FieldKind::boolean,   0, false, Fold::none,
        Xapian::BAD_VALUENO, "work id (the store's stable id)"},
  Field{FieldId::title,     "title",    "S",       FieldKind::free_text, 3, true,  Fold::none,
        Xapian::BAD_VALUENO, "title words; weighted x3 in queries without a field"},
  Field{FieldId::abstract,  "abstract", "XAB:",    FieldKind::free_text, 1, true,  Fold::none,
        Xapian::BAD_VALUENO, "abstract words"},
  Field{FieldId::author,    "author",   "A",       FieldKind::free_text, 1, true,  Fold::none,
        Xapian::BAD_VALUENO, "author names as printed, one phrase per author"},
  Field{FieldId::topic,     "topic",    "K",       FieldKind::free_text, 1, false, Fold::none,
        Xapian::BAD_VALUENO, "topic labels (words, so topic:galaxies works)"},
  Field{FieldId::author_id, "authorid", "XAID:",   FieldKind::boolean,   0, false, Fold::none,
        Xapian::BAD_VALUENO, "resolved author id"},
  Field{FieldId::category,  "category", "XCAT:",   FieldKind::boolean,   0, false, Fold::lower,
        Xapian::BAD_VALUENO, "arXiv category (cs.LG) or archive (astro-ph, cs)"},
  Field{FieldId::doi,       "doi",      "XDOI:",   FieldKind::boolean,   0, false, Fold::lower,
        Xapian::BAD_VALUENO, "DOI without resolver; quote it if it has parentheses"},
  Field{FieldId::arxiv,     "arxiv",    "XARXIV:", FieldKind::boolean,   0, false, Fold::lower,
        Xapian::BAD_VALUENO, "versionless arXiv id (1102.0291, hep-th/9901001)"},
  Field{FieldId::type,      "type",     "XTYPE:",  FieldKind::boolean,   0, false, Fold::lower,
        Xapian::BAD_VALUENO, "work type (preprint, article, ...)"},
  Field{FieldId::source,    "source",   "XSRC:",   FieldKind::boolean,   0, false, Fold::lower,
        Xapian::BAD_VALUENO, "source that described the work (arxiv, crossref, ...)"},
  Field{FieldId::year,      "year",     "XY:",     FieldKind::boolean,   0, false, Fold::none,
        static_cast<Xapian::valueno>(ValueSlot::year), "year, or a range year:2019..2022"},
  Field{FieldId::status,    "status",   "XSTATUS:", FieldKind::boolean,  0, false, Fold::lower,
        Xapian::BAD_VALUENO, "status:withdrawn for withdrawn works"},
  Field{FieldId::topic_label, "",       "XTOPIC:", FieldKind::boolean,   0, false, Fold::lower,
        Xapian::BAD_VALUENO, "a whole topic label (SearchRequest::topics filter only)"},
};
// clang-format on

[[nodiscard]] constexpr const Field& field(FieldId id) noexcept {
  return kFields[static_cast<std::size_t>(id)];
}

/// Xapian's limit on a term is 245 bytes; boolean terms longer than this are shortened by
/// boolean_term() (same function at both ends, so lookups still work).
inline constexpr std::size_t kMaxBooleanTermBytes = 240;

/// The one spelling of a boolean term: prefix + folded value. A value that would make the
/// term longer than kMaxBooleanTermBytes keeps its first bytes plus '#' and a 64-bit FNV-1a
/// hash of the whole value; a collision can only add a wrong hit to a lookup, never merge
/// documents (identity is the Q term, which is always short).
[[nodiscard]] std::string boolean_term(const Field& f, std::string_view value);

/// The category terms for one arXiv category: the category itself and, when it has a
/// subject class, its archive ("astro-ph.EP" -> XCAT:astro-ph.ep and XCAT:astro-ph).
[[nodiscard]] std::vector<std::string> category_terms(std::string_view category);

/// The identity term of a work.
[[nodiscard]] std::string id_term(std::int64_t work_id);

}  // namespace bzpeer::search
