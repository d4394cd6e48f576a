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
  for (auto t : {WorkType::preprint, WorkType::article, WorkType::proceedings, WorkType::book_chapter,
                 WorkType::book, WorkType::dataset, WorkType::other}) {
    if (to_string(t) == s) return t;
  }
  return std::nullopt;
}

/// One name as printed on one work, with its parsed parts.
struct AuthorMention {
  int position = 0;          ///< 1-based position in the source's author list
  std::string printed;       ///< the name as printed (TeX already turned into Unicode)
  std::string given;         ///< forenames, e.g. "Samuel S."
  std::string family;        ///< keyname incl. particles, e.g. "van der Waals"
  std::string suffix;        ///< "Jr.", "III", …
  std::string affiliation;   ///< free text, may be empty
  std::string orcid;         ///< bare ORCID (0000-0002-…), may be empty
  bool is_collaboration = false;  ///< "ATLAS Collaboration": not a person
};

/// One arXiv version (or the single version of a non-arXiv record).
struct WorkVersion {
  int number = 0;            ///< 1 for v1
  std::string date;          ///< ISO 8601 date-time, UTC
  std::string size;          ///< as printed ("294kb")
  std::string source_type;   ///< arXivRaw flags; contains 'I' for a withdrawal
};

/// A work as one source describes it, normalised. Identity resolution happens later.
struct Work {
  std::string arxiv_id;               ///< versionless, e.g. "0704.0001" or "hep-th/9901001"
  std::vector<std::string> dois;      ///< lowercased, no resolver prefix
  std::string title;
  std::string abstract;
  WorkType type = WorkType::preprint;
  std::string venue;                  ///< "arXiv" for preprints, journal for articles
  std::string journal_ref;
  std::string comments;
  std::string license;
  std::string first_date;             ///< first version (ISO date)
  std::string last_date;              ///< last version (ISO date)
  std::string pub_date;               ///< publication date if known
  int year = 0;                       ///< year of the first version / publication
  std::vector<std::string> categories;  ///< primary first
  std::vector<WorkVersion> versions;
  bool withdrawn = false;
  std::vector<AuthorMention> authors;
};

}  // namespace bzpeer
