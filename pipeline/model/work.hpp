// bzpeer — the normalised model shared by the pipeline, the store and the index.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer {

enum class WorkType { preprint, article, proceedings, book_chapter, book, dataset, other };

[[nodiscard]] constexpr std::string_view to_string(WorkType type) noexcept {
  switch (type) {
    case WorkType::preprint: return "preprint";
    case WorkType::article: return "article";
    case WorkType::proceedings: return "proceedings";
    case WorkType::book_chapter: return "book-chapter";
    case WorkType::book: return "book";
    case WorkType::dataset: return "dataset";
    case WorkType::other: return "other";
  }
  return "other";
}

[[nodiscard]] inline std::optional<WorkType> work_type_from_string(std::string_view s) noexcept {
  for (auto t : {WorkType::preprint, WorkType::article, WorkType::proceedings,
                 WorkType::book_chapter, WorkType::book, WorkType::dataset, WorkType::other}) {
    if (to_string(t) == s) return t;
  }
  return std::nullopt;
}

/// One name as printed on one work, with its parsed parts.
struct AuthorMention {
  int position = 0;               ///< 1-based position in the source's author list
  std::string printed;            ///< the name as printed (TeX already turned into Unicode)
  std::string given;              ///< forenames, e.g. "Samuel S."
  std::string family;             ///< keyname incl. particles, e.g. "van der Waals"
  std::string suffix;             ///< "Jr.", "III", …
  std::string affiliation;        ///< free text, may be empty
  std::string orcid;              ///< bare ORCID (0000-0002-…), may be empty
  bool is_collaboration = false;  ///< "ATLAS Collaboration": not a person
  /// The ORCID was deposited by an authenticated ORCID holder (Crossref's
  /// `authenticated-orcid`), not just typed in by the publisher.
  bool orcid_authenticated = false;
  std::string source_author_id;  ///< the source's own author id, e.g. OpenAlex "A5023888391"
  std::vector<std::string> institution_ids;  ///< e.g. OpenAlex "I27837315", in source order
};

/// A link from this work to another record of the same paper (another version). Not an
/// identity claim by itself: work deduplication (#5) decides what to merge.
struct RelatedId {
  std::string relation;  ///< the source's relation type: "has-preprint", "is-preprint-of", …
  std::string scheme;    ///< "doi" (normalised) or "arxiv" (versionless; arXiv DOIs become this)
  std::string value;
};

/// A topic a source assigned to the work, with its place in that source's hierarchy
/// (OpenAlex: topic < subfield < field < domain).
struct TopicScore {
  std::string id;        ///< the source's id, e.g. "T11042"
  std::string label;     ///< "Corruption and Economic Development"
  double score = 0;      ///< the source's confidence, 0..1
  std::string subfield;  ///< labels of the hierarchy levels, may be empty
  std::string field;
  std::string domain;
};

/// One arXiv version (or the single version of a non-arXiv record).
struct WorkVersion {
  int number = 0;           ///< 1 for v1
  std::string date;         ///< ISO 8601 date-time, UTC
  std::string size;         ///< as printed ("294kb")
  std::string source_type;  ///< arXivRaw flags; contains 'I' for a withdrawal
};

/// A work as one source describes it, normalised. Identity resolution happens later.
struct Work {
  std::string arxiv_id;           ///< versionless, e.g. "0704.0001" or "hep-th/9901001"
  std::vector<std::string> dois;  ///< lowercased, no resolver prefix
  std::string title;
  std::string abstract;
  WorkType type = WorkType::preprint;
  std::string venue;  ///< "arXiv" for preprints, journal for articles
  std::string journal_ref;
  std::string comments;
  std::string license;
  std::string first_date;               ///< first version (ISO date)
  std::string last_date;                ///< last version (ISO date)
  std::string pub_date;                 ///< publication date if known
  int year = 0;                         ///< year of the first version / publication
  std::vector<std::string> categories;  ///< primary first
  std::vector<WorkVersion> versions;
  bool withdrawn = false;
  std::vector<AuthorMention> authors;
  /// Other versions this source names (Crossref `relation`: has-preprint, is-preprint-of,
  /// is-version-of, has-version), for deduplication. Not stored as identifiers.
  std::vector<RelatedId> related_ids;
  std::vector<TopicScore> topics;  ///< topics the source assigned (OpenAlex), best first
  std::string source_work_id;      ///< the source's own id when it is not a DOI/arXiv id ("W…")
};

}  // namespace bzpeer
