// bzpeer — QueryParser built from the schema table (see schema.hpp).
#include "index/search/query_parser.hpp"

#include <vector>

#include "index/search/schema.hpp"

namespace bzpeer::search {
namespace {

/// Turns the text after `name:` into the field's boolean term, spelled by boolean_term()
/// exactly as the document builder spells it (folding, long-value hashing).
class BooleanTermProcessor : public Xapian::FieldProcessor {
 public:
  explicit BooleanTermProcessor(const Field& f) : field_(f) {}
  Xapian::Query operator()(const std::string& value) override {
    return Xapian::Query(boolean_term(field_, value));
  }

 private:
  const Field& field_;
};

/// Adds the schema's fields to `qp`. Free-text fields get their term prefix, or none at
/// all when `free_text_unprefixed` (for snippet queries, which must use plain terms).
void add_schema_fields(Xapian::QueryParser& qp, bool free_text_unprefixed) {
  for (const Field& f : kFields) {
    if (f.name.empty()) continue;  // a filter-only field
    const std::string name(f.name);
    if (f.kind == FieldKind::free_text) {
      qp.add_prefix(name, free_text_unprefixed ? std::string() : std::string(f.prefix));
      continue;
    }
    // The default grouping is the field name: terms of one field OR, different fields AND
    // (source:arxiv source:crossref finds either; category:cs year:2011 needs both).
    qp.add_boolean_prefix(name, (new BooleanTermProcessor(f))->release());
    if (f.range_slot != Xapian::BAD_VALUENO) {
      qp.add_rangeprocessor(
          (new Xapian::NumberRangeProcessor(f.range_slot, name + ":"))->release());
    }
  }
}

Xapian::QueryParser make_parser(Xapian::QueryParser::stem_strategy strategy,
                                bool free_text_unprefixed) {
  Xapian::QueryParser qp;
  qp.set_stemmer(Xapian::Stem(std::string(kStemLanguage)));
  qp.set_stemming_strategy(strategy);
  qp.set_default_op(Xapian::Query::OP_AND);
  add_schema_fields(qp, free_text_unprefixed);
  return qp;
}

}  // namespace

Xapian::QueryParser make_query_parser() {
  return make_parser(kQueryStemStrategy, false);
}

std::optional<Xapian::Query> request_filter(const SearchRequest& request) {
  std::vector<Xapian::Query> parts;
  const auto year_slot = slot(ValueSlot::year);
  if (request.year_from && request.year_to) {
    parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, year_slot,
                       Xapian::sortable_serialise(*request.year_from),
                       Xapian::sortable_serialise(*request.year_to));
  } else if (request.year_from) {
    parts.emplace_back(Xapian::Query::OP_VALUE_GE, year_slot,
                       Xapian::sortable_serialise(*request.year_from));
  } else if (request.year_to) {
    parts.emplace_back(Xapian::Query::OP_VALUE_LE, year_slot,
                       Xapian::sortable_serialise(*request.year_to));
  }
  // Any of `values`, spelled as the document builder spells field `id`.
  const auto any_of = [&](FieldId id, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::vector<Xapian::Query> any;
    for (const auto& value : values) any.emplace_back(boolean_term(field(id), value));
    parts.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
  };
  any_of(FieldId::category, request.categories);
  any_of(FieldId::type, request.types);
  any_of(FieldId::topic_label, request.topics);
  if (parts.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

SnippetQuery::SnippetQuery()
    : stems_(make_parser(Xapian::QueryParser::STEM_ALL_Z, true)),
      exact_(make_parser(Xapian::QueryParser::STEM_SOME, true)) {}

std::optional<Xapian::Query> SnippetQuery::parse(const std::string& text,
                                                 const Xapian::Database& db) {
  try {
    stems_.set_database(db);
    exact_.set_database(db);
    return Xapian::Query(Xapian::Query::OP_OR, stems_.parse_query(text, kQueryFlags),
                         exact_.parse_query(text, kQueryFlags));
  } catch (const Xapian::QueryParserError&) {
    return std::nullopt;
  }
}

}  // namespace bzpeer::search
