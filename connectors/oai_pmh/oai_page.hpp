// bzpeer — one OAI-PMH response page, parsed (pugixml).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/source_record.hpp"

namespace bzpeer::oai {

/// The OAI-PMH error codes of the spec (section 3.6), plus `other` for anything else.
enum class OaiErrorCode {
  badArgument,
  badResumptionToken,
  badVerb,
  cannotDisseminateFormat,
  idDoesNotExist,
  noRecordsMatch,
  noMetadataFormats,
  noSetHierarchy,
  other
};

struct OaiError {
  OaiErrorCode code = OaiErrorCode::other;
  std::string code_text;  ///< as sent, e.g. "badResumptionToken"
  std::string message;    ///< element text, whitespace collapsed
};

struct ResumptionToken {
  std::string value;            ///< empty on the last page
  std::string expiration_date;  ///< attribute, may be empty
  std::optional<long> cursor;
  std::optional<long> complete_list_size;
};

struct OaiPage {
  std::string response_date;             ///< <responseDate>
  std::vector<SourceRecord> records;     ///< ListRecords/GetRecord records (payload = the
                                         ///< <metadata> child element serialised, or empty
                                         ///< for deleted records); ListIdentifiers headers
  std::optional<ResumptionToken> token;  ///< absent when the element is absent
  std::vector<OaiError> errors;          ///< non-empty for an error response
  /// One line per <record>/<header> that was left out of `records` (no identifier, no
  /// datestamp, no metadata on a non-deleted record, no header), e.g.
  /// "record 1 (no identifier): deleted header without identifier and datestamp".
  std::vector<std::string> skipped;
  /// true when there is no next page (no token element, or an empty token value)
  [[nodiscard]] bool is_last() const { return !token || token->value.empty(); }
};

/// Parses one OAI-PMH response (ListRecords, ListIdentifiers or GetRecord). `source` and
/// `format` are copied into each SourceRecord. Records whose header lacks an identifier are
/// skipped and reported in `skipped` (never silently). A body that is not well-formed XML or
/// not an OAI-PMH document gives ErrorCode::parse with the byte offset of the problem.
/// Thread-safe (pure function).
///
/// Details:
/// - Elements are matched by local name, so prefixed envelopes (`<oai:OAI-PMH>`) and
///   envelopes without the default namespace are accepted.
/// - A record is skipped (and reported in OaiPage::skipped and appended to `*skipped`) when
///   its header lacks an identifier or a datestamp, when it has no header, or when a
///   non-deleted record has no element inside <metadata>.
/// - `payload` is the first element child of <metadata>, serialised raw (no indentation,
///   no declaration, UTF-8). Namespace prefixes it uses but does not declare (e.g. `xsi:` or
///   `oai_dc:` declared on <OAI-PMH>) get their xmlns:prefix declaration copied onto the
///   payload element so it parses standalone. The envelope's own default namespace
///   (http://www.openarchives.org/OAI/2.0/) is never copied: a metadata element without its
///   own xmlns (seen in real arXiv captures) stays without one. Deleted records have an empty
///   payload. Whitespace-only text nodes are not kept; other text is kept exactly.
/// - Header fields (identifier, datestamp, setSpec) and the token value are trimmed; error
///   messages are whitespace-collapsed.
/// - Never throws; any input (including binary garbage) yields a page or an Error.
[[nodiscard]] Result<OaiPage> parse_oai_page(std::string_view xml, std::string_view source,
                                             std::string_view format,
                                             std::vector<std::string>* skipped = nullptr);

/// True when `body` is a well-formed XML document: pugixml parses it, there is exactly one
/// top-level element and no text after it, and (for 8-bit encodings) it contains no control
/// character that XML forbids (NUL, 0x01-0x08, 0x0B, 0x0C, 0x0E-0x1F). It does not check that
/// the document is an OAI-PMH response. Pass it as http::ClientOptions::validate_body of the
/// HttpClient given to OaiClient so that truncated or corrupted pages are retried.
[[nodiscard]] bool is_well_formed_xml(const std::string& body) noexcept;

/// Maps the `code` attribute of an <error> element; unknown codes give OaiErrorCode::other.
[[nodiscard]] OaiErrorCode oai_error_code_from_string(std::string_view code) noexcept;

}  // namespace bzpeer::oai
