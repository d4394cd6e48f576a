// bzpeer — the arXiv Atom API (export.arxiv.org/api/query) as a Connector.
#pragma once

#include "connectors/connector.hpp"
#include "connectors/http/http_client.hpp"

namespace bzpeer::atom {

/// arXiv's documented limits (API user manual §3.1.1.2, §5): slices of at most 2000,
/// at most 30000 results per query, 3 s between calls (the HttpClient's min_interval).
inline constexpr int kMaxResultsPerPage = 2000;
inline constexpr int kMaxResultsPerQuery = 30000;

struct AtomConnectorOptions {
  std::string base_url = "https://export.arxiv.org/api/query";
  std::string source_name;
  std::string search_query;  ///< "au:Schoenholz", "cat:cs.LG", "ti:checkerboard AND au:del_maestro"
  int max_results = 500;     ///< page size, 1..2000
  int max_total = kMaxResultsPerQuery;    ///< results per query, at most 30000
  std::string sort_by = "submittedDate";  ///< stable order for paging
  std::string sort_order = "ascending";
  /// from/until narrow the query with `lastUpdatedDate:[YYYYMMDD0000 TO YYYYMMDD2359]`.
  HarvestWindow window;
};

/// Pages with start/max_results. State = the 0-based `start` of the next page.
///
/// - Records: one per <entry>, format "arxiv-atom", source_id = the versionless arXiv id
///   ("2202.12139", "cond-mat/0502372"), datestamp = <updated>, payload = the entry as a
///   standalone XML document that declares the Atom and arxiv namespaces itself.
/// - The window ends with an empty feed (also arXiv's "unexpectedly empty" pages), at
///   opensearch:totalResults, or at `max_total`; results beyond it are reported in
///   `skipped` (narrow the query, or use OAI-PMH for bulk).
/// - A page with the same first and last entry as the previous one (a server ignoring
///   `start`) is ErrorCode::protocol.
/// - An error feed (an entry whose id is …/api/errors#…, which arXiv sends with HTTP 400
///   or 200) is ErrorCode::protocol with its summary; another 4xx is http_permanent. The
///   HttpClient must be built with `return_client_errors = true` to see the feed.
class AtomConnector final : public Connector {
 public:
  AtomConnector(AtomConnectorOptions options, http::HttpClient& http);
  [[nodiscard]] Result<ConnectorPage> next_page(const std::string& state) override;
  [[nodiscard]] ConnectorStats stats() const override { return stats_; }

  [[nodiscard]] std::string page_url(long long start, int max_results) const;

 private:
  AtomConnectorOptions options_;
  http::HttpClient& http_;
  ConnectorStats stats_;
  std::string previous_page_;  ///< first and last id of the previous page
};

}  // namespace bzpeer::atom
