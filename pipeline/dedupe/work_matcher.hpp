// bzpeer — deciding whether two bibliographic records describe the same work.
//
// Identity is decided in two tiers (issue #5):
//
// Tier 1, identifiers. A shared arXiv id merges. A shared DOI merges when the titles
// agree (title similarity ≥ 0.5) or, for a retitled published version, when the
// author lists agree (same first author, at least half the authors shared); otherwise
// the link is *flagged* (Verdict::conflict): one DOI sitting on two different papers is
// a known data error. Two different arXiv ids, or two versions of record (DOIs on both
// sides that are not preprint servers' DOIs, none in common), keep the records apart:
// they are never merged on fuzzy evidence. A preprint server's DOI (bioRxiv 10.1101,
// SSRN 10.2139, …) and a journal's DOI leave the decision to tier 2. arXiv's own DOIs
// (10.48550/arXiv.<id>) count as the arXiv id; Cochrane-style version DOIs (`….pub2`, `….pub3`)
// count as one DOI.
//
// Tier 2, fuzzy. Only when no identifier decides. First the bibliographic locator, when
// both records have one: a different volume is a different item; a different first page
// needs the same title and author list (first pages carry typos); the same volume and
// first page (year ± 1, authors not disjoint) merge titles that share as little as 0.35,
// whatever the venue spelling, extra words or a generic title. Never merged: generic titles
// ("Editorial", "Book review", "UNKNOWN", "Comment on …"), titles whose numbers differ
// (part II vs part III, "volume 52 paper 41" vs "… paper 45"), a journal against a
// conference or workshop venue, two named venues that share nothing, disjoint or mostly
// different author lists, years more than one apart (three
// when one side is a preprint). Otherwise the titles must be similar enough, where the
// similarity is the larger of the token Jaccard and the edit similarity of the title
// fingerprints, and the bar rises with the year gap and with missing author evidence.
// The thresholds are set on the shared part of the Leipzig DBLP-ACM set and bib-dedupe's
// digital_work/haematology sets (see work_matcher.cpp for each number and why).
//
// Everything here is pure (no I/O), thread-safe and never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::dedupe {

/// What the matcher needs to know about one record. Fill what the source has; empty
/// fields count as unknown, never as a mismatch.
struct WorkKey {
  std::string title;                 ///< as printed (TeX, JATS and case are handled)
  std::vector<std::string> authors;  ///< family names in order (see family_names())
  int year = 0;                      ///< publication (or first-version) year; 0 = unknown
  std::string venue;                 ///< journal, proceedings or "arXiv"; may be empty
  std::vector<std::string> dois;     ///< any form; normalised by prepare()
  std::string arxiv_id;              ///< versionless arXiv id; may be empty
  bool preprint = false;             ///< a preprint: its journal version may be 3 years later
  std::string volume;                ///< journal volume as printed ("118", "14, Sp. Iss. SI")
  std::string pages;                 ///< page range or article number ("c37-c42", "499–711")
};

/// The kind of venue, from words in its name; `unknown` never conflicts.
enum class VenueKind { unknown, preprint, journal, conference, workshop };

/// A WorkKey with every derived key computed once (matching many pairs is then cheap).
struct PreparedWork {
  std::string fingerprint;           ///< title_fingerprint(title)
  std::vector<std::string> tokens;   ///< content tokens of the title
  std::vector<std::string> numbers;  ///< title_numbers(): part/volume numbers
  /// The title without its [bracketed] and (parenthesised) notes, which one database
  /// adds and another leaves out: "….[Erratum appears in N Engl J Med. 2009 …]",
  /// "… (vol 85, pg 553, 2010)". The whole title when nothing is left outside brackets.
  std::string core_fingerprint;
  std::vector<std::string> core_tokens;
  std::vector<std::string> author_keys;  ///< family_key() of each author, in order
  std::vector<std::string> doi_keys;     ///< normalised, version suffix dropped, sorted
  std::string arxiv_id;                  ///< from the key or from an arXiv DOI
  int year = 0;
  VenueKind venue_kind = VenueKind::unknown;
  std::vector<std::string> venue_tokens;  ///< distinctive venue tokens (no "journal", …)
  std::string venue_initials;             ///< first letters of venue_tokens ("vldb")
  bool generic = false;                   ///< is_generic_title(), or the title is the venue
  bool preprint = false;
  std::string volume;      ///< locator_number(volume): "14, Sp. Iss. SI" → "14"
  std::string first_page;  ///< locator_number(pages): "c37-c42" → "37", "S10" → "10"
};

/// The first run of digits of a volume or page field, without leading zeros: "c37-c42" →
/// "37", "14, Sp. Iss. SI" → "14", "0023" → "23". "" when the field has no digit (an
/// unknown locator never conflicts).
[[nodiscard]] std::string locator_number(std::string_view field);

