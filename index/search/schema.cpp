// bzpeer — term spelling shared by the document builder and the query parser.
#include "index/search/schema.hpp"

#include <cstdint>
#include <cstdio>

namespace bzpeer::search {
namespace {

// The table is indexed by FieldId; a row out of place would silently mix up fields.
constexpr bool table_is_in_id_order() {
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    if (static_cast<std::size_t>(kFields[i].id) != i) return false;
  }
  return true;
}
static_assert(table_is_in_id_order(), "kFields rows must be in FieldId order");

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string fold(Fold how, std::string_view value) {
  std::string out(value);
  if (how == Fold::lower) {
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace

std::string boolean_term(const Field& f, std::string_view value) {
  std::string term(f.prefix);
  std::string folded = fold(f.fold, value);
  if (term.size() + folded.size() <= kMaxBooleanTermBytes) return term + folded;
  char hash[20];
  std::snprintf(hash, sizeof hash, "#%016llx", static_cast<unsigned long long>(fnv1a64(folded)));
  const std::size_t keep = kMaxBooleanTermBytes - term.size() - 17;
  term.append(folded, 0, keep);
  term += hash;
  return term;
}

std::vector<std::string> category_terms(std::string_view category) {
  const Field& f = field(FieldId::category);
  std::vector<std::string> terms;
  if (category.empty()) return terms;
  terms.push_back(boolean_term(f, category));
  // arXiv categories are <archive>[.<subject class>]; "math-ph" and "hep-th" have none.
  if (auto dot = category.find('.'); dot != std::string_view::npos && dot > 0) {
    terms.push_back(boolean_term(f, category.substr(0, dot)));
  }
  return terms;
}

std::string id_term(std::int64_t work_id) {
  return boolean_term(field(FieldId::id), std::to_string(work_id));
}

}  // namespace bzpeer::search
