// bzpeer — how the command line's verbs plug in. Each verb lives in its own file and
// registers itself with a static `VerbRegistration`; main() builds the CLI from them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/model/error.hpp"
#include "tools/bzpeer/config.hpp"

namespace bzpeer::cli {

/// What every verb gets: the global options and the config, loaded on first use.
class Context {
 public:
  std::string config_path;  ///< --config / BZPEER_CONFIG, may be empty
  bool verbose = false;
  bool quiet = false;

  /// The loaded config. A missing --config is ErrorCode::invalid_argument (exit 64);
  /// problems in the file are ErrorCode::config (exit 78).
  [[nodiscard]] Result<Config> config() const;
};

/// A verb: `setup` adds the subcommand and its options to `app` and returns the function
/// that runs it (called only when that subcommand was given). The run function returns
/// the process exit code.
struct VerbSpec {
  std::string name;
  int order = 100;  ///< position in --help
  std::function<std::function<int(const Context&)>(CLI::App& app)> setup;
};

std::vector<VerbSpec>& verb_registry();

struct VerbRegistration {
  explicit VerbRegistration(VerbSpec spec) { verb_registry().push_back(std::move(spec)); }
};

}  // namespace bzpeer::cli
