// bzpeer — Crossref REST API (/works and the other /works routes) as a Connector.
#pragma once

#include "connectors/connector.hpp"
#include "connectors/http/http_client.hpp"

namespace bzpeer::crossref {

struct CrossrefConnectorOptions {
  /// A works route: "https://api.crossref.org/works", ".../members/98/works", … A single
  /// work ("…/works/10.1000/x") is served as a one-record page.
  std::string base_url = "https://api.crossref.org/works";
  std::string source_name;
  std::string mailto;    ///< polite pool: sent as `mailto=`
  int rows = 1000;       ///< items per page, 1..1000
  std::string query;     ///< optional `query=`
  std::string filter;    ///< optional extra filters, "type:journal-article,has-orcid:true"
  HarvestWindow window;  ///< from-index-date / until-index-date
};

/// Deep paging with `cursor=*` then `next-cursor` (URL-encoded), incremental by
/// `from-index-date` — the date Crossref guarantees to move on every change.
///
/// State = "<items so far>:<cursor>". Crossref keeps one scroll cursor for a whole result
/// set, so the cursor alone repeats from page to page; the count makes each position
/// distinct. A window ends on an empty page, a page shorter than `items-per-page`, or a
/// page without `next-cursor`. Records: one per item, format "crossref", source_id = the
/// DOI (lower case), datestamp = `indexed.date-time`, payload = the item re-serialised
/// as minified JSON.
///
/// A page identical to the previous one (same cursor sent, same first and last DOI) is
/// ErrorCode::protocol: a server that ignores the cursor would otherwise loop for ever.
///
/// Errors: a 400 `validation-failure` document is ErrorCode::protocol naming each
/// failure (type, value, message); any other 4xx (e.g. a plain-text 404 "Resource not
/// found.") is ErrorCode::http_permanent with the status and the body; a 200 that is not
/// a Crossref work or work-list message is ErrorCode::parse (retried on the next run).
/// The HttpClient must be built with `return_client_errors = true` for the error
/// documents to be read (see pipeline::adapt_client_options).
class CrossrefConnector final : public Connector {
 public:
  CrossrefConnector(CrossrefConnectorOptions options, http::HttpClient& http);
  [[nodiscard]] Result<ConnectorPage> next_page(const std::string& state) override;
  [[nodiscard]] ConnectorStats stats() const override { return stats_; }

  /// The URL of the page after `cursor` ("*" for the first).
  [[nodiscard]] std::string page_url(const std::string& cursor) const;

 private:
  CrossrefConnectorOptions options_;
  http::HttpClient& http_;
  ConnectorStats stats_;
  std::string previous_cursor_, previous_page_;  ///< to catch a server repeating a page
};

}  // namespace bzpeer::crossref
