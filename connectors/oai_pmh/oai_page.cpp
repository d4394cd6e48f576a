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
namespace detail {

constexpr std::string_view kOaiNamespace = "http://www.openarchives.org/OAI/2.0/";
constexpr unsigned int kParseOptions = pugi::parse_default | pugi::parse_fragment;

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim_view(std::string_view text) {
  while (!text.empty() && is_xml_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_xml_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string trim(std::string_view text) {
  return std::string(trim_view(text));
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char c : text) {
    if (is_xml_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string_view local_name(const char* qname) {
  const std::string_view name(qname);
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

/// The prefix of a qualified name, "" when unprefixed.
std::string_view prefix_of(std::string_view qname) {
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon);
}

bool is_element(pugi::xml_node node, std::string_view local) {
  return node.type() == pugi::node_element && local_name(node.name()) == local;
}

pugi::xml_node child_element(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (is_element(child, local)) return child;
  }
  return {};
}

pugi::xml_node first_element_child(pugi::xml_node parent) {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element) return child;
  }
  return {};
}

/// Attribute by local name (tolerates `oai:cursor="…"`), "" when absent.
std::string_view attribute_value(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_attribute attr = node.first_attribute(); attr; attr = attr.next_attribute()) {
    if (local_name(attr.name()) == local) return attr.value();
  }
  return {};
}

/// Text of the direct PCDATA/CDATA children, concatenated.
std::string direct_text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return out;
}

/// Text of all descendant PCDATA/CDATA nodes in document order (iterative: no recursion).
std::string deep_text(pugi::xml_node node) {
  std::string out;
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node child = node.last_child(); child; child = child.previous_sibling()) {
    stack.push_back(child);
  }
  while (!stack.empty()) {
    const pugi::xml_node current = stack.back();
    stack.pop_back();
    if (current.type() == pugi::node_pcdata || current.type() == pugi::node_cdata) {
      out += current.value();
    } else if (current.type() == pugi::node_element) {
      for (pugi::xml_node child = current.last_child(); child; child = child.previous_sibling()) {
        stack.push_back(child);
      }
    }
  }
  return out;
}

std::optional<long> parse_count(std::string_view text) {
  text = trim_view(text);
  if (text.empty()) return std::nullopt;
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

bool is_forbidden_control(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

std::string describe_byte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned int>(c));
  return buffer;
}

std::string at_offset(std::ptrdiff_t offset) {
  return offset >= 0 ? " at byte offset " + std::to_string(offset) : std::string{};
}

/// Parses `xml` into `doc` and checks well-formedness beyond what pugixml enforces (one
/// document element, nothing but whitespace around it, no forbidden control characters).
/// Returns the document element, or an Error (ErrorCode::parse).
Result<pugi::xml_node> load_document(std::string_view xml, pugi::xml_document& doc) {
  const pugi::xml_parse_result result = doc.load_buffer(xml.data(), xml.size(), kParseOptions);
  if (!result) {
    return fail(ErrorCode::parse, std::string("not well-formed XML: ") + result.description() +
                                      at_offset(result.offset));
  }
  // pugixml does not reject control characters. In the 8-bit encodings the raw bytes are
  // the characters (and in UTF-8 a byte below 0x20 is never part of a multi-byte sequence).
  if (result.encoding == pugi::encoding_utf8 || result.encoding == pugi::encoding_latin1) {
    for (std::size_t i = 0; i < xml.size(); ++i) {
      const auto c = static_cast<unsigned char>(xml[i]);
      if (is_forbidden_control(c)) {
        return fail(ErrorCode::parse, "not well-formed XML: control character " + describe_byte(c) +
                                          at_offset(static_cast<std::ptrdiff_t>(i)));
      }
    }
  }
  pugi::xml_node root;
  pugi::xml_node second_root;
  pugi::xml_node stray_text;
  for (pugi::xml_node child = doc.first_child(); child; child = child.next_sibling()) {
    switch (child.type()) {
      case pugi::node_element:
        if (!root) {
          root = child;
        } else if (!second_root) {
          second_root = child;
        }
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        if (!stray_text && !trim_view(child.value()).empty()) stray_text = child;
        break;
      default: break;
    }
  }
  if (!root) {
    // Same wording as pugixml gives without parse_fragment.
    pugi::xml_parse_result none;
    none.status = pugi::status_no_document_element;
    return fail(ErrorCode::parse, std::string("not well-formed XML: ") + none.description() +
                                      at_offset(static_cast<std::ptrdiff_t>(xml.size())));
  }
  if (second_root) {
    return fail(ErrorCode::parse, std::string("not well-formed XML: second top-level element <") +
                                      second_root.name() + ">" +
                                      at_offset(second_root.offset_debug() - 1));  // the '<'
  }
  if (stray_text) {
    return fail(ErrorCode::parse, "not well-formed XML: text outside the document element" +
                                      at_offset(stray_text.offset_debug()));
  }
  return root;
}

}  // namespace detail

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
