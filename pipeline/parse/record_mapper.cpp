// bzpeer — payload mappers for arXiv's OAI-PMH formats (arXivRaw, arXiv, oai_dc).
//
// Element names are matched by local name so a payload parses the same with or without
// its default namespace (hepcrawl's captures drop it on the first record).
#include "pipeline/parse/record_mapper.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstring>
#include <string>

#include "pipeline/normalise/dates.hpp"
#include "pipeline/normalise/identifiers.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::parse {
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

std::string child_text(pugi::xml_node node, std::string_view name) {
  return child(node, name).child_value();
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

Result<pugi::xml_node> load_root(pugi::xml_document& doc, std::string_view payload,
                                 std::string_view expected) {
  auto parsed = doc.load_buffer(payload.data(), payload.size(), pugi::parse_default);
  if (!parsed) {
    return fail(ErrorCode::mapping, std::string("payload is not well-formed XML: ") +
                                        parsed.description() + " at offset " +
                                        std::to_string(parsed.offset));
  }
  auto root = doc.document_element();
  if (local_name(root.name()) != expected) {
    return fail(ErrorCode::mapping,
                "expected <" + std::string(expected) + "> payload, got <" + root.name() + ">");
  }
  return root;
}

std::string date_part(std::string_view iso) {
  return std::string(iso.substr(0, 10));
}

/// Common finishing: cleaned text, DOIs, dates, year, type and venue.
void finish(Work& work, std::string_view raw_title, std::string_view raw_abstract,
            std::string_view doi_field) {
  work.title = normalise::clean_text(raw_title);
  work.abstract = normalise::clean_text(raw_abstract);
  work.dois = normalise::split_dois(doi_field);
  // nfc: XML text is not checked for UTF-8 (pugixml); bad bytes become U+FFFD here.
  work.journal_ref = normalise::nfc(normalise::collapse_whitespace(work.journal_ref));
  work.comments = normalise::nfc(normalise::collapse_whitespace(work.comments));
  work.license = normalise::nfc(work.license);
  for (auto& category : work.categories) category = normalise::nfc(category);
  work.year = normalise::year_of(work.first_date);
  work.type = WorkType::preprint;
  work.venue = "arXiv";
}

Result<std::string> required_id(pugi::xml_node root) {
  auto id = normalise::parse_arxiv_id(normalise::collapse_whitespace(child_text(root, "id")));
  if (!id) {
    return fail(ErrorCode::mapping,
                "missing or malformed <id> \"" + std::string(child_text(root, "id")) + "\"");
  }
  return id->id;
}

}  // namespace

Result<Work> map_arxiv_raw(std::string_view payload) {
  pugi::xml_document doc;
  auto root = load_root(doc, payload, "arXivRaw");
  if (!root) return std::unexpected(root.error());
  auto id = required_id(*root);
  if (!id) return std::unexpected(id.error());

  Work work;
  work.arxiv_id = *id;
  for (auto v : root->children()) {
    if (v.type() != pugi::node_element || local_name(v.name()) != "version") continue;
    WorkVersion version;
    std::string label = v.attribute("version").value();  // "v3"
    if (label.size() > 1 && (label[0] == 'v' || label[0] == 'V')) {
      version.number = std::atoi(label.c_str() + 1);
    }
    auto date = normalise::rfc822_to_iso(normalise::collapse_whitespace(child_text(v, "date")));
    if (!date) {
      return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + " version " + label +
                                          ": unparseable <date> \"" + child_text(v, "date") + "\"");
    }
    version.date = *date;
    version.size = normalise::collapse_whitespace(child_text(v, "size"));
    version.source_type = normalise::collapse_whitespace(child_text(v, "source_type"));
    work.versions.push_back(std::move(version));
  }
  if (work.versions.empty()) {
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": no <version> element");
  }
  std::ranges::sort(work.versions, {}, &WorkVersion::number);
  work.first_date = date_part(work.versions.front().date);
  work.last_date = date_part(work.versions.back().date);
  // arXivRaw flags a withdrawal version with 'I' in source_type (arXiv/oaipmh
  // serializers/create_records.py); the latest version decides.
  work.withdrawn = work.versions.back().source_type.find('I') != std::string::npos;

  work.categories = split_ws(child_text(*root, "categories"));
  work.journal_ref = child_text(*root, "journal-ref");
  work.comments = child_text(*root, "comments");
  work.license = normalise::collapse_whitespace(child_text(*root, "license"));

  for (auto& name : normalise::parse_arxiv_authors(child_text(*root, "authors"))) {
    AuthorMention m;
    m.position = static_cast<int>(work.authors.size()) + 1;
    m.printed = std::move(name.printed);
    m.given = std::move(name.given);
    m.family = std::move(name.family);
    m.suffix = std::move(name.suffix);
    m.affiliation = std::move(name.affiliation);
    m.is_collaboration = name.is_collaboration;
    work.authors.push_back(std::move(m));
  }
  finish(work, child_text(*root, "title"), child_text(*root, "abstract"), child_text(*root, "doi"));
  if (work.title.empty()) {
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": empty <title>");
  }
  return work;
}