/// Computes the derived keys of one record.
[[nodiscard]] PreparedWork prepare(const WorkKey& key);

/// Classifies a venue name: "arXiv"/"bioRxiv"/"preprint" → preprint; "… Workshop …" →
/// workshop; "Proceedings", "Conference", "Symposium", "Conf." → conference; "Journal",
/// "Transactions", "Letters", "Review(s)", "J." → journal; anything else → unknown.
[[nodiscard]] VenueKind venue_kind(std::string_view venue);

enum class Verdict {
  different,  ///< two works
  same,       ///< one work
  conflict,   ///< a shared identifier contradicted by the metadata: flag it, do not merge
};

enum class Evidence {
  none,      ///< decided by a veto or by missing evidence
  arxiv_id,  ///< tier 1: the same arXiv id, or different ones
  doi,       ///< tier 1: a shared DOI, or disjoint DOIs
  fuzzy,     ///< tier 2: title, authors, year and venue
};

/// The outcome of comparing two records, with the evidence behind it.
struct MatchDecision {
  Verdict verdict = Verdict::different;
  Evidence evidence = Evidence::none;
  double title_similarity = 0.0;  ///< max(token Jaccard, edit similarity) of fingerprints
  double author_overlap = -1.0;   ///< shared authors / shorter list; -1 when a list is empty
  std::string_view reason;        ///< a short static explanation, e.g. "shared DOI"
  /// True when a rule forbids the merge outright (different identifiers, generic title,
  /// different part numbers or venue kinds, disjoint authors, years apart without enough
  /// evidence, a DOI conflict). False for `same`, and for "titles too different" in the
  /// same year, which cluster() may still join through a third record.
  bool veto = false;
};

/// Compares two prepared records (the fast path).
[[nodiscard]] MatchDecision match(const PreparedWork& a, const PreparedWork& b);

/// Confirms a link that an identifier asserts between two records carrying *different*
/// identifiers (Crossref "has-preprint"/"is-preprint-of", OpenAlex versions): `same` when
/// the titles agree (≥ 0.5) or the first author and half the authors do, as for a
/// shared DOI; otherwise `conflict`. Evidence::doi.
[[nodiscard]] MatchDecision confirm_link(const PreparedWork& a, const PreparedWork& b);

/// Compares two records: prepare() both, then match().
[[nodiscard]] MatchDecision match(const WorkKey& a, const WorkKey& b);

/// max(token Jaccard, edit similarity) of the two title fingerprints, in [0, 1]; the
/// larger of that and the same on the core fingerprints (brackets removed).
[[nodiscard]] double title_similarity(const PreparedWork& a, const PreparedWork& b);

/// True when the two can never be one work whatever else they share: different arXiv
/// ids, two versions of record (non-preprint DOIs on both sides, none shared), or years
/// too far apart.
[[nodiscard]] bool incompatible(const PreparedWork& a, const PreparedWork& b);

/// True when two venue names agree. Never when their kinds conflict (journal vs
/// workshop). Yes when one is the acronym of the other ("VLDB" ~ "Very Large Data Bases").
/// Otherwise by distinctive tokens, a token matching its abbreviation ("Nat Rev Nephrol" ~
/// "Nature Reviews Nephrology"): `strict` needs more than half of each name found in the
/// other; lenient needs more than half of either, or two conferences ("SIGMOD Conference"
/// ~ "International Conference on Management of Data"). Empty never agrees.
[[nodiscard]] bool venues_agree(const PreparedWork& a, const PreparedWork& b, bool strict);

/// Blocking keys of one record: records that may be one work share at least one key.
/// Keys: the title fingerprint; each DOI and the arXiv id; the first author's family key
/// with each year of the window [year, year + 1] (+3 for preprints); the first two and
/// the last two content tokens of the title.
[[nodiscard]] std::vector<std::string> blocking_keys(const PreparedWork& work);

/// Candidate pairs (i < j, sorted) of records sharing a blocking key. Blocks larger than
/// `max_block` are skipped (a key such as "p:data base" that half the set shares carries
/// no evidence; such pairs still meet in their other, smaller blocks).
[[nodiscard]] std::vector<std::pair<int, int>> candidate_pairs(
    const std::vector<PreparedWork>& works, std::size_t max_block = 400);

/// Groups records into works. Returns one label per record; records with the same label
/// are one work, labels are the smallest record index of each group. Pairs come from
/// candidate_pairs(); the `same` links are applied strongest first (identifiers, then
/// by title similarity) with union-find, and a link is skipped when it would put two
/// records whose match() is a veto into one group (so "A ~ B ~ C" never joins A and C when
/// a rule forbids A = C). Conflicts never link.
[[nodiscard]] std::vector<int> cluster(const std::vector<WorkKey>& works);

/// As cluster(), on records already prepared.
[[nodiscard]] std::vector<int> cluster(const std::vector<PreparedWork>& works);

}  // namespace bzpeer::dedupe
