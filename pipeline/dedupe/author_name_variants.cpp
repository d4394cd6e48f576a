// bzpeer — first-name variant table (see author_name_variants.hpp).
#include "pipeline/dedupe/author_name_variants.hpp"

#include "pipeline/dedupe/author_name_variants_data.hpp"  // generated: kNameVariantLines
#include "pipeline/normalise/text.hpp"

namespace bzpeer::dedupe {

NameVariants NameVariants::parse(std::string_view text) {
  NameVariants table;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    table.add_line(line);
  }
  return table;
}

void NameVariants::add_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto comma = line.find(',');
  if (comma == std::string_view::npos) return;
  const std::string a = normalise::fold_key(line.substr(0, comma));
  const std::string b = normalise::fold_key(line.substr(comma + 1));
  if (a.empty() || b.empty() || a == b) return;
  pairs_.insert(a + '\t' + b);
  pairs_.insert(b + '\t' + a);
}

const NameVariants& NameVariants::builtin() {
  static const NameVariants table = [] {
    NameVariants t;
    for (const std::string_view line : kNameVariantLines) t.add_line(line);
    return t;
  }();
  return table;
}

bool NameVariants::are_variants(std::string_view a, std::string_view b) const {
  if (pairs_.empty()) return false;
  std::string key;
  key.reserve(a.size() + b.size() + 1);
  key.append(a).push_back('\t');
  key.append(b);
  return pairs_.contains(key);
}

}  // namespace bzpeer::dedupe
