#include "pipeline/connector_factory.hpp"

#include "connectors/oai_pmh/oai_connector.hpp"

namespace bzpeer::pipeline {

Result<std::unique_ptr<Connector>> make_connector(const SourceConfig& source,
                                                  const HarvestWindow& window,
                                                  http::HttpClient& http) {
  if (source.kind == "oai-pmh") {
    oai::OaiConnectorOptions options;
    options.base_url = source.url;
    options.source_name = source.name;
    options.metadata_prefix = source.metadata_prefix;
    options.set = source.set;
    options.window = window;
    return std::make_unique<oai::OaiConnector>(std::move(options), http);
  }
  return fail(ErrorCode::config, "source \"" + source.name + "\": unsupported kind \"" +
                                     source.kind + "\"");
}

}  // namespace bzpeer::pipeline
