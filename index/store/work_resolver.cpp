// bzpeer — work identity resolution in the store: which existing work (if any) an
// incoming record belongs to, and why. Tier 1 looks up identifiers (arXiv id, DOIs,
// arXiv DOIs, then the versions a record names in its relations); tier 2 looks up the
// title fingerprint and lets the work matcher confirm the candidate (authors, year,
// venue). A shared identifier that the matcher rejects is recorded in work_flags and not
// merged. The evidence of every link (identifier, or fingerprint with the similarity and
// author overlap) goes to work_merges, so that a merge can be reviewed and undone.
#include <ctime>
#include <optional>
#include <set>

#include "index/store/store_impl.hpp"
#include "pipeline/dedupe/title_key.hpp"
#include "pipeline/dedupe/work_matcher.hpp"
#include "pipeline/normalise/identifiers.hpp"

namespace bzpeer::store {
namespace {

/// At most this many works are checked per fingerprint: a fingerprint shared by more
/// works than that is not a title but a formula ("Introduction").
constexpr int kMaxFingerprintCandidates = 50;

dedupe::WorkKey key_of(const Work& w) {
  dedupe::WorkKey k;
  k.title = w.title;
  for (const auto& a : w.authors) {
    if (!a.is_collaboration && !a.family.empty()) k.authors.push_back(a.family);
  }
  k.year = w.year;
  k.venue = w.venue;
  k.dois = w.dois;
  k.arxiv_id = w.arxiv_id;
  k.preprint = w.type == WorkType::preprint;
  return k;
}

/// The stored work as the matcher sees it; nullopt for a missing or deleted work.
/// Authors come from one source (the first by name) so a work seen by two sources does
/// not list each author twice.
std::optional<dedupe::WorkKey> key_of_stored(Connection& db, std::int64_t work_id) {
  auto held_q = db.cached(
      "SELECT COALESCE(arxiv_id, ''), title, year, venue, type FROM works "
      "WHERE work_id=? AND deleted=0");
  auto& q = *held_q;
  q.bind(1, work_id);
  if (!q.step()) return std::nullopt;
  dedupe::WorkKey k;
  k.arxiv_id = q.get_text(0);
  k.title = q.get_text(1);
  k.year = static_cast<int>(q.get_int(2));
  k.venue = q.get_text(3);
  k.preprint = q.get_text(4) == to_string(WorkType::preprint);
  auto held_ids = db.cached("SELECT value FROM work_ids WHERE work_id=? AND scheme='doi'");
  auto& ids = *held_ids;
  ids.bind(1, work_id);
  while (ids.step()) k.dois.push_back(ids.get_text(0));
  auto held_authors = db.cached(
      "SELECT source, family FROM authorships WHERE work_id=? AND is_collaboration=0 "
      "ORDER BY source, position");
  auto& authors = *held_authors;
  authors.bind(1, work_id);
  std::string first_source;
  while (authors.step()) {
    auto source = authors.get_text(0);
    if (first_source.empty()) first_source = source;
    if (source != first_source) break;
    k.authors.push_back(authors.get_text(1));
  }
  return k;
}

std::int64_t lookup_id(Connection& db, std::string_view scheme, const std::string& value) {
  auto q = db.cached("SELECT work_id FROM work_ids WHERE scheme=? AND value=?");
  q->bind(1, scheme).bind(2, value);
  return q->step() ? q->get_int(0) : 0;
}

void flag(Connection& db, std::int64_t work_id, const std::string& identifier, const Work& w,
          std::string_view reason) {
  db.prepare(
        "INSERT OR REPLACE INTO work_flags(work_id, identifier, title, reason, at) "
        "VALUES(?,?,?,?,?)")
      .bind(1, work_id)
      .bind(2, identifier)
      .bind(3, w.title)
      .bind(4, reason)
      .bind(5, utc_now_iso())
      .run();
}

WorkResolution resolved(std::int64_t id, std::string_view evidence, std::string identifier,
                        const dedupe::MatchDecision& d) {
  WorkResolution r;
  r.work_id = id;
  r.evidence = evidence;
  r.identifier = std::move(identifier);
  r.similarity = d.title_similarity;
  r.author_overlap = d.author_overlap;
  r.reason = d.reason;
  return r;
}

/// Relations that name another version of the same work (not a review, a dataset, …).
bool names_a_version(std::string_view relation) {
  return relation == "has-preprint" || relation == "is-preprint-of" ||
         relation == "is-version-of" || relation == "has-version" || relation == "is-identical-to";
}

}  // namespace

WorkResolution resolve_work(Connection& db, const Work& work) {
  // Tier 1a: the arXiv id, the work's own or the one behind an arXiv DOI.
  std::set<std::string> arxiv_ids;
  if (!work.arxiv_id.empty()) arxiv_ids.insert(work.arxiv_id);
  std::vector<std::string> dois;
  for (const auto& d : work.dois) {
    if (auto id = normalise::arxiv_id_from_doi(d)) {
      arxiv_ids.insert(*id);
    } else {
      dois.push_back(d);
    }
  }
  const dedupe::PreparedWork incoming = dedupe::prepare(key_of(work));
  auto decision = [&](std::int64_t id) -> std::optional<dedupe::MatchDecision> {
    const auto stored = key_of_stored(db, id);
    if (!stored) return std::nullopt;
    return dedupe::match(dedupe::prepare(*stored), incoming);
  };
  if (!work.arxiv_id.empty()) {
    if (const auto id = lookup_id(db, "arxiv", work.arxiv_id); id != 0) {
      // One arXiv id is one work, whatever the metadata says; the scores are kept as
      // they were seen.
      const auto d = decision(id).value_or(dedupe::MatchDecision{});
      auto r = resolved(id, "arxiv_id", "arxiv:" + work.arxiv_id, d);
      r.reason = "same arXiv id";
      return r;
    }
  }
  // Tier 1b: DOIs (and arXiv DOIs of a record without its own arXiv id), confirmed by
  // the matcher: a DOI on two papers whose titles and authors disagree is flagged.
  auto confirm = [&](std::int64_t id, const std::string& identifier,
                     std::string_view evidence) -> std::optional<WorkResolution> {
    const auto d = decision(id);
    if (!d) return std::nullopt;
    if (d->verdict == dedupe::Verdict::same) return resolved(id, evidence, identifier, *d);
    flag(db, id, identifier, work, d->reason);
    return std::nullopt;
  };
  for (const auto& a : arxiv_ids) {
    if (a == work.arxiv_id) continue;
    if (const auto id = lookup_id(db, "arxiv", a); id != 0) {
      if (auto r = confirm(id, "arxiv:" + a, "arxiv_id")) return *r;
    }
  }
  for (const auto& d : dois) {
    if (const auto id = lookup_id(db, "doi", d); id != 0) {
      if (auto r = confirm(id, "doi:" + d, "doi")) return *r;
    }
  }
  // Tier 1c: another version the record names (Crossref has-preprint, is-preprint-of,
  // …). The two carry different identifiers by design, so the link is confirmed on titles
  // and authors the way a shared DOI is (dedupe::confirm_link), not by match().
  for (const auto& rel : work.related_ids) {
    if (!names_a_version(rel.relation) || rel.value.empty()) continue;
    const auto id = lookup_id(db, rel.scheme == "arxiv" ? "arxiv" : "doi", rel.value);
    if (id == 0) continue;
    const auto stored = key_of_stored(db, id);
    if (!stored) continue;
    const auto d = dedupe::confirm_link(dedupe::prepare(*stored), incoming);
    const auto identifier = rel.scheme + ":" + rel.value;
    if (d.verdict == dedupe::Verdict::same) return resolved(id, "relation", identifier, d);
    flag(db, id, identifier, work, d.reason);
  }
  // Tier 2: same title fingerprint, confirmed by authors, year and venue.
  WorkResolution none;
  none.evidence = "new";
  if (incoming.fingerprint.empty() || incoming.generic) return none;
  std::vector<std::int64_t> candidates;
  {
    auto q =
        db.cached("SELECT work_id FROM work_keys WHERE fingerprint=? ORDER BY work_id LIMIT ?");
    q->bind(1, incoming.fingerprint).bind(2, kMaxFingerprintCandidates);
    while (q->step()) candidates.push_back(q->get_int(0));
  }
  for (const auto id : candidates) {
    const auto d = decision(id);
    if (d && d->verdict == dedupe::Verdict::same) {
      return resolved(id, "fingerprint", "fingerprint:" + incoming.fingerprint, *d);
    }
  }
  return none;
}

void record_merge(Connection& db, const SourceRecord& record, std::int64_t work_id,
                  const WorkResolution& why) {
  // A record seen again keeps the reason it joined its work; a record met for the first
  // time (or whose work changed) gets the reason just found.
  db.cached(why.evidence == "record"
                ? "INSERT OR IGNORE INTO work_merges(source, source_id, format, work_id, "
                  "evidence, identifier, similarity, author_overlap, reason, at) "
                  "VALUES(?,?,?,?,?,?,?,?,?,?)"
                : "INSERT OR REPLACE INTO work_merges(source, source_id, format, work_id, "
                  "evidence, identifier, similarity, author_overlap, reason, at) "
                  "VALUES(?,?,?,?,?,?,?,?,?,?)")
      ->bind(1, record.source)
      .bind(2, record.source_id)
      .bind(3, record.format)
      .bind(4, work_id)
      .bind(5, why.evidence)
      .bind(6, why.identifier)
      .bind(7, why.similarity)
      .bind(8, why.author_overlap)
      .bind(9, why.reason)
      .bind(10, utc_now_iso())
      .run();
}

void write_work_keys(Connection& db, std::int64_t work_id, const Work& work) {
  const auto fingerprint = dedupe::title_fingerprint(work.title);
  if (fingerprint.empty()) return;
  // Every title a work was seen with stays findable (a preprint and its journal version
  // may differ in case or punctuation only after normalisation, or not at all).
  db.cached("INSERT OR IGNORE INTO work_keys(fingerprint, work_id) VALUES(?,?)")
      ->bind(1, fingerprint)
      .bind(2, work_id)
      .run();
}

}  // namespace bzpeer::store
