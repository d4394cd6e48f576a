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

/// Pages through ListRecords over an HttpClient the caller owns.
///
/// Callers must know:
/// - Construct the HttpClient with ClientOptions::validate_body = bzpeer::oai::is_well_formed_xml
///   (wrapped in a lambda or passed directly) so that truncated or corrupted bodies are
///   retried by the HttpClient; OaiClient does not set it (it only borrows the client).
/// - OAI <error> responses are not Errors: check OaiPage::errors (noRecordsMatch = empty
///   window, badResumptionToken = restart the list from first_page_url with `from`).
/// - Records skipped by the parser are in OaiPage::skipped and logged (spdlog warn).
/// - Page until OaiPage::is_last(); dedupe by SourceRecord::source_id (arXiv's new tokens
///   are re-queries, so a record can appear twice).
class OaiClient {
 public:
  /// `base_url` e.g. "https://oaipmh.arxiv.org/oai" (may already carry a query string).
  /// The HttpClient carries politeness; it must outlive the OaiClient.
  OaiClient(std::string base_url, std::string source_name, http::HttpClient& http);

  /// The URL for the first page of a list request:
  /// base?verb=ListRecords&metadataPrefix=P[&set=S][&from=F][&until=U], values URL-encoded
  /// (e.g. set "physics:hep-th" -> "physics%3Ahep-th"); empty set/from/until are left out.
  [[nodiscard]] std::string first_page_url(const ListRequest& request) const;
  /// The URL for a follow-up page: verb plus resumptionToken only (URL-encoded), as the
  /// spec requires (a request carrying a token carries nothing else).
  [[nodiscard]] std::string token_url(std::string_view token) const;

  /// Fetches and parses one ListRecords page: the first page when `token` is empty.
  /// OAI error responses are returned as a page with `errors` set (the caller decides:
  /// noRecordsMatch is an empty success). Transport/HTTP failures and unparseable
  /// bodies (after the HttpClient's retries) are Errors; an unparseable body gives
  /// ErrorCode::parse with a message naming the source and the URL. `request` also gives
  /// the format copied into each SourceRecord (metadata_prefix), also on token pages.
  [[nodiscard]] Result<OaiPage> list_records(const ListRequest& request, std::string_view token);

 private:
  std::string base_url_;
  std::string source_name_;
  http::HttpClient& http_;
};

}  // namespace bzpeer::oai
