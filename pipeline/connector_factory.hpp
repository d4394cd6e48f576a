// bzpeer — builds the connector for a configured source kind.
#pragma once

#include <memory>

#include "connectors/connector.hpp"
#include "connectors/http/http_client.hpp"
#include "pipeline/harvest_run.hpp"

namespace bzpeer::pipeline {

/// The connector for `source.kind` walking `window`. An unknown kind is ErrorCode::config.
[[nodiscard]] Result<std::unique_ptr<Connector>> make_connector(const SourceConfig& source,
                                                                const HarvestWindow& window,
                                                                http::HttpClient& http);

}  // namespace bzpeer::pipeline
