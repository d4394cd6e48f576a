#include "connectors/crossref/crossref_connector.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "connectors/crossref/rest_support.hpp"

namespace bzpeer::crossref {
namespace {

using simdjson::dom::element;

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view string_or_empty(element e, std::string_view key) {
  std::string_view out;
  if (e[key].get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

/// "<items so far>:<cursor>" -> (count, cursor); "" -> (0, "*").
std::pair<long long, std::string> split_state(const std::string& state) {
  if (state.empty()) return {0, "*"};
  auto colon = state.find(':');
  if (colon == std::string::npos) return {0, state};
  return {std::atoll(state.substr(0, colon).c_str()), state.substr(colon + 1)};
}

/// The message of a Crossref error document, or the body itself.
Error client_error(const std::string& url, const http::Response& response) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(response.body).get(doc) == simdjson::SUCCESS && doc.is_object()) {
    std::string_view type = string_or_empty(doc, "message-type");
    simdjson::dom::array failures;
    if (doc["message"].get_array().get(failures) == simdjson::SUCCESS) {
      std::string details;
      for (element f : failures) {
        if (!details.empty()) details += "; ";
        details += std::string(string_or_empty(f, "type"));
        if (auto v = string_or_empty(f, "value"); !v.empty())
          details += " (" + std::string(v) + ")";
        if (auto m = string_or_empty(f, "message"); !m.empty()) details += ": " + std::string(m);
      }
      return Error{ErrorCode::protocol, "Crossref rejected GET " + http::redact_url(url) +
                                            ": HTTP " + std::to_string(response.status) + " " +
                                            std::string(type.empty() ? "error" : type) + ": " +
                                            details};
    }
  }
  return Error{ErrorCode::http_permanent, "GET " + http::redact_url(url) + ": HTTP " +
                                              std::to_string(response.status) + ": " +
                                              rest::excerpt(response.body)};
}

Result<SourceRecord> item_record(element item, const std::string& source, std::size_t index) {
  std::string_view doi = string_or_empty(item, "DOI");
  if (doi.empty()) {
    return fail(ErrorCode::parse, "item " + std::to_string(index) + " has no DOI");
  }
  SourceRecord r;
  r.source = source;
  r.format = "crossref";
  r.source_id = lower(doi);
  element indexed;
  if (item["indexed"].get(indexed) == simdjson::SUCCESS) {
    r.datestamp = std::string(string_or_empty(indexed, "date-time"));
  }
  r.payload = simdjson::minify(item);
  return r;
}

}  // namespace

CrossrefConnector::CrossrefConnector(CrossrefConnectorOptions options, http::HttpClient& http)
    : options_(std::move(options)), http_(http) {
  options_.rows = std::clamp(options_.rows, 1, 1000);
}

std::string CrossrefConnector::page_url(const std::string& cursor) const {
  std::string filter;
  auto add = [&filter](const std::string& f) {
    if (f.empty()) return;
    if (!filter.empty()) filter += ',';
    filter += f;
  };
  if (!options_.window.from.empty()) add("from-index-date:" + options_.window.from);
  if (!options_.window.until.empty()) add("until-index-date:" + options_.window.until);
  add(options_.filter);
  return rest::with_query(options_.base_url, {{"query", options_.query},
                                              {"filter", filter},
                                              {"rows", std::to_string(options_.rows)},
                                              {"cursor", cursor},
                                              {"mailto", options_.mailto}});
}

Result<ConnectorPage> CrossrefConnector::next_page(const std::string& state) {
  auto [seen, cursor] = split_state(state);
  const std::string url = page_url(cursor);
  ++stats_.requests;
  auto response = http_.get(url);
  if (!response) return std::unexpected(response.error());
  if (response->status >= 400) return std::unexpected(client_error(url, *response));

  const std::string shown = http::redact_url(url);
  simdjson::dom::parser parser;
  element doc;
  if (auto err = parser.parse(response->body).get(doc); err != simdjson::SUCCESS) {
    return fail(ErrorCode::parse, "GET " + shown + ": not JSON (" + simdjson::error_message(err) +
                                      "): " + rest::excerpt(response->body));
  }
  std::string_view type = string_or_empty(doc, "message-type");
  element message;
  if (doc["message"].get(message) != simdjson::SUCCESS || !message.is_object()) {
    return fail(ErrorCode::parse, "GET " + shown + ": no \"message\" object in the response");
  }

  ConnectorPage out;
  auto finish_window = [&] {
    out.last = true;
    out.complete_until =
        options_.window.until.empty() ? rest::server_date(*response) : options_.window.until;
  };
  if (type == "work") {  // a single-work route
    auto r = item_record(message, options_.source_name, 0);
    if (!r) return fail(ErrorCode::parse, "GET " + shown + ": " + r.error().message);
    out.records.push_back(std::move(*r));
    finish_window();
    return out;
  }
  if (type != "work-list") {
    return fail(ErrorCode::parse, "GET " + shown + ": expected message-type work-list, got \"" +
                                      std::string(type) + "\"");
  }
  simdjson::dom::array items;
  if (message["items"].get_array().get(items) != simdjson::SUCCESS) {
    return fail(ErrorCode::parse, "GET " + shown + ": work-list without an \"items\" array");
  }
  std::size_t index = 0;
  for (element item : items) {
    auto r = item_record(item, options_.source_name, index++);
    if (!r) {
      out.skipped.push_back("crossref " + shown + ": " + r.error().message);
      continue;
    }
    out.records.push_back(std::move(*r));
  }
  if (!out.records.empty()) {
    std::string signature = out.records.front().source_id + " " + out.records.back().source_id;
    if (cursor == previous_cursor_ && signature == previous_page_) {
      return fail(ErrorCode::protocol, "GET " + shown + ": the same page again (" + signature +
                                           ") for the same cursor; stopping to avoid a loop");
    }
    previous_cursor_ = cursor;
    previous_page_ = std::move(signature);
  }
  std::int64_t per_page = options_.rows;
  if (std::int64_t ipp = 0;
      message["items-per-page"].get_int64().get(ipp) == simdjson::SUCCESS && ipp > 0) {
    per_page = ipp;
  }
  std::string_view next;
  if (message["next-cursor"].get_string().get(next) != simdjson::SUCCESS) next = {};
  if (index == 0 || next.empty() || static_cast<std::int64_t>(index) < per_page) {
    finish_window();
  } else {
    out.next_state = std::to_string(seen + static_cast<long long>(index)) + ":" + std::string(next);
  }
  spdlog::debug("{}: crossref page with {} items (total so far {})", options_.source_name, index,
                seen + static_cast<long long>(index));
  return out;
}

}  // namespace bzpeer::crossref
