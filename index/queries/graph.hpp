// bzpeer — the research graph around one author: their works, their co-authors (with
// shared-work counts) and their topics, as nodes and edges a front end can draw.
// Reads the store only; writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/store/store.hpp"

namespace bzpeer::queries {

enum class GraphNodeKind { author, work, topic };
enum class GraphEdgeKind {
  authored,  ///< author -> work
  coauthor,  ///< author -> author; weight = shared works
  topic,     ///< author -> topic (weight = the author's works in it) or work -> topic
};

[[nodiscard]] constexpr std::string_view to_string(GraphNodeKind kind) noexcept {
  switch (kind) {
    case GraphNodeKind::author: return "author";
    case GraphNodeKind::work: return "work";
    case GraphNodeKind::topic: return "topic";
  }
  return "author";
}

[[nodiscard]] constexpr std::string_view to_string(GraphEdgeKind kind) noexcept {
  switch (kind) {
    case GraphEdgeKind::authored: return "authored";
    case GraphEdgeKind::coauthor: return "coauthor";
    case GraphEdgeKind::topic: return "topic";
  }
  return "authored";
}

struct GraphNode {
  std::string id;  ///< "author:224", "work:17", "topic:astro-ph.EP"; unique in a graph
  GraphNodeKind kind = GraphNodeKind::author;
  std::int64_t ref_id = 0;  ///< author or work id (0 for topics)
  std::string label;        ///< name, title, or the topic's readable label
  /// author: works shared with the centre (the centre: all its works); work: 1;
  /// topic: the centre's works in it
  std::int64_t weight = 0;
  int year = 0;  ///< works only
  bool center = false;
};

struct GraphEdge {
  std::string source, target;  ///< GraphNode::id values
  GraphEdgeKind kind = GraphEdgeKind::authored;
  std::int64_t weight = 1;
};

struct AuthorGraph {
  std::int64_t author_id = 0;     ///< the centre
  std::int64_t requested_id = 0;  ///< differs from author_id when the id was redirected
  std::vector<GraphNode> nodes;   ///< the centre first, then authors, works, topics
  std::vector<GraphEdge> edges;
  bool truncated = false;  ///< some works, co-authors or topics were left out by the limits
};

struct GraphOptions {
  std::size_t max_works = 30;      ///< newest first
  std::size_t max_coauthors = 25;  ///< most shared works first
  std::size_t max_topics = 10;     ///< by weight
};

/// The graph around `author_id` (following merge redirects, like profile()): the centre,
/// its newest works, the co-authors it shares most works with (edges to the centre, to
/// each other, and to the shown works they are on) and its topics as profile() lists
/// them (edges to the centre, and from the shown works in that arXiv category).
/// Errors: ErrorCode::not_found naming the id; ErrorCode::storage on SQLite failure.
[[nodiscard]] Result<AuthorGraph> author_graph(store::Store& store, std::int64_t author_id,
                                               const GraphOptions& options = {});

}  // namespace bzpeer::queries
