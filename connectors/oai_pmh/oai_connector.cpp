#include "connectors/oai_pmh/oai_connector.hpp"

#include <spdlog/spdlog.h>

namespace bzpeer::oai {

OaiConnector::OaiConnector(OaiConnectorOptions options, http::HttpClient& http)
    : options_(std::move(options)), client_(options_.base_url, options_.source_name, http) {}

Result<ConnectorPage> OaiConnector::next_page(const std::string& state) {
  ListRequest request{options_.metadata_prefix, options_.set, options_.window.from,
                      options_.window.until};
  std::string token = state;
  while (true) {
    ++stats_.requests;
    auto page = client_.list_records(request, token);
    if (!page) return std::unexpected(page.error());
    ConnectorPage out;
    if (!page->errors.empty()) {
      const auto& err = page->errors.front();
      if (err.code == OaiErrorCode::noRecordsMatch) {
        out.last = true;
        out.complete_until =
            options_.window.until.empty() ? page->response_date.substr(0, 10) : options_.window.until;
        return out;
      }
      if (err.code == OaiErrorCode::badResumptionToken && !token.empty() &&
          stats_.state_restarts < options_.max_token_restarts) {
        ++stats_.state_restarts;
        spdlog::warn("{}: resumption token rejected ({}); restarting the window from {}",
                     options_.source_name, err.message,
                     options_.window.from.empty() ? "the start" : options_.window.from);
        token.clear();
        continue;
      }
      return fail(ErrorCode::protocol, options_.base_url + " answered OAI error " + err.code_text +
                                           ": " + err.message);
    }
    out.records = std::move(page->records);
    out.skipped = std::move(page->skipped);
    out.last = page->is_last();
    if (out.last) {
      out.complete_until =
          options_.window.until.empty() ? page->response_date.substr(0, 10) : options_.window.until;
    } else {
      if (page->token->value == token) {
        return fail(ErrorCode::protocol, options_.base_url +
                                             " sent the same resumption token again (\"" + token +
                                             "\"); stopping to avoid a loop");
      }
      out.next_state = page->token->value;
      out.next_state_expires = page->token->expiration_date;
    }
    return out;
  }
}

}  // namespace bzpeer::oai
