// bzpeer — a researcher's topics from the topics of their works.
//
// Each work gives a topic vector: its arXiv categories (primary 1.0, cross-lists 0.5), its
// OpenAlex topics (OpenAlex's score, 0..1) and its keyphrases (scores scaled to sum to 1
// per work). A researcher's weight for a
// topic is the sum over their works of the work's value, times 1 / number of authors
// (capped at `max_author_divisor`, so hyper-authored papers still count a little), times an
// optional recency factor 0.5^((newest year - year) / half_life). Keyphrase variants merge
// by Porter-stemmed key. Weights become shares within each kind (categories, OpenAlex
// topics, keyphrases). A topic is kept with at least `min_works` supporting works and the
// kind's minimum share; keyphrases that duplicate a better one (same stems, or one's
// words contained in the other's) or a kept category's or OpenAlex topic's name are
// dropped. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::topics {

enum class TopicKind { category, keyphrase, openalex };

[[nodiscard]] std::string_view to_string(TopicKind kind) noexcept;
/// The kind named by to_string, or nullopt.
[[nodiscard]] std::optional<TopicKind> topic_kind(std::string_view name) noexcept;

/// One topic of one work, as stored in work_topics.
struct WorkTopic {
  TopicKind kind = TopicKind::category;
  std::string topic;  ///< category id, OpenAlex topic id ("T10028"), or the keyphrase as written
  double score = 0;
  std::string label;  ///< OpenAlex: the topic's name ("Topic Modeling"); else unused
};

struct AuthorWork {
  int year = 0;
  int n_authors = 1;
  std::vector<WorkTopic> topics;
};

struct AuthorTopic {
  TopicKind kind = TopicKind::category;
  std::string topic;       ///< category id ("astro-ph.EP"), OpenAlex id ("T10028") or keyphrase
  std::string label;       ///< readable: "Earth and Planetary Astrophysics", "Topic Modeling", or
                           ///< the keyphrase
  std::int64_t works = 0;  ///< supporting works
  double weight = 0;       ///< share within its kind, 0..1
};

struct AuthorTopicOptions {
  int min_works = 2;
  double min_category_share = 0.05;
  double min_openalex_share = 0.05;
  double min_keyphrase_share = 0.02;
  int max_author_divisor = 10;
  double half_life_years = 0;  ///< 0: no recency weighting
  std::size_t max_categories = 8;
  std::size_t max_openalex = 8;
  std::size_t max_keyphrases = 8;
};

/// Categories first, then OpenAlex topics, then keyphrases; each by weight, then works,
/// then topic.
[[nodiscard]] std::vector<AuthorTopic> aggregate_author_topics(
    const std::vector<AuthorWork>& works, const AuthorTopicOptions& options = {});

}  // namespace bzpeer::topics
