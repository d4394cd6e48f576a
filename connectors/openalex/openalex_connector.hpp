// bzpeer — OpenAlex API (/works) as a Connector.
#pragma once

#include "connectors/connector.hpp"
#include "connectors/http/http_client.hpp"

namespace bzpeer::openalex {

struct OpenAlexConnectorOptions {
  /// "https://api.openalex.org/works" (a list), or one work "…/works/W2741809807".
  std::string base_url = "https://api.openalex.org/works";
  std::string source_name;
  std::string api_key;   ///< sent as `api_key=` (redacted from logs); "" = none
  std::string mailto;    ///< the older polite pool, sent as `mailto=`
  int per_page = 200;    ///< 1..200
  std::string filter;    ///< extra filters, "authorships.author.id:A5023888391,type:article"
  std::string search;    ///< optional `search=`
  HarvestWindow window;  ///< from_updated_date / to_updated_date
};

/// Cursor paging (`cursor=*`, then `meta.next_cursor` until it is null), incremental by
/// `from_updated_date`.
///
/// State = "<results so far>:<cursor>". Records: format "openalex", source_id = the
/// short work id ("W2741809807"), datestamp = `updated_date`, payload = the work
/// re-serialised as minified JSON.
///
/// Merged works: OpenAlex answers a merged-away id with a 301 to the surviving work; the
/// HTTP client follows it and the record carries the survivor's id (taken from the body,
/// never from the requested URL), so the merged id never enters the store.
///
/// A page with the same first and last work as the previous one is ErrorCode::protocol
/// (a server ignoring the cursor would loop for ever).
///
/// Errors: a 4xx is ErrorCode::http_permanent with OpenAlex's `error`/`message` (or the
/// body); a 200 that is neither a work list nor a work is ErrorCode::parse.
class OpenAlexConnector final : public Connector {
 public:
  OpenAlexConnector(OpenAlexConnectorOptions options, http::HttpClient& http);
  [[nodiscard]] Result<ConnectorPage> next_page(const std::string& state) override;
  [[nodiscard]] ConnectorStats stats() const override { return stats_; }

  [[nodiscard]] std::string page_url(const std::string& cursor) const;

 private:
  OpenAlexConnectorOptions options_;
  http::HttpClient& http_;
  ConnectorStats stats_;
  std::string previous_page_;  ///< first and last id of the previous page
};

/// "https://openalex.org/W123" -> "W123" (anything without a slash is returned as is).
[[nodiscard]] std::string short_id(std::string_view id);

}  // namespace bzpeer::openalex
