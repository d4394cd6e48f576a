#include "tools/replay_server/record_pool.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>

#include <pugixml.hpp>

namespace bzpeer::replay {
namespace {

constexpr std::string_view kOaiNs = "http://www.openarchives.org/OAI/2.0/";
constexpr std::string_view kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view name_prefix(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view{} : name.substr(0, colon);
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

pugi::xml_node child_local(const pugi::xml_node& parent, std::string_view name) {
  for (auto child : parent.children()) {
    if (child.type() == pugi::node_element && local_name(child) == name) return child;
  }
  return {};
}

pugi::xml_node first_element(const pugi::xml_node& parent) {
  for (auto child : parent.children()) {
    if (child.type() == pugi::node_element) return child;
  }
  return {};
}

/// Namespace URI bound to the node's name prefix, looked up on the node and its ancestors.
std::string namespace_of(const pugi::xml_node& node) {
  const auto prefix = name_prefix(node);
  const std::string attr = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
  for (auto n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (auto a = n.attribute(attr.c_str())) return a.value();
  }
  return {};
}

/// Schema for `ns` from an xsi:schemaLocation attribute ("ns1 url1 ns2 url2 ...").
std::string schema_of(const pugi::xml_node& node, const std::string& ns) {
  for (auto a : node.attributes()) {
    std::string_view name = a.name();
    if (name != "schemaLocation" && !name.ends_with(":schemaLocation")) continue;
    std::istringstream words{std::string(a.value())};
    std::string key;
    std::string url;
    while (words >> key >> url) {
      if (key == ns) return url;
    }
  }
  return {};
}

/// Prefix from the metadata payload's element name, as the usual formats spell it.
std::string prefix_from_payload(const pugi::xml_node& payload) {
  const std::string local{local_name(payload)};
  if (local == "dc") return "oai_dc";
  return local;
}

/// Namespace declarations `node` inherits from its ancestors, other than the OAI-PMH
/// default namespace and xsi (every response declares both on its root), as
/// ` xmlns:p="uri"` text ready to go into the start tag.
std::string inherited_namespaces(const pugi::xml_node& node) {
  std::set<std::string> seen;
  for (auto a : node.attributes()) seen.insert(a.name());
  std::string out;
  for (auto n = node.parent(); n && n.type() == pugi::node_element; n = n.parent()) {
    for (auto a : n.attributes()) {
      std::string_view name = a.name();
      if (name != "xmlns" && !name.starts_with("xmlns:")) continue;
      if (!seen.insert(std::string(name)).second) continue;
      if (name == "xmlns" && std::string_view(a.value()) == kOaiNs) continue;
      if (name == "xmlns:xsi" && std::string_view(a.value()) == kXsiNs) continue;
      out += ' ';
      out += name;
      out += "=\"";
      for (char c : std::string_view(a.value())) {
        if (c == '&')
          out += "&amp;";
        else if (c == '<')
          out += "&lt;";
        else if (c == '"')
          out += "&quot;";
        else
          out += c;
      }
      out += '"';
    }
  }
  return out;
}

/// End (one past '>') of the tag whose '<' is at `lt`, honouring quoted attribute values.
std::size_t tag_end(std::string_view text, std::size_t lt) {
  char quote = 0;
  for (std::size_t i = lt + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

bool name_ends_at(std::string_view text, std::size_t pos) {
  return pos < text.size() && (text[pos] == '>' || text[pos] == '/' || text[pos] == ' ' ||
                               text[pos] == '\t' || text[pos] == '\r' || text[pos] == '\n');
}

/// The element's exact bytes in the original `text`, located through pugixml's parse offset
/// and the matching end tag. Empty when that fails (e.g. the text was converted).
std::string_view slice_element(std::string_view text, const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto offset = node.offset_debug();
  if (offset <= 0 || static_cast<std::size_t>(offset) + name.size() > text.size()) return {};
  const auto start = static_cast<std::size_t>(offset) - 1;
  if (text[start] != '<' || text.substr(start + 1, name.size()) != name ||
      !name_ends_at(text, start + 1 + name.size())) {
    return {};
  }
  auto pos = tag_end(text, start);
  if (pos == std::string_view::npos) return {};
  if (text[pos - 2] == '/') return text.substr(start, pos - start);
  int depth = 1;
  while (true) {
    const auto lt = text.find('<', pos);
    if (lt == std::string_view::npos) return {};
    const auto rest = text.substr(lt);
    std::size_t next = std::string_view::npos;
    if (rest.starts_with("<!--")) {
      next = text.find("-->", lt);
      if (next != std::string_view::npos) next += 3;
    } else if (rest.starts_with("<![CDATA[")) {
      next = text.find("]]>", lt);
      if (next != std::string_view::npos) next += 3;
    } else if (rest.starts_with("<?")) {
      next = text.find("?>", lt);
      if (next != std::string_view::npos) next += 2;
    } else {
      next = tag_end(text, lt);
      if (next == std::string_view::npos) return {};
      if (rest.size() > name.size() + 1 && rest[1] == '/' && rest.substr(2, name.size()) == name &&
          name_ends_at(rest, 2 + name.size())) {
        if (--depth == 0) return text.substr(start, next - start);
      } else if (rest.substr(1, name.size()) == name && name_ends_at(rest, 1 + name.size()) &&
                 text[next - 2] != '/') {
        ++depth;
      }
    }
    if (next == std::string_view::npos) return {};
    pos = next;
  }
}

/// The element's bytes as captured (sliced from the original text), with the namespace
/// declarations it inherits added to its start tag so that it stands on its own. Falls back
/// to pugixml's unformatted serialisation when slicing fails.
std::string record_bytes(std::string_view text, const pugi::xml_node& node) {
  const std::string extra = inherited_namespaces(node);
  const auto slice = slice_element(text, node);
  if (!slice.empty()) {
    std::string out(slice);
    out.insert(1 + std::string_view(node.name()).size(), extra);
    return out;
  }
  pugi::xml_document tmp;
  tmp.append_copy(node);
  std::ostringstream out;
  tmp.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  std::string bytes = out.str();
  if (!extra.empty()) bytes.insert(1 + std::string_view(node.name()).size(), extra);
  return bytes;
}

void collect_records(const pugi::xml_node& node, std::vector<pugi::xml_node>& out) {
  for (auto child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const auto name = local_name(child);
    if (name == "record" &&
        (local_name(node) == "ListRecords" || local_name(node) == "GetRecord")) {
      out.push_back(child);
    } else if (name == "ListRecords" || name == "GetRecord") {
      collect_records(child, out);
    }
  }
}

}  // namespace

std::optional<MetadataFormat> known_format(std::string_view prefix) {
  if (prefix == "arXivRaw") {
    return MetadataFormat{"arXivRaw", "http://arxiv.org/OAI/arXivRaw.xsd",
                          "http://arxiv.org/OAI/arXivRaw/"};
  }
  if (prefix == "arXiv") {
    return MetadataFormat{"arXiv", "http://arxiv.org/OAI/arXiv.xsd", "http://arxiv.org/OAI/arXiv/"};
  }
  if (prefix == "arXivOld") {
    return MetadataFormat{"arXivOld", "http://arxiv.org/OAI/arXivOld.xsd",
                          "http://arxiv.org/OAI/arXivOld/"};
  }
  if (prefix == "oai_dc") {
    return MetadataFormat{"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                          "http://www.openarchives.org/OAI/2.0/oai_dc/"};
  }
  return std::nullopt;
}

bool RecordPool::load(const std::filesystem::path& dir, std::vector<std::string>& warnings) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    warnings.push_back("not a directory: " + dir.string());
    return false;
  }
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(
           dir, std::filesystem::directory_options::follow_directory_symlink, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".xml") files.push_back(it->path());
  }
  if (ec) {
    warnings.push_back("cannot read " + dir.string() + ": " + ec.message());
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) {
      warnings.push_back("cannot read " + file.string());
      continue;
    }
    add_document(text, file.string(), warnings);
  }
  finish();
  return true;
}

std::size_t RecordPool::add_document(std::string_view xml, const std::string& origin,
                                     std::vector<std::string>& warnings) {
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
  if (!parsed) {
    warnings.push_back(origin + ": not well-formed XML (" + parsed.description() + "), skipped");
    return 0;
  }
  const auto root = doc.document_element();
  if (local_name(root) != "OAI-PMH") return 0;

  std::string request_prefix;
  if (auto request = child_local(root, "request")) {
    request_prefix = trim(request.attribute("metadataPrefix").value());
  }
  std::vector<pugi::xml_node> nodes;
  collect_records(root, nodes);

  // Prefix for records without payload (deleted ones) when the request does not say.
  std::string document_prefix = request_prefix;
  for (std::size_t i = 0; document_prefix.empty() && i < nodes.size(); ++i) {
    if (auto payload = first_element(child_local(nodes[i], "metadata"))) {
      document_prefix = prefix_from_payload(payload);
    }
  }

  std::size_t added = 0;
  for (const auto& node : nodes) {
    const auto header = child_local(node, "header");
    PoolRecord rec;
    rec.identifier = trim(child_local(header, "identifier").text().get());
    rec.datestamp = trim(child_local(header, "datestamp").text().get()).substr(0, 10);
    if (rec.identifier.empty() || rec.datestamp.size() != 10) {
      warnings.push_back(origin + ": record without identifier or datestamp, skipped");
      continue;
    }
    rec.deleted = std::string_view(header.attribute("status").value()) == "deleted";
    for (auto child : header.children()) {
      if (child.type() == pugi::node_element && local_name(child) == "setSpec") {
        if (auto spec = trim(child.text().get()); !spec.empty()) rec.sets.push_back(spec);
      }
    }
    const auto payload = first_element(child_local(node, "metadata"));
    rec.prefix = request_prefix;
    if (rec.prefix.empty() && payload) rec.prefix = prefix_from_payload(payload);
    if (rec.prefix.empty()) rec.prefix = document_prefix;
    if (rec.prefix.empty()) {
      warnings.push_back(origin + ": " + rec.identifier + " has no metadata format, skipped");
      continue;
    }
    if (!formats_.contains(rec.prefix)) {
      MetadataFormat format = known_format(rec.prefix).value_or(MetadataFormat{rec.prefix, {}, {}});
      if (payload && format.ns.empty()) {
        format.ns = namespace_of(payload);
        format.schema = schema_of(payload, format.ns);
      }
      if (payload || known_format(rec.prefix)) formats_.emplace(rec.prefix, std::move(format));
    }
    rec.record_xml = record_bytes(xml, node);
    rec.header_xml = record_bytes(xml, header);
    add(std::move(rec));
    ++added;
  }
  return added;
}

void RecordPool::add(PoolRecord record) {
  if (!formats_.contains(record.prefix)) {
    formats_.emplace(record.prefix,
                     known_format(record.prefix).value_or(MetadataFormat{record.prefix, {}, {}}));
  }
  auto& by_id = records_[record.prefix];
  auto it = by_id.find(record.identifier);
  if (it == by_id.end()) {
    std::string id = record.identifier;
    by_id.emplace(std::move(id), std::move(record));
  } else if (record.datestamp >= it->second.datestamp) {
    it->second = std::move(record);
  }
}

void RecordPool::finish() {
  ordered_.clear();
  std::set<std::string> sets;
  for (const auto& [prefix, by_id] : records_) {
    auto& list = ordered_[prefix];
    list.reserve(by_id.size());
    for (const auto& [id, rec] : by_id) {
      list.push_back(&rec);
      sets.insert(rec.sets.begin(), rec.sets.end());
    }
    std::sort(list.begin(), list.end(), [](const PoolRecord* a, const PoolRecord* b) {
      return std::tie(a->datestamp, a->identifier) < std::tie(b->datestamp, b->identifier);
    });
  }
  sets_.assign(sets.begin(), sets.end());
}

std::size_t RecordPool::size() const {
  std::size_t n = 0;
  for (const auto& [prefix, by_id] : records_) n += by_id.size();
  return n;
}

std::size_t RecordPool::count(std::string_view prefix) const {
  auto it = records_.find(prefix);
  return it == records_.end() ? 0 : it->second.size();
}

bool RecordPool::has_prefix(std::string_view prefix) const {
  return count(prefix) > 0;
}

std::vector<MetadataFormat> RecordPool::formats() const {
  std::vector<MetadataFormat> out;
  for (const auto& [prefix, format] : formats_) {
    if (has_prefix(prefix)) out.push_back(format);
  }
  return out;
}

std::vector<MetadataFormat> RecordPool::formats_of(std::string_view identifier) const {
  std::vector<MetadataFormat> out;
  for (const auto& [prefix, by_id] : records_) {
    if (by_id.contains(identifier)) out.push_back(formats_.at(prefix));
  }
  return out;
}

std::string RecordPool::earliest_datestamp() const {
  std::string earliest;
  for (const auto& [prefix, list] : ordered_) {
    if (!list.empty() && (earliest.empty() || list.front()->datestamp < earliest)) {
      earliest = list.front()->datestamp;
    }
  }
  return earliest;
}

const PoolRecord* RecordPool::find(std::string_view prefix, std::string_view identifier) const {
  auto p = records_.find(prefix);
  if (p == records_.end()) return nullptr;
  auto r = p->second.find(identifier);
  return r == p->second.end() ? nullptr : &r->second;
}

bool RecordPool::has_identifier(std::string_view identifier) const {
  return std::any_of(records_.begin(), records_.end(),
                     [&](const auto& entry) { return entry.second.contains(identifier); });
}

bool RecordPool::in_set(std::string_view spec, std::string_view set) {
  return spec == set ||
         (spec.size() > set.size() && spec.starts_with(set) && spec[set.size()] == ':');
}

std::vector<const PoolRecord*> RecordPool::list(const ListQuery& query) const {
  std::vector<const PoolRecord*> out;
  auto it = ordered_.find(query.prefix);
  if (it == ordered_.end()) return out;
  for (const PoolRecord* rec : it->second) {
    if (!query.from.empty() && rec->datestamp < query.from) continue;
    if (!query.until.empty() && rec->datestamp > query.until) continue;
    if (!query.set.empty() &&
        std::none_of(rec->sets.begin(), rec->sets.end(),
                     [&](const std::string& spec) { return in_set(spec, query.set); })) {
      continue;
    }
    out.push_back(rec);
  }
  return out;
}

}  // namespace bzpeer::replay
