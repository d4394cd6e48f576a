// Test corpus for the search index: ten real arXiv works.
//
// Provenance: titles, abstracts, authors, categories and DOIs are copied by hand from
// ../shared/data/other/arxiv-oaipmh-testdb/arXiv_metadata.jsonl (current versions), with
// TeX escapes written as Unicode and long author lists and one abstract shortened. Dates,
// work ids, author ids, topics, types, venues and sources are made up for the tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "index/search/index_document.hpp"
#include "index/search/search_index.hpp"

namespace bzpeer::search::testing {

inline IndexDocument work(std::int64_t id, std::string arxiv, std::string date, int year,
                          std::vector<std::string> categories, std::string title,
                          std::vector<std::string> authors, std::string abstract) {
  IndexDocument d;
  d.work_id = id;
  d.arxiv_id = std::move(arxiv);
  d.date = std::move(date);
  d.year = year;
  d.categories = std::move(categories);
  d.title = std::move(title);
  d.author_names = std::move(authors);
  d.author_ids.assign(d.author_names.size(), 0);
  d.abstract = std::move(abstract);
  d.sources = {"arxiv"};
  return d;
}

// Newest first: 10, 8, 7, 5, 4, 3, 6, 9, 2, 1.
inline std::vector<IndexDocument> corpus() {
  std::vector<IndexDocument> docs;
  docs.push_back(work(
      1, "0906.3421", "2009-06-18", 2009, {"math.CO", "cond-mat.stat-mech", "math-ph", "math.MP"},
      "Q-system Cluster Algebras, Paths and Total Positivity", {"P. Di Francesco", "R. Kedem"},
      "We review the solution of the A_r Q-systems in terms of the partition function of paths on "
      "a weighted graph, and show that it is possible to modify the graphs and transfer matrices "
      "so as to provide an explicit connection to the theory of planar networks introduced in the "
      "context of totally positive matrices by Fomin and Zelevinsky."));
  docs.push_back(work(
      2, "1003.0904", "2010-03-04", 2010, {"astro-ph.CO", "astro-ph.HE", "hep-ex", "hep-ph"},
      "Dark Matter Candidates from Particle Physics and Methods of Detection", {"Jonathan L. Feng"},
      "The identity of dark matter is a question of central importance in both astrophysics and "
      "particle physics. In the past, the leading particle candidates were cold and "
      "collisionless, and typically predicted missing energy signals at particle colliders. "
      "However, recent progress has greatly expanded the list of well-motivated candidates and "
      "the possible signatures of dark matter. This review begins with a brief summary of the "
      "standard model of particle physics and its outstanding problems. We then discuss several "
      "dark matter candidates motivated by these problems, including WIMPs, superWIMPs, light "
      "gravitinos, hidden dark matter, sterile neutrinos, and axions."));
  docs.back().dois = {"10.1146/annurev-astro-082708-101659"};
  docs.back().author_ids = {501};
  docs.back().topics = {"Dark Matter and Cosmic Phenomena"};
  docs.back().sources = {"arxiv", "crossref"};
  docs.push_back(work(
      3, "1012.3227", "2010-12-15", 2010, {"hep-ph", "astro-ph.CO", "hep-th"},
      "Strong dynamics at the Planck scale as a solution to the cosmological moduli problem",
      {"Fuminobu Takahashi", "Tsutomu T. Yanagida"},
      "We argue that strong dynamics at the Planck scale can solve the cosmological moduli "
      "problem. We discuss its implications for inflation models, and find that a certain type "
      "of multi-field inflation model is required for this mechanism to work, since otherwise it "
      "would lead to the serious eta-problem. Combined with the inflaton-induced gravitino "
      "problem, we show that a chaotic inflation with a discrete symmetry naturally avoids both "
      "problems. Interestingly, the focus point supersymmetry is predicted when this mechanism "
      "is applied to the Polonyi model."));
  docs.back().dois = {"10.1007/JHEP01(2011)139"};  // as printed; the index folds case
  docs.push_back(work(
      4, "1102.0026", "2011-01-31", 2011, {"cs.LG", "cs.CG", "cs.DB"},
      "Spatially-Aware Comparison and Consensus for Clusterings",
      {"Parasaran Raman", "Jeff M. Phillips", "Suresh Venkatasubramanian"},
      "This paper proposes a new distance metric between clusterings that incorporates "
      "information about the spatial distribution of points and clusters. Our approach builds on "
      "the idea of a Hilbert space-based representation of clusters as a combination of the "
      "representations of their constituent points. We use this representation and the "
      "underlying metric to design a spatially-aware consensus clustering procedure. This "
      "consensus procedure is implemented via a novel reduction to Euclidean clustering, and is "
      "both simple and efficient. All of our results apply to both soft and hard clusterings."));
  docs.push_back(work(
      5, "1102.0291", "2011-02-01", 2011, {"astro-ph.EP"},
      "A Closely-Packed System of Low-Mass, Low-Density Planets Transiting Kepler-11",
      {"Jack J. Lissauer", "Daniel C. Fabrycky", "Eric B. Ford", "William J. Borucki",
       "Francois Fressin", "Geoffrey W. Marcy", "Jerome A. Orosz", "Jason F. Rowe"},
      "When an extrasolar planet passes in front of its star (transits), its radius can be "
      "measured from the decrease in starlight and its orbital period from the time between "
      "transits. Multiple planets transiting the same star reveal more: period ratios determine "
      "stability and dynamics, mutual gravitational interactions reflect planet masses and "
      "orbital shapes, and the fraction of transiting planets observed as multiples has "
      "implications for the planarity of planetary systems. But few stars have more than one "
      "known transiting planet, and none has more than three. Here we report Kepler spacecraft "
      "observations of a single Sun-like star that reveal six transiting planets."));
  docs.back().dois = {"10.1038/nature09760"};
  docs.back().type = "article";
  docs.back().venue = "Nature";
  docs.back().topics = {"Exoplanet Detection and Characterization"};
  docs.back().sources = {"arxiv", "crossref"};
  docs.push_back(work(
      6, "1010.5009", "2010-10-25", 2010, {"hep-th", "hep-ph"},
      "Bootstrapping Null Polygon Wilson Loops",
      {"Davide Gaiotto", "Juan Maldacena", "Amit Sever", "Pedro Vieira"},
      "We derive the two loop expressions for polygonal Wilson loops by starting from the one "
      "loop expressions and applying an operator product expansion. We do this for polygonal "
      "Wilson loops in R^{1,1} and find a result in agreement with previous computations. We also "
      "discuss the spectrum of excitations around flux tube that connects two null Wilson "
      "lines."));
  docs.back().dois = {"10.1007/JHEP03(2011)092"};
  docs.back().author_ids = {0, 601, 0, 0};
  docs.push_back(work(
      7, "1102.0311", "2011-02-02", 2011, {"astro-ph.SR", "astro-ph.EP"},
      "Accretion of a Terrestrial-Like Minor Planet by a White Dwarf",
      {"Carl Melis", "J. Farihi", "P. Dufour", "B. Zuckerman", "Adam J. Burgasser", "P. Bergeron",
       "J. Bochanski", "R. Simcoe"},
      "We present optical and infrared characterization of the polluted DAZ white dwarf GALEX "
      "J193156.8+011745. Imaging and spectroscopy from the ultraviolet to the thermal infrared "
      "indicates that the white dwarf hosts excess infrared emission consistent with the "
      "presence of an orbiting dusty debris disk. We compare the inferred bulk elemental "
      "composition of the accreted parent body to expectations for the bulk composition of an "
      "Earth-like planet stripped of its crust and mantle and find relatively good agreement."));
  docs.back().dois = {"10.1088/0004-637X/732/2/90"};
  docs.push_back(work(
      8, "1102.0396", "2011-02-03", 2011, {"astro-ph.EP"}, "Solar wind origin of terrestrial water",
      {"Hans Merkl", "Markus Fraenz"},
      "The origin of the Earth water reserves during the evolution of the planet is one of the "
      "big miracles in geophysics. Common explanations are storage of water in the Earth mantle "
      "at a time when the crust had not yet formed and depositing of water by comets during the "
      "time of late heavy bombardement. Here we discuss the possible role of hydrogen collected "
      "from the solar wind by the early Earth magnetosphere. While the water production by solar "
      "wind capture is very small today it may have been significant during the first billion "
      "years after planetary formation because solar wind was much stronger at that time."));
  docs.push_back(work(
      9, "1010.1560", "2010-10-08", 2010,
      {"physics.comp-ph", "cond-mat.mes-hall", "cond-mat.mtrl-sci", "quant-ph"},
      "Band structure of Si/Ge core-shell nanowires along [110] direction modulated by external "
      "uniaxial strain",
      {"Xihong Peng", "Fu Tang", "Paul Logan"},
      "Strain modulated electronic properties of Si/Ge core-shell nanowires along [110] "
      "direction were reported based on first principles density-functional theory "
      "calculations. Particularly, the energy dispersion relationship of the conduction/valence "
      "band was explored in detail. At the Γ point, the energy levels of both bands are "
      "significantly altered by applied uniaxial strain, which results in an evident change of "
      "band gap. Our studies further showed that effective masses of charge carriers can be also "
      "tuned by the external uniaxial strain."));
  docs.back().dois = {"10.1088/0953-8984/23/11/115502"};
  docs.push_back(
      work(10, "1102.0310", "2012-02-27", 2012, {"math.RT", "math.RA"},
           "Highest weight vectors for the adjoint action of GL_n on polynomials", {"Rudolf Tange"},
           "Let G=GL_n be the general linear group over an algebraically closed field k and let "
           "g=gl_n be its Lie algebra. Let U be the subgroup of G which consists of the upper "
           "unitriangular matrices. Finally we formulate a question which asks whether in "
           "characteristic zero generators can be obtained by applying one explicit highest weight "
           "vector of weight lambda in the tensor algebra T(g) to varying tuples of fundamental "
           "invariants."));
  return docs;
}

/// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("bzpeer-search-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The work ids of a response, in hit order.
inline std::vector<std::int64_t> ids(const SearchResponse& r) {
  std::vector<std::int64_t> out;
  for (const auto& hit : r.hits) out.push_back(hit.work_id);
  return out;
}

/// The work ids of a response as a set (for queries where order is not the point).
inline std::set<std::int64_t> id_set(const SearchResponse& r) {
  auto v = ids(r);
  return {v.begin(), v.end()};
}

}  // namespace bzpeer::search::testing
