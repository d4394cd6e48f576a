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

/// Dispatches on `record.format`: "arXivRaw", "arXiv", "oai_dc", "crossref", "openalex",
/// "arxiv-atom" or "arxiv-snapshot".
[[nodiscard]] Result<Work> map_record(const SourceRecord& record);

/// arXivRaw: version history, raw TeX author string, categories, DOIs, journal-ref.
[[nodiscard]] Result<Work> map_arxiv_raw(std::string_view payload);

/// arXiv: structured authors (keyname, forenames, suffix, affiliation), created/updated.
[[nodiscard]] Result<Work> map_arxiv(std::string_view payload);

/// oai_dc as arXiv serves it: dc:creator "Keyname, Forenames", dc:identifier URLs and
/// doi: values, dc:date per version. `source_id` gives the arXiv id when dc lacks one.
[[nodiscard]] Result<Work> map_oai_dc(std::string_view payload, std::string_view source_id);

/// Crossref REST work JSON (crossref_mapper.cpp): partial dates, given/family authors,
/// ORCID with its authenticated flag, affiliations, container-title as venue, type,
/// JATS abstract as text, has-preprint/is-preprint-of relations into `related_ids`.
[[nodiscard]] Result<Work> map_crossref(std::string_view payload);

/// OpenAlex work JSON (openalex_mapper.cpp): authorships with author ids, ORCIDs and
/// institutions, topics, the inverted-index abstract as text, primary_location source
/// as venue, arXiv id from arXiv DOIs and arxiv.org landing pages.
[[nodiscard]] Result<Work> map_openalex(std::string_view payload);

/// One arXiv Atom API entry (atom_mapper.cpp): id and version, published/updated,
/// authors with arxiv:affiliation, arxiv:doi, arxiv:journal_ref, categories (primary first).
[[nodiscard]] Result<Work> map_arxiv_atom(std::string_view payload);

/// One line of the Kaggle arXiv snapshot (snapshot_mapper.cpp): authors_parsed,
/// versions, doi, journal-ref, categories, abstract.
[[nodiscard]] Result<Work> map_arxiv_snapshot(std::string_view payload);

}  // namespace bzpeer::parse
