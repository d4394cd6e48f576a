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

std::string OaiClient::verb_url(std::string_view verb) const {
  return with_query_start(base_url_) + "verb=" + std::string(verb);
}

std::string OaiClient::first_page_url(const ListRequest& request, std::string_view verb) const {
  std::string url = verb_url(verb);
  append_argument(url, "metadataPrefix", request.metadata_prefix);
  if (!request.set.empty()) append_argument(url, "set", request.set);
  if (!request.from.empty()) append_argument(url, "from", request.from);
  if (!request.until.empty()) append_argument(url, "until", request.until);
  return url;
}

std::string OaiClient::token_url(std::string_view token, std::string_view verb) const {
  std::string url = verb_url(verb);
  append_argument(url, "resumptionToken", token);
  return url;
}

Result<http::Response> OaiClient::fetch(const std::string& url) {
  auto response = http_.get(url);
  if (!response) return std::unexpected(std::move(response.error()));
  return response;
}

Error OaiClient::unparseable(const std::string& url, const http::Response& response,
                             const Error& why) const {
  std::string where = url;
  if (!response.effective_url.empty() && response.effective_url != url) {
    where += " (redirected to " + response.effective_url + ")";
  }
  return Error{ErrorCode::parse, source_name_ + ": response to " + where + " (" +
                                     std::to_string(response.body.size()) +
                                     " bytes): " + why.message};
}

Error OaiClient::oai_failure(const std::string& url, const OaiError& error) const {
  const ErrorCode code =
      error.code == OaiErrorCode::idDoesNotExist ? ErrorCode::not_found : ErrorCode::protocol;
  return Error{code, source_name_ + ": " + url + " answered OAI error " +
                         (error.code_text.empty() ? std::string("(no code)") : error.code_text) +
                         (error.message.empty() ? std::string() : ": " + error.message)};
}

Result<OaiPage> OaiClient::list(const ListRequest& request, std::string_view token,
                                std::string_view verb) {
  const std::string url = token.empty() ? first_page_url(request, verb) : token_url(token, verb);
  auto response = fetch(url);
  if (!response) return std::unexpected(std::move(response.error()));
  auto page = parse_oai_page(response->body, source_name_, request.metadata_prefix);
  if (!page) return std::unexpected(unparseable(url, *response, page.error()));
  for (const std::string& line : page->skipped) {
    spdlog::warn("{}: {}: skipped {}", source_name_, url, line);
  }
  return page;
}

Result<OaiPage> OaiClient::list_records(const ListRequest& request, std::string_view token) {
  return list(request, token, "ListRecords");
}

Result<OaiPage> OaiClient::list_identifiers(const ListRequest& request, std::string_view token) {
  return list(request, token, "ListIdentifiers");
}

Result<IdentifyInfo> OaiClient::identify() {
  const std::string url = verb_url("Identify");
  auto response = fetch(url);
  if (!response) return std::unexpected(std::move(response.error()));
  auto info = parse_identify(response->body);
  if (!info) return std::unexpected(unparseable(url, *response, info.error()));
  if (!info->errors.empty()) {
    Error e = oai_failure(url, info->errors.front());
    e.code = ErrorCode::protocol;
    return std::unexpected(std::move(e));
  }
  return info;
}

Result<std::vector<MetadataFormatInfo>> OaiClient::list_metadata_formats(
    std::string_view identifier) {
  std::string url = verb_url("ListMetadataFormats");
  if (!identifier.empty()) append_argument(url, "identifier", identifier);
  auto response = fetch(url);
  if (!response) return std::unexpected(std::move(response.error()));
  auto page = parse_list_metadata_formats(response->body);
  if (!page) return std::unexpected(unparseable(url, *response, page.error()));
  if (!page->errors.empty()) {
    if (page->errors.front().code == OaiErrorCode::noMetadataFormats) {
      return std::vector<MetadataFormatInfo>{};
    }
    return std::unexpected(oai_failure(url, page->errors.front()));
  }
  return std::move(page->formats);
}

Result<std::vector<SetInfo>> OaiClient::list_sets() {
  std::vector<SetInfo> sets;
  std::string token;
  while (true) {
    const std::string url = token.empty() ? verb_url("ListSets") : token_url(token, "ListSets");
    auto response = fetch(url);
    if (!response) return std::unexpected(std::move(response.error()));
    auto page = parse_list_sets(response->body);
    if (!page) return std::unexpected(unparseable(url, *response, page.error()));
    if (!page->errors.empty()) {
      if (page->errors.front().code == OaiErrorCode::noSetHierarchy) return sets;
      auto e = oai_failure(url, page->errors.front());
      e.code = ErrorCode::protocol;
      return std::unexpected(std::move(e));
    }
    for (auto& s : page->sets) sets.push_back(std::move(s));
    if (page->is_last()) return sets;
    if (page->token->value == token) {
      return fail(ErrorCode::protocol, source_name_ + ": " + url +
                                           " sent the same resumption token again (\"" + token +
                                           "\"); stopping to avoid a loop");
    }
    token = page->token->value;
  }
}

Result<SourceRecord> OaiClient::get_record(std::string_view identifier,
                                           std::string_view metadata_prefix) {
  std::string url = verb_url("GetRecord");
  append_argument(url, "identifier", identifier);
  append_argument(url, "metadataPrefix", metadata_prefix);
  auto response = fetch(url);
  if (!response) return std::unexpected(std::move(response.error()));
  auto page = parse_oai_page(response->body, source_name_, metadata_prefix);
  if (!page) return std::unexpected(unparseable(url, *response, page.error()));
  if (!page->errors.empty()) return std::unexpected(oai_failure(url, page->errors.front()));
  if (page->records.empty()) {
    std::string why = page->skipped.empty() ? std::string("no <record>") : page->skipped.front();
    return fail(ErrorCode::protocol,
                source_name_ + ": " + url + " gave no usable record (" + why + ")");
  }
  return std::move(page->records.front());
}

}  // namespace bzpeer::oai
