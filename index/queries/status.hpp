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

}  // namespace bzpeer::queries
