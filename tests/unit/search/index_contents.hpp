// Helpers for tests that compare two indexes built different ways (the incremental writer,
// the sharded rebuild and its parts, one writer): a generated feed of works, and what an
// index holds, document by document, in its spelling table and for a query.
#pragma once

#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "index/search/search_index.hpp"
#include "tests/unit/search/corpus.hpp"

namespace bzpeer::search::testing {

/// A word made of letters only (the tokeniser keeps it whole), different for each n;
/// `prefix` keeps the words of one test apart from another's.
inline std::string letters(std::size_t n, std::string prefix) {
  std::string word = std::move(prefix);
  do {
    word.push_back(static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n != 0);
  return word;
}

/// `n` works with ids from `first_id`: the ten real ones over and over, each with a word
/// of its own in the title and one shared by every seventh work in the abstract, so that
/// batches differ and words repeat.
inline std::vector<IndexDocument> many_works(std::size_t n, std::int64_t first_id,
                                             const std::string& prefix) {
  const auto base = corpus();
  std::vector<IndexDocument> docs;
  for (std::size_t i = 0; i < n; ++i) {
    IndexDocument d = base[i % base.size()];
    d.work_id = first_id + static_cast<std::int64_t>(i);
    d.title += " " + letters(i, prefix);
    d.abstract += " " + letters(i % 7, prefix);
    docs.push_back(std::move(d));
  }
  return docs;
}

/// A rebuild's document source over `docs` (which must outlive it).
inline std::function<bool(IndexDocument&)> feed(const std::vector<IndexDocument>& docs) {
  auto next = std::make_shared<std::size_t>(0);
  return [next, &docs](IndexDocument& out) {
    if (*next == docs.size()) return false;
    out = docs[(*next)++];
    return true;
  };
}

using Spelling = std::map<std::string, Xapian::doccount>;

inline Spelling spelling_of(const Xapian::Database& db) {
  Spelling words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    words[*it] = it.get_termfreq();
  }
  return words;
}

/// Everything a document holds: terms with wdf and positions, values, data.
struct Contents {
  std::vector<std::tuple<std::string, Xapian::termcount, std::vector<Xapian::termpos>>> terms;
  std::map<Xapian::valueno, std::string> values;
  std::string data;
  bool operator==(const Contents&) const = default;
};

/// Each work's document by work id (the Q term); every id must be found exactly once.
inline std::map<std::int64_t, Contents> contents_of(const Xapian::Database& db) {
  std::map<std::int64_t, Contents> out;
  for (auto q = db.allterms_begin("Q"); q != db.allterms_end("Q"); ++q) {
    EXPECT_EQ(db.get_termfreq(*q), 1u) << *q;
    const Xapian::Document doc = db.get_document(*db.postlist_begin(*q));
    Contents c;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      std::vector<Xapian::termpos> positions(t.positionlist_begin(), t.positionlist_end());
      c.terms.emplace_back(*t, t.get_wdf(), std::move(positions));
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) c.values[v.get_valueno()] = *v;
    c.data = doc.get_data();
    out[std::stoll((*q).substr(1))] = std::move(c);
  }
  return out;
}

/// The works a query finds, each with its weight (rounded: the same statistics give the
/// same weight, but equal weights may come in either order between two indexes).
inline std::map<std::int64_t, long long> hits(IndexReader& reader, const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.limit = 5000;
  auto response = reader.search(request);
  EXPECT_TRUE(response) << query << ": " << response.error().describe();
  std::map<std::int64_t, long long> out;
  if (!response) return out;
  for (const auto& hit : response->hits) out[hit.work_id] = std::llround(hit.weight * 1e6);
  return out;
}

}  // namespace bzpeer::search::testing
