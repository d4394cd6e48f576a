// bzpeer — the OpenAlex work object -> Work.
//
// Fields (openalex-docs work-object, authorship-object): id, doi, title/display_name,
// publication_date, publication_year, ids {doi, …}, type (+ type_crossref), primary_location
// {source {display_name}}, locations[] {landing_page_url} (arXiv copies show up here as
// arxiv.org/abs/… pages), authorships[] {author {id, display_name, orcid}, institutions[]
// {id, display_name}, raw_author_name, raw_affiliation_strings[]}, topics[] {id,
// display_name, score, subfield, field, domain}, abstract_inverted_index {word:
// [positions]}, biblio {volume, issue, first_page, last_page}.
#include <simdjson.h>

#include <algorithm>

#include "pipeline/normalise/identifiers.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"
#include "pipeline/parse/json_mapping.hpp"
#include "pipeline/parse/record_mapper.hpp"

namespace bzpeer::parse {
namespace {

namespace od = simdjson::ondemand;

using detail::is_type;

std::string short_id(std::string_view id) {
  auto slash = id.rfind('/');
  return std::string(slash == std::string_view::npos ? id : id.substr(slash + 1));
}

/// The display_name of a nested {id, display_name} object.
std::string display_name(od::value v) {
  if (!is_type(v, od::json_type::object)) return {};
  for (od::field f : v.get_object()) {
    std::string_view key = f.unescaped_key();
    if (key == "display_name") return detail::string_of(f.value());
  }
  return {};
}

/// {"word": [3, 17], …} -> the words in position order, joined by spaces.
std::string abstract_from_inverted_index(od::value v) {
  if (!is_type(v, od::json_type::object)) return {};
  std::vector<std::pair<std::int64_t, std::string>> words;
  for (od::field f : v.get_object()) {
    std::string word(std::string_view(f.unescaped_key()));
    for (od::value pos : f.value().get_array()) {
      std::int64_t p = 0;
      if (pos.get_int64().get(p) == simdjson::SUCCESS && p >= 0 && p < 100000) {
        words.emplace_back(p, word);
      }
    }
  }
  std::ranges::sort(words, {}, &std::pair<std::int64_t, std::string>::first);
  std::string out;
  for (const auto& [p, w] : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

AuthorMention authorship(od::value v) {
  AuthorMention m;
  std::string display, raw_name;
  std::vector<std::string> institutions, raw_affiliations;
  for (od::field f : v.get_object()) {
    std::string_view key = f.unescaped_key();
    od::value fv = f.value();
    if (key == "author" && is_type(fv, od::json_type::object)) {
      for (od::field af : fv.get_object()) {
        std::string_view akey = af.unescaped_key();
        if (akey == "id") {
          m.source_author_id = short_id(detail::string_of(af.value()));
        } else if (akey == "display_name") {
          display = detail::string_of(af.value());
        } else if (akey == "orcid") {
          if (auto orcid = normalise::normalise_orcid(detail::string_of(af.value()))) {
            m.orcid = *orcid;
          }
        }
      }
    } else if (key == "institutions" && is_type(fv, od::json_type::array)) {
      for (od::value inst : fv.get_array()) {
        std::string id, name;
        for (od::field inf : inst.get_object()) {
          std::string_view ikey = inf.unescaped_key();
          if (ikey == "id") id = short_id(detail::string_of(inf.value()));
          if (ikey == "display_name") name = detail::string_of(inf.value());
        }
        if (!id.empty()) m.institution_ids.push_back(id);
        if (!name.empty()) institutions.push_back(normalise::clean_text(name));
      }
    } else if (key == "raw_author_name") {
      raw_name = detail::string_of(fv);
    } else if (key == "raw_affiliation_strings" && is_type(fv, od::json_type::array)) {
      for (od::value s : fv.get_array()) {
        std::string a = normalise::clean_text(detail::string_of(s));
        if (!a.empty()) raw_affiliations.push_back(a);
      }
    }
  }
  // OpenAlex's display name: raw_author_name is the publisher's string, sometimes all
  // capitals ("CELIA A. HARVEY") or without its accents ("Juan Pablo Alperin").
  std::string printed = normalise::clean_text(display.empty() ? raw_name : display);
  auto parsed = normalise::parse_person_name(printed);
  m.printed = parsed.printed.empty() ? printed : parsed.printed;
  m.given = parsed.given;
  m.family = parsed.family;
  m.suffix = parsed.suffix;
  m.is_collaboration = normalise::is_collaboration_name(m.printed);
  if (m.is_collaboration) {
    m.given.clear();
    m.family = m.printed;
  }
  const auto& affs = institutions.empty() ? raw_affiliations : institutions;
  for (const auto& a : affs) m.affiliation += (m.affiliation.empty() ? "" : "; ") + a;
  return m;
}

TopicScore topic(od::value v) {
  TopicScore t;
  for (od::field f : v.get_object()) {
    std::string_view key = f.unescaped_key();
    if (key == "id") {
      t.id = short_id(detail::string_of(f.value()));
    } else if (key == "display_name") {
      t.label = detail::string_of(f.value());
    } else if (key == "score") {
      double s = 0;
      if (f.value().get_double().get(s) == simdjson::SUCCESS) t.score = s;
    } else if (key == "subfield") {
      t.subfield = display_name(f.value());
    } else if (key == "field") {
      t.field = display_name(f.value());
    } else if (key == "domain") {
      t.domain = display_name(f.value());
    }
  }
  return t;
}

WorkType openalex_type(std::string_view type, std::string_view type_crossref) {
  if (type == "preprint") return WorkType::preprint;
  if (type == "article" || type == "review" || type == "letter") {
    return type_crossref == "proceedings-article" ? WorkType::proceedings : WorkType::article;
  }
  if (type == "book-chapter") return WorkType::book_chapter;
  if (type == "book") return WorkType::book;
  if (type == "dataset") return WorkType::dataset;
  return WorkType::other;
}

void note_arxiv(Work& work, std::string_view url_or_doi) {
  if (!work.arxiv_id.empty()) return;
  if (url_or_doi.find("arxiv.org/abs/") != std::string_view::npos) {
    if (auto id = normalise::parse_arxiv_id(url_or_doi)) work.arxiv_id = id->id;
  } else if (auto doi = normalise::normalise_doi(url_or_doi)) {
    if (auto id = normalise::arxiv_id_from_doi(*doi)) work.arxiv_id = *id;
  }
}

}  // namespace

Result<Work> map_openalex(std::string_view payload) {
  Work work;
  std::string title, display, type, type_crossref, date, volume, issue, first_page, last_page;
  std::int64_t year = 0;
  std::vector<std::string> dois;
  if (auto too_big = detail::check_json_limits("OpenAlex work", payload)) {
    return std::unexpected(std::move(*too_big));
  }
  try {
    simdjson::padded_string json(payload);
    od::document doc = detail::thread_parser().iterate(json);
    for (od::field f : doc.get_object()) {
      std::string_view key = f.unescaped_key();
      od::value v = f.value();
      if (key == "id") {
        work.source_work_id = short_id(detail::string_of(v));
      } else if (key == "doi") {
        dois.push_back(detail::string_of(v));
      } else if (key == "title") {
        title = detail::string_of(v);
      } else if (key == "display_name") {
        display = detail::string_of(v);
      } else if (key == "publication_year") {
        if (v.get_int64().get(year) != simdjson::SUCCESS) year = 0;
      } else if (key == "publication_date") {
        date = detail::string_of(v);
      } else if (key == "ids" && is_type(v, od::json_type::object)) {
        for (od::field idf : v.get_object()) {
          std::string_view ikey = idf.unescaped_key();
          if (ikey == "doi") dois.push_back(detail::string_of(idf.value()));
        }
      } else if (key == "type") {
        type = detail::string_of(v);
      } else if (key == "type_crossref") {
        type_crossref = detail::string_of(v);
      } else if (key == "primary_location" && is_type(v, od::json_type::object)) {
        for (od::field lf : v.get_object()) {
          std::string_view lkey = lf.unescaped_key();
          if (lkey == "source") work.venue = normalise::clean_text(display_name(lf.value()));
          if (lkey == "landing_page_url") note_arxiv(work, detail::string_of(lf.value()));
        }
      } else if (key == "locations" && is_type(v, od::json_type::array)) {
        for (od::value loc : v.get_array()) {
          for (od::field lf : loc.get_object()) {
            std::string_view lkey = lf.unescaped_key();
            if (lkey == "landing_page_url") note_arxiv(work, detail::string_of(lf.value()));
          }
        }
      } else if (key == "authorships" && is_type(v, od::json_type::array)) {
        for (od::value a : v.get_array()) work.authors.push_back(authorship(a));
      } else if (key == "topics" && is_type(v, od::json_type::array)) {
        for (od::value t : v.get_array()) work.topics.push_back(topic(t));
      } else if (key == "biblio" && is_type(v, od::json_type::object)) {
        for (od::field bf : v.get_object()) {
          std::string_view bkey = bf.unescaped_key();
          if (bkey == "volume") volume = detail::string_of(bf.value());
          if (bkey == "issue") issue = detail::string_of(bf.value());
          if (bkey == "first_page") first_page = detail::string_of(bf.value());
          if (bkey == "last_page") last_page = detail::string_of(bf.value());
        }
      } else if (key == "abstract_inverted_index") {
        work.abstract = normalise::clean_text(abstract_from_inverted_index(v));
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    return fail(ErrorCode::mapping, std::string("OpenAlex work is not valid JSON: ") + e.what());
  }
  if (work.source_work_id.empty()) return fail(ErrorCode::mapping, "OpenAlex work without an id");
  for (const auto& d : dois) {
    auto doi = normalise::normalise_doi(d);
    if (!doi || std::ranges::find(work.dois, *doi) != work.dois.end()) continue;
    work.dois.push_back(*doi);
    note_arxiv(work, *doi);
  }
  std::erase_if(work.authors, [](const AuthorMention& m) { return m.printed.empty(); });
  for (std::size_t i = 0; i < work.authors.size(); ++i) {
    work.authors[i].position = static_cast<int>(i) + 1;
  }
  std::ranges::stable_sort(work.topics, std::greater<>{}, &TopicScore::score);
  work.title = normalise::clean_text(detail::strip_markup(title.empty() ? display : title));
  if (work.title.empty()) {
    return fail(ErrorCode::mapping, "OpenAlex " + work.source_work_id + ": no title");
  }
  work.type = openalex_type(type, type_crossref);
  work.pub_date = date;
  work.first_date = date;
  work.last_date = date;
  work.year = static_cast<int>(year);
  if (!work.venue.empty() && !volume.empty()) {
    std::string ref = work.venue + " " + volume;
    if (!issue.empty()) ref += "(" + issue + ")";
    if (!first_page.empty()) ref += ", " + first_page;
    if (!last_page.empty() && last_page != first_page) ref += "-" + last_page;
    if (work.year > 0) ref += " (" + std::to_string(work.year) + ")";
    work.journal_ref = ref;
  }
  return work;
}

}  // namespace bzpeer::parse
