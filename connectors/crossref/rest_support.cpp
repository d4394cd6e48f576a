#include "connectors/crossref/rest_support.hpp"

#include <simdjson.h>

#include <cstdio>
#include <ctime>

namespace bzpeer::rest {

std::string url_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string with_query(std::string base,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  char sep = base.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    base += sep;
    base += name;
    base += '=';
    base += url_encode(value);
    sep = '&';
  }
  return base;
}

std::string server_date(const http::Response& response) {
  std::tm tm{};
  bool parsed = false;
  if (auto it = response.headers.find("date"); it != response.headers.end()) {
    // RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    parsed = strptime(it->second.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) != nullptr;
  }
  if (!parsed) {
    std::time_t now = std::time(nullptr);
    gmtime_r(&now, &tm);
  }
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool is_json_document(const std::string& body) noexcept {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(body).get(root) == simdjson::SUCCESS;
}

std::string excerpt(std::string_view body, std::size_t max) {
  std::string out;
  for (char c : body.substr(0, max)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (body.size() > max) out += "…";
  return out;
}

}  // namespace bzpeer::rest
