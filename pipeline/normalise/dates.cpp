// bzpeer — RFC 822 dates to ISO 8601, ISO date validation.
#include "pipeline/normalise/dates.hpp"

#include <array>
#include <chrono>

#include "pipeline/normalise/detail.hpp"

namespace bzpeer::normalise {
namespace {

using detail::is_ascii_alpha;
using detail::is_ascii_digit;
using detail::is_ascii_space;

constexpr std::array<std::string_view, 12> kMonths{"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};

constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

/// A tiny cursor over the input.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  [[nodiscard]] bool done() const noexcept { return i >= s.size(); }
  [[nodiscard]] char peek() const noexcept { return i < s.size() ? s[i] : '\0'; }
  void skip_spaces() noexcept {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
  }
  std::string_view word() noexcept {
    const std::size_t b = i;
    while (i < s.size() && is_ascii_alpha(s[i])) ++i;
    return s.substr(b, i - b);
  }
  /// Reads 1..max_len digits; returns -1 when there are none or too many.
  int number(std::size_t min_len, std::size_t max_len) noexcept {
    const std::size_t b = i;
    int v = 0;
    while (i < s.size() && is_ascii_digit(s[i])) {
      if (i - b >= max_len) return -1;
      v = v * 10 + (s[i] - '0');
      ++i;
    }
    return (i - b >= min_len) ? v : -1;
  }
};

/// Month number 1–12 from "Apr", "april", "Sept"… or 0.
unsigned month_from_name(std::string_view w) noexcept {
  if (w.size() < 3) return 0;
  const std::string lower = detail::ascii_lowered(w);
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (kMonths[m].starts_with(lower)) return static_cast<unsigned>(m + 1);
  }
  return 0;
}

bool is_weekday(std::string_view w) noexcept {
  if (w.size() < 3) return false;
  const std::string lower = detail::ascii_lowered(w.substr(0, 3));
  for (const auto d : kWeekdays) {
    if (d == lower) return true;
  }
  return false;
}

/// Zone offset in minutes east of UTC, or nullopt for an unknown zone.
std::optional<int> zone_offset(Cursor& c) {
  if (c.done()) return 0;
  const char sign = c.peek();
  if (sign == '+' || sign == '-') {
    ++c.i;
    const std::size_t b = c.i;
    const int hhmm = c.number(4, 4);
    if (hhmm < 0 || c.i - b != 4) return std::nullopt;
    const int minutes = (hhmm / 100) * 60 + hhmm % 100;
    if (hhmm / 100 > 23 || hhmm % 100 > 59) return std::nullopt;
    return sign == '+' ? minutes : -minutes;
  }
  const std::string z = detail::ascii_lowered(c.word());
  if (z == "gmt" || z == "ut" || z == "utc" || z == "z") return 0;
  if (z == "est") return -5 * 60;
  if (z == "edt") return -4 * 60;
  if (z == "cst") return -6 * 60;
  if (z == "cdt") return -5 * 60;
  if (z == "mst") return -7 * 60;
  if (z == "mdt") return -6 * 60;
  if (z == "pst") return -8 * 60;
  if (z == "pdt") return -7 * 60;
  return std::nullopt;
}

void append_padded(std::string& out, long value, int width) {
  std::array<char, 12> buf{};
  int n = 0;
  auto v = static_cast<unsigned long>(value < 0 ? 0 : value);
  do {
    buf[static_cast<std::size_t>(n++)] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 && n < 11);
  for (int k = n; k < width; ++k) out += '0';
  while (n > 0) out += buf[static_cast<std::size_t>(--n)];
}

bool valid_ymd(int y, int m, int d) noexcept {
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 && ymd.ok();
}

}  // namespace

