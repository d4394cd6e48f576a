// bzpeer — per-host politeness gate: one request at a time per host, a minimum interval
// between the starts of consecutive requests, and a "not before" time that a server's
// Retry-After (or our own backoff) pushes forward.
//
// Usage: `auto lease = gates.acquire(host, min_interval);` blocks until this thread owns
// the host and it is polite to start; the request runs while the lease is held; before
// dropping the lease the caller may `lease.defer_for(delay)` so that nobody (this thread's
// retry included) starts another request to that host before the delay has elapsed.
//
// Hosts are keyed by lower-cased host name only (scheme and port are ignored), because
// a server's limits apply to the machine, not to one port: arXiv's "one request every
// 3 s" covers export.arxiv.org on http and https alike.
//
// Thread-safety: every member function may be called from any thread. A HostGates can
// be shared by several HttpClients (the process-wide instance from `shared()` is the
// default), so two sources that talk to the same host still take turns.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace bzpeer::http {

class HostGates {
  struct HostState;

 public:
  using Clock = std::chrono::steady_clock;

  /// Exclusive right to send one request to one host. Move-only; releases the host when
  /// destroyed.
  class Lease {
   public:
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() = default;

    /// No request to this host may start before `now + delay` (applies to every client
    /// sharing these gates). Never moves an earlier deferral backwards.
    void defer_for(std::chrono::milliseconds delay);

    /// Moves the recorded start of this request to now. HttpClient calls it when the
    /// request is actually sent (after connecting), so a slow connect or TLS handshake
    /// does not eat into the next request's min_interval.
    void mark_sent() noexcept;

    /// When this request started: when the lease was granted, or the last mark_sent().
    [[nodiscard]] Clock::time_point started() const noexcept { return started_; }

   private:
    friend class HostGates;
    Lease(HostState& state, std::unique_lock<std::mutex> lock, Clock::time_point started)
        : state_(&state), lock_(std::move(lock)), started_(started) {}

    HostState* state_;
    std::unique_lock<std::mutex> lock_;
    Clock::time_point started_;
  };

  HostGates();
  ~HostGates();
  HostGates(const HostGates&) = delete;
  HostGates& operator=(const HostGates&) = delete;

  /// Blocks until the calling thread owns `host`, `min_interval` has passed since the
  /// start (see Lease::mark_sent) of the previous request to it, and any deferral has
  /// elapsed. Plain sleep_until: not interruptible. The host is held for the lifetime of
  /// the returned lease.
  [[nodiscard]] Lease acquire(std::string_view host, std::chrono::milliseconds min_interval);

  /// The instance HttpClients use unless told otherwise.
  [[nodiscard]] static std::shared_ptr<HostGates> shared();

 private:
  std::mutex registry_mutex_;
  // Node-based map: a HostState never moves once created, and hosts are never erased
  // (a harvester talks to a handful of them).
  std::map<std::string, std::unique_ptr<HostState>, std::less<>> hosts_;
};

}  // namespace bzpeer::http
