// bzpeer — OAI-PMH client: builds requests and pages through ListRecords.
#pragma once

#include <optional>
#include <string>

#include "connectors/http/http_client.hpp"
#include "connectors/oai_pmh/oai_page.hpp"

namespace bzpeer::oai {

struct ListRequest {
  std::string metadata_prefix = "arXivRaw";
  std::string set;    ///< empty = no set
  std::string from;   ///< inclusive, YYYY-MM-DD, empty = none
  std::string until;  ///< inclusive, YYYY-MM-DD, empty = none
};

class OaiClient {
 public:
  /// `base_url` e.g. "https://oaipmh.arxiv.org/oai". The HttpClient carries politeness.
  OaiClient(std::string base_url, std::string source_name, http::HttpClient& http);

  /// The URL for the first page of a list request (verb=ListRecords plus arguments).
  [[nodiscard]] std::string first_page_url(const ListRequest& request) const;
  /// The URL for a follow-up page: verb plus resumptionToken only (URL-encoded), as the
  /// spec requires (a request carrying a token carries nothing else).
  [[nodiscard]] std::string token_url(std::string_view token) const;

  /// Fetches and parses one ListRecords page: the first page when `token` is empty.
  /// OAI error responses are returned as a page with `errors` set (the caller decides:
  /// noRecordsMatch is an empty success). Transport/HTTP failures and unparseable
  /// bodies (after the HttpClient's retries) are Errors.
  [[nodiscard]] Result<OaiPage> list_records(const ListRequest& request, std::string_view token);

 private:
  std::string base_url_;
  std::string source_name_;
  http::HttpClient& http_;
};

}  // namespace bzpeer::oai
