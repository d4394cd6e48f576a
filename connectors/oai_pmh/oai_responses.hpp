// bzpeer — the OAI-PMH responses that are not record lists: Identify, ListMetadataFormats,
// ListSets; and what a harvester derives from Identify (granularity, earliestDatestamp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/oai_pmh/oai_page.hpp"
#include "pipeline/model/error.hpp"

namespace bzpeer::oai {

/// The datestamp granularity a repository declares in Identify (spec 3.3.2).
enum class Granularity {
  day,      ///< YYYY-MM-DD (every repository must support it)
  seconds,  ///< YYYY-MM-DDThh:mm:ssZ
};

struct IdentifyInfo {
  std::string response_date;
  std::string repository_name;
  std::string base_url;
  std::string protocol_version;
  std::vector<std::string> admin_emails;
  std::string earliest_datestamp;  ///< as sent, e.g. "2005-09-16" or "1970-01-01T00:00:00Z"
  std::string deleted_record;      ///< "no", "persistent" or "transient"
  std::string granularity_text;    ///< as sent, e.g. "YYYY-MM-DD"
  Granularity granularity = Granularity::day;
  std::vector<std::string> compression;  ///< e.g. "gzip", "deflate"
  std::vector<OaiError> errors;          ///< non-empty for an error response
};

struct MetadataFormatInfo {
  std::string prefix;
  std::string schema;
  std::string ns;  ///< metadataNamespace
};

struct MetadataFormatsPage {
  std::string response_date;
  std::vector<MetadataFormatInfo> formats;
  std::vector<OaiError> errors;
};

struct SetInfo {
  std::string spec;
  std::string name;
};

struct SetsPage {
  std::string response_date;
  std::vector<SetInfo> sets;
  std::optional<ResumptionToken> token;
  std::vector<OaiError> errors;
  [[nodiscard]] bool is_last() const { return !token || token->value.empty(); }
};

/// Parsers of the three responses. A body that is not well-formed XML or not an OAI-PMH
/// document is ErrorCode::parse; an OAI <error> response is a value with `errors` set.
/// Missing optional elements stay empty; unknown elements are ignored. Never throw.
[[nodiscard]] Result<IdentifyInfo> parse_identify(std::string_view xml);
[[nodiscard]] Result<MetadataFormatsPage> parse_list_metadata_formats(std::string_view xml);
[[nodiscard]] Result<SetsPage> parse_list_sets(std::string_view xml);

/// Granularity from Identify's text: "YYYY-MM-DDThh:mm:ssZ" is seconds, anything else day
/// (the granularity every repository must accept).
[[nodiscard]] Granularity granularity_from_string(std::string_view text) noexcept;

/// A window bound (a date "YYYY-MM-DD", or a datetime of which only the date is used)
/// written in the repository's granularity: "YYYY-MM-DD" for day granularity;
/// "YYYY-MM-DDT00:00:00Z" for a `from` and "YYYY-MM-DDT23:59:59Z" for an `until` at seconds
/// granularity, so that both stay inclusive of the whole day. "" stays "".
[[nodiscard]] std::string format_bound(std::string_view date, Granularity granularity,
                                       bool is_until);

/// `from` raised to the repository's earliestDatestamp when it lies before it (compared
/// on the date part; an empty `from` or `earliest` is returned unchanged). Asking for
/// dates before the earliest datestamp finds nothing more and some servers reject it.
[[nodiscard]] std::string clamp_from(std::string_view from, std::string_view earliest);

}  // namespace bzpeer::oai
