// bzpeer — scholarly identifiers: arXiv ids, DOIs, ORCIDs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::normalise {

struct ArxivId {
  std::string
      id;  ///< canonical, versionless: "0704.0001", "1501.00001", "hep-th/9901001", "math/0101001"
  int version = 0;  ///< 0 when none was given
};

/// Parses an arXiv id in any common form: bare, "arXiv:" prefixed, an abs/pdf URL,
/// "oai:arXiv.org:" prefixed, old style with subject class ("math.CA/0101001" → "math/0101001"),
/// with or without "vN". Returns nullopt for anything else.
[[nodiscard]] std::optional<ArxivId> parse_arxiv_id(std::string_view text);

/// Normalises one DOI: trims, strips "https://doi.org/", "http://dx.doi.org/", "doi:" prefixes,
/// lowercases. Returns nullopt when the result does not look like "10.<digits>/<suffix>".
[[nodiscard]] std::optional<std::string> normalise_doi(std::string_view text);

/// Splits a field that may hold several DOIs (separated by spaces, commas or semicolons)
/// and normalises each; invalid pieces are dropped, duplicates removed, order kept.
[[nodiscard]] std::vector<std::string> split_dois(std::string_view text);

/// If the DOI is arXiv's own DataCite DOI (10.48550/arxiv.<id>), returns the arXiv id.
[[nodiscard]] std::optional<std::string> arxiv_id_from_doi(std::string_view doi);

/// Normalises an ORCID ("https://orcid.org/0000-0002-1825-0097" → "0000-0002-1825-0097")
/// and checks its ISO 7064 11,2 check digit. Returns nullopt when invalid.
[[nodiscard]] std::optional<std::string> normalise_orcid(std::string_view text);

}  // namespace bzpeer::normalise
