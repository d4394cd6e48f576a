// bzpeer — document builder: the indexing half of the schema.
#include "index/search/document_builder.hpp"

#include <string>

#include "index/search/document_data.hpp"
#include "index/search/schema.hpp"

namespace bzpeer::search {
namespace {

/// Indexes one piece of free text for field `f`: prefixed, and unprefixed as well when the
/// field belongs to queries without a field. Each pass ends with a position gap so that a
/// phrase cannot run from this text into the next one.
void index_free_text(Xapian::TermGenerator& terms, const Field& f, const std::string& text) {
  if (text.empty()) return;
  terms.index_text(text, f.wdf_inc, std::string(f.prefix));
  terms.increase_termpos(kFieldGap);
  if (f.in_free_text) {
    terms.index_text(text, f.wdf_inc);
    terms.increase_termpos(kFieldGap);
  }
}

void add_boolean(Xapian::Document& d, FieldId id, const std::string& value) {
  if (value.empty()) return;
  d.add_boolean_term(boolean_term(field(id), value));
}

}  // namespace

Xapian::TermGenerator make_term_generator() {
  Xapian::TermGenerator terms;
  terms.set_stemmer(Xapian::Stem(std::string(kStemLanguage)));
  terms.set_stemming_strategy(kStemStrategy);
  return terms;
}

Xapian::Document build_document(const IndexDocument& doc, Xapian::TermGenerator& terms) {
  Xapian::Document d;
  terms.set_document(d);
  terms.set_termpos(0);

  d.add_boolean_term(id_term(doc.work_id));

  // Free text, in the order of kFields so positions are stable between builds.
  for (const Field& f : kFields) {
    if (f.kind != FieldKind::free_text) continue;
    switch (f.id) {
      case FieldId::title: index_free_text(terms, f, doc.title); break;
      case FieldId::abstract: index_free_text(terms, f, doc.abstract); break;
      case FieldId::author:
        // One phrase per author: "Juan Maldacena" matches, "Maldacena Amit" does not.
        for (const auto& name : doc.author_names) index_free_text(terms, f, name);
        break;
      case FieldId::topic:
        for (const auto& topic : doc.topics) index_free_text(terms, f, topic);
        break;
      default: break;
    }
  }

  for (auto id : doc.author_ids) {
    if (id != 0) add_boolean(d, FieldId::author_id, std::to_string(id));
  }
  for (const auto& category : doc.categories) {
    for (const auto& term : category_terms(category)) d.add_boolean_term(term);
  }
  for (const auto& doi : doc.dois) add_boolean(d, FieldId::doi, doi);
  add_boolean(d, FieldId::arxiv, doc.arxiv_id);
  add_boolean(d, FieldId::type, doc.type);
  for (const auto& source : doc.sources) add_boolean(d, FieldId::source, source);
  if (doc.year > 0) {
    add_boolean(d, FieldId::year, std::to_string(doc.year));
    d.add_value(slot(ValueSlot::year), Xapian::sortable_serialise(doc.year));
  }
  if (doc.withdrawn) add_boolean(d, FieldId::status, "withdrawn");
  if (!doc.date.empty()) d.add_value(slot(ValueSlot::date), doc.date);

  d.set_data(encode_document_data(doc));
  return d;
}

}  // namespace bzpeer::search
