#include "connectors/arxiv_atom/atom_connector.hpp"

#include <spdlog/spdlog.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "connectors/crossref/rest_support.hpp"

namespace bzpeer::atom {
namespace {

std::string_view local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(name);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (auto c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  }
  return {};
}

std::string trimmed(const char* text) {
  std::string_view s(text);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

/// "http://arxiv.org/abs/hep-th/9901001v2" -> "hep-th/9901001".
std::string versionless_id(std::string_view id) {
  if (auto abs = id.find("/abs/"); abs != std::string_view::npos) id = id.substr(abs + 5);
  auto v = id.rfind('v');
  if (v != std::string_view::npos && v + 1 < id.size() &&
      std::all_of(id.begin() + static_cast<std::ptrdiff_t>(v) + 1, id.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    id = id.substr(0, v);
  }
  return std::string(id);
}

/// The entry as its own document, with the feed's namespace declarations copied onto it.
std::string standalone_entry(pugi::xml_node feed, pugi::xml_node entry) {
  pugi::xml_document doc;
  auto copy = doc.append_copy(entry);
  for (auto attr : feed.attributes()) {
    std::string_view name = attr.name();
    if (name != "xmlns" && name.rfind("xmlns:", 0) != 0) continue;
    if (!copy.attribute(attr.name())) copy.append_attribute(attr.name()) = attr.value();
  }
  if (!copy.attribute("xmlns")) copy.append_attribute("xmlns") = "http://www.w3.org/2005/Atom";
  if (!copy.attribute("xmlns:arxiv")) {
    copy.append_attribute("xmlns:arxiv") = "http://arxiv.org/schemas/atom";
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

/// The summary of an error feed's error entry, if the feed is one.
std::optional<std::string> error_summary(pugi::xml_node feed) {
  for (auto e : feed.children()) {
    if (e.type() != pugi::node_element || local_name(e.name()) != "entry") continue;
    std::string id = trimmed(child(e, "id").child_value());
    if (id.find("/api/errors") != std::string::npos) {
      std::string summary = trimmed(child(e, "summary").child_value());
      return summary.empty() ? id : summary;
    }
  }
  return std::nullopt;
}

std::string compact_date(const std::string& iso, const char* time) {
  std::string out;
  for (char c : iso.substr(0, 10)) {
    if (c != '-') out += c;
  }
  return out + time;
}

}  // namespace

AtomConnector::AtomConnector(AtomConnectorOptions options, http::HttpClient& http)
    : options_(std::move(options)), http_(http) {
  options_.max_results = std::clamp(options_.max_results, 1, kMaxResultsPerPage);
  options_.max_total = std::clamp(options_.max_total, 1, kMaxResultsPerQuery);
}

std::string AtomConnector::page_url(long long start, int max_results) const {
  std::string query = options_.search_query;
  if (!options_.window.from.empty() || !options_.window.until.empty()) {
    std::string from =
        options_.window.from.empty() ? "199101010000" : compact_date(options_.window.from, "0000");
    std::string until = options_.window.until.empty() ? "299912312359"
                                                      : compact_date(options_.window.until, "2359");
    std::string range = "lastUpdatedDate:[" + from + " TO " + until + "]";
    query = query.empty() ? range : "(" + query + ") AND " + range;
  }
  return rest::with_query(options_.base_url, {{"search_query", query},
                                              {"start", std::to_string(start)},
                                              {"max_results", std::to_string(max_results)},
                                              {"sortBy", options_.sort_by},
                                              {"sortOrder", options_.sort_order}});
}

Result<ConnectorPage> AtomConnector::next_page(const std::string& state) {
  const long long start = state.empty() ? 0 : std::atoll(state.c_str());
  const int want =
      static_cast<int>(std::min<long long>(options_.max_results, options_.max_total - start));
  ConnectorPage out;
  if (want <= 0) {  // a resumed state already at the cap
    out.last = true;
    out.complete_until = options_.window.until;
    return out;
  }
  const std::string url = page_url(start, want);
  const std::string shown = http::redact_url(url);
  ++stats_.requests;
  auto response = http_.get(url);
  if (!response) return std::unexpected(response.error());

  pugi::xml_document doc;
  auto parsed = doc.load_buffer(response->body.data(), response->body.size());
  auto feed = doc.document_element();
  if (parsed && local_name(feed.name()) == "feed") {
    if (auto summary = error_summary(feed)) {
      return fail(ErrorCode::protocol, "arXiv API error for GET " + shown + " (HTTP " +
                                           std::to_string(response->status) + "): " + *summary);
    }
  }
  if (response->status >= 400) {
    return fail(ErrorCode::http_permanent, "GET " + shown + ": HTTP " +
                                               std::to_string(response->status) + ": " +
                                               rest::excerpt(response->body));
  }
  if (!parsed || local_name(feed.name()) != "feed") {
    return fail(ErrorCode::parse,
                "GET " + shown + ": not an Atom feed: " + rest::excerpt(response->body));
  }
  long long total = std::atoll(child(feed, "totalResults").child_value());
  long long entries = 0;
  for (auto e : feed.children()) {
    if (e.type() != pugi::node_element || local_name(e.name()) != "entry") continue;
    ++entries;
    std::string id = trimmed(child(e, "id").child_value());
    if (id.empty()) {
      out.skipped.push_back("arxiv-atom " + shown + ": entry " + std::to_string(entries) +
                            " has no <id>");
      continue;
    }
    SourceRecord r;
    r.source = options_.source_name;
    r.format = "arxiv-atom";
    r.source_id = versionless_id(id);
    r.datestamp = trimmed(child(e, "updated").child_value());
    r.payload = standalone_entry(feed, e);
    out.records.push_back(std::move(r));
  }
  if (!out.records.empty()) {
    std::string signature = out.records.front().source_id + " " + out.records.back().source_id;
    if (signature == previous_page_) {
      return fail(ErrorCode::protocol, "GET " + shown + ": the same entries again (" + signature +
                                           ") for a later start; stopping to avoid a loop");
    }
    previous_page_ = std::move(signature);
  }
  const long long next = start + entries;
  const long long end = std::min<long long>(total, options_.max_total);
  if (entries == 0 || next >= end) {
    if (entries == 0 && start < end) {
      spdlog::warn("{}: empty feed at start={} although totalResults={}; ending the window",
                   options_.source_name, start, total);
    }
    if (total > options_.max_total) {
      out.skipped.push_back("arxiv-atom " + shown + ": " +
                            std::to_string(total - options_.max_total) + " results beyond the " +
                            std::to_string(options_.max_total) +
                            "-result limit not harvested; narrow the query or use OAI-PMH");
    }
    out.last = true;
    out.complete_until =
        options_.window.until.empty() ? rest::server_date(*response) : options_.window.until;
  } else {
    out.next_state = std::to_string(next);
  }
  return out;
}

}  // namespace bzpeer::atom