Result<Work> map_arxiv(std::string_view payload) {
  pugi::xml_document doc;
  auto root = load_root(doc, payload, "arXiv");
  if (!root) return std::unexpected(root.error());
  auto id = required_id(*root);
  if (!id) return std::unexpected(id.error());

  Work work;
  work.arxiv_id = *id;
  std::string created = normalise::collapse_whitespace(child_text(*root, "created"));
  std::string updated = normalise::collapse_whitespace(child_text(*root, "updated"));
  if (!normalise::validate_iso_date(created)) {
    return fail(ErrorCode::mapping,
                "arXiv " + work.arxiv_id + ": missing or malformed <created> \"" + created + "\"");
  }
  work.first_date = created;
  work.last_date = normalise::validate_iso_date(updated) ? updated : created;
  work.categories = split_ws(child_text(*root, "categories"));
  work.journal_ref = child_text(*root, "journal-ref");
  work.comments = child_text(*root, "comments");
  work.license = normalise::collapse_whitespace(child_text(*root, "license"));

  for (auto a : child(*root, "authors").children()) {
    if (a.type() != pugi::node_element || local_name(a.name()) != "author") continue;
    AuthorMention m;
    m.position = static_cast<int>(work.authors.size()) + 1;
    m.family = normalise::clean_text(child_text(a, "keyname"));
    m.given = normalise::clean_text(child_text(a, "forenames"));
    m.suffix = normalise::clean_text(child_text(a, "suffix"));
    std::string affiliations;
    for (auto aff : a.children()) {
      if (aff.type() != pugi::node_element || local_name(aff.name()) != "affiliation") continue;
      if (!affiliations.empty()) affiliations += "; ";
      affiliations += normalise::clean_text(aff.child_value());
    }
    m.affiliation = std::move(affiliations);
    if (m.family.empty() && m.given.empty()) continue;
    m.printed = m.given.empty() ? m.family : m.given + " " + m.family;
    if (!m.suffix.empty()) m.printed += " " + m.suffix;
    std::string lower = normalise::fold_key(m.printed);
    m.is_collaboration = lower.find("collaboration") != std::string::npos;
    work.authors.push_back(std::move(m));
  }
  finish(work, child_text(*root, "title"), child_text(*root, "abstract"), child_text(*root, "doi"));
  if (work.title.empty()) {
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": empty <title>");
  }
  return work;
}

Result<Work> map_oai_dc(std::string_view payload, std::string_view source_id) {
  pugi::xml_document doc;
  auto root = load_root(doc, payload, "dc");
  if (!root) return std::unexpected(root.error());

  Work work;
  std::string title;
  std::string abstract;
  std::string dois;
  std::vector<std::string> dates;
  for (auto e : root->children()) {
    if (e.type() != pugi::node_element) continue;
    auto name = local_name(e.name());
    std::string value = e.child_value();
    if (name == "title" && title.empty()) {
      title = value;
    } else if (name == "creator") {
      // arXiv's oai_dc prints "Keyname, Forenames".
      AuthorMention m;
      m.position = static_cast<int>(work.authors.size()) + 1;
      std::string clean = normalise::clean_text(value);
      auto comma = clean.find(',');
      if (comma == std::string::npos) {
        auto parsed = normalise::parse_person_name(clean);
        m.given = parsed.given;
        m.family = parsed.family;
        m.suffix = parsed.suffix;
      } else {
        m.family = normalise::collapse_whitespace(clean.substr(0, comma));
        m.given = normalise::collapse_whitespace(clean.substr(comma + 1));
      }
      m.printed = m.given.empty() ? m.family : m.given + " " + m.family;
      m.is_collaboration = normalise::fold_key(clean).find("collaboration") != std::string::npos;
      if (!m.printed.empty()) work.authors.push_back(std::move(m));
    } else if (name == "description") {
      if (value.rfind("Comment:", 0) == 0) {
        work.comments = value.substr(8);
      } else if (abstract.empty()) {
        abstract = value;
      }
    } else if (name == "date") {
      auto d = normalise::collapse_whitespace(value);
      if (normalise::validate_iso_date(d)) dates.push_back(d);
    } else if (name == "identifier") {
      auto v = normalise::collapse_whitespace(value);
      if (v.rfind("doi:", 0) == 0) {
        dois += " " + v;
      } else if (work.arxiv_id.empty() && v.find("arxiv.org/abs/") != std::string::npos) {
        if (auto id = normalise::parse_arxiv_id(v)) work.arxiv_id = id->id;
      } else if (work.journal_ref.empty() && v.find("://") == std::string::npos) {
        work.journal_ref = v;  // arXiv puts the journal reference in a dc:identifier
      }
    } else if (name == "rights") {
      work.license = normalise::collapse_whitespace(value);
    }
  }
  if (work.arxiv_id.empty()) {
    if (auto id = normalise::parse_arxiv_id(source_id)) work.arxiv_id = id->id;
  }
  if (work.arxiv_id.empty()) {
    return fail(ErrorCode::mapping, "oai_dc record " + std::string(source_id) +
                                        ": no arXiv identifier in dc:identifier or header");
  }
  std::ranges::sort(dates);
  if (!dates.empty()) {
    work.first_date = dates.front();
    work.last_date = dates.back();
  }
  finish(work, title, abstract, dois);
  if (work.title.empty()) {
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": empty dc:title");
  }
  return work;
}

Result<Work> map_record(const SourceRecord& record) {
  Result<Work> work = fail(ErrorCode::mapping, "unsupported format \"" + record.format + "\"");
  if (record.format == "arXivRaw") {
    work = map_arxiv_raw(record.payload);
  } else if (record.format == "arXiv") {
    work = map_arxiv(record.payload);
  } else if (record.format == "oai_dc") {
    work = map_oai_dc(record.payload, record.source_id);
  } else if (record.format == "crossref") {
    work = map_crossref(record.payload);
  } else if (record.format == "openalex") {
    work = map_openalex(record.payload);
  } else if (record.format == "arxiv-atom") {
    work = map_arxiv_atom(record.payload);
  } else if (record.format == "arxiv-snapshot") {
    work = map_arxiv_snapshot(record.payload);
  }
  if (!work) {
    work.error().message =
        record.source + " record " + record.source_id + ": " + work.error().message;
  }
  return work;
}

}  // namespace bzpeer::parse
