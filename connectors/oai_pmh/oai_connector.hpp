// bzpeer — OAI-PMH ListRecords as a Connector (arXivRaw, arXiv, oai_dc).
#pragma once

#include <optional>

#include "connectors/connector.hpp"
#include "connectors/oai_pmh/oai_client.hpp"

namespace bzpeer::oai {

struct OaiConnectorOptions {
  std::string base_url;
  std::string source_name;
  std::string metadata_prefix = "arXivRaw";
  std::string set;
  HarvestWindow window;        ///< dates YYYY-MM-DD; sent in the repository's granularity
  int max_token_restarts = 3;  ///< badResumptionToken restarts of the window
};

/// State = the resumption token.
///
/// - Before its first request without a token (the first page of the window, or a restart),
///   the connector asks Identify once: `from`/`until` are sent in the granularity it
///   declares (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ covering whole days), and `from` is
///   raised to earliestDatestamp when it lies before it. Both are logged. A run that
///   resumes from a stored token sends no Identify until it needs a first page. An
///   Identify that fails at the transport level fails the page (temporary); one that
///   answers an OAI error or garbage is logged and day granularity is assumed.
/// - noRecordsMatch is an empty, last page.
/// - An expired token (badResumptionToken) restarts the window from its `from` — not the
///   whole harvest — at most `max_token_restarts` times; records seen again are recognised
///   as unchanged by the store.
/// - A token equal to the one just sent is ErrorCode::protocol (a loop).
/// - Any other OAI error is ErrorCode::protocol naming the URL, code and message.
class OaiConnector final : public Connector {
 public:
  OaiConnector(OaiConnectorOptions options, http::HttpClient& http);
  [[nodiscard]] Result<ConnectorPage> next_page(const std::string& state) override;
  [[nodiscard]] ConnectorStats stats() const override { return stats_; }
  /// What Identify said, once it was asked (nullopt before, or when it failed).
  [[nodiscard]] const std::optional<IdentifyInfo>& identify_info() const { return identify_; }

 private:
  /// The first-page request of the window, asking Identify first if not done yet.
  [[nodiscard]] Result<ListRequest> window_request();

  OaiConnectorOptions options_;
  OaiClient client_;
  ConnectorStats stats_;
  std::optional<IdentifyInfo> identify_;
  std::optional<ListRequest> window_request_;
};

}  // namespace bzpeer::oai
