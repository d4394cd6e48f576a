// bzpeer — shared pieces of the command-line verbs.
#pragma once

#include <string>

#include "pipeline/model/error.hpp"
#include "tools/bzpeer/config.hpp"

namespace bzpeer::cli {

/// Exit codes (sysexits.h where one fits), documented in the README.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,     ///< anything else
  kExitUsage = 64,      ///< bad command line
  kExitData = 65,       ///< records still cannot be mapped (quarantine retry)
  kExitNotFound = 66,   ///< no such author/work, or no store yet
  kExitLocked = 69,     ///< another bzpeer process holds the storage lock
  kExitStorage = 74,    ///< the store or index could not be read or written
  kExitTemporary = 75,  ///< network or server trouble: resume later
  kExitProtocol = 76,   ///< the server answered with an OAI error or broke the protocol
  kExitConfig = 78,     ///< configuration error
};

[[nodiscard]] int exit_code_for(const Error& error);

/// Prints "bzpeer: <error>" on stderr and returns its exit code.
int report(const Error& error);

}  // namespace bzpeer::cli
