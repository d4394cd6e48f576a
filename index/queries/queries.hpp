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
  /// find_authors only: the names printed for this author, most used first.
  std::vector<std::string> variants = {};
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
  std::string topic;  ///< category id ("astro-ph.EP") or keyphrase ("transit timing variations")
  std::int64_t works = 0;  ///< supporting works
  double weight = 0;       ///< share within its kind (fractional authorship, see author_topics.hpp)
  std::string label;       ///< readable: "Earth and Planetary Astrophysics", or the keyphrase
  std::string kind;        ///< "category" or "keyphrase"
};

struct Profile {
  std::int64_t author_id = 0;
  std::int64_t requested_id = 0;  ///< differs from author_id when the id was redirected
  std::string name;
  std::vector<std::string> variants;
  std::string orcid;
  std::vector<ProfileWork> works;           ///< newest first
  std::vector<TopicWeight> topics;          ///< categories, then keyphrases; each by weight
  std::vector<Collaborator> collaborators;  ///< by shared works, then name
  std::int64_t close_collaborators = 0;     ///< collaborators with >= min_shared works
};

struct ProfileOptions {
  int min_shared_for_close = 2;  ///< a "close collaborator" shares at least this many works
  int min_topic_works = 1;       ///< a topic needs this many supporting works
};

/// Resolves AUTHOR: a numeric author id (following redirects), else the best-matching
/// name (exact variant first, then name-key match with the most works). not_found names
/// what was looked up.
[[nodiscard]] Result<AuthorRef> resolve_author(store::Store& store, const std::string& author);

/// Authors matching a name query, with their variants, at most `limit`. Case and accents
/// do not matter. One word matches the start of family names ("boru", "schon" finds
/// Schönholz), whole family names first; a full name ("W. Borucki", "William Borucki",
/// "Borucki, William") matches the family name and needs given names that fit (initials
/// fit full names); a family name with a particle is found whole ("Di Francesco"). Then
/// most works first.
[[nodiscard]] Result<std::vector<AuthorRef>> find_authors(store::Store& store,
                                                          const std::string& query,
                                                          std::size_t limit = 20);

[[nodiscard]] Result<Profile> profile(store::Store& store, std::int64_t author_id,
                                      const ProfileOptions& options = {});

[[nodiscard]] Result<std::vector<Collaborator>> collaborators(store::Store& store,
                                                              std::int64_t author_id);

}  // namespace bzpeer::queries