std::optional<std::string> rfc822_to_iso(std::string_view text) {
  Cursor c{detail::trim(text)};
  if (c.s.size() > 100) return std::nullopt;
  // Optional weekday, with or without a comma.
  if (is_ascii_alpha(c.peek())) {
    if (!is_weekday(c.word())) return std::nullopt;
    c.skip_spaces();
    if (c.peek() == ',') ++c.i;
    c.skip_spaces();
  }
  const int day = c.number(1, 2);
  if (day < 0) return std::nullopt;
  const auto separator = [&c] {
    const std::size_t b = c.i;
    c.skip_spaces();
    if (c.i == b && c.peek() == '-') ++c.i;
    return c.i > b;
  };
  if (!separator()) return std::nullopt;
  const unsigned month = month_from_name(c.word());
  if (month == 0) return std::nullopt;
  if (c.peek() == '.') ++c.i;  // "Sept."
  if (!separator()) return std::nullopt;
  const std::size_t year_start = c.i;
  int year = c.number(2, 4);
  if (year < 0 || c.i - year_start == 3) return std::nullopt;
  if (c.i - year_start == 2) year += year < 50 ? 2000 : 1900;
  if (!valid_ymd(year, static_cast<int>(month), day)) return std::nullopt;

  c.skip_spaces();
  std::string out;
  if (c.done()) {  // a date without a time
    append_padded(out, year, 4);
    out += '-';
    append_padded(out, month, 2);
    out += '-';
    append_padded(out, day, 2);
    return out;
  }
  const int hh = c.number(1, 2);
  if (hh < 0 || c.peek() != ':') return std::nullopt;
  ++c.i;
  const int mi = c.number(2, 2);
  if (mi < 0) return std::nullopt;
  int ss = 0;
  if (c.peek() == ':') {
    ++c.i;
    ss = c.number(2, 2);
    if (ss < 0) return std::nullopt;
  }
  if (hh > 23 || mi > 59 || ss > 60) return std::nullopt;
  c.skip_spaces();
  const auto offset = zone_offset(c);
  if (!offset) return std::nullopt;
  c.skip_spaces();
  if (!c.done()) return std::nullopt;

  using namespace std::chrono;
  const sys_seconds local =
      sys_days{year_month_day{std::chrono::year{year}, std::chrono::month{month},
                              std::chrono::day{static_cast<unsigned>(day)}}} +
      hours{hh} + minutes{mi} + seconds{ss};
  const sys_seconds utc = local - minutes{*offset};
  const auto day_point = floor<days>(utc);
  const year_month_day ymd{day_point};
  const hh_mm_ss<seconds> tod{utc - day_point};
  const int out_year = static_cast<int>(ymd.year());
  if (out_year < 1000 || out_year > 9999) return std::nullopt;
  append_padded(out, out_year, 4);
  out += '-';
  append_padded(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_padded(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  append_padded(out, tod.hours().count(), 2);
  out += ':';
  append_padded(out, tod.minutes().count(), 2);
  out += ':';
  append_padded(out, tod.seconds().count(), 2);
  out += 'Z';
  return out;
}

std::optional<std::string> validate_iso_date(std::string_view text) {
  const auto digits = [&text](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t k = from; k < from + n; ++k) {
      if (!is_ascii_digit(text[k])) return -1;
      v = v * 10 + (text[k] - '0');
    }
    return v;
  };
  const std::size_t n = text.size();
  if (n != 4 && n != 7 && n != 10 && n != 20) return std::nullopt;
  const int y = digits(0, 4);
  if (y < 1) return std::nullopt;
  if (n >= 7) {
    if (text[4] != '-') return std::nullopt;
    const int m = digits(5, 2);
    if (m < 1 || m > 12) return std::nullopt;
    if (n >= 10) {
      if (text[7] != '-') return std::nullopt;
      const int d = digits(8, 2);
      if (d < 1 || !valid_ymd(y, m, d)) return std::nullopt;
    }
    if (n == 20) {
      if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') {
        return std::nullopt;
      }
      const int hh = digits(11, 2);
      const int mi = digits(14, 2);
      const int ss = digits(17, 2);
      if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60) return std::nullopt;
    }
  }
  return std::string(text);
}

int year_of(std::string_view iso_date) noexcept {
  if (iso_date.size() < 4) return 0;
  if (iso_date.size() > 4 && is_ascii_digit(iso_date[4])) return 0;
  int y = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (!is_ascii_digit(iso_date[k])) return 0;
    y = y * 10 + (iso_date[k] - '0');
  }
  return y;
}

}  // namespace bzpeer::normalise
