// bzpeer — one work by its id, as a work page shows it: metadata, identifiers and the
// author list with resolved author ids. Reads the store only; writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/store/store.hpp"

namespace bzpeer::queries {

/// One name on a work's author list.
struct WorkAuthor {
  int position = 0;            ///< 1-based, in the source's author list
  std::string name;            ///< as printed
  std::int64_t author_id = 0;  ///< 0 for collaborations and mentions not yet resolved
  bool is_collaboration = false;
  std::string affiliation;
  std::string orcid;
};

/// One source record of a work (a location: the preprint, the journal version, …) and
/// why it is in this work (work_merges).
struct WorkLocation {
  std::string source;     ///< configured source name, e.g. "arxiv"
  std::string source_id;  ///< e.g. "oai:arXiv.org:1702.05532", a DOI, "W2604314002"
  std::string format;     ///< payload format, e.g. "arXivRaw", "crossref"
  bool deleted = false;   ///< the source deleted the record; it no longer counts
  /// "new" (it made the work), "arxiv_id", "doi", "relation", "fingerprint", or "record"
  /// (linked before merge reasons were kept).
  std::string evidence;
  std::string identifier;      ///< "arxiv:…", "doi:…", "fingerprint:…"; "" for "new"
  double similarity = 0;       ///< title similarity the matcher saw
  double author_overlap = -1;  ///< shared authors / shorter list; -1 unknown
  std::string reason;          ///< the matcher's words, e.g. "shared DOI"
};

/// Which source record supplied one field of the work.
struct FieldSource {
  std::string field;  ///< "title", "abstract", "venue", "type", "first_date", "doi:<doi>", …
  std::string source, source_id, format;
};

struct WorkDetail {
  std::int64_t work_id = 0;
  std::string arxiv_id;
  std::vector<std::string> dois;
  std::string type, venue, title, abstract, journal_ref, comments, license;
  std::string date;       ///< first version (or publication) date, ISO 8601
  std::string last_date;  ///< latest version date
  int year = 0;
  int versions = 0;
  std::vector<std::string> categories;
  bool withdrawn = false;
  /// Every source record of this work was deleted: the id still answers (so old links
  /// do), but the metadata is the last known state.
  bool deleted = false;
  std::vector<WorkAuthor> authors;         ///< in order; from one source (the first by name)
  std::vector<WorkLocation> locations;     ///< every source record of the work, live first
  std::vector<FieldSource> field_sources;  ///< by field name
};

/// The work with id `work_id`, tombstones included (WorkDetail::deleted).
/// Errors: ErrorCode::not_found naming the id; ErrorCode::storage on SQLite failure.
/// Thread-safety: like the Store it reads (one thread at a time per Store).
[[nodiscard]] Result<WorkDetail> work(store::Store& store, std::int64_t work_id);

}  // namespace bzpeer::queries
