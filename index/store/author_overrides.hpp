// bzpeer — manual author overrides: `bzpeer author merge A B` and `bzpeer author split A
// --works ...`, kept in the store and honoured by every consolidation.
//
// An override records the mentions it is about (work, source, position and the name as
// printed then). Consolidation finds them again, also after a re-harvest rewrote the
// record, by work, source and name block, and hands them to the clusterer as constraints:
// a merge makes all its mentions one person (must-link, even across name blocks); a split
// makes the split-off mentions one person and keeps them apart from the rest of the
// author (cannot-link). The author id rules keep working around them: an id follows the
// earlier cluster it overlaps most, and an id that loses its mentions redirects.
//
// The functions change the store in one transaction and queue what consolidation must
// redo (name blocks, authors, works to reindex); the caller then runs consolidation and
// indexing (`pipeline::consolidate_and_index`), as after a harvest. The caller holds the
// storage lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/store/store.hpp"

namespace bzpeer::store {

struct AuthorOverride {
  std::int64_t override_id = 0;
  std::string kind;                 ///< "merge" or "split"
  std::int64_t author_id = 0;       ///< merge: A (the id kept); split: the author split
  std::int64_t other_id = 0;        ///< merge: B (redirects to A); split: the new author's id
  std::vector<std::int64_t> works;  ///< split: the works split off
  std::string created_at;
  std::int64_t mentions = 0;    ///< mentions the override names
  std::int64_t current_id = 0;  ///< who holds them now (merge: all; split: the split-off part)
};

struct OverrideResult {
  std::int64_t override_id = 0;
  std::int64_t author_id = 0;  ///< merge: A; split: the new author
  std::int64_t mentions = 0;   ///< mentions moved to author_id
  /// Earlier overrides this one contradicted (a merge of what a split separated), which
  /// were removed or narrowed: "override 3 (split of 17) removed".
  std::vector<std::string> superseded;
};

/// All of B's mentions belong to A from now on; B redirects to A. Ids that redirect are
/// followed first. not_found: A or B is no author; invalid_argument: A and B are one
/// author (or the same id), or both sign one work.
[[nodiscard]] Result<OverrideResult> merge_authors(Store& store, std::int64_t a, std::int64_t b);

/// The mentions of A on `works` (work ids, arXiv ids or DOIs) become a new author.
/// not_found: A is no author, or a work is unknown; invalid_argument: no works, a work A
/// does not sign, or every work of A (nothing would remain).
[[nodiscard]] Result<OverrideResult> split_author(Store& store, std::int64_t a,
                                                  const std::vector<std::string>& works);

/// Every override, oldest first (read-only stores too; an unmigrated store has none).
[[nodiscard]] Result<std::vector<AuthorOverride>> author_overrides(Store& store);

/// Removes an override; the name blocks it touched are clustered again on the next
/// consolidation, from the evidence alone. not_found for an unknown override id.
[[nodiscard]] Result<AuthorOverride> remove_author_override(Store& store, std::int64_t override_id);

/// The author that holds an override's mentions now (see AuthorOverride::current_id);
/// 0 when none of them is left.
[[nodiscard]] Result<std::int64_t> override_author(Store& store, std::int64_t override_id);

/// Queues every name block, so the next consolidation re-clusters all authors (a full
/// re-cluster, e.g. after the clusterer's weights changed). Overrides still hold.
[[nodiscard]] Result<std::int64_t> queue_all_blocks(Store& store);

}  // namespace bzpeer::store
