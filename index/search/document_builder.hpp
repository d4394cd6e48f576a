// bzpeer — turns an IndexDocument into a Xapian document, following schema.hpp.
#pragma once

#include <xapian.h>

#include "index/search/index_document.hpp"

namespace bzpeer::search {

/// A TermGenerator set up as the schema says (English stemmer, kStemStrategy), adding the
/// words of titles and abstracts to the spelling data of `db` (the database the documents
/// go into). Each writer owns one: TermGenerator is not thread-safe.
[[nodiscard]] Xapian::TermGenerator make_term_generator(const Xapian::WritableDatabase& db);

/// Builds the document for `doc`: identity term, free-text and boolean terms from kFields,
/// values, and the stored data. `terms` is the caller's generator (reused across calls).
[[nodiscard]] Xapian::Document build_document(const IndexDocument& doc,
                                              Xapian::TermGenerator& terms);

}  // namespace bzpeer::search
