// bzpeer — work identity resolution in the store: which existing work (if any) an
// incoming record belongs to. Tier 1 looks up identifiers (arXiv id, DOIs, arXiv DOIs);
// tier 2 looks up the title fingerprint and lets the work matcher confirm the candidate
// (authors, year, venue). A shared identifier that the matcher rejects is recorded in
// work_flags and not merged.
#include <ctime>
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
  auto q = db.prepare(
      "SELECT COALESCE(arxiv_id, ''), title, year, venue, type FROM works "
      "WHERE work_id=? AND deleted=0");
  q.bind(1, work_id);
  if (!q.step()) return std::nullopt;
  dedupe::WorkKey k;
  k.arxiv_id = q.get_text(0);
  k.title = q.get_text(1);
  k.year = static_cast<int>(q.get_int(2));
  k.venue = q.get_text(3);
  k.preprint = q.get_text(4) == to_string(WorkType::preprint);
  auto ids = db.prepare("SELECT value FROM work_ids WHERE work_id=? AND scheme='doi'");
  ids.bind(1, work_id);
  while (ids.step()) k.dois.push_back(ids.get_text(0));
  auto authors = db.prepare(
      "SELECT source, family FROM authorships WHERE work_id=? AND is_collaboration=0 "
      "ORDER BY source, position");
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
  auto q = db.prepare("SELECT work_id FROM work_ids WHERE scheme=? AND value=?");
  q.bind(1, scheme).bind(2, value);
  return q.step() ? q.get_int(0) : 0;
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
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
      .bind(5, now_iso())
      .run();
}

}  // namespace

std::int64_t resolve_work(Connection& db, const Work& work) {
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
  if (!work.arxiv_id.empty()) {
    if (const auto id = lookup_id(db, "arxiv", work.arxiv_id); id != 0) return id;
  }
  const dedupe::PreparedWork incoming = dedupe::prepare(key_of(work));
  // Tier 1b: DOIs (and arXiv DOIs of a record without its own arXiv id), confirmed by
  // the matcher: a DOI on two papers whose titles and authors disagree is flagged.
  auto confirm = [&](std::int64_t id, const std::string& identifier) -> bool {
    const auto stored = key_of_stored(db, id);
    if (!stored) return false;
    const auto d = dedupe::match(dedupe::prepare(*stored), incoming);
    if (d.verdict == dedupe::Verdict::same) return true;
    flag(db, id, identifier, work, d.reason);
    return false;
  };
  for (const auto& a : arxiv_ids) {
    if (a == work.arxiv_id) continue;
    if (const auto id = lookup_id(db, "arxiv", a); id != 0 && confirm(id, "arxiv:" + a)) return id;
  }
  for (const auto& d : dois) {
    if (const auto id = lookup_id(db, "doi", d); id != 0 && confirm(id, "doi:" + d)) return id;
  }
  // Tier 2: same title fingerprint, confirmed by authors, year and venue.
  if (incoming.fingerprint.empty() || incoming.generic) return 0;
  auto q = db.prepare("SELECT work_id FROM work_keys WHERE fingerprint=? ORDER BY work_id LIMIT ?");
  q.bind(1, incoming.fingerprint).bind(2, kMaxFingerprintCandidates);
  std::vector<std::int64_t> candidates;
  while (q.step()) candidates.push_back(q.get_int(0));
  for (const auto id : candidates) {
    const auto stored = key_of_stored(db, id);
    if (!stored) continue;
    if (dedupe::match(dedupe::prepare(*stored), incoming).verdict == dedupe::Verdict::same) {
      return id;
    }
  }
  return 0;
}

void write_work_keys(Connection& db, std::int64_t work_id, const Work& work) {
  const auto fingerprint = dedupe::title_fingerprint(work.title);
  if (fingerprint.empty()) return;
  // Every title a work was seen with stays findable (a preprint and its journal version
  // may differ in case or punctuation only after normalisation, or not at all).
  db.prepare("INSERT OR IGNORE INTO work_keys(fingerprint, work_id) VALUES(?,?)")
      .bind(1, fingerprint)
      .bind(2, work_id)
      .run();
}

}  // namespace bzpeer::store
