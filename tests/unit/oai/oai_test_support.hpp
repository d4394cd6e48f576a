// bzpeer — helpers for the OAI tests: fixture loading and standalone-payload checks.
#pragma once

#include <pugixml.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bzpeer::oai::test {

inline std::filesystem::path fixture_path(std::string_view relative) {
  return std::filesystem::path(BZPEER_FIXTURES) / "oai" / relative;
}

inline std::string read_fixture(std::string_view relative) {
  const auto path = fixture_path(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Namespace prefixes used in `xml` (a serialised element) that it does not declare itself;
/// "" stands for the default namespace when unprefixed elements have none. Empty = the
/// fragment is namespace-complete and parses standalone with any namespace-aware parser.
inline std::vector<std::string> undeclared_prefixes(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return {"<not well-formed>"};
  std::vector<std::string> missing;
  // Each stack entry carries the prefixes declared on the path to it.
  std::vector<std::pair<pugi::xml_node, std::vector<std::string>>> stack;
  stack.emplace_back(doc.document_element(), std::vector<std::string>{});
  const auto prefix = [](std::string_view qname) {
    const auto colon = qname.find(':');
    return colon == std::string_view::npos ? std::string() : std::string(qname.substr(0, colon));
  };
  while (!stack.empty()) {
    auto [node, scope] = std::move(stack.back());
    stack.pop_back();
    for (auto attr : node.attributes()) {
      const std::string_view name = attr.name();
      if (name == "xmlns") scope.emplace_back("");
      if (name.starts_with("xmlns:")) scope.emplace_back(name.substr(6));
    }
    const auto check = [&](const std::string& p, bool element) {
      if (p == "xml" || p == "xmlns" || (p.empty() && !element)) return;
      for (const auto& s : scope) {
        if (s == p) return;
      }
      if (p.empty()) return;  // no default namespace is fine (unqualified elements)
      for (const auto& m : missing) {
        if (m == p) return;
      }
      missing.push_back(p);
    };
    check(prefix(node.name()), true);
    for (auto attr : node.attributes()) check(prefix(attr.name()), false);
    for (auto child : node.children()) {
      if (child.type() == pugi::node_element) stack.emplace_back(child, scope);
    }
  }
  return missing;
}

}  // namespace bzpeer::oai::test
