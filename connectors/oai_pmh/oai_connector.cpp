// bzpeer — OAI-PMH ListRecords as a Connector (see oai_connector.hpp).
#include "connectors/oai_pmh/oai_connector.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace bzpeer::oai {
namespace {

/// The date up to which a window is complete: its `until`, else the server's "now".
std::string complete_until(const HarvestWindow& window, const OaiPage& page) {
  return window.until.empty() ? page.response_date.substr(0, 10) : window.until;
}

}  // namespace

OaiConnector::OaiConnector(OaiConnectorOptions options, http::HttpClient& http)
    : options_(std::move(options)), client_(options_.base_url, options_.source_name, http) {}

Result<ListRequest> OaiConnector::window_request() {
  if (window_request_) return *window_request_;
  ++stats_.requests;
  auto info = client_.identify();
  Granularity granularity = Granularity::day;
  std::string earliest;
  if (info) {
    granularity = info->granularity;
    earliest = info->earliest_datestamp;
    spdlog::info("{}: Identify: \"{}\", granularity {}, earliestDatestamp {}, deletedRecord {}",
                 options_.source_name, info->repository_name,
                 info->granularity_text.empty() ? "(none)" : info->granularity_text,
                 earliest.empty() ? "(none)" : earliest,
                 info->deleted_record.empty() ? "(none)" : info->deleted_record);
    identify_ = std::move(*info);
  } else if (info.error().code == ErrorCode::transport ||
             info.error().code == ErrorCode::http_temporary) {
    return std::unexpected(std::move(info.error()));
  } else {
    spdlog::warn("{}: Identify failed ({}); assuming day granularity", options_.source_name,
                 info.error().describe());
  }
  std::string from = clamp_from(options_.window.from, earliest);
  if (from != options_.window.from) {
    spdlog::info("{}: window starts at {}, before the earliest datestamp {}; asking from {}",
                 options_.source_name, options_.window.from, earliest, from);
  }
  ListRequest request{options_.metadata_prefix, options_.set,
                      format_bound(from, granularity, false),
                      format_bound(options_.window.until, granularity, true)};
  spdlog::info("{}: window from={} until={}", options_.source_name,
               request.from.empty() ? "(open)" : request.from,
               request.until.empty() ? "(open)" : request.until);
  window_request_ = request;
  return request;
}

Result<ConnectorPage> OaiConnector::next_page(const std::string& state) {
  // Token requests carry nothing but the token, so the window's arguments only matter
  // for a first page; the format is still needed to label the records.
  ListRequest token_request{options_.metadata_prefix, options_.set, {}, {}};
  std::string token = state;
  while (true) {
    ListRequest request = token_request;
    if (token.empty()) {
      auto first = window_request();
      if (!first) return std::unexpected(std::move(first.error()));
      request = *first;
    }
    ++stats_.requests;
    auto page = client_.list_records(request, token);
    if (!page) return std::unexpected(std::move(page.error()));
    ConnectorPage out;
    if (!page->errors.empty()) {
      const auto& err = page->errors.front();
      if (err.code == OaiErrorCode::noRecordsMatch) {
        out.last = true;
        out.complete_until = complete_until(options_.window, *page);
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
      return fail(ErrorCode::protocol, options_.source_name + ": " + options_.base_url +
                                           " answered OAI error " + err.code_text + ": " +
                                           err.message);
    }
    out.records = std::move(page->records);
    out.skipped = std::move(page->skipped);
    out.last = page->is_last();
    if (out.last) {
      out.complete_until = complete_until(options_.window, *page);
    } else {
      if (page->token->value == token) {
        return fail(ErrorCode::protocol, options_.source_name + ": " + options_.base_url +
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
