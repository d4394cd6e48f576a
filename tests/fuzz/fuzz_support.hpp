// bzpeer — invariants the fuzz targets check on every output, beyond "no crash".
//
// A violated invariant aborts, so libFuzzer records the input as a finding just like a
// sanitizer report.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "pipeline/model/work.hpp"

namespace bzpeer::fuzz {

/// Aborts with `what` when `ok` is false.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past
/// U+10FFFF).
[[nodiscard]] inline bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

/// The fields a mapped work hands to the store, the index and the API must be UTF-8.
inline void check_work(const Work& work) {
  require(valid_utf8(work.title), "title is not UTF-8");
  require(valid_utf8(work.abstract), "abstract is not UTF-8");
  require(valid_utf8(work.venue), "venue is not UTF-8");
  require(valid_utf8(work.journal_ref), "journal_ref is not UTF-8");
  require(valid_utf8(work.comments), "comments are not UTF-8");
  require(valid_utf8(work.license), "license is not UTF-8");
  for (const auto& category : work.categories)
    require(valid_utf8(category), "category is not UTF-8");
  require(valid_utf8(work.arxiv_id), "arxiv_id is not UTF-8");
  for (const auto& doi : work.dois) require(valid_utf8(doi), "doi is not UTF-8");
  for (const auto& author : work.authors) {
    require(valid_utf8(author.printed), "author printed name is not UTF-8");
    require(valid_utf8(author.given), "author given name is not UTF-8");
    require(valid_utf8(author.family), "author family name is not UTF-8");
    require(valid_utf8(author.affiliation), "author affiliation is not UTF-8");
  }
}

}  // namespace bzpeer::fuzz
