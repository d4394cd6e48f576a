// bzpeer — the HTTP API's query parameter checks.
#include "tools/server/api_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace bzpeer::server {
namespace {

Result<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return fail(ErrorCode::invalid_argument, "");
  }
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// Quotes a value for a message, cut so an oversized value does not flood the answer.
std::string shown_value(std::string_view value) {
  constexpr std::size_t kShown = 60;
  std::string out = "\"";
  if (value.size() <= kShown) {
    out += value;
  } else {
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    out += std::string(value.substr(0, cut)) + "…";
  }
  return out + "\"";
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

Result<std::string> single_param(const Params& params, std::string_view key,
                                 std::size_t max_bytes) {
  const std::string k(key);
  const auto count = params.count(k);
  if (count == 0) return std::string();
  if (count > 1) {
    return fail(ErrorCode::invalid_argument,
                "parameter " + k + " is given " + std::to_string(count) + " times; give it once");
  }
  const std::string& value = params.find(k)->second;
  if (value.size() > max_bytes) {
    return fail(ErrorCode::invalid_argument,
                "parameter " + k + " is " + std::to_string(value.size()) + " bytes long; at most " +
                    std::to_string(max_bytes) + " are accepted");
  }
  if (!valid_utf8(value)) {
    return fail(ErrorCode::invalid_argument, "parameter " + k + " is not valid UTF-8");
  }
  return value;
}

Result<std::int64_t> int_param(const Params& params, std::string_view key, std::int64_t min,
                               std::int64_t max, std::int64_t fallback) {
  auto text = single_param(params, key, kMaxShortBytes);
  if (!text) return std::unexpected(text.error());
  if (text->empty()) return fallback;
  auto value = parse_int(trim(*text));
  if (!value || *value < min || *value > max) {
    return fail(ErrorCode::invalid_argument, "parameter " + std::string(key) +
                                                 " expects an integer from " + std::to_string(min) +
                                                 " to " + std::to_string(max) + ", got " +
                                                 shown_value(*text));
  }
  return *value;
}

Result<std::vector<std::string>> list_param(const Params& params, std::string_view key,
                                            std::string_view allowed, std::size_t max_items) {
  std::vector<std::string> out;
  auto [first, last] = params.equal_range(std::string(key));
  for (auto it = first; it != last; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) continue;
      const bool ok = item.size() <= kMaxShortBytes && std::ranges::all_of(item, [&](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) ||
                               allowed.find(c) != std::string_view::npos;
                      });
      if (!ok) {
        return fail(ErrorCode::invalid_argument,
                    "parameter " + std::string(key) + " expects letters, digits and \"" +
                        std::string(allowed) + "\" (at most " + std::to_string(kMaxShortBytes) +
                        " bytes), got " + shown_value(item));
      }
      out.emplace_back(item);
      if (out.size() > max_items) {
        return fail(ErrorCode::invalid_argument, "parameter " + std::string(key) +
                                                     " takes at most " + std::to_string(max_items) +
                                                     " values");
      }
    }
  }
  return out;
}

Result<std::vector<std::string>> text_list_param(const Params& params, std::string_view key,
                                                 std::size_t max_items) {
  std::vector<std::string> out;
  auto [first, last] = params.equal_range(std::string(key));
  for (auto it = first; it != last; ++it) {
    const std::string_view item = trim(it->second);
    if (item.empty()) continue;
    const bool ok =
        item.size() <= kMaxShortBytes && valid_utf8(item) && std::ranges::none_of(item, [](char c) {
          return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        });
    if (!ok) {
      return fail(
          ErrorCode::invalid_argument,
          "parameter " + std::string(key) + " expects text of at most " +
              std::to_string(kMaxShortBytes) + " bytes without control characters, got " +
              (valid_utf8(item) ? shown_value(item) : std::string("bytes that are not UTF-8")));
    }
    out.emplace_back(item);
    if (out.size() > max_items) {
      return fail(ErrorCode::invalid_argument, "parameter " + std::string(key) + " takes at most " +
                                                   std::to_string(max_items) + " values");
    }
  }
  return out;
}

Result<YearRange> parse_year_param(std::string_view text) {
  auto bad = [&] {
    return fail(ErrorCode::invalid_argument,
                "parameter year expects YEAR, FROM..TO, FROM.. or ..TO (years 0 to 9999), got " +
                    shown_value(text));
  };
  auto year = [](std::string_view s) -> std::optional<int> {
    auto v = parse_int(s);
    if (!v || *v < 0 || *v > 9999) return std::nullopt;
    return static_cast<int>(*v);
  };
  YearRange range;
  text = trim(text);
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) {
    auto y = year(text);
    if (!y) return bad();
    range.from = range.to = *y;
    return range;
  }
  const auto from = text.substr(0, dots), to = text.substr(dots + 2);
  if (from.empty() && to.empty()) return bad();
  if (!from.empty() && !(range.from = year(from))) return bad();
  if (!to.empty() && !(range.to = year(to))) return bad();
  if (range.from && range.to && *range.from > *range.to) return bad();
  return range;
}

}  // namespace bzpeer::server
