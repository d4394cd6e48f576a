// bzpeer — OAI-PMH client: request URLs and ListRecords paging.
#include "connectors/oai_pmh/oai_client.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace bzpeer::oai {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

/// `base` followed by the separator that starts (or continues) its query string.
std::string with_query_start(const std::string& base) {
  if (base.empty()) return "?";
  const char last = base.back();
  if (last == '?' || last == '&') return base;
  return base + (base.find('?') == std::string::npos ? '?' : '&');
}

void append_argument(std::string& url, std::string_view name, std::string_view value) {
  url += '&';
  url += name;
  url += '=';
  url += url_encode(value);
}

}  // namespace

OaiClient::OaiClient(std::string base_url, std::string source_name, http::HttpClient& http)
    : base_url_(std::move(base_url)), source_name_(std::move(source_name)), http_(http) {}

std::string OaiClient::first_page_url(const ListRequest& request) const {
  std::string url = with_query_start(base_url_) + "verb=ListRecords";
  append_argument(url, "metadataPrefix", request.metadata_prefix);
  if (!request.set.empty()) append_argument(url, "set", request.set);
  if (!request.from.empty()) append_argument(url, "from", request.from);
  if (!request.until.empty()) append_argument(url, "until", request.until);
  return url;
}

std::string OaiClient::token_url(std::string_view token) const {
  std::string url = with_query_start(base_url_) + "verb=ListRecords";
  append_argument(url, "resumptionToken", token);
  return url;
}

Result<OaiPage> OaiClient::list_records(const ListRequest& request, std::string_view token) {
  const std::string url = token.empty() ? first_page_url(request) : token_url(token);
  auto response = http_.get(url);
  if (!response) return std::unexpected(std::move(response.error()));

  auto page = parse_oai_page(response->body, source_name_, request.metadata_prefix);
  if (!page) {
    std::string where = url;
    if (!response->effective_url.empty() && response->effective_url != url) {
      where += " (redirected to " + response->effective_url + ")";
    }
    return fail(ErrorCode::parse, source_name_ + ": response to " + where + " (" +
                                      std::to_string(response->body.size()) +
                                      " bytes): " + page.error().message);
  }
  for (const std::string& line : page->skipped) {
    spdlog::warn("{}: {}: skipped {}", source_name_, url, line);
  }
  return page;
}

}  // namespace bzpeer::oai
