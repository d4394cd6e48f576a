// bzpeer — facet counting: how many matching works have each year, category, topic, type.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// A Xapian::MatchSpy counting the values of one facet over the documents a match visits.
/// Xapian's own ValueCountMatchSpy counts a slot's bytes as one value; this one also
/// splits list slots so a work in astro-ph.EP and astro-ph.SR counts for both. Counts
/// are exact only when the match visits every matching document (get_mset with
/// checkatleast = the database's document count). Local databases only (no remote
/// serialisation).
class FacetCounter : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(const FacetSpec& spec) : spec_(spec) {}

  void operator()(const Xapian::Document& doc, double weight) override;
  [[nodiscard]] Xapian::MatchSpy* clone() const override;
  [[nodiscard]] std::string name() const override;

  /// The counted values, most frequent first, ties by value; at most `limit` (0 = all).
  [[nodiscard]] std::vector<FacetValue> top(std::size_t limit) const;
  /// Documents this spy was shown (with a value or not).
  [[nodiscard]] std::uint64_t documents_seen() const { return seen_; }

 private:
  void count(std::string_view value);

  FacetSpec spec_;
  std::unordered_map<std::string, std::uint64_t> counts_;  ///< keyed by raw slot bytes
  std::uint64_t seen_ = 0;
};

}  // namespace bzpeer::search
