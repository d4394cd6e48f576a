// bzpeer — facet counting (see facets.hpp).
#include "index/search/facets.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace bzpeer::search {

void MatchedDocuments::operator()(const Xapian::Document& doc, double /*weight*/) {
  const Xapian::docid id = doc.get_docid();
  if (!ids_.empty() && id < ids_.back()) sorted_ = false;
  ids_.push_back(id);
}

Xapian::MatchSpy* MatchedDocuments::clone() const {
  return new MatchedDocuments;
}

std::string MatchedDocuments::name() const {
  return "bzpeer.MatchedDocuments";
}

const std::vector<Xapian::docid>& MatchedDocuments::ids() {
  if (!sorted_) {
    std::sort(ids_.begin(), ids_.end());
    sorted_ = true;
  }
  return ids_;
}

namespace {

/// std::hash over string_view, so counting looks up raw bytes without a std::string.
struct BytesHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Calls `each(item)` for every item of a raw slot value (one, or a list's items).
template <class Fn>
void for_each_item(FacetSlotKind kind, std::string_view value, Fn&& each) {
  if (kind != FacetSlotKind::list) {
    if (!value.empty()) each(value);
    return;
  }
  while (!value.empty()) {
    const auto cut = value.find(kValueListSeparator);
    if (cut != 0) each(value.substr(0, cut));
    if (cut == std::string_view::npos) break;
    value.remove_prefix(cut + 1);
  }
}

/// The counted raw items as FacetValues, most frequent first, ties by value; at most `limit`.
std::vector<FacetValue> ranked(const FacetSpec& spec,
                               std::vector<std::pair<std::string_view, std::uint64_t>> counts,
                               std::size_t limit) {
  std::vector<FacetValue> out;
  out.reserve(counts.size());
  for (const auto& [raw, n] : counts) {
    if (n == 0) continue;
    std::string shown(raw);
    if (spec.kind == FacetSlotKind::number) {
      const double number = Xapian::sortable_unserialise(shown);
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

}  // namespace

FacetTable FacetTable::load(const Xapian::Database& db) {
  FacetTable table;
  const std::size_t documents = static_cast<std::size_t>(db.get_lastdocid()) + 1;
  for (const FacetSpec& spec : kFacets) {
    Column& column = table.columns_.emplace_back();
    column.offsets.assign(documents + 1, 0);
    std::unordered_map<std::string, std::uint32_t, BytesHash, std::equal_to<>> code_of;
    const Xapian::valueno value_slot = slot(spec.slot);
    Xapian::docid next = 0;  // offsets[0..next] are set
    for (auto v = db.valuestream_begin(value_slot); v != db.valuestream_end(value_slot); ++v) {
      const Xapian::docid id = v.get_docid();
      if (id >= documents) break;  // a document added after get_lastdocid(): not ours
      while (next < id) column.offsets[++next] = static_cast<std::uint32_t>(column.codes.size());
      const std::string value = *v;
      for_each_item(spec.kind, value, [&](std::string_view item) {
        auto it = code_of.find(item);
        if (it == code_of.end()) {
          it = code_of.emplace(std::string(item), static_cast<std::uint32_t>(column.values.size()))
                   .first;
          column.values.emplace_back(item);
        }
        column.codes.push_back(it->second);
      });
      if (column.values.size() > kMaxValues) {
        column = Column{};  // counted from the value stream instead
        column.kept = false;
        break;
      }
    }
    if (!column.kept) continue;
    while (next < documents)
      column.offsets[++next] = static_cast<std::uint32_t>(column.codes.size());
  }
  return table;
}

std::vector<FacetValue> FacetTable::count(std::size_t facet, const std::vector<Xapian::docid>& ids,
                                          std::size_t limit) const {
  const Column& column = columns_.at(facet);
  if (!column.kept) throw Xapian::InvalidOperationError("FacetTable: facet not kept");
  std::vector<std::uint64_t> n(column.values.size(), 0);
  const std::size_t documents = column.offsets.size() - 1;
  for (const Xapian::docid id : ids) {
    if (id >= documents) continue;
    for (std::uint32_t k = column.offsets[id]; k < column.offsets[id + 1]; ++k)
      ++n[column.codes[k]];
  }
  std::vector<std::pair<std::string_view, std::uint64_t>> counts;
  counts.reserve(n.size());
  for (std::size_t code = 0; code < n.size(); ++code)
    counts.emplace_back(column.values[code], n[code]);
  return ranked(kFacets[facet], std::move(counts), limit);
}

namespace {

/// The table last loaded in this process, for the readers that have the same revision.
struct SharedTable {
  std::mutex mutex;
  std::string key;
  std::weak_ptr<const FacetTable> table;
};

SharedTable& shared_table() {
  static SharedTable shared;
  return shared;
}

}  // namespace

std::shared_ptr<const FacetTable> FacetCache::get(const Xapian::Database& db,
                                                  const std::string& source) {
  std::string key;
  try {
    key = source + "\n" + db.get_uuid() + "@" + std::to_string(db.get_revision());
  } catch (const Xapian::InvalidOperationError&) {
    return nullptr;  // several sub-databases: no single revision to key the table on
  } catch (const Xapian::UnimplementedError&) {
    return nullptr;
  }
  if (table_ && key == key_) return table_;
  table_.reset();  // let an older revision's table go
  SharedTable& shared = shared_table();
  const std::lock_guard lock(shared.mutex);
  std::shared_ptr<const FacetTable> table = shared.key == key ? shared.table.lock() : nullptr;
  if (!table) {
    table = std::make_shared<const FacetTable>(FacetTable::load(db));
    shared.key = key;
    shared.table = table;
  }
  key_ = std::move(key);
  table_ = table;
  return table;
}

std::vector<FacetValue> count_facet(const Xapian::Database& db, const FacetSpec& spec,
                                    const std::vector<Xapian::docid>& ids, std::size_t limit) {
  std::unordered_map<std::string, std::uint64_t, BytesHash, std::equal_to<>> counts;
  const auto count = [&](std::string_view item) {
    if (auto it = counts.find(item); it != counts.end()) {
      ++it->second;
    } else {
      counts.emplace(std::string(item), 1);
    }
  };
  const Xapian::valueno value_slot = slot(spec.slot);
  Xapian::ValueIterator values = db.valuestream_begin(value_slot);
  const Xapian::ValueIterator end = db.valuestream_end(value_slot);
  for (const Xapian::docid id : ids) {
    if (values == end) break;
    if (values.get_docid() < id) {
      values.skip_to(id);  // the stream only moves forward: one pass over the slot
      if (values == end) break;
    }
    if (values.get_docid() != id) continue;  // no value for this document
    for_each_item(spec.kind, *values, count);
  }
  std::vector<std::pair<std::string_view, std::uint64_t>> pairs(counts.begin(), counts.end());
  return ranked(spec, std::move(pairs), limit);
}

}  // namespace bzpeer::search
