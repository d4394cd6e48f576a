// bzpeer — document builder: the indexing half of the schema.
#include "index/search/document_builder.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "index/search/document_data.hpp"
#include "index/search/schema.hpp"

namespace bzpeer::search {
namespace {

/// Fields whose words feed the spelling data ("did you mean"): names and topic labels
/// would only make suggestions worse.
constexpr bool feeds_spelling(FieldId id) {
  return id == FieldId::title || id == FieldId::abstract;
}

/// Indexes one piece of free text for field `f`: prefixed, and unprefixed as well when the
/// field belongs to queries without a field. Each pass ends with a position gap so that a
/// phrase cannot run from this text into the next one. Xapian adds spelling data only for
/// unprefixed text, so the flag matters for the second pass only.
void index_free_text(Xapian::TermGenerator& terms, const Field& f, const std::string& text,
                     SpellingCollector* spelling) {
  if (text.empty()) return;
  terms.index_text(text, f.wdf_inc, std::string(f.prefix));
  terms.increase_termpos(kFieldGap);
  if (f.in_free_text) {
    const bool spell = feeds_spelling(f.id);
    if (spell && spelling != nullptr) spelling->add_text(text);
    terms.set_flags(spell && spelling == nullptr ? Xapian::TermGenerator::FLAG_SPELLING : 0);
    terms.index_text(text, f.wdf_inc);
    terms.set_flags(0);
    terms.increase_termpos(kFieldGap);
  }
}

/// Joins list items for a value slot (see kValueListSeparator).
std::string value_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (item.empty()) continue;
    if (!out.empty()) out.push_back(kValueListSeparator);
    out += item;
  }
  return out;
}

void add_boolean(Xapian::Document& d, FieldId id, const std::string& value) {
  if (value.empty()) return;
  d.add_boolean_term(boolean_term(field(id), value));
}

}  // namespace

Xapian::TermGenerator make_term_generator(const Xapian::WritableDatabase& db) {
  Xapian::TermGenerator terms;
  terms.set_stemmer(Xapian::Stem(std::string(kStemLanguage)));
  terms.set_stemming_strategy(kStemStrategy);
  terms.set_database(db);
  return terms;
}

SpellingCollector::SpellingCollector() {
  // The same tokeniser as the indexing generator, no stemmer and no positions: each term
  // of the scratch document is a word as FLAG_SPELLING would add it, its wdf the count.
  words_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
}

void SpellingCollector::add_text(const std::string& text) {
  Xapian::Document scratch;
  words_.set_document(scratch);
  words_.index_text_without_positions(text);
  for (auto it = scratch.termlist_begin(); it != scratch.termlist_end(); ++it) {
    counts_[*it] += it.get_wdf();
  }
}

void SpellingCollector::write_to(Xapian::WritableDatabase& db) const {
  // In sorted order: Xapian keeps the words of each spelling fragment in a sorted set and
  // the word frequencies in a map until the commit, and inserting in order keeps those
  // insertions at the (cache-warm) end.
  std::vector<const std::pair<const std::string, Xapian::termcount>*> sorted;
  sorted.reserve(counts_.size());
  for (const auto& entry : counts_) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : sorted) db.add_spelling(entry->first, entry->second);
}

Xapian::Document build_document(const IndexDocument& doc, Xapian::TermGenerator& terms,
                                SpellingCollector* spelling) {
  Xapian::Document d;
  terms.set_document(d);
  terms.set_termpos(0);

  d.add_boolean_term(id_term(doc.work_id));

  // Free text, in the order of kFields so positions are stable between builds.
  for (const Field& f : kFields) {
    if (f.kind != FieldKind::free_text) continue;
    switch (f.id) {
      case FieldId::title: index_free_text(terms, f, doc.title, spelling); break;
      case FieldId::abstract: index_free_text(terms, f, doc.abstract, spelling); break;
      case FieldId::author:
        // One phrase per author: "Juan Maldacena" matches, "Maldacena Amit" does not.
        for (const auto& name : doc.author_names) index_free_text(terms, f, name, spelling);
        break;
      case FieldId::topic:
        for (const auto& topic : doc.topics) index_free_text(terms, f, topic, spelling);
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
  for (const auto& topic : doc.topics) add_boolean(d, FieldId::topic_label, topic);
  for (const auto& source : doc.sources) add_boolean(d, FieldId::source, source);
  if (doc.year > 0) {
    add_boolean(d, FieldId::year, std::to_string(doc.year));
    d.add_value(slot(ValueSlot::year), Xapian::sortable_serialise(doc.year));
  }
  if (doc.withdrawn) add_boolean(d, FieldId::status, "withdrawn");
  if (!doc.date.empty()) d.add_value(slot(ValueSlot::date), doc.date);
  if (auto list = value_list(doc.categories); !list.empty()) {
    d.add_value(slot(ValueSlot::categories), list);
  }
  if (!doc.type.empty()) d.add_value(slot(ValueSlot::type), doc.type);
  if (auto list = value_list(doc.topics); !list.empty()) d.add_value(slot(ValueSlot::topics), list);

  d.set_data(encode_document_data(doc));
  return d;
}

}  // namespace bzpeer::search
