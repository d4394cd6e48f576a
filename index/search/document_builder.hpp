// bzpeer — turns an IndexDocument into a Xapian document, following schema.hpp.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>

#include "index/search/index_document.hpp"

namespace bzpeer::search {

/// A TermGenerator set up as the schema says (English stemmer, kStemStrategy), adding the
/// words of titles and abstracts to the spelling data of `db` (the database the documents
/// go into). Each writer owns one: TermGenerator is not thread-safe.
[[nodiscard]] Xapian::TermGenerator make_term_generator(const Xapian::WritableDatabase& db);

/// Collects spelling words ("did you mean" data) in memory instead of adding them to the
/// database word by word, for a bulk build: Xapian's add_spelling() per word occurrence
/// costs more than the rest of indexing together (see rebuild.cpp). Gathers exactly the
/// words TermGenerator's FLAG_SPELLING would add (unstemmed, lower case, each occurrence
/// counted) and writes them with one add_spelling() per distinct word. Not thread-safe.
class SpellingCollector {
 public:
  SpellingCollector();
  /// Counts the words of one title or abstract.
  void add_text(const std::string& text);
  /// Adds every word with its count to the spelling data of `db` (commit to keep them), in
  /// sorted order. Spelling data written like this into several databases and merged by
  /// Xapian's compaction (which adds up the counts) is the same as written into one.
  void write_to(Xapian::WritableDatabase& db) const;
  /// Forgets every count (after write_to(), for the next batch).
  void clear() { counts_.clear(); }
  [[nodiscard]] std::size_t distinct_words() const { return counts_.size(); }

 private:
  Xapian::TermGenerator words_;  ///< no stemmer: the terms are the words themselves
  std::unordered_map<std::string, Xapian::termcount> counts_;
};

/// Builds the document for `doc`: identity term, free-text and boolean terms from kFields,
/// values, and the stored data. `terms` is the caller's generator (reused across calls).
/// The words of title and abstract go to the spelling data of the generator's database,
/// or, when `spelling` is given, to `spelling` instead (to be written in one go).
[[nodiscard]] Xapian::Document build_document(const IndexDocument& doc,
                                              Xapian::TermGenerator& terms,
                                              SpellingCollector* spelling = nullptr);

}  // namespace bzpeer::search
