#include "connectors/openalex/openalex_connector.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "connectors/crossref/rest_support.hpp"

namespace bzpeer::openalex {
namespace {

using simdjson::dom::element;

std::string_view string_or_empty(element e, std::string_view key) {
  std::string_view out;
  if (e[key].get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

std::pair<long long, std::string> split_state(const std::string& state) {
  if (state.empty()) return {0, "*"};
  auto colon = state.find(':');
  if (colon == std::string::npos) return {0, state};
  return {std::atoll(state.substr(0, colon).c_str()), state.substr(colon + 1)};
}

Result<SourceRecord> work_record(element work, const std::string& source, std::size_t index) {
  std::string_view id = string_or_empty(work, "id");
  if (id.empty()) return fail(ErrorCode::parse, "result " + std::to_string(index) + " has no id");
  SourceRecord r;
  r.source = source;
  r.format = "openalex";
  r.source_id = short_id(id);
  r.datestamp = std::string(string_or_empty(work, "updated_date"));
  r.payload = simdjson::minify(work);
  return r;
}

}  // namespace

std::string short_id(std::string_view id) {
  auto slash = id.rfind('/');
  return std::string(slash == std::string_view::npos ? id : id.substr(slash + 1));
}

OpenAlexConnector::OpenAlexConnector(OpenAlexConnectorOptions options, http::HttpClient& http)
    : options_(std::move(options)), http_(http) {
  options_.per_page = std::clamp(options_.per_page, 1, 200);
}

std::string OpenAlexConnector::page_url(const std::string& cursor) const {
  const bool single = options_.base_url.find("/works/") != std::string::npos;
  if (single) {
    return rest::with_query(options_.base_url,
                            {{"api_key", options_.api_key}, {"mailto", options_.mailto}});
  }
  std::string filter;
  auto add = [&filter](const std::string& f) {
    if (f.empty()) return;
    if (!filter.empty()) filter += ',';
    filter += f;
  };
  if (!options_.window.from.empty()) add("from_updated_date:" + options_.window.from);
  if (!options_.window.until.empty()) add("to_updated_date:" + options_.window.until);
  add(options_.filter);
  return rest::with_query(options_.base_url, {{"filter", filter},
                                              {"search", options_.search},
                                              {"per-page", std::to_string(options_.per_page)},
                                              {"cursor", cursor},
                                              {"api_key", options_.api_key},
                                              {"mailto", options_.mailto}});
}

Result<ConnectorPage> OpenAlexConnector::next_page(const std::string& state) {
  auto [seen, cursor] = split_state(state);
  const std::string url = page_url(cursor);
  const std::string shown = http::redact_url(url);
  ++stats_.requests;
  auto response = http_.get(url);
  if (!response) return std::unexpected(response.error());

  simdjson::dom::parser parser;
  element doc;
  const auto parsed = parser.parse(response->body).get(doc);
  if (response->status >= 400) {
    std::string detail = rest::excerpt(response->body);
    if (parsed == simdjson::SUCCESS && doc.is_object()) {
      std::string error(string_or_empty(doc, "error"));
      std::string message(string_or_empty(doc, "message"));
      if (!error.empty() || !message.empty())
        detail = error + (error.empty() ? "" : ": ") + message;
    }
    return fail(ErrorCode::http_permanent,
                "GET " + shown + ": HTTP " + std::to_string(response->status) + ": " + detail);
  }
  if (parsed != simdjson::SUCCESS || !doc.is_object()) {
    return fail(ErrorCode::parse,
                "GET " + shown + ": not a JSON object: " + rest::excerpt(response->body));
  }

  ConnectorPage out;
  auto finish_window = [&] {
    out.last = true;
    out.complete_until =
        options_.window.until.empty() ? rest::server_date(*response) : options_.window.until;
  };
  simdjson::dom::array results;
  if (doc["results"].get_array().get(results) != simdjson::SUCCESS) {
    // One work (GET /works/W…), possibly reached through a merge redirect.
    auto r = work_record(doc, options_.source_name, 0);
    if (!r) return fail(ErrorCode::parse, "GET " + shown + ": neither a work list nor a work");
    if (response->effective_url != url) {
      spdlog::info("{}: {} redirected to {} (merged work); recording {}", options_.source_name,
                   shown, http::redact_url(response->effective_url), r->source_id);
    }
    out.records.push_back(std::move(*r));
    finish_window();
    return out;
  }
  std::size_t index = 0;
  for (element work : results) {
    auto r = work_record(work, options_.source_name, index++);
    if (!r) {
      out.skipped.push_back("openalex " + shown + ": " + r.error().message);
      continue;
    }
    out.records.push_back(std::move(*r));
  }
  if (!out.records.empty()) {
    std::string signature = out.records.front().source_id + " " + out.records.back().source_id;
    if (signature == previous_page_) {
      return fail(ErrorCode::protocol, "GET " + shown + ": the same page again (" + signature +
                                           "); stopping to avoid a loop");
    }
    previous_page_ = std::move(signature);
  }
  std::string_view next;
  element meta;
  if (doc["meta"].get(meta) == simdjson::SUCCESS &&
      meta["next_cursor"].get_string().get(next) != simdjson::SUCCESS) {
    next = {};
  }
  if (index == 0 || next.empty()) {
    finish_window();
  } else {
    out.next_state = std::to_string(seen + static_cast<long long>(index)) + ":" + std::string(next);
  }
  return out;
}

}  // namespace bzpeer::openalex
