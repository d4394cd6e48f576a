// bzpeer — one line of the Kaggle arXiv metadata snapshot -> Work.
//
// Fields (arxiv-public-datasets; Kaggle Cornell-University/arxiv): id, submitter,
// authors (arXiv's raw TeX string), title, comments, journal-ref, doi, report-no,
// categories (space-separated, primary first), license, abstract, versions [{version:
// "v1", created: RFC 822 date}], update_date, authors_parsed [[last, first, suffix,
// affiliation…]] (TeX already decoded). authors_parsed is preferred; the raw `authors`
// string is parsed only when it is missing.
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

AuthorMention parsed_author(od::value v) {
  std::vector<std::string> parts;
  for (od::value p : v.get_array()) parts.push_back(normalise::clean_text(detail::string_of(p)));
  AuthorMention m;
  if (!parts.empty()) m.family = parts[0];
  if (parts.size() > 1) m.given = parts[1];
  if (parts.size() > 2) m.suffix = parts[2];
  for (std::size_t i = 3; i < parts.size(); ++i) {
    if (!parts[i].empty()) m.affiliation += (m.affiliation.empty() ? "" : "; ") + parts[i];
  }
  m.printed = m.given.empty() ? m.family : m.given + " " + m.family;
  if (!m.suffix.empty()) m.printed += " " + m.suffix;
  m.is_collaboration = normalise::is_collaboration_name(m.printed);
  return m;
}

}  // namespace

Result<Work> map_arxiv_snapshot(std::string_view payload) {
  Work work;
  std::string id_text, title, abstract, authors_raw, doi, categories;
  bool have_parsed = false;
  if (auto too_big = detail::check_json_limits("snapshot line", payload)) {
    return std::unexpected(std::move(*too_big));
  }
  try {
    simdjson::padded_string json(payload);
    od::document doc = detail::thread_parser().iterate(json);
    for (od::field f : doc.get_object()) {
      std::string_view key = f.unescaped_key();
      od::value v = f.value();
      if (key == "id") {
        id_text = detail::string_of(v);
      } else if (key == "title") {
        title = detail::string_of(v);
      } else if (key == "abstract") {
        abstract = detail::string_of(v);
      } else if (key == "authors") {
        authors_raw = detail::string_of(v);
      } else if (key == "comments") {
        work.comments = normalise::collapse_whitespace(detail::string_of(v));
      } else if (key == "journal-ref") {
        work.journal_ref = normalise::collapse_whitespace(detail::string_of(v));
      } else if (key == "doi") {
        doi = detail::string_of(v);
      } else if (key == "categories") {
        categories = detail::string_of(v);
      } else if (key == "license") {
        work.license = normalise::collapse_whitespace(detail::string_of(v));
      } else if (key == "versions" && detail::is_type(v, od::json_type::array)) {
        for (od::value ver : v.get_array()) {
          if (!detail::is_type(ver, od::json_type::object)) continue;
          WorkVersion version;
          std::string label, created;
          for (od::field vf : ver.get_object()) {
            std::string_view vkey = vf.unescaped_key();
            if (vkey == "version") label = detail::string_of(vf.value());
            if (vkey == "created") created = detail::string_of(vf.value());
          }
          if (label.size() > 1 && (label[0] == 'v' || label[0] == 'V')) {
            version.number = std::atoi(label.c_str() + 1);
          }
          auto date = normalise::rfc822_to_iso(normalise::collapse_whitespace(created));
          if (!date) {
            return fail(ErrorCode::mapping, "arXiv " + id_text + " version " + label +
                                                ": unparseable created date \"" + created + "\"");
          }
          version.date = *date;
          work.versions.push_back(std::move(version));
        }
      } else if (key == "authors_parsed" && detail::is_type(v, od::json_type::array)) {
        have_parsed = true;
        for (od::value a : v.get_array()) {
          if (detail::is_type(a, od::json_type::array)) work.authors.push_back(parsed_author(a));
        }
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    return fail(ErrorCode::mapping,
                std::string("snapshot line is not a valid JSON object: ") + e.what());
  }
  auto id = normalise::parse_arxiv_id(id_text);
  if (!id) return fail(ErrorCode::mapping, "missing or malformed \"id\" \"" + id_text + "\"");
  work.arxiv_id = id->id;
  if (work.versions.empty()) {
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": no \"versions\"");
  }
  std::ranges::sort(work.versions, {}, &WorkVersion::number);
  work.first_date = work.versions.front().date.substr(0, 10);
  work.last_date = work.versions.back().date.substr(0, 10);
  work.year = normalise::year_of(work.first_date);
  if (!have_parsed) {
    for (auto& name : normalise::parse_arxiv_authors(authors_raw)) {
      AuthorMention m;
      m.printed = std::move(name.printed);
      m.given = std::move(name.given);
      m.family = std::move(name.family);
      m.suffix = std::move(name.suffix);
      m.affiliation = std::move(name.affiliation);
      m.is_collaboration = name.is_collaboration;
      work.authors.push_back(std::move(m));
    }
  }
  std::erase_if(work.authors, [](const AuthorMention& m) { return m.printed.empty(); });
  for (std::size_t i = 0; i < work.authors.size(); ++i) {
    work.authors[i].position = static_cast<int>(i) + 1;
  }
  work.categories = split_ws(categories);
  work.dois = normalise::split_dois(doi);
  work.title = normalise::clean_text(title);
  work.abstract = normalise::clean_text(abstract);
  work.type = WorkType::preprint;
  work.venue = "arXiv";
  if (work.title.empty())
    return fail(ErrorCode::mapping, "arXiv " + work.arxiv_id + ": empty title");
  return work;
}

}  // namespace bzpeer::parse
