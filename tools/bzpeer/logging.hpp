// bzpeer — log set-up: spdlog to stderr or a rotating file, as plain text or JSON lines.
#pragma once

#include "pipeline/model/error.hpp"
#include "tools/bzpeer/config.hpp"

namespace bzpeer::cli {

/// The default before a config is read: coloured level + message on a terminal,
/// timestamped lines otherwise.
void setup_default_logging();

/// Applies the config's [log] table (level, file, format). `verbose`/`quiet` override the
/// level. A log file that cannot be opened is ErrorCode::io naming it.
[[nodiscard]] Result<void> setup_logging(const Config& config, bool verbose, bool quiet);

}  // namespace bzpeer::cli
