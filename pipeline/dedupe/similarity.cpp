// bzpeer — string and set similarities (see similarity.hpp).
#include "pipeline/dedupe/similarity.hpp"

#include <algorithm>
#include <cstdint>

namespace bzpeer::dedupe {
namespace {

std::vector<std::string_view> distinct(const std::vector<std::string>& v) {
  std::vector<std::string_view> out(v.begin(), v.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t common(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t n = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

std::vector<std::uint32_t> trigrams(std::string_view s) {
  std::string padded;
  padded.reserve(s.size() + 2);
  padded += ' ';
  padded.append(s);
  padded += ' ';
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i + 3 <= padded.size(); ++i) {
    out.push_back(static_cast<std::uint32_t>(static_cast<unsigned char>(padded[i])) << 16 |
                  static_cast<std::uint32_t>(static_cast<unsigned char>(padded[i + 1])) << 8 |
                  static_cast<unsigned char>(padded[i + 2]));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

double token_jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto da = distinct(a);
  const auto db = distinct(b);
  if (da.empty() && db.empty()) return 0.0;
  const auto n = common(da, db);
  return static_cast<double>(n) / static_cast<double>(da.size() + db.size() - n);
}

double token_containment(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto da = distinct(a);
  const auto db = distinct(b);
  if (da.empty() || db.empty()) return 0.0;
  return static_cast<double>(common(da, db)) / static_cast<double>(std::min(da.size(), db.size()));
}

double trigram_similarity(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 0.0;
  const auto ta = trigrams(a);
  const auto tb = trigrams(b);
  // Multiset intersection of the sorted trigram lists.
  std::size_t n = 0;
  auto i = ta.begin();
  auto j = tb.begin();
  while (i != ta.end() && j != tb.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return 2.0 * static_cast<double>(n) / static_cast<double>(ta.size() + tb.size());
}

double edit_similarity(std::string_view a, std::string_view b, double floor) {
  const std::size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 0.0;
  const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (1.0 - static_cast<double>(diff) / static_cast<double>(longest) < floor) return 0.0;
  if (a.size() < b.size()) std::swap(a, b);  // b is the shorter: one row of |b| + 1
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return 1.0 - static_cast<double>(row[b.size()]) / static_cast<double>(longest);
}

}  // namespace bzpeer::dedupe
