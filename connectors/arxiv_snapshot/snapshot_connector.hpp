// bzpeer — the arXiv bulk metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot.json`,
// JSON Lines) as a Connector.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>

#include "connectors/connector.hpp"

namespace bzpeer::snapshot {

struct SnapshotConnectorOptions {
  std::filesystem::path path;
  std::string source_name;
  int lines_per_page = 1000;  ///< records per page (1..100000)
  /// Lines whose `update_date` falls outside [from, until] are passed over, so a run on a
  /// newer snapshot only stores what changed since the last one.
  HarvestWindow window;
  std::size_t max_line_bytes = 16u << 20;  ///< a longer line is reported as bad
};

/// Streams the file: fixed 1 MiB reads, lines split at '\n' only (a raw U+2028 inside a
/// string is not a line break), each line checked with simdjson. Memory stays bounded by
/// one page of lines whatever the file size (4 GB, 2.5 M lines for the real one).
///
/// State = "<byte offset of the next line>:<lines consumed>:<newest update_date so far>";
/// a resumed run seeks straight to the offset.
///
/// Records: format "arxiv-snapshot", source_id = the arXiv id, datestamp = update_date,
/// payload = the line as is. A bad line (not a JSON object with a string "id", or longer
/// than max_line_bytes) is not dropped: it becomes a record with source_id
/// "line:<N>" (1-based) and the raw line (cut to 64 KiB) as payload, which the mapper
/// rejects, so it lands in the store's quarantine with its line number and the run goes
/// on. Blank lines are ignored.
///
/// On the last page, `complete_until` is the newest update_date in the file (the date
/// from which an OAI-PMH harvest continues), else the window's until.
class SnapshotConnector final : public Connector {
 public:
  explicit SnapshotConnector(SnapshotConnectorOptions options);
  ~SnapshotConnector() override;
  SnapshotConnector(const SnapshotConnector&) = delete;
  SnapshotConnector& operator=(const SnapshotConnector&) = delete;

  [[nodiscard]] Result<ConnectorPage> next_page(const std::string& state) override;
  [[nodiscard]] ConnectorStats stats() const override { return stats_; }

 private:
  struct Reader;
  SnapshotConnectorOptions options_;
  std::unique_ptr<Reader> reader_;
  ConnectorStats stats_;
};

}  // namespace bzpeer::snapshot
