// bzpeer — lookups over the compiled arXiv taxonomy (taxonomy_data.cpp).
#include "pipeline/topics/taxonomy.hpp"

#include <algorithm>

namespace bzpeer::topics {
namespace detail {
extern const Category kCategories[];
extern const std::size_t kCategoryCount;
extern const CategoryAlias kAliases[];
extern const std::size_t kAliasCount;
}  // namespace detail

std::span<const Category> all_categories() noexcept {
  return {detail::kCategories, detail::kCategoryCount};
}

const Category* find_category(std::string_view id) noexcept {
  auto all = all_categories();
  auto it = std::ranges::lower_bound(all, id, {}, &Category::id);
  return it != all.end() && it->id == id ? &*it : nullptr;
}

std::string_view canonical_category(std::string_view id) noexcept {
  std::span<const CategoryAlias> aliases{detail::kAliases, detail::kAliasCount};
  auto it = std::ranges::lower_bound(aliases, id, {}, &CategoryAlias::from);
  return it != aliases.end() && it->from == id ? it->to : id;
}

std::string category_label(std::string_view id) {
  const Category* c = find_category(canonical_category(id));
  return std::string(c ? c->name : id);
}

std::vector<CategoryWeight> category_weights(const std::vector<std::string>& categories,
                                             double primary_weight, double cross_weight) {
  std::vector<CategoryWeight> out;
  for (const auto& raw : categories) {
    if (raw.empty()) continue;
    std::string id(canonical_category(raw));
    if (std::ranges::any_of(out, [&](const CategoryWeight& c) { return c.id == id; })) continue;
    bool primary = out.empty();
    out.push_back({std::move(id), primary ? primary_weight : cross_weight, primary});
  }
  return out;
}

}  // namespace bzpeer::topics
