// bzpeer — the Crossref REST work (one `items` element of /works) -> Work.
//
// Fields (rest-api-doc api_format.md): DOI, title[] (+ JATS/HTML inline markup),
// container-title[], type, abstract (a JATS XML string), author[] {given, family, name
// (organisations), ORCID, authenticated-orcid, affiliation[{name}], sequence}, the partial
// dates issued/published/published-print/published-online/posted/created
// {date-parts: [[y, m?, d?]]} (a part may be null), volume, issue, page, publisher,
// institution[{name}] (preprint servers), relation {type: [{id-type, id}]}, license[].
#include <simdjson.h>

#include <algorithm>

#include "pipeline/normalise/dates.hpp"
#include "pipeline/normalise/identifiers.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"
#include "pipeline/parse/json_mapping.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace bzpeer::parse {
namespace {

namespace od = simdjson::ondemand;

/// {"date-parts": [[2016, 8, 18]]} -> "2016-08-18"; partial and null parts handled.
std::string crossref_date(od::value value) {
  if (!detail::is_type(value, od::json_type::object)) return {};
  for (od::field f : value.get_object()) {
    std::string_view key = f.unescaped_key();
    if (key != "date-parts") continue;
    int parts[3] = {0, 0, 0};
    od::value date_parts = f.value();
    if (!detail::is_type(date_parts, od::json_type::array)) return {};
    for (od::value first : date_parts.get_array()) {
      if (!detail::is_type(first, od::json_type::array)) break;
      int i = 0;
      for (od::value part : first.get_array()) {
        std::int64_t n = 0;
        if (i < 3 && part.get_int64().get(n) == simdjson::SUCCESS) parts[i] = static_cast<int>(n);
        ++i;
      }
      break;
    }
    return detail::date_from_parts(parts[0], parts[1], parts[2]);
  }
  return {};
}

WorkType crossref_type(std::string_view type) {
  if (type == "journal-article") return WorkType::article;
  if (type == "proceedings-article") return WorkType::proceedings;
  if (type == "posted-content") return WorkType::preprint;
  if (type == "book-chapter" || type == "book-section" || type == "book-part" ||
      type == "reference-entry") {
    return WorkType::book_chapter;
  }
  if (type == "book" || type == "monograph" || type == "edited-book" || type == "reference-book" ||
      type == "book-set") {
    return WorkType::book;
  }
  if (type == "dataset" || type == "database") return WorkType::dataset;
  return WorkType::other;
}

AuthorMention crossref_author(od::value value) {
  AuthorMention m;
  std::string name;  // organisations carry "name" instead of given/family
  std::string sequence;
  for (od::field f : value.get_object()) {
    std::string_view key = f.unescaped_key();
    if (key == "given") {
      m.given = normalise::clean_text(detail::strip_markup(detail::string_of(f.value())));
    } else if (key == "family") {
      m.family = normalise::clean_text(detail::strip_markup(detail::string_of(f.value())));
    } else if (key == "name") {
      name = normalise::clean_text(detail::strip_markup(detail::string_of(f.value())));
    } else if (key == "suffix") {
      m.suffix = normalise::clean_text(detail::string_of(f.value()));
    } else if (key == "ORCID") {
      if (auto orcid = normalise::normalise_orcid(detail::string_of(f.value()))) m.orcid = *orcid;
    } else if (key == "authenticated-orcid") {
      bool b = false;
      if (f.value().get_bool().get(b) == simdjson::SUCCESS) m.orcid_authenticated = b;
    } else if (od::value fv = f.value();
               key == "affiliation" && detail::is_type(fv, od::json_type::array)) {
      for (od::value aff : fv.get_array()) {
        if (!detail::is_type(aff, od::json_type::object)) continue;
        for (od::field af : aff.get_object()) {
          std::string_view akey = af.unescaped_key();
          if (akey != "name") continue;
          std::string a =
              normalise::clean_text(detail::strip_markup(detail::string_of(af.value())));
          if (a.empty()) continue;
          if (!m.affiliation.empty()) m.affiliation += "; ";
          m.affiliation += a;
        }
      }
    }
  }
  if (m.family.empty() && m.given.empty() && !name.empty()) {
    m.family = name;
    m.is_collaboration = true;  // an organisation or group author, not a person
  }
  m.printed = m.given.empty() ? m.family : m.given + " " + m.family;
  if (!m.suffix.empty()) m.printed += " " + m.suffix;
  if (!m.is_collaboration) m.is_collaboration = normalise::is_collaboration_name(m.printed);
  if (m.orcid.empty()) m.orcid_authenticated = false;
  return m;
}

void add_relations(Work& work, od::value value) {
  if (!detail::is_type(value, od::json_type::object)) return;
  for (od::field f : value.get_object()) {
    std::string relation(std::string_view(f.unescaped_key()));
    if (relation != "has-preprint" && relation != "is-preprint-of" && relation != "is-version-of" &&
        relation != "has-version") {
      continue;
    }
    od::value targets = f.value();
    if (!detail::is_type(targets, od::json_type::array)) continue;
    for (od::value target : targets.get_array()) {
      if (!detail::is_type(target, od::json_type::object)) continue;
      std::string id_type, id;
      for (od::field tf : target.get_object()) {
        std::string_view key = tf.unescaped_key();
        if (key == "id-type") id_type = detail::string_of(tf.value());
        if (key == "id") id = detail::string_of(tf.value());
      }
      if (id_type == "doi") {
        auto doi = normalise::normalise_doi(id);
        if (!doi) continue;
        if (auto arxiv = normalise::arxiv_id_from_doi(*doi)) {
          work.related_ids.push_back({relation, "arxiv", *arxiv});
        } else {
          work.related_ids.push_back({relation, "doi", *doi});
        }
      } else if (id_type == "arxiv") {
        if (auto arxiv = normalise::parse_arxiv_id(id)) {
          work.related_ids.push_back({relation, "arxiv", arxiv->id});
        }
      }
    }
  }
}

}  // namespace

