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
  badArgument, badResumptionToken, badVerb, cannotDisseminateFormat, idDoesNotExist,
  noRecordsMatch, noMetadataFormats, noSetHierarchy, other
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
  std::string response_date;                ///< <responseDate>
  std::vector<SourceRecord> records;        ///< ListRecords/GetRecord records (payload = the
                                            ///< <metadata> child element serialised, or empty
                                            ///< for deleted records); ListIdentifiers headers
  std::optional<ResumptionToken> token;     ///< absent when the element is absent
  std::vector<OaiError> errors;             ///< non-empty for an error response
  /// true when there is no next page (no token element, or an empty token value)
  [[nodiscard]] bool is_last() const { return !token || token->value.empty(); }
};

/// Parses one OAI-PMH response (ListRecords, ListIdentifiers or GetRecord). `source` and
/// `format` are copied into each SourceRecord. Records whose header lacks an identifier are
/// skipped and reported in `skipped` (never silently). A body that is not well-formed XML or
/// not an OAI-PMH document gives ErrorCode::parse with the byte offset of the problem.
/// Thread-safe (pure function).
[[nodiscard]] Result<OaiPage> parse_oai_page(std::string_view xml, std::string_view source,
                                             std::string_view format,
                                             std::vector<std::string>* skipped = nullptr);

[[nodiscard]] OaiErrorCode oai_error_code_from_string(std::string_view code) noexcept;

}  // namespace bzpeer::oai
