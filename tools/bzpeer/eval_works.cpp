// bzpeer — `bzpeer eval works` (being written; see issue tracker).
#include <cstdio>

#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/eval.hpp"

namespace bzpeer::cli {

int eval_works(const std::string& format, const std::filesystem::path& dir) {
  std::fprintf(stderr, "bzpeer: eval works --format %s %s: not available in this build\n",
               format.c_str(), dir.c_str());
  return kExitFailure;
}

}  // namespace bzpeer::cli
