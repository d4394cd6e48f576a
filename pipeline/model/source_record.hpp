// bzpeer — SourceRecord: what a source said about one item, kept verbatim for replay.
#pragma once

#include <string>
#include <vector>

namespace bzpeer {

/// One record as harvested. Connectors produce these; nothing in them is normalised.
struct SourceRecord {
  std::string source;             ///< configured source name, e.g. "arxiv"
  std::string format;             ///< payload format, e.g. "arXivRaw", "arXiv", "oai_dc"
  std::string source_id;          ///< identifier in the source, e.g. "oai:arXiv.org:0704.0001"
  std::string datestamp;          ///< the source's datestamp (OAI header), as sent
  bool deleted = false;           ///< OAI header status="deleted"
  std::vector<std::string> sets;  ///< OAI setSpec values
  std::string payload;            ///< the raw metadata (an XML fragment or a JSON object)
};

}  // namespace bzpeer
