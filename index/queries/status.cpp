#include "index/queries/status.hpp"

#include <map>

#include "index/store/store_impl.hpp"

namespace bzpeer::queries {

Result<std::vector<SourceStatus>> source_status(store::Store& store) {
  auto& db = store.impl().db;
  auto stats = store.stats();
  if (!stats) return std::unexpected(stats.error());
  try {
    std::map<std::string, SourceStatus> by_source;
    for (const auto& c : stats->checkpoints) {
      auto& s = by_source[c.source];
      s.source = c.source;
      s.checkpoints.push_back(c);
    }
    auto counts =
        db.prepare("SELECT source, COUNT(*), SUM(deleted) FROM source_records GROUP BY source");
    while (counts.step()) {
      auto& s = by_source[counts.get_text(0)];
      s.source = counts.get_text(0);
      s.source_records = counts.get_int(1);
      s.deleted_records = counts.get_int(2);
    }
    auto quarantine = db.prepare("SELECT source, COUNT(*) FROM quarantine GROUP BY source");
    while (quarantine.step()) {
      auto& s = by_source[quarantine.get_text(0)];
      s.source = quarantine.get_text(0);
      s.quarantined = quarantine.get_int(1);
    }
    auto last = db.prepare(
        "SELECT finished_at, summary FROM runs WHERE source=? ORDER BY run_id DESC LIMIT 1");
    auto last_ok = db.prepare(
        "SELECT finished_at FROM runs WHERE source=? AND summary LIKE '%\"status\":\"ok\"%' "
        "ORDER BY run_id DESC LIMIT 1");
    std::vector<SourceStatus> out;
    for (auto& [name, s] : by_source) {
      last.bind(1, name);
      if (last.step()) {
        s.last_run_at = last.get_text(0);
        s.last_run_summary = last.get_text(1);
      }
      last.reset();
      last_ok.bind(1, name);
      if (last_ok.step()) s.last_success_at = last_ok.get_text(0);
      last_ok.reset();
      out.push_back(std::move(s));
    }
    return out;
  } catch (const store::SqliteError& e) {
    return std::unexpected(store::to_error(e, "reading harvest status"));
  }
}

Result<std::vector<HarvestTotals>> harvest_totals(store::Store& store) {
  try {
    auto q = store.impl().db.prepare(
        "SELECT source, COALESCE(json_extract(summary, '$.status'), ''), COUNT(*), "
        "TOTAL(json_extract(summary, '$.pages')), TOTAL(json_extract(summary, '$.seen')), "
        "TOTAL(json_extract(summary, '$.added')), TOTAL(json_extract(summary, '$.updated')), "
        "TOTAL(json_extract(summary, '$.unchanged')), TOTAL(json_extract(summary, '$.deleted')), "
        "TOTAL(json_extract(summary, '$.quarantined')) "
        "FROM runs WHERE json_valid(summary) GROUP BY 1, 2 ORDER BY 1, 2");
    std::vector<HarvestTotals> out;
    while (q.step()) {
      HarvestTotals t;
      t.source = q.get_text(0);
      t.status = q.get_text(1);
      t.runs = q.get_int(2);
      std::int64_t* sums[] = {&t.pages,     &t.seen,    &t.added,      &t.updated,
                              &t.unchanged, &t.deleted, &t.quarantined};
      for (int i = 0; i < 7; ++i) *sums[i] = static_cast<std::int64_t>(q.get_double(3 + i));
      out.push_back(std::move(t));
    }
    return out;
  } catch (const store::SqliteError& e) {
    return std::unexpected(store::to_error(e, "reading harvest run totals"));
  }
}

}  // namespace bzpeer::queries
