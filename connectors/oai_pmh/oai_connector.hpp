// bzpeer — OAI-PMH ListRecords as a Connector (arXivRaw, arXiv, oai_dc).
#pragma once

#include "connectors/connector.hpp"
#include "connectors/oai_pmh/oai_client.hpp"

namespace bzpeer::oai {

struct OaiConnectorOptions {
  std::string base_url;
  std::string source_name;
  std::string metadata_prefix = "arXivRaw";
  std::string set;
  HarvestWindow window;
  int max_token_restarts = 3;  ///< badResumptionToken restarts of the window
};

/// State = the resumption token. noRecordsMatch is an empty, last page. An expired token
/// (badResumptionToken) restarts the window from its `from` — not the whole harvest —
/// at most `max_token_restarts` times; records seen again are recognised as unchanged by
/// the store. Any other OAI error is ErrorCode::protocol naming the URL, code and message.
class OaiConnector final : public Connector {
 public:
  OaiConnector(OaiConnectorOptions options, http::HttpClient& http);
  [[nodiscard]] Result<ConnectorPage> next_page(const std::string& state) override;
  [[nodiscard]] ConnectorStats stats() const override { return stats_; }

 private:
  OaiConnectorOptions options_;
  OaiClient client_;
  ConnectorStats stats_;
};

}  // namespace bzpeer::oai
