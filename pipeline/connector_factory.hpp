// bzpeer — builds the connector for a configured source kind.
#pragma once

#include <memory>

#include "connectors/connector.hpp"
#include "connectors/http/http_client.hpp"
#include "pipeline/harvest_run.hpp"

namespace bzpeer::pipeline {

/// The connector for `source.kind` walking `window`. An unknown kind is ErrorCode::config.
/// Kinds: "oai-pmh", "crossref", "openalex", "arxiv-atom", "arxiv-snapshot" (the last
/// reads a file and never uses `http`).
[[nodiscard]] Result<std::unique_ptr<Connector>> make_connector(const SourceConfig& source,
                                                                const HarvestWindow& window,
                                                                http::HttpClient& http);

/// Sets what the kind needs of its HttpClient: the body check (well-formed XML for
/// oai-pmh and arxiv-atom, one JSON document for crossref and openalex: a truncated
/// body is retried) and, for the REST kinds, `return_client_errors` so their connectors
/// can read the API's error documents.
void adapt_client_options(const SourceConfig& source, http::ClientOptions& options);

}  // namespace bzpeer::pipeline
