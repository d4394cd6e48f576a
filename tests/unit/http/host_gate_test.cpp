// HostGates: one holder per host, min_interval between starts, deferrals.
#include "connectors/http/host_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace bzpeer::http {
namespace {

using Clock = HostGates::Clock;
using std::chrono::milliseconds;

TEST(HostGates, DifferentHostsRunInParallel) {
  HostGates gates;
  const auto start = Clock::now();
  std::thread other([&] {
    auto lease = gates.acquire("b.example.org", milliseconds(0));
    std::this_thread::sleep_for(milliseconds(200));
  });
  {
    auto lease = gates.acquire("a.example.org", milliseconds(0));
    std::this_thread::sleep_for(milliseconds(200));
  }
  other.join();
  EXPECT_LT(Clock::now() - start, milliseconds(380));
}

TEST(HostGates, SameHostIsHeldByOneAtATimeCaseInsensitively) {
  HostGates gates;
  std::atomic<int> holders{0};
  std::atomic<int> max_holders{0};
  auto work = [&](const char* host) {
    for (int i = 0; i < 5; ++i) {
      auto lease = gates.acquire(host, milliseconds(0));
      const int now = ++holders;
      int seen = max_holders.load();
      while (now > seen && !max_holders.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(milliseconds(10));
      --holders;
    }
  };
  std::thread a(work, "Export.arXiv.org");
  std::thread b(work, "export.arxiv.org");
  a.join();
  b.join();
  EXPECT_EQ(max_holders, 1);
}

TEST(HostGates, SpacesStartsByMinInterval) {
  HostGates gates;
  const auto first = gates.acquire("h", milliseconds(150)).started();
  const auto second = gates.acquire("h", milliseconds(150)).started();
  const auto third = gates.acquire("h", milliseconds(150)).started();
  EXPECT_GE(second - first, milliseconds(150));
  EXPECT_GE(third - second, milliseconds(150));
}

TEST(HostGates, DeferralDelaysTheNextAcquireOfThatHostOnly) {
  HostGates gates;
  Clock::time_point deferred_at;
  {
    auto lease = gates.acquire("slow", milliseconds(0));
    deferred_at = Clock::now();
    lease.defer_for(milliseconds(250));
    lease.defer_for(milliseconds(10));  // never moves a deferral backwards
  }
  const auto other = gates.acquire("fast", milliseconds(0)).started();
  EXPECT_LT(other - deferred_at, milliseconds(100));
  const auto next = gates.acquire("slow", milliseconds(0)).started();
  EXPECT_GE(next - deferred_at, milliseconds(250));
}

TEST(HostGates, SharedInstanceIsOneObject) {
  EXPECT_EQ(HostGates::shared(), HostGates::shared());
}

}  // namespace
}  // namespace bzpeer::http
