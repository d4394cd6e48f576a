#include "pipeline/connector_factory.hpp"

#include "connectors/arxiv_atom/atom_connector.hpp"
#include "connectors/arxiv_snapshot/snapshot_connector.hpp"
#include "connectors/crossref/crossref_connector.hpp"
#include "connectors/crossref/rest_support.hpp"
#include "connectors/oai_pmh/oai_connector.hpp"
#include "connectors/oai_pmh/oai_page.hpp"
#include "connectors/openalex/openalex_connector.hpp"

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
  if (source.kind == "crossref") {
    crossref::CrossrefConnectorOptions options;
    if (!source.url.empty()) options.base_url = source.url;
    options.source_name = source.name;
    options.mailto = source.mailto;
    if (source.page_size > 0) options.rows = source.page_size;
    options.query = source.query;
    options.filter = source.filter;
    options.window = window;
    return std::make_unique<crossref::CrossrefConnector>(std::move(options), http);
  }
  if (source.kind == "openalex") {
    openalex::OpenAlexConnectorOptions options;
    if (!source.url.empty()) options.base_url = source.url;
    options.source_name = source.name;
    options.api_key = source.api_key;
    options.mailto = source.mailto;
    if (source.page_size > 0) options.per_page = source.page_size;
    options.search = source.query;
    options.filter = source.filter;
    options.window = window;
    return std::make_unique<openalex::OpenAlexConnector>(std::move(options), http);
  }
  if (source.kind == "arxiv-atom") {
    atom::AtomConnectorOptions options;
    if (!source.url.empty()) options.base_url = source.url;
    options.source_name = source.name;
    options.search_query = source.query;
    if (source.page_size > 0) options.max_results = source.page_size;
    if (source.max_total > 0) options.max_total = source.max_total;
    options.window = window;
    return std::make_unique<atom::AtomConnector>(std::move(options), http);
  }
  if (source.kind == "arxiv-snapshot") {
    snapshot::SnapshotConnectorOptions options;
    options.path = source.path;
    options.source_name = source.name;
    if (source.page_size > 0) options.lines_per_page = source.page_size;
    options.window = window;
    return std::make_unique<snapshot::SnapshotConnector>(std::move(options));
  }
  return fail(ErrorCode::config,
              "source \"" + source.name + "\": unsupported kind \"" + source.kind + "\"");
}

void adapt_client_options(const SourceConfig& source, http::ClientOptions& options) {
  if (source.kind == "oai-pmh" || source.kind == "arxiv-atom") {
    options.validate_body = [](const std::string& body) { return oai::is_well_formed_xml(body); };
  } else if (source.kind == "crossref" || source.kind == "openalex") {
    options.validate_body = [](const std::string& body) { return rest::is_json_document(body); };
  }
  options.return_client_errors =
      source.kind == "crossref" || source.kind == "openalex" || source.kind == "arxiv-atom";
}

}  // namespace bzpeer::pipeline
