// bzpeer — the query API every front end uses (CLI, HTTP API): profile, collaborators,
// author lookup and work search. Reads the store and the index; writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/search/search_index.hpp"
#include "index/store/store.hpp"

namespace bzpeer::queries {

struct AuthorRef {
  std::int64_t author_id = 0;
  std::string name;
  std::int64_t works = 0;
};

struct ProfileWork {
  std::int64_t work_id = 0;
  std::string arxiv_id;
  std::vector<std::string> dois;
  std::string type, venue, title, abstract, date, journal_ref;
  int year = 0;
  std::vector<std::string> categories;
  bool withdrawn = false;
  int position = 0;  ///< the author's position on this work
};

struct Collaborator {
  std::int64_t author_id = 0;
  std::string name;
  std::int64_t works = 0;  ///< shared works
  int first_year = 0, last_year = 0;
};

struct TopicWeight {
  std::string topic;   ///< e.g. "astro-ph.EP"
  std::int64_t works = 0;
  double weight = 0;   ///< share of the author's works, fractional per category
};

struct Profile {
  std::int64_t author_id = 0;
  std::int64_t requested_id = 0;  ///< differs from author_id when the id was redirected
  std::string name;
  std::vector<std::string> variants;
  std::string orcid;
  std::vector<ProfileWork> works;          ///< newest first
  std::vector<TopicWeight> topics;         ///< by weight
  std::vector<Collaborator> collaborators; ///< by shared works, then name
  std::int64_t close_collaborators = 0;    ///< collaborators with >= min_shared works
};

struct ProfileOptions {
  int min_shared_for_close = 2;  ///< a "close collaborator" shares at least this many works
  int min_topic_works = 1;       ///< a topic needs this many supporting works
};

/// Resolves AUTHOR: a numeric author id (following redirects), else the best-matching
/// name (exact variant first, then name-key match with the most works). not_found names
/// what was looked up.
[[nodiscard]] Result<AuthorRef> resolve_author(store::Store& store, const std::string& author);

/// Authors whose name or variants match `query` (case- and accent-insensitive prefix of
/// the family name, or full-name match), most works first.
[[nodiscard]] Result<std::vector<AuthorRef>> find_authors(store::Store& store,
                                                          const std::string& query,
                                                          std::size_t limit = 20);

[[nodiscard]] Result<Profile> profile(store::Store& store, std::int64_t author_id,
                                      const ProfileOptions& options = {});

[[nodiscard]] Result<std::vector<Collaborator>> collaborators(store::Store& store,
                                                              std::int64_t author_id);

}  // namespace bzpeer::queries
