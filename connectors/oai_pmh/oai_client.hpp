// bzpeer — OAI-PMH client: the six verbs (Identify, ListMetadataFormats, ListSets,
// ListRecords, ListIdentifiers, GetRecord) over an HttpClient.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/http/http_client.hpp"
#include "connectors/oai_pmh/oai_page.hpp"
#include "connectors/oai_pmh/oai_responses.hpp"

namespace bzpeer::oai {

struct ListRequest {
  std::string metadata_prefix = "arXivRaw";
  std::string set;    ///< empty = no set
  std::string from;   ///< inclusive, in the repository's granularity, empty = none
  std::string until;  ///< inclusive, in the repository's granularity, empty = none
};

/// Speaks OAI-PMH over an HttpClient the caller owns.
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
  /// base?verb=V&metadataPrefix=P[&set=S][&from=F][&until=U], values URL-encoded
  /// (e.g. set "physics:hep-th" -> "physics%3Ahep-th"); empty set/from/until are left out.
  /// `verb` is ListRecords or ListIdentifiers.
  [[nodiscard]] std::string first_page_url(const ListRequest& request,
                                           std::string_view verb = "ListRecords") const;
  /// The URL for a follow-up page: verb plus resumptionToken only (URL-encoded), as the
  /// spec requires (a request carrying a token carries nothing else).
  [[nodiscard]] std::string token_url(std::string_view token,
                                      std::string_view verb = "ListRecords") const;

  /// Identify. An OAI error response is ErrorCode::protocol naming the URL and the code.
  [[nodiscard]] Result<IdentifyInfo> identify();
  /// ListMetadataFormats, of the repository or (with `identifier`) of one item. An unknown
  /// identifier is ErrorCode::not_found; noMetadataFormats is an empty list; other OAI
  /// errors are ErrorCode::protocol.
  [[nodiscard]] Result<std::vector<MetadataFormatInfo>> list_metadata_formats(
      std::string_view identifier = {});
  /// ListSets, following resumption tokens to the end (a token that does not change is
  /// ErrorCode::protocol). noSetHierarchy is an empty list.
  [[nodiscard]] Result<std::vector<SetInfo>> list_sets();
  /// GetRecord of one item in `metadata_prefix`. idDoesNotExist is ErrorCode::not_found,
  /// other OAI errors (cannotDisseminateFormat, ...) ErrorCode::protocol. A deleted item is
  /// a record with `deleted` set and no payload.
  [[nodiscard]] Result<SourceRecord> get_record(std::string_view identifier,
                                                std::string_view metadata_prefix);

  /// Fetches and parses one ListRecords page: the first page when `token` is empty.
  /// OAI error responses are returned as a page with `errors` set (the caller decides:
  /// noRecordsMatch is an empty success). Transport/HTTP failures and unparseable
  /// bodies (after the HttpClient's retries) are Errors; an unparseable body gives
  /// ErrorCode::parse with a message naming the source and the URL. `request` also gives
  /// the format copied into each SourceRecord (metadata_prefix), also on token pages.
  [[nodiscard]] Result<OaiPage> list_records(const ListRequest& request, std::string_view token);
  /// One ListIdentifiers page (records with header fields only, empty payloads); otherwise
  /// as list_records.
  [[nodiscard]] Result<OaiPage> list_identifiers(const ListRequest& request,
                                                 std::string_view token);

 private:
  /// GET `url`; the response, or the HttpClient's Error.
  [[nodiscard]] Result<http::Response> fetch(const std::string& url);
  /// ErrorCode::parse naming the source, the URL (and where it was redirected) and `why`.
  [[nodiscard]] Error unparseable(const std::string& url, const http::Response& response,
                                  const Error& why) const;
  [[nodiscard]] Result<OaiPage> list(const ListRequest& request, std::string_view token,
                                     std::string_view verb);
  [[nodiscard]] Error oai_failure(const std::string& url, const OaiError& error) const;
  [[nodiscard]] std::string verb_url(std::string_view verb) const;

  std::string base_url_;
  std::string source_name_;
  http::HttpClient& http_;
};

}  // namespace bzpeer::oai
