// bzpeer — facet counting (see facets.hpp).
#include "index/search/facets.hpp"

#include <algorithm>
#include <cmath>

namespace bzpeer::search {

void FacetCounter::operator()(const Xapian::Document& doc, double /*weight*/) {
  ++seen_;
  const std::string value = doc.get_value(slot(spec_.slot));
  if (value.empty()) return;
  if (spec_.kind != FacetSlotKind::list) {
    count(value);
    return;
  }
  std::string_view rest(value);
  while (!rest.empty()) {
    const auto end = rest.find(kValueListSeparator);
    count(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

void FacetCounter::count(std::string_view value) {
  if (!value.empty()) ++counts_[std::string(value)];
}

Xapian::MatchSpy* FacetCounter::clone() const {
  return new FacetCounter(spec_);
}

std::string FacetCounter::name() const {
  return "bzpeer.FacetCounter";
}

std::vector<FacetValue> FacetCounter::top(std::size_t limit) const {
  std::vector<FacetValue> out;
  out.reserve(counts_.size());
  for (const auto& [raw, n] : counts_) {
    std::string shown = raw;
    if (spec_.kind == FacetSlotKind::number) {
      const double number = Xapian::sortable_unserialise(raw);
      shown = std::to_string(static_cast<long long>(std::llround(number)));
    }
    out.push_back({std::move(shown), n});
  }
  std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (limit != 0 && out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace bzpeer::search
