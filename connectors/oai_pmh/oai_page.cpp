// bzpeer — OAI-PMH response parsing (pugixml).
#include "connectors/oai_pmh/oai_page.hpp"

#include "connectors/oai_pmh/oai_xml.hpp"

#include <pugixml.hpp>

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bzpeer::oai {

namespace {

using namespace detail;

/// Adds to `payload` the xmlns declarations of prefixes it (or its descendants) use but do
/// not declare, copied from the nearest ancestor that declares them. The envelope's default
/// namespace (OAI-PMH) is never copied. Iterative, so deep nesting cannot overflow the stack.
void declare_inherited_namespaces(pugi::xml_node payload) {
  struct Declared {
    std::string_view prefix;  // "" = default namespace
    std::size_t depth;
  };
  std::vector<Declared> declared;
  std::vector<std::string_view> needed;
  const auto note_use = [&](std::string_view prefix) {
    if (prefix == "xml" || prefix == "xmlns") return;
    for (const Declared& d : declared) {
      if (d.prefix == prefix) return;
    }
    for (const std::string_view n : needed) {
      if (n == prefix) return;
    }
    needed.push_back(prefix);
  };

  std::vector<std::pair<pugi::xml_node, std::size_t>> stack{{payload, 0}};
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    while (!declared.empty() && declared.back().depth >= depth) declared.pop_back();
    for (pugi::xml_attribute attr = node.first_attribute(); attr; attr = attr.next_attribute()) {
      const std::string_view name = attr.name();
      if (name == "xmlns") {
        declared.push_back({std::string_view{}, depth});
      } else if (name.starts_with("xmlns:")) {
        declared.push_back({name.substr(6), depth});
      }
    }
    note_use(prefix_of(node.name()));
    for (pugi::xml_attribute attr = node.first_attribute(); attr; attr = attr.next_attribute()) {
      const std::string_view name = attr.name();
      const std::string_view prefix = prefix_of(name);
      if (name == "xmlns" || prefix == "xmlns" || prefix.empty()) continue;
      note_use(prefix);
      // xsi:type="dcterms:W3CDTF" uses a prefix in its value.
      if (local_name(attr.name()) == "type") {
        const std::string_view value_prefix = prefix_of(trim_view(attr.value()));
        if (!value_prefix.empty()) note_use(value_prefix);
      }
    }
    for (pugi::xml_node child = node.last_child(); child; child = child.previous_sibling()) {
      if (child.type() == pugi::node_element) stack.emplace_back(child, depth + 1);
    }
  }

  // Look each needed prefix up on the ancestors; add in reverse so the order is kept.
  std::vector<std::pair<std::string, std::string>> additions;
  for (const std::string_view prefix : needed) {
    const std::string attr_name =
        prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
    for (pugi::xml_node ancestor = payload.parent(); ancestor; ancestor = ancestor.parent()) {
      const pugi::xml_attribute attr = ancestor.attribute(attr_name.c_str());
      if (!attr) continue;
      const std::string_view uri = attr.value();
      if (!(prefix.empty() && (uri == kOaiNamespace || uri.empty()))) {
        additions.emplace_back(attr_name, std::string(uri));
      }
      break;
    }
  }
  for (auto it = additions.rbegin(); it != additions.rend(); ++it) {
    payload.prepend_attribute(it->first.c_str()).set_value(it->second.c_str());
  }
}

struct StringWriter final : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

std::string serialise(pugi::xml_node node) {
  StringWriter writer;
  node.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
  return std::move(writer.out);
}

struct PageBuilder {
  std::string_view source;
  std::string_view format;
  OaiPage page;
  std::size_t position = 0;  // 1-based index of the record/header being read

  void skip(std::string_view identifier, std::string reason) {
    page.skipped.push_back(
        "record " + std::to_string(position) + " (" +
        (identifier.empty() ? std::string("no identifier") : std::string(identifier)) +
        "): " + std::move(reason));
  }

  /// Fills `record` from a <header>; false (and reported) when it cannot be used.
  bool read_header(pugi::xml_node header, SourceRecord& record) {
    record.source = std::string(source);
    record.format = std::string(format);
    record.deleted = trim_view(attribute_value(header, "status")) == "deleted";
    for (pugi::xml_node child = header.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = local_name(child.name());
      if (name == "identifier") {
        if (record.source_id.empty()) record.source_id = trim(direct_text(child));
      } else if (name == "datestamp") {
        if (record.datestamp.empty()) record.datestamp = trim(direct_text(child));
      } else if (name == "setSpec") {
        std::string spec = trim(direct_text(child));
        if (!spec.empty()) record.sets.push_back(std::move(spec));
      }
    }
    if (record.source_id.empty() || record.datestamp.empty()) {
      std::string reason = record.deleted ? "deleted header without " : "header without ";
      if (record.source_id.empty() && record.datestamp.empty()) {
        reason += "identifier and datestamp";
      } else {
        reason += record.source_id.empty() ? "identifier" : "datestamp";
      }
      skip(record.source_id, std::move(reason));
      return false;
    }
    return true;
  }

  void read_record(pugi::xml_node record_node) {
    ++position;
    const pugi::xml_node header = child_element(record_node, "header");
    if (!header) {
      skip({}, "record without header");
      return;
    }
    SourceRecord record;
    if (!read_header(header, record)) return;
    if (!record.deleted) {
      const pugi::xml_node payload = first_element_child(child_element(record_node, "metadata"));
      if (!payload) {
        skip(record.source_id, "record without metadata");
        return;
      }
      declare_inherited_namespaces(payload);
      record.payload = serialise(payload);
    }
    page.records.push_back(std::move(record));
  }

  void read_header_only(pugi::xml_node header) {
    ++position;
    SourceRecord record;
    if (read_header(header, record)) page.records.push_back(std::move(record));
  }

  void read_token(pugi::xml_node node) {
    if (page.token) return;  // only the first one counts
    ResumptionToken token;
    token.value = trim(direct_text(node));
    token.expiration_date = trim(attribute_value(node, "expirationDate"));
    token.cursor = parse_count(attribute_value(node, "cursor"));
    token.complete_list_size = parse_count(attribute_value(node, "completeListSize"));
    page.token = std::move(token);
  }

  void read_list(pugi::xml_node list, bool headers_only) {
    for (pugi::xml_node child = list.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = local_name(child.name());
      if (name == "resumptionToken") {
        read_token(child);
      } else if (headers_only ? name == "header" : name == "record") {
        if (headers_only) {
          read_header_only(child);
        } else {
          read_record(child);
        }
      }
    }
  }

  void read_error(pugi::xml_node node) {
    OaiError error;
    error.code_text = trim(attribute_value(node, "code"));
    error.code = oai_error_code_from_string(error.code_text);
    error.message = collapse_whitespace(deep_text(node));
    page.errors.push_back(std::move(error));
  }
};

Result<OaiPage> parse_page(std::string_view xml, std::string_view source, std::string_view format) {
  pugi::xml_document doc;
  auto root = load_document(xml, doc);
  if (!root) return std::unexpected(std::move(root.error()));
  if (local_name(root->name()) != "OAI-PMH") {
    return fail(ErrorCode::parse,
                std::string("not an OAI-PMH response: document element is <") + root->name() + ">");
  }
  PageBuilder builder{source, format, {}, 0};
  for (pugi::xml_node child = root->first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = local_name(child.name());
    if (name == "responseDate") {
      if (builder.page.response_date.empty()) builder.page.response_date = trim(direct_text(child));
    } else if (name == "error") {
      builder.read_error(child);
    } else if (name == "ListRecords" || name == "GetRecord") {
      builder.read_list(child, false);
    } else if (name == "ListIdentifiers") {
      builder.read_list(child, true);
    }
  }
  return std::move(builder.page);
}

}  // namespace

