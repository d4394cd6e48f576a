// bzpeer — operational status of a store: per-source harvest state and the quarantine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/store/store.hpp"

namespace bzpeer::queries {

struct SourceStatus {
  std::string source;
  std::vector<store::Checkpoint> checkpoints;  ///< one per (set, format)
  std::string last_run_at;                     ///< when the last run finished ("" = never)
  std::string last_run_summary;                ///< its summary JSON
  std::string last_success_at;                 ///< the last run whose status was "ok"
  std::int64_t source_records = 0;
  std::int64_t deleted_records = 0;
  std::int64_t quarantined = 0;
};

[[nodiscard]] Result<std::vector<SourceStatus>> source_status(store::Store& store);

/// What the recorded harvest runs (the `runs` table) add up to, per source and run status
/// ("ok", "temporary-failure", ...): only ever grows, so it suits counters.
struct HarvestTotals {
  std::string source;
  std::string status;
  std::int64_t runs = 0, pages = 0, seen = 0, added = 0, updated = 0, unchanged = 0, deleted = 0,
               quarantined = 0;
};

[[nodiscard]] Result<std::vector<HarvestTotals>> harvest_totals(store::Store& store);

}  // namespace bzpeer::queries
