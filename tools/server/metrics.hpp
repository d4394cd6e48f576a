// bzpeer — `/metrics`: the server's Prometheus text exposition (format 0.0.4).
//
// Two kinds of figures:
//  - in-process, per route: requests by status code (a counter) and a latency histogram.
//    RequestMetrics keeps them in fixed arrays of atomics, one set per route registered
//    at start-up, so counting a request takes a few relaxed increments and no lock;
//  - read from the store and the index at each scrape through the same read-only handles
//    the API uses (harvest totals and last success per source, quarantine, works, authors,
//    collaborations, index documents and the live build).
//
// Names, types and labels are documented in README.md ("Observe").
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tools/server/reader_pool.hpp"

namespace bzpeer::server {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

class RequestMetrics {
 public:
  /// Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  /// The label of requests no registered route answered (404s, bad request lines).
  static constexpr std::string_view kOtherRoute = "other";

  RequestMetrics();
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  /// Adds a route label (before the server starts; not thread-safe) and returns its
  /// number for observe(). Adding a label twice returns the same number.
  std::size_t add_route(std::string_view label);
  /// The number of kOtherRoute.
  [[nodiscard]] static constexpr std::size_t other() { return 0; }

  /// Counts one answered request. `seconds` < 0: the duration is unknown (the request
  /// never reached routing), so only the counter moves. Thread-safe and lock-free.
  void observe(std::size_t route, int status, double seconds);

  /// Appends the HELP, TYPE and sample lines of the request counter and the histogram.
  void write(std::string& out) const;

 private:
  struct Route {
    std::string label;
    std::array<std::atomic<std::uint64_t>, 500> by_status{};                ///< status 100..599
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  ///< last: > max
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::vector<std::unique_ptr<Route>> routes_;
};

/// The whole exposition: `requests`, then the store's and the index's figures read through
/// `readers` (when the store cannot be opened, bzpeer_store_up is 0 and its figures are
/// left out). `index_root` holds the `current` stub naming the live build.
[[nodiscard]] std::string render_metrics(const RequestMetrics& requests, ReaderPool::Lease& readers,
                                         const std::filesystem::path& index_root);

}  // namespace bzpeer::server