Result<OaiPage> parse_oai_page(std::string_view xml, std::string_view source,
                               std::string_view format, std::vector<std::string>* skipped) {
  try {
    auto page = parse_page(xml, source, format);
    if (page && skipped != nullptr) {
      skipped->insert(skipped->end(), page->skipped.begin(), page->skipped.end());
    }
    return page;
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::parse, "out of memory while parsing an OAI-PMH response of " +
                                      std::to_string(xml.size()) + " bytes");
  } catch (const std::exception& e) {
    return fail(ErrorCode::parse, std::string("cannot parse OAI-PMH response: ") + e.what());
  }
}

bool is_well_formed_xml(const std::string& body) noexcept {
  try {
    pugi::xml_document doc;
    return detail::load_document(body, doc).has_value();
  } catch (...) {
    return false;
  }
}

OaiErrorCode oai_error_code_from_string(std::string_view code) noexcept {
  static constexpr std::pair<std::string_view, OaiErrorCode> kCodes[] = {
      {"badArgument", OaiErrorCode::badArgument},
      {"badResumptionToken", OaiErrorCode::badResumptionToken},
      {"badVerb", OaiErrorCode::badVerb},
      {"cannotDisseminateFormat", OaiErrorCode::cannotDisseminateFormat},
      {"idDoesNotExist", OaiErrorCode::idDoesNotExist},
      {"noRecordsMatch", OaiErrorCode::noRecordsMatch},
      {"noMetadataFormats", OaiErrorCode::noMetadataFormats},
      {"noSetHierarchy", OaiErrorCode::noSetHierarchy},
  };
  for (const auto& [text, value] : kCodes) {
    if (text == code) return value;
  }
  return OaiErrorCode::other;
}

}  // namespace bzpeer::oai
