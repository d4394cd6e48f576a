// bzpeer — weighted sums of work topics into a researcher's topic profile.
#include "pipeline/topics/author_topics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "pipeline/topics/keyphrases.hpp"
#include "pipeline/topics/taxonomy.hpp"

namespace bzpeer::topics {
namespace {

struct Sum {
  double weight = 0;
  std::int64_t works = 0;
  std::map<std::string, double> labels;  ///< written forms and their weight
};

std::set<std::string> stem_set(const std::string& key) {
  std::set<std::string> out;
  std::istringstream in(key);
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

/// Same stems, or all of one's stems among the other's.
bool near_duplicate(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::ranges::includes(a, b) || std::ranges::includes(b, a);
}

void rank(std::vector<AuthorTopic>& list) {
  std::ranges::sort(list, [](const AuthorTopic& a, const AuthorTopic& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.works != b.works) return a.works > b.works;
    return a.topic < b.topic;
  });
}

}  // namespace

std::string_view to_string(TopicKind kind) noexcept {
  switch (kind) {
    case TopicKind::category: return "category";
    case TopicKind::openalex: return "openalex";
    case TopicKind::keyphrase: break;
  }
  return "keyphrase";
}

std::optional<TopicKind> topic_kind(std::string_view name) noexcept {
  for (auto kind : {TopicKind::category, TopicKind::keyphrase, TopicKind::openalex}) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

std::vector<AuthorTopic> aggregate_author_topics(const std::vector<AuthorWork>& works,
                                                 const AuthorTopicOptions& options) {
  int newest = 0;
  for (const auto& w : works) newest = std::max(newest, w.year);
  std::map<std::string, Sum> categories, openalex, keyphrases;  // by id / stem key
  double category_total = 0, openalex_total = 0, keyphrase_total = 0;
  for (const auto& w : works) {
    double factor = 1.0 / std::clamp(w.n_authors, 1, std::max(options.max_author_divisor, 1));
    if (options.half_life_years > 0 && w.year > 0 && newest > 0) {
      factor *= std::pow(0.5, (newest - w.year) / options.half_life_years);
    }
    double phrase_sum = 0;
    for (const auto& t : w.topics) {
      if (t.kind == TopicKind::keyphrase) phrase_sum += std::max(t.score, 0.0);
    }
    std::set<std::string> seen;
    for (const auto& t : w.topics) {
      if (t.kind == TopicKind::category) {
        std::string id(canonical_category(t.topic));
        if (!seen.insert("c " + id).second) continue;
        auto& s = categories[id];
        s.weight += factor * t.score;
        ++s.works;
        category_total += factor * t.score;
      } else if (t.kind == TopicKind::openalex) {
        if (t.topic.empty() || !seen.insert("o " + t.topic).second) continue;
        double v = factor * std::clamp(t.score, 0.0, 1.0);
        auto& s = openalex[t.topic];
        s.weight += v;
        ++s.works;
        s.labels[t.label.empty() ? t.topic : t.label] += v;
        openalex_total += v;
      } else if (phrase_sum > 0) {
        std::string key = phrase_key(t.topic);
        if (key.empty() || !seen.insert("k " + key).second) continue;
        double v = factor * std::max(t.score, 0.0) / phrase_sum;
        auto& s = keyphrases[key];
        s.weight += v;
        ++s.works;
        s.labels[t.topic] += v;
        keyphrase_total += v;
      }
    }
  }

  std::vector<AuthorTopic> cats, phrases;
  for (const auto& [id, s] : categories) {
    double share = category_total > 0 ? s.weight / category_total : 0;
    if (s.works < options.min_works || share < options.min_category_share) continue;
    cats.push_back({TopicKind::category, id, category_label(id), s.works, share});
  }
  rank(cats);
  if (cats.size() > options.max_categories) cats.resize(options.max_categories);

  std::vector<AuthorTopic> sourced;
  for (const auto& [id, s] : openalex) {
    double share = openalex_total > 0 ? s.weight / openalex_total : 0;
    if (s.works < options.min_works || share < options.min_openalex_share) continue;
    auto best = std::ranges::max_element(s.labels, {}, [](const auto& l) { return l.second; });
    sourced.push_back({TopicKind::openalex, id, best->first, s.works, share});
  }
  rank(sourced);
  if (sourced.size() > options.max_openalex) sourced.resize(options.max_openalex);

  std::vector<std::pair<AuthorTopic, std::set<std::string>>> candidates;
  for (const auto& [key, s] : keyphrases) {
    double share = keyphrase_total > 0 ? s.weight / keyphrase_total : 0;
    if (s.works < options.min_works || share < options.min_keyphrase_share) continue;
    auto best = std::ranges::max_element(s.labels, {}, [](const auto& l) { return l.second; });
    candidates.push_back(
        {{TopicKind::keyphrase, best->first, best->first, s.works, share}, stem_set(key)});
  }
  std::ranges::sort(candidates, [](const auto& a, const auto& b) {
    if (a.first.weight != b.first.weight) return a.first.weight > b.first.weight;
    if (a.first.works != b.first.works) return a.first.works > b.first.works;
    return a.first.topic < b.first.topic;
  });
  std::vector<std::set<std::string>> kept;
  for (const auto& c : cats) kept.push_back(stem_set(phrase_key(c.label)));
  for (const auto& o : sourced) kept.push_back(stem_set(phrase_key(o.label)));
  const std::size_t category_stems = kept.size();
  for (auto& [topic, stems] : candidates) {
    if (phrases.size() >= options.max_keyphrases) break;
    bool dup = false;
    for (std::size_t i = 0; i < kept.size() && !dup; ++i) {
      // A category or OpenAlex topic name only blocks the same phrase ("Machine
      // Learning" / "machine learning"), not every phrase sharing a word with it.
      dup = i < category_stems ? kept[i] == stems : near_duplicate(kept[i], stems);
    }
    if (dup) continue;
    kept.push_back(stems);
    phrases.push_back(std::move(topic));
  }
  cats.insert(cats.end(), std::make_move_iterator(sourced.begin()),
              std::make_move_iterator(sourced.end()));
  cats.insert(cats.end(), std::make_move_iterator(phrases.begin()),
              std::make_move_iterator(phrases.end()));
  return cats;
}

}  // namespace bzpeer::topics
