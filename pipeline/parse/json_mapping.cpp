#include "pipeline/parse/json_mapping.hpp"

#include <cstdio>
#include <cstring>

namespace bzpeer::parse::detail {
namespace {

void append_utf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Decodes the entity at text[i] == '&'; returns the bytes consumed (0 = not an entity).
std::size_t decode_entity(std::string_view text, std::size_t i, std::string& out) {
  auto semi = text.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  std::string_view name = text.substr(i + 1, semi - i - 1);
  if (name == "amp") {
    out += '&';
  } else if (name == "lt") {
    out += '<';
  } else if (name == "gt") {
    out += '>';
  } else if (name == "quot") {
    out += '"';
  } else if (name == "apos") {
    out += '\'';
  } else if (name == "nbsp") {
    out += ' ';
  } else if (name.size() > 1 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    std::string digits(name.substr(hex ? 2 : 1));
    if (digits.empty()) return 0;
    char* end = nullptr;
    unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
    if (*end != '\0') return 0;
    append_utf8(out, cp);
  } else {
    return 0;
  }
  return semi - i + 1;
}

bool is_block_tag(std::string_view tag) {
  // tag is the element's local name, lower case as JATS writes it.
  for (std::string_view block : {"p", "title", "sec", "list", "list-item", "break", "br", "div",
                                 "abstract", "label", "caption", "disp-formula"}) {
    if (tag == block) return true;
  }
  return false;
}

std::string_view tag_local_name(std::string_view tag) {
  // tag: the text between '<' and '>', e.g. "/jats:p", "jats:italic toggle=\"yes\"".
  if (!tag.empty() && tag.front() == '/') tag.remove_prefix(1);
  auto end = tag.find_first_of(" \t\r\n/");
  tag = tag.substr(0, end);
  auto colon = tag.rfind(':');
  return colon == std::string_view::npos ? tag : tag.substr(colon + 1);
}

}  // namespace

std::optional<Error> check_json_limits(std::string_view what, std::string_view payload) {
  if (payload.size() > kMaxJsonRecordBytes) {
    return Error{ErrorCode::mapping, std::string(what) + " is " + std::to_string(payload.size()) +
                                         " bytes, over the limit of " +
                                         std::to_string(kMaxJsonRecordBytes) + " bytes"};
  }
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const char c = payload[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // an escaped character, possibly a quote
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonNesting) {
        return Error{ErrorCode::mapping, std::string(what) +
                                             " nests arrays and objects deeper than " +
                                             std::to_string(kMaxJsonNesting) + " levels (at byte " +
                                             std::to_string(i) + ")"};
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

od::parser& thread_parser() {
  thread_local od::parser parser;
  return parser;
}

std::string string_of(od::value value) {
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

std::string first_string(od::value value) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return {};
  if (type == od::json_type::string) return string_of(value);
  if (type != od::json_type::array) return {};
  for (auto element : value.get_array()) {
    std::string_view s;
    if (element.get_string().get(s) == simdjson::SUCCESS && !s.empty()) return std::string(s);
  }
  return {};
}

std::string strip_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool at_start = true;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '<') {
      auto close = text.find('>', i);
      if (close == std::string_view::npos) {
        out.append(text.substr(i));
        break;
      }
      std::string_view tag = text.substr(i + 1, close - i - 1);
      std::string_view name = tag_local_name(tag);
      // A leading <title>Abstract</title> is a heading, not part of the abstract.
      if (at_start && name == "title" && tag.front() != '/') {
        auto end_title = text.find("</", close);
        if (end_title != std::string_view::npos) {
          std::string_view heading = text.substr(close + 1, end_title - close - 1);
          if (heading == "Abstract" || heading == "ABSTRACT" || heading == "Summary") {
            auto after = text.find('>', end_title);
            i = after == std::string_view::npos ? text.size() : after + 1;
            continue;
          }
        }
      }
      if (is_block_tag(name)) out += ' ';
      i = close + 1;
      continue;
    }
    if (c == '&') {
      if (auto used = decode_entity(text, i, out); used > 0) {
        i += used;
        at_start = false;
        continue;
      }
    }
    if (!std::isspace(static_cast<unsigned char>(c))) at_start = false;
    out += c;
    ++i;
  }
  return out;
}

namespace {

/// Decodes one UTF-8 sequence at s[i]; returns its length, 0 when invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i, unsigned long& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = b0 < 0x80           ? 1
                    : (b0 >> 5) == 0x6  ? 2
                    : (b0 >> 4) == 0xE  ? 3
                    : (b0 >> 3) == 0x1E ? 4
                                        : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
  return len;
}

}  // namespace

std::string repair_mojibake(std::string_view text) {
  std::string latin1;
  bool high = false;
  for (std::size_t i = 0; i < text.size();) {
    unsigned long cp = 0;
    std::size_t len = utf8_sequence(text, i, cp);
    if (len == 0 || cp > 0xFF) return std::string(text);
    high = high || cp >= 0x80;
    latin1 += static_cast<char>(cp);
    i += len;
  }
  if (!high) return std::string(text);
  bool multibyte = false;
  for (std::size_t i = 0; i < latin1.size();) {
    unsigned long cp = 0;
    std::size_t len = utf8_sequence(latin1, i, cp);
    if (len == 0) return std::string(text);
    multibyte = multibyte || len > 1;
    i += len;
  }
  return multibyte ? latin1 : std::string(text);
}

std::string date_from_parts(int year, int month, int day) {
  if (year <= 0 || year > 9999) return {};
  char buf[32];
  if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  } else if (month >= 1 && month <= 12) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d", year);
  }
  return buf;
}

}  // namespace bzpeer::parse::detail
