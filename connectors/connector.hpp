// bzpeer — the connector interface: a protocol and a format, nothing of Xapian or SQLite.
//
// A connector walks one harvest window of one source and yields pages of SourceRecords.
// After each page it hands back an opaque `state` string — a resumption token, a cursor,
// an offset, a byte position — from which the *next* page can be fetched. The harvester
// stores that state in the same transaction as the page's records, so a run killed at
// any instant resumes from the last committed page by passing the stored state back.
#pragma once

#include <string>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/source_record.hpp"

namespace bzpeer {

/// The window a connector walks: inclusive dates "YYYY-MM-DD" ("" = open).
struct HarvestWindow {
  std::string from;
  std::string until;
};

struct ConnectorPage {
  std::vector<SourceRecord> records;
  /// Where to continue after this page; empty when `last`.
  std::string next_state;
  std::string next_state_expires;  ///< when the server said the state expires, if it did
  bool last = false;
  /// On the last page: the date up to which this window is now complete (the server's
  /// notion of "now" when the window was open-ended). Incremental runs start a day before.
  std::string complete_until;
  /// Records the connector had to leave out, one line each (never silent).
  std::vector<std::string> skipped;
};

struct ConnectorStats {
  long long requests = 0;
  long long state_restarts = 0;  ///< e.g. an expired OAI token restarted the window
};

class Connector {
 public:
  virtual ~Connector() = default;

  /// Fetches the page at `state` ("" = the first page of the window). Transport and
  /// server trouble that outlived the retries is ErrorCode::transport/http_temporary/parse
  /// (the run exits 75 and resumes later); a protocol violation or a server error that
  /// will not heal is ErrorCode::protocol or http_permanent.
  [[nodiscard]] virtual Result<ConnectorPage> next_page(const std::string& state) = 0;

  [[nodiscard]] virtual ConnectorStats stats() const = 0;
};

}  // namespace bzpeer
