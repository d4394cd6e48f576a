// bzpeer — maps a SourceRecord's raw payload to the normalised Work model.
//
// One mapper per payload format. Mappers are pure functions of the record: they are
// called in parallel from the harvest pipeline, one record per call. A record that
// cannot be mapped gives ErrorCode::mapping with a message naming the record and the
// field at fault; the harvester quarantines it and the page goes on.
#pragma once

#include <string_view>

#include "pipeline/model/error.hpp"
#include "pipeline/model/source_record.hpp"
#include "pipeline/model/work.hpp"

namespace bzpeer::parse {

/// Dispatches on `record.format`: "arXivRaw", "arXiv" or "oai_dc".
[[nodiscard]] Result<Work> map_record(const SourceRecord& record);

/// arXivRaw: version history, raw TeX author string, categories, DOIs, journal-ref.
[[nodiscard]] Result<Work> map_arxiv_raw(std::string_view payload);

/// arXiv: structured authors (keyname, forenames, suffix, affiliation), created/updated.
[[nodiscard]] Result<Work> map_arxiv(std::string_view payload);

/// oai_dc as arXiv serves it: dc:creator "Keyname, Forenames", dc:identifier URLs and
/// doi: values, dc:date per version. `source_id` gives the arXiv id when dc lacks one.
[[nodiscard]] Result<Work> map_oai_dc(std::string_view payload, std::string_view source_id);

}  // namespace bzpeer::parse
