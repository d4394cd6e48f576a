// bzpeer — the works row of a record: insert, or merge into the existing work.
#pragma once

#include <cstdint>

#include "index/store/sqlite.hpp"
#include "pipeline/model/source_record.hpp"
#include "pipeline/model/work.hpp"

namespace bzpeer::store {

/// Inserts `w` as a new work (`work_id` 0) or merges it into work `work_id`, and returns
/// the work id. Runs inside the caller's transaction. Throws SqliteError.
///
/// Field-level precedence when several sources describe one work:
/// - the *text* fields (title, abstract, comments, license, categories, versions, first
///   and last date, year, withdrawn) come from the arXiv record when there is one
///   (arXivRaw, arXiv, oai_dc, arxiv-atom, arxiv-snapshot: the words the authors wrote and
///   versioned), then Crossref, then OpenAlex;
/// - the *bibliographic* fields (type, venue, journal_ref, pub_date) come from the version
///   of record: Crossref, then OpenAlex, then arXiv; a record that says "preprint" never
///   replaces a stored published type;
/// - `record` takes a group when no *other* live source record of the work ranks higher
///   for it (so a source re-sending its own record still updates it); within a group a
///   non-empty stored value is never replaced by an empty one; a known arXiv id is kept.
///
/// Per-field provenance: every field `record` supplies (non-empty and taken) is recorded
/// in work_field_sources as coming from this record (source, source_id, format); fields
/// kept from the stored row keep their supplier. Each DOI is credited to the first record
/// that gave it (field "doi:<doi>").
[[nodiscard]] std::int64_t upsert_work(Connection& db, std::int64_t work_id, const Work& w,
                                       const SourceRecord& record);

}  // namespace bzpeer::store
