// bzpeer — the read-only verbs (search, profile, collaborators, stats, export) and their
// text and JSON output. The JSON shapes are documented in the README and kept stable.
#pragma once

#include <string>
#include <vector>

#include "tools/bzpeer/config.hpp"

namespace bzpeer::cli {

struct SearchArgs {
  std::string query;
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::string sort = "relevance";
  std::string year;
  std::vector<std::string> categories;
  bool json = false;
};

struct ProfileArgs {
  std::string author;
  bool json = false;
};

int cmd_search(const Config& config, const SearchArgs& args);
int cmd_profile(const Config& config, const ProfileArgs& args);
int cmd_collaborators(const Config& config, const ProfileArgs& args);
int cmd_stats(const Config& config, bool json);
int cmd_export(const Config& config, const std::string& what);

}  // namespace bzpeer::cli
