// bzpeer — XML helpers shared by the OAI-PMH parsers (oai_page.cpp, oai_responses.cpp).
// Internal to connectors/oai_pmh: pugixml never appears in a public header.
#pragma once

#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace bzpeer::oai::detail {

/// The OAI-PMH 2.0 namespace.
inline constexpr std::string_view kOaiNamespace = "http://www.openarchives.org/OAI/2.0/";

[[nodiscard]] std::string_view trim_view(std::string_view text);
[[nodiscard]] std::string trim(std::string_view text);
[[nodiscard]] std::string collapse_whitespace(std::string_view text);
/// "oai:header" -> "header".
[[nodiscard]] std::string_view local_name(const char* qname);
/// The prefix of a qualified name, "" when unprefixed.
[[nodiscard]] std::string_view prefix_of(std::string_view qname);
/// The first element child (any name), or a null node.
[[nodiscard]] pugi::xml_node first_element_child(pugi::xml_node parent);
/// The first element child with this local name, or a null node.
[[nodiscard]] pugi::xml_node child_element(pugi::xml_node parent, std::string_view local);
/// Attribute by local name, "" when absent.
[[nodiscard]] std::string_view attribute_value(pugi::xml_node node, std::string_view local);
/// Text of the direct PCDATA/CDATA children.
[[nodiscard]] std::string direct_text(pugi::xml_node node);
/// Text of all descendant PCDATA/CDATA nodes in document order.
[[nodiscard]] std::string deep_text(pugi::xml_node node);
/// A non-negative integer, or nullopt.
[[nodiscard]] std::optional<long> parse_count(std::string_view text);
/// Parses `xml` into `doc` with the checks of is_well_formed_xml(); returns the document
/// element or ErrorCode::parse naming the problem and its byte offset.
[[nodiscard]] Result<pugi::xml_node> load_document(std::string_view xml, pugi::xml_document& doc);

}  // namespace bzpeer::oai::detail
