// bzpeer — one arXiv Atom API <entry> (a standalone document, as the connector stores
// it) -> Work.
//
// Elements (arXiv API user manual §3.3): id (http://arxiv.org/abs/<id>v<N>), published
// (v1), updated (this version), title, summary, author/name + arxiv:affiliation*,
// arxiv:doi, arxiv:journal_ref, arxiv:comment, category@term, arxiv:primary_category@term.
// Names are matched by local name, so both the 2016 feeds (prefixes declared per
// element) and the current ones map the same. Text is passed through repair_mojibake:
// feeds stored by clients that decoded arXiv's charset-less responses as Latin-1 carry
// "WÃ¼bben" for "Wübben".
#include <pugixml.hpp>

#include <algorithm>
#include <cstring>

#include "pipeline/normalise/dates.hpp"
#include "pipeline/normalise/identifiers.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"
#include "pipeline/parse/json_mapping.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace bzpeer::parse {
namespace {

std::string_view local(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(name);
}

std::string text_of(pugi::xml_node node, std::string_view name) {
  for (auto c : node.children()) {
    if (c.type() == pugi::node_element && local(c.name()) == name) {
      return normalise::collapse_whitespace(detail::repair_mojibake(c.child_value()));
    }
  }
  return {};
}

/// "2006-01-02T14:57:58Z" -> same; an offset form "2016-10-09T00:00:00-04:00" keeps its
/// date and time (the API always sends Z for entry dates).
std::string iso_datetime(const std::string& s) {
  if (s.size() >= 19) return s.substr(0, 19) + "Z";
  return s;
}

}  // namespace

Result<Work> map_arxiv_atom(std::string_view payload) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(payload.data(), payload.size());
  if (!parsed) {
    return fail(ErrorCode::mapping,
                std::string("Atom entry is not well-formed XML: ") + parsed.description());
  }
  auto entry = doc.document_element();
  if (local(entry.name()) != "entry") {
    return fail(ErrorCode::mapping,
                std::string("expected an Atom <entry>, got <") + entry.name() + ">");
  }
  std::string id_text = text_of(entry, "id");
  auto id = normalise::parse_arxiv_id(id_text);
  if (!id) return fail(ErrorCode::mapping, "Atom entry with a malformed <id> \"" + id_text + "\"");

  Work work;
  work.arxiv_id = id->id;
  std::string published = iso_datetime(text_of(entry, "published"));
  std::string updated = iso_datetime(text_of(entry, "updated"));
  if (!normalise::validate_iso_date(published)) {
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id +
                                        ": missing or malformed <published> \"" + published + "\"");
  }
  if (!normalise::validate_iso_date(updated)) updated = published;
  // The feed shows v1's date and this version's: both versions are known, the ones in
  // between are not.
  work.versions.push_back({1, published, {}, {}});
  if (id->version > 1) work.versions.push_back({id->version, updated, {}, {}});
  work.first_date = published.substr(0, 10);
  work.last_date = updated.substr(0, 10);
  work.year = normalise::year_of(work.first_date);

  std::string primary;
  std::vector<std::string> categories;
  for (auto c : entry.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local(c.name());
    if (name == "primary_category") {
      primary = c.attribute("term").value();
    } else if (name == "category") {
      std::string term = c.attribute("term").value();
      if (!term.empty()) categories.push_back(term);
    } else if (name == "author") {
      AuthorMention m;
      auto parsed_name = normalise::parse_person_name(text_of(c, "name"));
      m.printed = parsed_name.printed;
      m.given = parsed_name.given;
      m.family = parsed_name.family;
      m.suffix = parsed_name.suffix;
      m.is_collaboration = normalise::is_collaboration_name(m.printed);
      if (m.is_collaboration) {
        m.given.clear();
        m.family = m.printed;
      }
      for (auto aff : c.children()) {
        if (aff.type() != pugi::node_element || local(aff.name()) != "affiliation") continue;
        std::string a = normalise::clean_text(detail::repair_mojibake(aff.child_value()));
        if (!a.empty()) m.affiliation += (m.affiliation.empty() ? "" : "; ") + a;
      }
      if (m.printed.empty()) continue;
      m.position = static_cast<int>(work.authors.size()) + 1;
      work.authors.push_back(std::move(m));
    }
  }
  if (!primary.empty()) work.categories.push_back(primary);
  for (auto& c : categories) {
    if (std::ranges::find(work.categories, c) == work.categories.end()) {
      work.categories.push_back(std::move(c));
    }
  }
  work.title = normalise::clean_text(text_of(entry, "title"));
  work.abstract = normalise::clean_text(text_of(entry, "summary"));
  work.dois = normalise::split_dois(text_of(entry, "doi"));
  work.journal_ref = normalise::nfc(text_of(entry, "journal_ref"));  // U+FFFD for bad bytes
  work.comments = normalise::nfc(text_of(entry, "comment"));
  for (auto& category : work.categories) category = normalise::nfc(category);
  work.type = WorkType::preprint;
  work.venue = "arXiv";
  if (work.title.empty())
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": empty <title>");
  return work;
}

}  // namespace bzpeer::parse
