// bzpeer — profile, collaborators and author lookup over the store.
#include <algorithm>
#include <cctype>

#include "index/queries/queries.hpp"
#include "index/store/store_impl.hpp"
#include "pipeline/normalise/names.hpp"
#include "pipeline/normalise/text.hpp"

namespace bzpeer::queries {
namespace {

using store::SqliteError;
using store::to_error;

bool all_digits(const std::string& s) {
  return !s.empty() && std::ranges::all_of(s, [](unsigned char c) { return std::isdigit(c); });
}

Result<AuthorRef> author_by_id(store::Connection& db, std::int64_t id) {
  auto q = db.prepare("SELECT author_id, name, works FROM authors WHERE author_id=?");
  q.bind(1, id);
  if (!q.step()) return fail(ErrorCode::not_found, "no author with id " + std::to_string(id));
  return AuthorRef{q.get_int(0), q.get_text(1), q.get_int(2)};
}

}  // namespace

Result<AuthorRef> resolve_author(store::Store& store, const std::string& author) {
  auto& db = store.impl().db;
  try {
    if (all_digits(author)) return author_by_id(db, follow_redirects(db, std::stoll(author)));
    std::string wanted = normalise::collapse_whitespace(author);
    {
      auto q = db.prepare(
          "SELECT a.author_id, a.name, a.works FROM authors a JOIN author_variants v "
          "ON v.author_id=a.author_id WHERE v.variant=? OR a.name=? "
          "ORDER BY a.works DESC, a.author_id LIMIT 1");
      q.bind(1, wanted).bind(2, wanted);
      if (q.step()) return AuthorRef{q.get_int(0), q.get_text(1), q.get_int(2)};
    }
    auto matches = find_authors(store, wanted, 1);
    if (!matches) return std::unexpected(matches.error());
    if (matches->empty()) {
      return fail(ErrorCode::not_found, "no author matches \"" + author + "\"");
    }
    return matches->front();
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "resolving author \"" + author + "\""));
  } catch (const std::out_of_range&) {
    return fail(ErrorCode::invalid_argument, "author id out of range: " + author);
  }
}

namespace {

/// The smallest string above every string that starts with `prefix` (byte order), or ""
/// when there is none.
std::string prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

/// Adds to `out` the authors whose folded family name is `family_key` (or, with
/// `as_prefix`, starts with it) and whose given names fit `given` (empty fits all): exact
/// family names first, then most works. Block keys are "<folded family> <initial>", or
/// the family alone for a mention without given names.
void add_family_matches(store::Connection& db, const std::string& family_key, bool as_prefix,
                        const std::string& given, std::size_t limit, std::vector<AuthorRef>& out) {
  const std::string exact_from = family_key + " ";
  const std::string exact_to = family_key + "!";
  auto q = db.prepare(
      "SELECT author_id, name, works, given FROM authors "
      "WHERE (block_key >= ?1 AND block_key < ?2) OR block_key = ?3 "
      "   OR (?4 AND block_key >= ?3 AND block_key < ?5) "
      "ORDER BY (block_key = ?3 OR (block_key >= ?1 AND block_key < ?2)) DESC, works DESC, "
      "author_id");
  q.bind(1, exact_from)
      .bind(2, exact_to)
      .bind(3, family_key)
      .bind(4, as_prefix ? 1 : 0)
      .bind(5, prefix_end(family_key));
  while (out.size() < limit && q.step()) {
    const std::int64_t id = q.get_int(0);
    if (!given.empty() && !normalise::given_names_compatible(given, q.get_text(3))) continue;
    if (std::ranges::any_of(out, [&](const AuthorRef& a) { return a.author_id == id; })) continue;
    out.push_back({id, q.get_text(1), q.get_int(2)});
  }
}

/// Fills in the name variants of each author in `authors`.
void add_variants(store::Connection& db, std::vector<AuthorRef>& authors) {
  auto q = db.prepare(
      "SELECT variant FROM author_variants WHERE author_id=? ORDER BY mentions DESC, variant");
  for (auto& a : authors) {
    q.bind(1, a.author_id);
    while (q.step()) a.variants.push_back(q.get_text(0));
    q.reset();
  }
}

}  // namespace

Result<std::vector<AuthorRef>> find_authors(store::Store& store, const std::string& query,
                                            std::size_t limit) {
  auto& db = store.impl().db;
  const std::string text = normalise::collapse_whitespace(query);
  const auto parsed = normalise::parse_person_name(text);
  // Block keys start with the family part of the name key (particles dropped, "oe" as
  // "o": normalise::name_block_family).
  const std::string family_key =
      normalise::name_block_family(parsed.family.empty() ? text : parsed.family);
  std::vector<AuthorRef> out;
  if (family_key.empty() || limit == 0) return out;
  try {
    if (parsed.given.empty()) {
      // One word: a family name or the start of one ("boru", "schon" for Schönholz).
      add_family_matches(db, family_key, true, "", limit, out);
    } else {
      // "W. Borucki", "William Borucki", "Borucki, William J.": family plus fitting
      // given names.
      add_family_matches(db, family_key, false, parsed.given, limit, out);
      // "Di Francesco", "de Sitter": the whole text may be the family name.
      add_family_matches(db, normalise::name_block_family(text), false, "", limit, out);
    }
    add_variants(db, out);
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "searching authors for \"" + query + "\""));
  }
}

