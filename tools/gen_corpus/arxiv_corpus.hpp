// bzpeer — an arXiv-shaped benchmark corpus (gen-corpus --shape arxiv), streamed to disk.
//
// Unlike the small community world in world.hpp (which tests hold in memory), this one is
// written work by work, so N can be in the millions. Every work is a pure function of
// (seed, index): the incremental set regenerates a work to change it without keeping the
// corpus in memory.
//
// Distributions, and where they come from:
//   - title and abstract lengths: log-normal fitted to the 150 records of the real Kaggle
//     snapshot capture (../shared/data/kaggle-snapshot, 0704.0001-0704.0150): titles mean
//     9 words (2..22), abstracts mean 116 words, sd 61 (13..281);
//   - authors per work: the capture's shape (1: 41 %, 2: 27 %, 3: 15 %, 4: 8 %, ...,
//     max 15) shifted towards today's team sizes, plus a long tail of collaborations
//     (2 % with 11..60 authors, 0.03 % with 100..1000), mean about 3.9, in line with
//     arXiv's ~10 M author mentions on ~2.6 M works;
//   - cross-listed categories per work: the capture's 1: 61 %, 2: 28 %, 3: 8 %, 4+: 3 %;
//   - versions per work: the capture's 1: 51 %, 2: 33 %, 3: 11 %, 4: 3 %, 5: 2 %;
//   - works per author: 0.9 persons per work with a Pareto(1.15) productivity; authors
//     pick co-authors from their group (16 neighbours in the field), so at 20,000 works
//     the median person signs 3 works, 20 % sign one, 1 % more than 30, the top over 1,000;
//   - submissions per month grow linearly fourfold from April 2007 to 2025 (arXiv: about
//     5,000 a month in 2007, over 20,000 in 2024); ids YYMM.NNNN before 2015, YYMM.NNNNN
//     after (above ~2.4 M works a pre-2015 month passes 9,999 and gets 5 digits);
//   - names: Zipf-distributed first and family names (a short real head, a synthetic tail),
//     so common names are shared by many persons ("J. Wang"), printed in variants;
//   - categories: current arXiv categories with approximate shares (cs and math largest);
//     the share weights are rough, not measured;
//   - words: a Zipf(1.0) vocabulary of ~120,000 words (a head of common English and
//     scientific words, a synthetic tail), each field skewed to its own slice.
//
// Files written into the output directory:
//   pages/page-NNNNN.xml      arXivRaw ListRecords pages (`per_page` records each)
//   crossref/crossref-NNNNN.json  Crossref /works cursor pages of the works that have a
//                             published version (about 40 %): same work, other record
//   snapshot.jsonl            the arXiv bulk snapshot (Kaggle) shape, one work a line
//   truth.tsv                 arxiv_id, position, person id, printed name (per mention)
//   works-truth.tsv           arxiv_id, doi, doi_in_arxiv (1 when the arXiv record
//                             carries the DOI; 0 when only title/authors link them)
//   update/page-NNNNN.xml     with --update-fraction: new and changed records, dated
//                             --update-date (the incremental harvest)
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace bzpeer::gen_corpus {

struct ArxivCorpusOptions {
  std::uint64_t seed = 42;
  long works = 1000;
  int per_page = 1000;         ///< records per OAI page file (arXiv: 1000 per page)
  int crossref_rows = 1000;    ///< items per Crossref page
  int first_year = 2007;       ///< new-style arXiv ids start in 0704
  int last_year = 2025;        ///< works spread evenly over the months in between
  double update_fraction = 0;  ///< 0 = no update set; else half new, half changed
  std::string update_date;     ///< YYYY-MM-DD datestamp of the update set
  bool snapshot = true;        ///< write snapshot.jsonl
  bool crossref = true;        ///< write crossref/
};

struct ArxivCorpusCounts {
  long works = 0, persons = 0, mentions = 0, crossref_items = 0;
  long update_new = 0, update_changed = 0;
};

/// True for a valid calendar date written YYYY-MM-DD.
bool valid_date(const std::string& text);

/// Writes the corpus into `dir`. Returns false (message on stderr) on an I/O error.
bool write_arxiv_corpus(const ArxivCorpusOptions& options, const std::filesystem::path& dir,
                        ArxivCorpusCounts& counts);

}  // namespace bzpeer::gen_corpus
