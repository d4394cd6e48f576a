// Test helper: a cpp-httplib server on 127.0.0.1 whose answers a test scripts, for what the
// replay server does not do (recorded error bodies, custom Identify, paged ListSets).
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bzpeer::oai::test {

class ScriptedServer {
 public:
  /// `answer` gets the request and returns the body (status 200, text/xml).
  explicit ScriptedServer(std::function<std::string(const httplib::Request&)> answer)
      : answer_(std::move(answer)) {
    server_.Get("/oai", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex_);
        targets_.push_back(req.target);
      }
      res.set_content(answer_(req), "text/xml; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  [[nodiscard]] std::string base_url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/oai";
  }
  [[nodiscard]] std::vector<std::string> targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
  }

 private:
  std::function<std::string(const httplib::Request&)> answer_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
};

}  // namespace bzpeer::oai::test