Result<std::vector<Collaborator>> collaborators(store::Store& store, std::int64_t author_id) {
  auto& db = store.impl().db;
  try {
    std::vector<Collaborator> out;
    auto q = db.prepare(
        "SELECT c.other, a.name, c.works, c.first_year, c.last_year FROM ("
        "  SELECT b AS other, works, first_year, last_year FROM collaborations WHERE a=?1"
        "  UNION ALL"
        "  SELECT a AS other, works, first_year, last_year FROM collaborations WHERE b=?1"
        ") c JOIN authors a ON a.author_id=c.other ORDER BY c.works DESC, a.name, c.other");
    q.bind(1, author_id);
    while (q.step()) {
      out.push_back({q.get_int(0), q.get_text(1), q.get_int(2), static_cast<int>(q.get_int(3)),
                     static_cast<int>(q.get_int(4))});
    }
    return out;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading collaborators of " + std::to_string(author_id)));
  }
}

Result<Profile> profile(store::Store& store, std::int64_t author_id,
                        const ProfileOptions& options) {
  auto& db = store.impl().db;
  try {
    Profile p;
    p.requested_id = author_id;
    auto ref = author_by_id(db, follow_redirects(db, author_id));
    if (!ref) return std::unexpected(ref.error());
    p.author_id = ref->author_id;
    p.name = ref->name;
    {
      auto q = db.prepare("SELECT orcid FROM authors WHERE author_id=?");
      q.bind(1, p.author_id);
      if (q.step()) p.orcid = q.get_text(0);
    }
    {
      auto q = db.prepare(
          "SELECT variant FROM author_variants WHERE author_id=? ORDER BY mentions DESC, variant");
      q.bind(1, p.author_id);
      while (q.step()) p.variants.push_back(q.get_text(0));
    }
    {
      auto q = db.prepare(
          "SELECT w.work_id, COALESCE(w.arxiv_id,''), w.type, w.venue, w.title, w.abstract, "
          "w.first_date, w.journal_ref, w.year, w.categories, w.withdrawn, MIN(a.position) "
          "FROM authorships a JOIN works w ON w.work_id=a.work_id AND w.deleted=0 "
          "WHERE a.author_id=? GROUP BY w.work_id ORDER BY w.first_date DESC, w.work_id DESC");
      auto dois =
          db.prepare("SELECT value FROM work_ids WHERE work_id=? AND scheme='doi' ORDER BY value");
      q.bind(1, p.author_id);
      while (q.step()) {
        ProfileWork w;
        w.work_id = q.get_int(0);
        w.arxiv_id = q.get_text(1);
        w.type = q.get_text(2);
        w.venue = q.get_text(3);
        w.title = q.get_text(4);
        w.abstract = q.get_text(5);
        w.date = q.get_text(6);
        w.journal_ref = q.get_text(7);
        w.year = static_cast<int>(q.get_int(8));
        w.categories = store::split(q.get_text(9), ' ');
        w.withdrawn = q.get_int(10) != 0;
        w.position = static_cast<int>(q.get_int(11));
        dois.bind(1, w.work_id);
        while (dois.step()) w.dois.push_back(dois.get_text(0));
        dois.reset();
        p.works.push_back(std::move(w));
      }
    }
    {
      auto q = db.prepare(
          "SELECT topic, works, weight, label, kind FROM author_topics WHERE author_id=? "
          "AND works>=? ORDER BY kind<>'category', weight DESC, works DESC, topic");
      q.bind(1, p.author_id).bind(2, options.min_topic_works);
      while (q.step()) {
        p.topics.push_back(
            {q.get_text(0), q.get_int(1), q.get_double(2), q.get_text(3), q.get_text(4)});
        if (p.topics.back().label.empty()) p.topics.back().label = p.topics.back().topic;
      }
    }
    auto collabs = collaborators(store, p.author_id);
    if (!collabs) return std::unexpected(collabs.error());
    p.collaborators = std::move(*collabs);
    p.close_collaborators = std::ranges::count_if(p.collaborators, [&](const Collaborator& c) {
      return c.works >= options.min_shared_for_close;
    });
    return p;
  } catch (const SqliteError& e) {
    return std::unexpected(to_error(e, "reading the profile of " + std::to_string(author_id)));
  }
}

}  // namespace bzpeer::queries
