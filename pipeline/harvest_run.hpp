// bzpeer — the harvest job: pages from a connector, records mapped in parallel (oneTBB),
// one serial writer storing each page with its checkpoint, then consolidation and the
// index update.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "connectors/http/http_client.hpp"
#include "index/search/search_index.hpp"
#include "index/store/store.hpp"

namespace bzpeer::pipeline {

/// One configured source (the CLI builds this from the TOML config).
struct SourceConfig {
  std::string name;              ///< "arxiv"
  std::string kind = "oai-pmh";  ///< oai-pmh, crossref, openalex, arxiv-atom, arxiv-snapshot
  std::string url;               ///< OAI base URL / API endpoint
  /// The payload format; also keys the checkpoint. For non-OAI kinds it is the kind's
  /// format ("crossref", "openalex", "arxiv-atom", "arxiv-snapshot").
  std::string metadata_prefix = "arXivRaw";
  std::string set;              ///< optional setSpec
  std::string from;             ///< where the first harvest starts (YYYY-MM-DD)
  double min_interval_s = 3.0;  ///< politeness between requests to this host
  // Kind-specific settings (see README "Sources"); empty/0 = the kind's default.
  std::string mailto;   ///< crossref, openalex: contact for the polite pool
  std::string api_key;  ///< openalex
  std::string query;    ///< crossref `query`, openalex `search`, arxiv-atom `search_query`
  std::string filter;   ///< crossref / openalex extra filters
  std::string path;     ///< arxiv-snapshot: the JSON Lines file
  int page_size = 0;  ///< crossref rows, openalex per_page, arxiv-atom max_results, snapshot lines
  int max_total = 0;  ///< arxiv-atom: results per query (<= 30000)
};

struct HarvestOptions {
  SourceConfig source;
  std::string from;          ///< overrides the checkpoint: start a new window here
  std::string until;         ///< inclusive end of the window ("" = open)
  int max_empty_pages = 20;  ///< consecutive empty pages with a token before giving up
  bool progress = false;     ///< a progress line on stderr
};

enum class HarvestStatus {
  ok,                 ///< window completed (exit 0)
  temporary_failure,  ///< network/server trouble; resume later (exit 75)
  protocol_error,     ///< OAI error or protocol violation (exit 76)
  storage_error,      ///< the store could not be written (exit 74)
};

struct HarvestSummary {
  std::string source;
  HarvestStatus status = HarvestStatus::ok;
  std::string message;  ///< what went wrong, naming the URL/record; empty when ok
  store::PageCounts counts;
  std::int64_t pages = 0;
  std::int64_t token_restarts = 0;
  std::string window_from, window_until;
  double elapsed_s = 0;

  [[nodiscard]] std::string to_json() const;
  [[nodiscard]] std::string to_line() const;  ///< the one summary line for logs
};

/// Harvests one source until its window is complete or a failure stops it. Never throws;
/// every failure is reported in the summary's status and message, and the checkpoint
/// stays at the last committed page.
[[nodiscard]] HarvestSummary harvest_source(const HarvestOptions& options, store::Store& store,
                                            http::HttpClient& http);

/// How consolidate_and_index brings the index up to date.
enum class IndexUpdate {
  incremental,  ///< the changed works replaced and the deleted ones removed in the live build
  rebuild,      ///< a complete new build from the store, swapped in (search::rebuild)
};

/// When consolidate_and_index rebuilds instead of updating in place. A rebuild writes
/// parallel shards into a fresh database and compacts them: per work it is several times
/// cheaper than replacing documents in the live build, but it reads and indexes every
/// work of the store, and like `bzpeer rebuild` it keeps the build it replaces (for
/// `rebuild --rollback`). Both give the same index: the same documents, terms, values and
/// spelling data.
struct IndexUpdateOptions {
  /// Rebuild when at least this many works wait for the index (the store's pending-index
  /// marks)…
  std::uint64_t rebuild_min_pending = 1000;
  /// …and they are at least this fraction of the documents in the live build (an empty
  /// or missing index: always).
  double rebuild_fraction = 0.5;
};

/// Consolidates authors, collaborations and topics, then brings the index up to date
/// with the works that changed: in place, committing every few hundred works, or by a
/// rebuild when most of the index would change (an initial harvest); see
/// IndexUpdateOptions. The store's pending-index marks are cleared only after the last
/// commit (or the swap of the rebuilt index), so a crash leaves them for the next run.
/// `used`, when given, receives the path taken.
[[nodiscard]] Result<store::ConsolidationStats> consolidate_and_index(
    store::Store& store, const std::filesystem::path& index_root,
    const IndexUpdateOptions& options = {}, IndexUpdate* used = nullptr);

/// Rebuilds the whole index from the store (never the network) and swaps it in.
[[nodiscard]] Result<search::RebuildStats> rebuild_index(store::Store& store,
                                                         const std::filesystem::path& index_root);

}  // namespace bzpeer::pipeline
