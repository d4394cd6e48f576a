// bzpeer — profile-level merging of author clusters (see author_profiles.hpp).
#include "pipeline/dedupe/author_profiles.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "pipeline/dedupe/author_features.hpp"
#include "pipeline/dedupe/author_hac.hpp"

namespace bzpeer::dedupe::author_profiles {
namespace {

using author_features::GivenName;

struct Profile {
  AuthorSignature sig;
  std::set<std::int64_t> works;
  std::set<std::string> orcids;
  std::set<std::int64_t> apart;   // manual split sides of the members
  std::vector<GivenName> givens;  // distinct given names
};

template <typename T>
void add_unique(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

Profile build(std::span<const AuthorSignature> mentions, const std::vector<std::size_t>& idx) {
  Profile p;
  std::map<std::string, int> affiliations;
  std::vector<int> years;
  std::set<std::string> givens_seen;
  for (auto i : idx) {
    const auto& m = mentions[i];
    if (m.given.size() > p.sig.given.size() || p.sig.family.empty()) {
      p.sig.given = m.given;
      p.sig.family = m.family;
      p.sig.suffix = m.suffix;
    }
    add_unique(p.sig.coauthors, m.coauthors);
    add_unique(p.sig.topics, m.topics);
    add_unique(p.sig.words, m.words);
    if (!m.venue.empty()) p.sig.topics.push_back("venue " + m.venue);
    if (!m.affiliation.empty()) ++affiliations[m.affiliation];
    if (m.year > 0) years.push_back(m.year);
    if (m.work_id != 0) p.works.insert(m.work_id);
    if (!m.orcid.empty()) p.orcids.insert(m.orcid);
    p.apart.insert(m.apart.begin(), m.apart.end());
    if (givens_seen.insert(m.given).second)
      p.givens.push_back(author_features::analyse_given(m.given));
  }
  int best = 0;
  for (const auto& [a, n] : affiliations) {
    if (n > best) best = n, p.sig.affiliation = a;
  }
  if (!years.empty()) {
    std::ranges::sort(years);
    p.sig.year = years[years.size() / 2];
  }
  if (p.orcids.size() == 1) p.sig.orcid = *p.orcids.begin();
  return p;
}

bool conflict(const Profile& a, const Profile& b, const NameVariants& variants) {
  for (const auto side : a.apart) {
    if (b.apart.contains(side ^ 1)) return true;
  }
  if (!a.orcids.empty() && !b.orcids.empty() && a.orcids != b.orcids) return true;
  for (auto w : a.works) {
    if (b.works.contains(w)) return true;
  }
  for (const auto& x : a.givens) {
    for (const auto& y : b.givens) {
      if (author_features::compare_given(x, y, variants) ==
          author_features::NameMatch::incompatible) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::vector<int> merge_profiles(std::span<const AuthorSignature> mentions,
                                const std::vector<std::size_t>& items,
                                const std::vector<int>& labels,
                                const AuthorClusterOptions& options) {
  const int count = labels.empty() ? 0 : *std::ranges::max_element(labels) + 1;
  if (count < 2) return labels;
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < items.size(); ++k)
    members[static_cast<std::size_t>(labels[k])].push_back(items[k]);
  std::vector<Profile> profiles;
  profiles.reserve(members.size());
  for (const auto& m : members) profiles.push_back(build(mentions, m));
  std::vector<AuthorSignature> sigs;
  sigs.reserve(profiles.size());
  for (auto& p : profiles) {
    sigs.push_back(p.sig);
    sigs.back().orcid.clear();  // ORCID conflicts are checked below, on every ORCID
  }
  const NameVariants& variants = options.variants ? *options.variants : NameVariants::builtin();
  AuthorClusterOptions profile_options = options;
  profile_options.weights = options.profile_weights;
  const author_features::Evidence ev(sigs, profile_options);
  const std::size_t n = profiles.size();
  author_hac::SimilarityMatrix sim(n);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      sim.set(a, b,
              conflict(profiles[a], profiles[b], variants) ? -std::numeric_limits<float>::infinity()
                                                           : ev.similarity(a, b));
    }
  }
  const auto groups = author_hac::strong_links(sim, {}, options.profile_threshold, 0.0);
  std::vector<int> out(labels.size());
  for (std::size_t k = 0; k < labels.size(); ++k)
    out[k] = groups[static_cast<std::size_t>(labels[k])];
  return out;
}

}  // namespace bzpeer::dedupe::author_profiles
