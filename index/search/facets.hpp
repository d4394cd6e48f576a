// bzpeer — facet counting: how many matching works have each year, category, topic, type.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/search/schema.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search {

/// How a facet's value slot is spelled (see ValueSlot).
enum class FacetSlotKind {
  number,  ///< Xapian::sortable_serialise of an integer (year); shown as decimal text
  text,    ///< one string per document (type)
  list,    ///< items joined by kValueListSeparator (categories, topics); each item counts
};

/// One facet: its public name (kFacetNames), the slot it reads and how that is spelled.
struct FacetSpec {
  std::string_view name;
  ValueSlot slot;
  FacetSlotKind kind;
};

/// Every facet, in kFacetNames order.
inline constexpr FacetSpec kFacets[] = {
    {kFacetNames[0], ValueSlot::year, FacetSlotKind::number},
    {kFacetNames[1], ValueSlot::categories, FacetSlotKind::list},
    {kFacetNames[2], ValueSlot::topics, FacetSlotKind::list},
    {kFacetNames[3], ValueSlot::type, FacetSlotKind::text},
};

/// A Xapian::MatchSpy that notes the id of every document a match visits, for counting
/// facets after the match (FacetTable::count, count_facet). It reads nothing from the
/// documents: reading a value through Xapian::Document costs a B-tree lookup and a copy of
/// the value chunk per document and slot. The ids are complete only when the match visits
/// every matching document (get_mset with checkatleast = the database's document count).
/// Local databases only (no remote serialisation).
class MatchedDocuments : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double weight) override;
  [[nodiscard]] Xapian::MatchSpy* clone() const override;
  [[nodiscard]] std::string name() const override;

  /// The ids seen, in increasing order.
  [[nodiscard]] const std::vector<Xapian::docid>& ids();

 private:
  std::vector<Xapian::docid> ids_;
  bool sorted_ = true;
};

/// Every document's facet values, read once from the value streams and kept in memory as
/// small integer codes (what Solr calls a field cache), so counting a facet over a match
/// costs one array lookup per matching document instead of a pass over the slot's value
/// stream. Holds one build revision: FacetCache loads a new table when the index changes.
/// 4 bytes per document and facet plus 4 per value (about 40 bytes per arXiv-like work),
/// and the distinct values.
class FacetTable {
 public:
  /// Reads kFacets' slots of `db`, one pass over each value stream.
  [[nodiscard]] static FacetTable load(const Xapian::Database& db);

  /// A facet with more distinct values than this (free keyphrases as topics, say) is not
  /// kept: its strings would cost more memory and loading time than walking its value
  /// stream per request (count_facet) costs. arXiv's categories, OpenAlex's ~4,500 topics
  /// and the years and types stay well below it.
  static constexpr std::size_t kMaxValues = 65536;

  /// Whether kFacets[facet] is kept (see kMaxValues); count() needs it.
  [[nodiscard]] bool has(std::size_t facet) const { return columns_.at(facet).kept; }

  /// Counts kFacets[facet] over `ids` (documents of the database this table was loaded
  /// from), as count_facet() does.
  [[nodiscard]] std::vector<FacetValue> count(std::size_t facet,
                                              const std::vector<Xapian::docid>& ids,
                                              std::size_t limit) const;

 private:
  struct Column {
    bool kept = true;                    ///< false: more than kMaxValues, nothing below
    std::vector<std::string> values;     ///< distinct raw slot items, by code
    std::vector<std::uint32_t> offsets;  ///< document d's codes: [offsets[d], offsets[d+1])
    std::vector<std::uint32_t> codes;
  };
  std::vector<Column> columns_;  ///< one per kFacets entry
};

/// The FacetTable of the revision a reader has open, loaded on first use after each change
/// (a new build, or a writer's commit). The readers of one process share the table of a
/// revision (the HTTP server pools many readers): the first to need it loads it, the
/// others wait for it, and it is freed when no reader holds that revision any more.
class FacetCache {
 public:
  /// The table for `db` as opened from `source` (the index root and build, so that two
  /// copies of an index never share a table). Nullptr for a database without a single
  /// revision (several shards): count_facet() then reads the value streams.
  [[nodiscard]] std::shared_ptr<const FacetTable> get(const Xapian::Database& db,
                                                      const std::string& source);

 private:
  std::string key_;  ///< source, uuid and revision the table was loaded from
  std::shared_ptr<const FacetTable> table_;
};

/// Counts one facet's values over `ids` (increasing, as MatchedDocuments::ids() gives
/// them) in `db`, walking the slot's value stream once in document order
/// (Xapian::ValueIterator::skip_to): list slots count each item, so a work in astro-ph.EP and
/// astro-ph.SR counts for both. The values most frequent first, ties by value; at most `limit` (0 =
/// all). Xapian's own ValueCountMatchSpy would count a list slot's bytes as one value.
[[nodiscard]] std::vector<FacetValue> count_facet(const Xapian::Database& db, const FacetSpec& spec,
                                                  const std::vector<Xapian::docid>& ids,
                                                  std::size_t limit);

}  // namespace bzpeer::search
