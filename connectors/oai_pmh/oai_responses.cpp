// bzpeer — Identify, ListMetadataFormats and ListSets responses (see oai_responses.hpp).
#include "connectors/oai_pmh/oai_responses.hpp"

#include <exception>
#include <new>
#include <utility>

#include "connectors/oai_pmh/oai_xml.hpp"

namespace bzpeer::oai {
namespace {

using namespace detail;

/// The OAI-PMH document element of `xml`, with responseDate and errors read into `date`
/// and `errors`; the element named `verb` (or a null node) is handed to `read`.
template <class Read>
Result<void> read_response(std::string_view xml, std::string_view verb, std::string& date,
                           std::vector<OaiError>& errors, Read&& read) {
  try {
    pugi::xml_document doc;
    auto root = load_document(xml, doc);
    if (!root) return std::unexpected(std::move(root.error()));
    if (local_name(root->name()) != "OAI-PMH") {
      return fail(ErrorCode::parse, std::string("not an OAI-PMH response: document element is <") +
                                        root->name() + ">");
    }
    for (pugi::xml_node child = root->first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = local_name(child.name());
      if (name == "responseDate") {
        if (date.empty()) date = trim(direct_text(child));
      } else if (name == "error") {
        OaiError error;
        error.code_text = trim(attribute_value(child, "code"));
        error.code = oai_error_code_from_string(error.code_text);
        error.message = collapse_whitespace(deep_text(child));
        errors.push_back(std::move(error));
      } else if (name == verb) {
        read(child);
      }
    }
    return {};
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::parse, "out of memory while parsing an OAI-PMH " + std::string(verb) +
                                      " response of " + std::to_string(xml.size()) + " bytes");
  } catch (const std::exception& e) {
    return fail(ErrorCode::parse,
                "cannot parse OAI-PMH " + std::string(verb) + " response: " + e.what());
  }
}

std::string child_text(pugi::xml_node parent, std::string_view local) {
  return trim(deep_text(child_element(parent, local)));
}

}  // namespace

Result<IdentifyInfo> parse_identify(std::string_view xml) {
  IdentifyInfo info;
  auto r = read_response(xml, "Identify", info.response_date, info.errors, [&](pugi::xml_node n) {
    for (pugi::xml_node child = n.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = local_name(child.name());
      const std::string text = trim(direct_text(child));
      if (name == "repositoryName") {
        info.repository_name = collapse_whitespace(text);
      } else if (name == "baseURL") {
        info.base_url = text;
      } else if (name == "protocolVersion") {
        info.protocol_version = text;
      } else if (name == "adminEmail") {
        if (!text.empty()) info.admin_emails.push_back(text);
      } else if (name == "earliestDatestamp") {
        info.earliest_datestamp = text;
      } else if (name == "deletedRecord") {
        info.deleted_record = text;
      } else if (name == "granularity") {
        info.granularity_text = text;
      } else if (name == "compression") {
        if (!text.empty()) info.compression.push_back(text);
      }
    }
  });
  if (!r) return std::unexpected(std::move(r.error()));
  info.granularity = granularity_from_string(info.granularity_text);
  return info;
}

Result<MetadataFormatsPage> parse_list_metadata_formats(std::string_view xml) {
  MetadataFormatsPage page;
  auto r = read_response(
      xml, "ListMetadataFormats", page.response_date, page.errors, [&](pugi::xml_node n) {
        for (pugi::xml_node f = n.first_child(); f; f = f.next_sibling()) {
          if (f.type() != pugi::node_element || local_name(f.name()) != "metadataFormat") {
            continue;
          }
          MetadataFormatInfo info{child_text(f, "metadataPrefix"), child_text(f, "schema"),
                                  child_text(f, "metadataNamespace")};
          if (!info.prefix.empty()) page.formats.push_back(std::move(info));
        }
      });
  if (!r) return std::unexpected(std::move(r.error()));
  return page;
}

Result<SetsPage> parse_list_sets(std::string_view xml) {
  SetsPage page;
  auto r = read_response(xml, "ListSets", page.response_date, page.errors, [&](pugi::xml_node n) {
    for (pugi::xml_node s = n.first_child(); s; s = s.next_sibling()) {
      if (s.type() != pugi::node_element) continue;
      const std::string_view name = local_name(s.name());
      if (name == "set") {
        SetInfo info{child_text(s, "setSpec"), collapse_whitespace(child_text(s, "setName"))};
        if (!info.spec.empty()) page.sets.push_back(std::move(info));
      } else if (name == "resumptionToken" && !page.token) {
        ResumptionToken token;
        token.value = trim(direct_text(s));
        token.expiration_date = trim(attribute_value(s, "expirationDate"));
        token.cursor = parse_count(attribute_value(s, "cursor"));
        token.complete_list_size = parse_count(attribute_value(s, "completeListSize"));
        page.token = std::move(token);
      }
    }
  });
  if (!r) return std::unexpected(std::move(r.error()));
  return page;
}

Granularity granularity_from_string(std::string_view text) noexcept {
  return trim_view(text) == "YYYY-MM-DDThh:mm:ssZ" ? Granularity::seconds : Granularity::day;
}

std::string format_bound(std::string_view date, Granularity granularity, bool is_until) {
  if (date.empty()) return {};
  const std::string day(date.substr(0, 10));
  if (granularity == Granularity::day) return day;
  return day + (is_until ? "T23:59:59Z" : "T00:00:00Z");
}

std::string clamp_from(std::string_view from, std::string_view earliest) {
  if (from.empty() || earliest.size() < 10) return std::string(from);
  const std::string_view earliest_day = earliest.substr(0, 10);
  if (from.substr(0, 10) < earliest_day) return std::string(earliest_day);
  return std::string(from);
}

}  // namespace bzpeer::oai
