// bzpeer — a researcher's topics from the topics of their works.
//
// Each work gives a topic vector: its arXiv categories (primary 1.0, cross-lists 0.5) and
// its keyphrases (TF-IDF scores scaled to sum to 1 per work). A researcher's weight for a
// topic is the sum over their works of the work's value, times 1 / number of authors
// (capped at `max_author_divisor`, so hyper-authored papers still count a little), times an
// optional recency factor 0.5^((newest year - year) / half_life). Keyphrase variants merge
// by Porter-stemmed key. Weights become shares within each kind (categories, keyphrases).
// A topic is kept with at least `min_works` supporting works and the kind's minimum
// share; keyphrases that duplicate a better one (same stems, or one's words contained in
// the other's) or a kept category's name are dropped. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::topics {

enum class TopicKind { category, keyphrase };

[[nodiscard]] std::string_view to_string(TopicKind kind) noexcept;

/// One topic of one work, as stored in work_topics.
struct WorkTopic {
  TopicKind kind = TopicKind::category;
  std::string topic;  ///< category id, or the keyphrase as written
  double score = 0;
};

struct AuthorWork {
  int year = 0;
  int n_authors = 1;
  std::vector<WorkTopic> topics;
};

struct AuthorTopic {
  TopicKind kind = TopicKind::category;
  std::string topic;  ///< category id ("astro-ph.EP") or keyphrase ("transit timing variations")
  std::string label;  ///< readable: "Earth and Planetary Astrophysics", or the keyphrase
  std::int64_t works = 0;  ///< supporting works
  double weight = 0;       ///< share within its kind, 0..1
};

struct AuthorTopicOptions {
  int min_works = 2;
  double min_category_share = 0.05;
  double min_keyphrase_share = 0.02;
  int max_author_divisor = 10;
  double half_life_years = 0;  ///< 0: no recency weighting
  std::size_t max_categories = 8;
  std::size_t max_keyphrases = 8;
};

/// Categories first, then keyphrases; each by weight, then works, then topic.
[[nodiscard]] std::vector<AuthorTopic> aggregate_author_topics(
    const std::vector<AuthorWork>& works, const AuthorTopicOptions& options = {});

}  // namespace bzpeer::topics
