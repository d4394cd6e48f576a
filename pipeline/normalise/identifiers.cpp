// bzpeer — arXiv ids, DOIs and ORCIDs.
#include "pipeline/normalise/identifiers.hpp"

#include <utf8proc.h>

#include <array>
#include <charconv>

#include "pipeline/normalise/detail.hpp"

namespace bzpeer::normalise {
namespace {

using detail::ascii_lower;
using detail::is_ascii_alpha;
using detail::is_ascii_digit;
using detail::is_ascii_space;
using detail::istarts_with;
using detail::trim;

/// Archives that issued old-style ids (YYMMNNN, 9108–0703), from arXiv's archive table.
constexpr std::array<std::string_view, 34> kOldArchives{
    "acc-phys", "adap-org", "alg-geom", "ao-sci",   "astro-ph", "atom-ph",  "bayes-an",
    "chao-dyn", "chem-ph",  "cmp-lg",   "comp-gas", "cond-mat", "cs",       "dg-ga",
    "funct-an", "gr-qc",    "hep-ex",   "hep-lat",  "hep-ph",   "hep-th",   "math",
    "math-ph",  "mtrl-th",  "nlin",     "nucl-ex",  "nucl-th",  "patt-sol", "physics",
    "plasm-ph", "q-alg",    "q-bio",    "quant-ph", "solv-int", "supr-con"};

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_ascii_digit(c)) return false;
  }
  return true;
}

int two_digits(std::string_view s) noexcept {
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/// Strips one of the prefixes (case-insensitive) if present.
std::string_view strip_prefix(std::string_view s, std::string_view prefix) noexcept {
  return istarts_with(s, prefix) ? s.substr(prefix.size()) : s;
}

/// Parses a trailing "vN" (or "VN"); returns the id part and sets version (0 = none).
/// Returns false when a "v" is present but not followed by a valid positive number.
bool split_version(std::string_view s, std::string_view& id, int& version) noexcept {
  const std::size_t v = s.find_last_of("vV");
  if (v == std::string_view::npos) {
    id = s;
    version = 0;
    return true;
  }
  const std::string_view num = s.substr(v + 1);
  if (!all_digits(num)) {  // a "v" inside the id itself ("solv-int/…")
    id = s;
    version = 0;
    return true;
  }
  if (num.size() > 6 || num[0] == '0') return false;
  int n = 0;
  std::from_chars(num.data(), num.data() + num.size(), n);
  id = s.substr(0, v);
  version = n;
  return true;
}

/// YYMM.NNNN (0704–1412) or YYMM.NNNNN (1501 on).
bool valid_new_style(std::string_view id) noexcept {
  if (id.size() != 9 && id.size() != 10) return false;
  if (id[4] != '.' || !all_digits(id.substr(0, 4)) || !all_digits(id.substr(5))) return false;
  const int yy = two_digits(id.substr(0, 2));
  const int mm = two_digits(id.substr(2, 2));
  if (mm < 1 || mm > 12) return false;
  const int yymm = yy * 100 + mm;
  if (id.size() == 9) return yymm >= 704 && yymm <= 1412;
  return yymm >= 1501;
}

/// archive[.SC]/YYMMNNN with YYMM in 9108–0703; returns the canonical "archive/YYMMNNN".
std::optional<std::string> old_style(std::string_view id) {
  const std::size_t slash = id.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view archive = id.substr(0, slash);
  const std::string_view number = id.substr(slash + 1);
  if (const std::size_t dot = archive.find('.'); dot != std::string_view::npos) {
    const std::string_view subject = archive.substr(dot + 1);
    if (subject.empty()) return std::nullopt;
    for (const char c : subject) {
      if (!is_ascii_alpha(c) && c != '-') return std::nullopt;
    }
    archive = archive.substr(0, dot);
  }
  const std::string lowered = detail::ascii_lowered(archive);
  bool known = false;
  for (const auto a : kOldArchives) known = known || a == lowered;
  if (!known) return std::nullopt;
  if (number.size() != 7 || !all_digits(number)) return std::nullopt;
  const int yy = two_digits(number.substr(0, 2));
  const int mm = two_digits(number.substr(2, 2));
  if (mm < 1 || mm > 12) return std::nullopt;
  const bool in_range = (yy > 91 || (yy == 91 && mm >= 8)) || yy < 7 || (yy == 7 && mm <= 3);
  if (!in_range) return std::nullopt;
  return lowered + "/" + std::string(number);
}

/// Valid DOI shape after normalisation: "10." registrant digits (dotted sub-parts allowed)
/// "/" and a non-empty suffix without spaces or control characters.
bool valid_doi(std::string_view d) noexcept {
  if (!d.starts_with("10.")) return false;
  const std::size_t slash = d.find('/');
  if (slash == std::string_view::npos || slash + 1 >= d.size()) return false;
  const std::string_view registrant = d.substr(3, slash - 3);
  std::size_t first_len = 0;
  bool in_first = true;
  char prev = '.';
  for (const char c : registrant) {
    if (c == '.') {
      if (prev == '.') return false;
      in_first = false;
    } else if (!is_ascii_digit(c)) {
      return false;
    } else if (in_first) {
      ++first_len;
    }
    prev = c;
  }
  if (prev == '.' || first_len < 4 || first_len > 9) return false;
  const std::string_view suffix = d.substr(slash + 1);
  for (const char c : suffix) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  // Non-ASCII suffixes are allowed, but only as valid UTF-8 (found by fuzzing: bytes that
  // are not UTF-8 went on into the store, the index and the API).
  for (std::size_t i = 0; i < suffix.size();) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(suffix.data() + i),
                                    static_cast<utf8proc_ssize_t>(suffix.size() - i), &cp);
    if (n <= 0) return false;
    i += static_cast<std::size_t>(n);
  }
  return true;
}

