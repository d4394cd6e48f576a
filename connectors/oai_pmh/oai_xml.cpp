// bzpeer — XML helpers shared by the OAI-PMH parsers (see oai_xml.hpp).
#include "connectors/oai_pmh/oai_xml.hpp"

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace bzpeer::oai::detail {

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

}  // namespace bzpeer::oai::detail
