// bzpeer — per-host politeness gate (see host_gate.hpp).
#include "connectors/http/host_gate.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <thread>

namespace bzpeer::http {

struct HostGates::HostState {
  // Held for the whole request: this is what makes it "one request at a time per host".
  std::mutex mutex;
  // Guarded by `mutex`.
  std::optional<Clock::time_point> last_start;
  Clock::time_point not_before{};
};

HostGates::HostGates() = default;
HostGates::~HostGates() = default;

void HostGates::Lease::defer_for(std::chrono::milliseconds delay) {
  if (!lock_.owns_lock()) return;  // moved-from lease
  const auto until = Clock::now() + std::max(delay, std::chrono::milliseconds::zero());
  state_->not_before = std::max(state_->not_before, until);
}

void HostGates::Lease::mark_sent() noexcept {
  if (!lock_.owns_lock()) return;
  started_ = Clock::now();
  state_->last_start = started_;
}

HostGates::Lease HostGates::acquire(std::string_view host, std::chrono::milliseconds min_interval) {
  std::string key(host);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });

  HostState* state = nullptr;
  {
    std::lock_guard registry_lock(registry_mutex_);
    auto it = hosts_.find(key);
    if (it == hosts_.end()) it = hosts_.emplace(key, std::make_unique<HostState>()).first;
    state = it->second.get();
  }

  std::unique_lock lock(state->mutex);
  auto earliest = state->not_before;
  if (state->last_start) {
    earliest = std::max(
        earliest, *state->last_start + std::max(min_interval, std::chrono::milliseconds::zero()));
  }
  // Sleeping with the host held is the point: whoever comes next must wait too.
  if (earliest > Clock::now()) std::this_thread::sleep_until(earliest);
  const auto started = Clock::now();
  state->last_start = started;
  return Lease(*state, std::move(lock), started);
}

std::shared_ptr<HostGates> HostGates::shared() {
  // Never destroyed before its last user: clients hold their own shared_ptr copy.
  static const std::shared_ptr<HostGates> instance = std::make_shared<HostGates>();
  return instance;
}

}  // namespace bzpeer::http
