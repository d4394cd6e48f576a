// bzpeer — the `serve` verb: the HTTP JSON API and the web page, until SIGINT or SIGTERM.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>

#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"
#include "tools/server/api_server.hpp"

namespace bzpeer::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string web_root;
  int threads = 32;
};

/// "HOST:PORT", "[v6]:PORT" or ":PORT" (loopback). Port 0 picks a free one.
Result<std::pair<std::string, int>> parse_listen(const std::string& text) {
  auto bad = [&] {
    return fail(ErrorCode::invalid_argument,
                "--listen expects HOST:PORT (e.g. 127.0.0.1:8080), got \"" + text + "\"");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return bad();
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "127.0.0.1";
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) return bad();
  } catch (const std::exception&) {
    return bad();
  }
  return std::pair{host, port};
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

int cmd_serve(const Config& config, const ServeArgs& args) {
  auto listen = parse_listen(args.listen);
  if (!listen) return report(listen.error());
  server::ServerOptions options;
  options.storage_dir = config.storage_dir;
  options.index_root = config.index_root();
  options.host = listen->first;
  options.port = listen->second;
  options.threads = args.threads;
  if (!args.web_root.empty()) options.web_root = args.web_root;

  // Block the stop signals before any thread starts, so they all inherit the mask and
  // only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  server::ApiServer api(options);
  const int port = api.start();
  if (port < 0) {
    return report(Error{ErrorCode::io, "cannot listen on " + args.listen +
                                           " (in use, or not an address of this host)"});
  }
  if (!is_loopback(options.host)) {
    spdlog::warn(
        "listening on {}, which is not a loopback address: anyone who can reach it "
        "can read the store",
        options.host);
  }
  const std::string shown =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  spdlog::info("serving {} on http://{}:{}/ (Ctrl-C stops)", config.storage_dir.string(), shown,
               port);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("stopping on {}", signal == SIGINT ? "SIGINT" : "SIGTERM");
  api.stop();
  return kExitOk;
}

const VerbRegistration kServe{
    {"serve", 65, [](CLI::App& app) {
       auto args = std::make_shared<ServeArgs>();
       auto* cmd = app.add_subcommand("serve", "the HTTP JSON API and the web page (read-only)");
       cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (loopback by default)")
           ->capture_default_str();
       cmd->add_option("--threads", args->threads, "worker threads")
           ->check(CLI::Range(1, 256))
           ->capture_default_str();
       cmd->add_option("--web-root", args->web_root,
                       "serve the page's files from this directory (default: built in)");
       cmd->footer(
           "Runs until SIGINT or SIGTERM. Reads the store and the index only: harvests and\n"
           "rebuilds may run at the same time.\n"
           "Examples:\n  bzpeer --config config/demo.toml serve\n"
           "  bzpeer --config config/demo.toml serve --listen 127.0.0.1:0");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_serve(*config, *args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
