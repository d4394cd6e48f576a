#include "tools/replay_server/oai_responses.hpp"

#include <cstdio>
#include <ctime>

namespace bzpeer::replay {

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::tm to_utc(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

std::string format_tm(const std::tm& tm, const char* format) {
  char buf[64];
  const auto n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string utc_datetime(std::chrono::system_clock::time_point t) {
  return format_tm(to_utc(t), "%Y-%m-%dT%H:%M:%SZ");
}

std::string next_utc_midnight(std::chrono::system_clock::time_point t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  return format_tm(to_utc(day + std::chrono::days{1}), "%Y-%m-%dT00:00:00Z");
}

std::string oai_envelope(std::string_view response_date, std::string_view base_url,
                         const Args& request_args, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 600);
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
      "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n";
  out += "<responseDate>";
  out += response_date;
  out += "</responseDate>\n<request";
  for (const auto& [key, value] : request_args) {
    out += ' ';
    out += key;
    out += "=\"";
    out += xml_escape(value, true);
    out += '"';
  }
  out += '>';
  out += xml_escape(base_url);
  out += "</request>\n";
  out += body;
  out += "</OAI-PMH>\n";
  return out;
}

std::string oai_error(std::string_view code, std::string_view message) {
  return "<error code=\"" + std::string(code) + "\">" + xml_escape(message) + "</error>\n";
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

bool percent_decode(std::string_view text, std::string& out, bool plus_is_space) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool parse_query(std::string_view query, Args& out) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    std::string key;
    std::string value;
    if (!percent_decode(part.substr(0, eq), key)) return false;
    if (eq != std::string_view::npos && !percent_decode(part.substr(eq + 1), value)) return false;
    out.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

}  // namespace bzpeer::replay
