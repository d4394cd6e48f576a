// bzpeer — command line entry point. Verbs live in verb_*.cpp and register themselves.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/logging.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {

int exit_code_for(const Error& error) {
  switch (error.code) {
    case ErrorCode::config: return kExitConfig;
    case ErrorCode::invalid_argument: return kExitUsage;
    case ErrorCode::not_found: return kExitNotFound;
    case ErrorCode::locked: return kExitLocked;
    case ErrorCode::io:
    case ErrorCode::storage:
    case ErrorCode::index: return kExitStorage;
    case ErrorCode::transport:
    case ErrorCode::http_temporary:
    case ErrorCode::parse: return kExitTemporary;
    case ErrorCode::http_permanent:
    case ErrorCode::protocol:
    case ErrorCode::mapping: return kExitProtocol;
  }
  return kExitFailure;
}

int report(const Error& error) {
  std::fprintf(stderr, "bzpeer: %s\n", error.describe().c_str());
  return exit_code_for(error);
}

std::vector<VerbSpec>& verb_registry() {
  static std::vector<VerbSpec> registry;
  return registry;
}

Result<Config> Context::config() const {
  if (config_path.empty()) {
    return fail(ErrorCode::invalid_argument,
                "this verb needs a configuration file: --config FILE (or BZPEER_CONFIG)");
  }
  auto config = load_config(config_path);
  if (config) {
    if (auto logging = setup_logging(*config, verbose, quiet); !logging) {
      return std::unexpected(logging.error());
    }
  }
  return config;
}

}  // namespace bzpeer::cli

int main(int argc, char** argv) {
  using namespace bzpeer::cli;
  CLI::App app{"bzpeer — harvest scholarly metadata, search works and show researcher profiles",
               "bzpeer"};
  app.set_version_flag("--version", std::string("bzpeer ") + BZPEER_VERSION);
  app.require_subcommand(1);
  Context ctx;
  app.add_option("-c,--config", ctx.config_path, "configuration file (TOML)")
      ->envname("BZPEER_CONFIG");
  app.add_flag("-v,--verbose", ctx.verbose, "log debug messages");
  app.add_flag("-q,--quiet", ctx.quiet, "log warnings and errors only");
  app.footer(
      "Examples:\n"
      "  bzpeer --config config/demo.toml harvest\n"
      "  bzpeer --config config/demo.toml search 'author:borucki kepler'\n"
      "  bzpeer --config config/demo.toml profile \"William J. Borucki\"\n"
      "Exit codes: 0 ok, 64 usage, 66 not found, 69 locked, 74 storage, 75 temporary failure,\n"
      "            76 protocol error, 78 configuration error.");

  auto& verbs = verb_registry();
  std::ranges::stable_sort(verbs, {}, &VerbSpec::order);
  std::vector<std::pair<CLI::App*, std::function<int(const Context&)>>> runners;
  for (auto& verb : verbs) {
    auto run = verb.setup(app);
    runners.emplace_back(app.get_subcommand(verb.name), std::move(run));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  setup_default_logging();
  if (ctx.verbose) spdlog::set_level(spdlog::level::debug);
  if (ctx.quiet) spdlog::set_level(spdlog::level::warn);
  for (auto& [cmd, run] : runners) {
    if (cmd && cmd->parsed()) return run(ctx);
  }
  return kExitUsage;
}