int hex_value(char c) noexcept {
  if (is_ascii_digit(c)) return c - '0';
  const char l = ascii_lower(c);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

/// Decodes %XX escapes; leaves malformed ones as they are.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

/// A character that can start a new DOI after a `,` or `;` in a multi-DOI field.
bool starts_doi(std::string_view rest) noexcept {
  rest = trim(rest);
  return rest.empty() || rest.starts_with("10.") || istarts_with(rest, "doi") ||
         istarts_with(rest, "http") || istarts_with(rest, "info:doi");
}

}  // namespace

std::optional<ArxivId> parse_arxiv_id(std::string_view text) {
  std::string_view s = trim(text);
  if (s.size() > 200) return std::nullopt;
  s = strip_prefix(s, "oai:arxiv.org:");
  for (const std::string_view scheme : {"https://", "http://"}) s = strip_prefix(s, scheme);
  for (const std::string_view host : {"www.", "export.", "browse."}) s = strip_prefix(s, host);
  if (istarts_with(s, "arxiv.org/")) {
    s = s.substr(10);
    bool matched = false;
    for (const std::string_view kind : {"abs/", "pdf/", "html/", "format/", "ps/"}) {
      if (istarts_with(s, kind)) {
        s = s.substr(kind.size());
        matched = true;
        break;
      }
    }
    if (!matched) return std::nullopt;
    if (const std::size_t q = s.find_first_of("?#"); q != std::string_view::npos) {
      s = s.substr(0, q);
    }
    if (s.ends_with('/')) s.remove_suffix(1);
    if (s.size() > 4 && detail::iequals(s.substr(s.size() - 4), ".pdf")) s.remove_suffix(4);
  } else if (istarts_with(s, "10.48550/arxiv.")) {
    s = s.substr(15);
  } else if (istarts_with(s, "arxiv:")) {
    s = trim(s.substr(6));
  }
  if (s.empty()) return std::nullopt;
  for (const char c : s) {
    if (is_ascii_space(c)) return std::nullopt;
  }

  std::string_view bare;
  int version = 0;
  if (!split_version(s, bare, version)) return std::nullopt;
  if (valid_new_style(bare)) return ArxivId{std::string(bare), version};
  if (auto old = old_style(bare)) return ArxivId{std::move(*old), version};
  return std::nullopt;
}