Result<Work> map_crossref(std::string_view payload) {
  Work work;
  std::string doi_text, title, container, institution, type, abstract, volume, issue, page;
  std::string issued, published, print, online, posted, created;
  if (auto too_big = detail::check_json_limits("Crossref item", payload)) {
    return std::unexpected(std::move(*too_big));
  }
  try {
    simdjson::padded_string json(payload);
    od::document doc = detail::thread_parser().iterate(json);
    for (od::field f : doc.get_object()) {
      std::string_view key = f.unescaped_key();
      od::value v = f.value();
      if (key == "DOI") {
        doi_text = detail::string_of(v);
      } else if (key == "title") {
        title = detail::first_string(v);
      } else if (key == "container-title") {
        container = detail::first_string(v);
      } else if (key == "institution") {
        if (detail::is_type(v, od::json_type::array)) {
          for (od::value inst : v.get_array()) {
            if (!detail::is_type(inst, od::json_type::object)) continue;
            for (od::field inf : inst.get_object()) {
              std::string_view ikey = inf.unescaped_key();
              if (ikey == "name" && institution.empty())
                institution = detail::string_of(inf.value());
            }
          }
        }
      } else if (key == "type") {
        type = detail::string_of(v);
      } else if (key == "abstract") {
        abstract = detail::string_of(v);
      } else if (key == "author" && detail::is_type(v, od::json_type::array)) {
        for (od::value a : v.get_array()) {
          if (detail::is_type(a, od::json_type::object)) work.authors.push_back(crossref_author(a));
        }
      } else if (key == "issued") {
        issued = crossref_date(v);
      } else if (key == "published") {
        published = crossref_date(v);
      } else if (key == "published-print") {
        print = crossref_date(v);
      } else if (key == "published-online") {
        online = crossref_date(v);
      } else if (key == "posted") {
        posted = crossref_date(v);
      } else if (key == "created") {
        created = crossref_date(v);
      } else if (key == "volume") {
        volume = detail::string_of(v);
      } else if (key == "issue") {
        issue = detail::string_of(v);
      } else if (key == "page") {
        page = detail::string_of(v);
      } else if (key == "relation") {
        add_relations(work, v);
      } else if (key == "license" && detail::is_type(v, od::json_type::array)) {
        for (od::value lic : v.get_array()) {
          if (!detail::is_type(lic, od::json_type::object)) continue;
          for (od::field lf : lic.get_object()) {
            std::string_view lkey = lf.unescaped_key();
            if (lkey == "URL" && work.license.empty()) work.license = detail::string_of(lf.value());
          }
          if (!work.license.empty()) break;
        }
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    return fail(ErrorCode::mapping, std::string("Crossref item is not valid JSON: ") + e.what());
  }

  auto doi = normalise::normalise_doi(doi_text);
  if (!doi)
    return fail(ErrorCode::mapping, "Crossref item without a valid DOI (\"" + doi_text + "\")");
  work.dois.push_back(*doi);
  if (auto arxiv = normalise::arxiv_id_from_doi(*doi)) work.arxiv_id = *arxiv;

  // Authors keep the deposit's order (the `sequence` first/additional agrees with it).
  std::erase_if(work.authors, [](const AuthorMention& m) { return m.printed.empty(); });
  for (std::size_t i = 0; i < work.authors.size(); ++i) {
    work.authors[i].position = static_cast<int>(i) + 1;
  }

  work.title = normalise::clean_text(detail::strip_markup(title));
  if (work.title.empty()) return fail(ErrorCode::mapping, "Crossref " + *doi + ": no title");
  work.abstract = normalise::clean_text(detail::strip_markup(abstract));
  work.type = crossref_type(type);
  container = normalise::clean_text(detail::strip_markup(container));
  institution = normalise::clean_text(institution);
  work.venue = !container.empty() ? container : institution;

  // Publication date: `issued` is the earliest of print and online; fall back through the
  // others. Partial dates stay partial ("2012", "2023-03").
  for (const auto* d : {&issued, &published, &print, &online, &posted, &created}) {
    if (!d->empty()) {
      work.pub_date = *d;
      break;
    }
  }
  work.first_date = work.pub_date;
  work.last_date = work.pub_date;
  work.year = normalise::year_of(work.pub_date);
  if (!container.empty() && (!volume.empty() || !page.empty())) {
    std::string ref = container;
    if (!volume.empty()) ref += " " + volume;
    if (!issue.empty()) ref += "(" + issue + ")";
    if (!page.empty()) ref += ", " + page;
    if (work.year > 0) ref += " (" + std::to_string(work.year) + ")";
    work.journal_ref = normalise::collapse_whitespace(ref);
  }
  return work;
}

}  // namespace bzpeer::parse