std::optional<std::string> normalise_doi(std::string_view text) {
  std::string_view s = trim(text);
  if (s.size() > 1000) return std::nullopt;
  for (const std::string_view scheme : {"https://", "http://"}) s = strip_prefix(s, scheme);
  for (const std::string_view host : {"dx.doi.org/", "doi.org/", "www.doi.org/"}) {
    s = strip_prefix(s, host);
  }
  for (const std::string_view p : {"info:doi/", "urn:doi:", "doi:", "doi "}) s = strip_prefix(s, p);
  s = trim(s);
  std::string d = percent_decode(s);
  for (char& c : d) c = ascii_lower(c);
  // Trailing punctuation from the surrounding sentence; a `)` only when unbalanced.
  while (!d.empty()) {
    const char last = d.back();
    if (last == '.' || last == ',' || last == ';' || last == ':') {
      d.pop_back();
      continue;
    }
    if (last == ')') {
      long depth = 0;
      for (const char c : d) depth += (c == '(') - (c == ')');
      if (depth < 0) {
        d.pop_back();
        continue;
      }
    }
    break;
  }
  if (!valid_doi(d)) return std::nullopt;
  return d;
}

std::vector<std::string> split_dois(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  const auto emit = [&](std::size_t end) {
    if (end > start) {
      if (auto d = normalise_doi(text.substr(start, end - start))) {
        bool seen = false;
        for (const auto& e : out) seen = seen || e == *d;
        if (!seen) out.push_back(std::move(*d));
      }
    }
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    bool split = is_ascii_space(c);
    // `;` and `,` occur inside real DOIs (old Wiley SICI "…3.0.CO;2-M"), so they only
    // separate when another DOI (or nothing) follows.
    if ((c == ',' || c == ';') && starts_doi(text.substr(i + 1))) split = true;
    if (split) {
      emit(i);
      start = i + 1;
    }
  }
  emit(text.size());
  return out;
}

std::optional<std::string> arxiv_id_from_doi(std::string_view doi) {
  const auto d = normalise_doi(doi);
  if (!d || !d->starts_with("10.48550/arxiv.")) return std::nullopt;
  auto id = parse_arxiv_id(std::string_view(*d).substr(15));
  if (!id) return std::nullopt;
  return std::move(id->id);
}

std::optional<std::string> normalise_orcid(std::string_view text) {
  std::string_view s = trim(text);
  for (const std::string_view scheme : {"https://", "http://"}) s = strip_prefix(s, scheme);
  s = strip_prefix(s, "www.");
  s = strip_prefix(s, "orcid.org/");
  s = strip_prefix(s, "orcid:");
  s = trim(s);
  if (s.ends_with('/')) s.remove_suffix(1);
  // Accept the grouped form (19 chars) or the 16 bare characters.
  std::string chars;
  if (s.size() == 19) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i == 4 || i == 9 || i == 14) {
        if (s[i] != '-') return std::nullopt;
      } else {
        chars += s[i];
      }
    }
  } else if (s.size() == 16) {
    chars = std::string(s);
  } else {
    return std::nullopt;
  }
  int total = 0;
  for (std::size_t i = 0; i < 15; ++i) {
    if (!is_ascii_digit(chars[i])) return std::nullopt;
    total = (total + (chars[i] - '0')) * 2;
  }
  const int result = (12 - total % 11) % 11;
  const char expected = result == 10 ? 'X' : static_cast<char>('0' + result);
  const char given = chars[15] == 'x' ? 'X' : chars[15];
  if (given != expected) return std::nullopt;
  chars[15] = given;
  return chars.substr(0, 4) + "-" + chars.substr(4, 4) + "-" + chars.substr(8, 4) + "-" +
         chars.substr(12, 4);
}

}  // namespace bzpeer::normalise
