// bzpeer — the TOML configuration (only tools/ reads config files).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/harvest_run.hpp"
#include "pipeline/model/error.hpp"

namespace bzpeer::cli {

struct HarvestSettings {
  std::string user_agent = "bzpeer/" BZPEER_VERSION;
  std::string contact;  ///< an e-mail address for the User-Agent (arXiv asks for it)
  int max_attempts = 6;
  double initial_backoff_s = 2.0;
  double max_backoff_s = 300.0;
  double timeout_s = 180.0;
};

struct Config {
  std::filesystem::path file;
  std::filesystem::path storage_dir = "var";
  HarvestSettings harvest;
  std::vector<pipeline::SourceConfig> sources;
  std::string log_level = "info";
  std::string log_file;             ///< "" = stderr; else a rotating file
  std::string log_format = "text";  ///< "text" or "json" (one JSON object per line)
  int log_max_size_mb = 64;         ///< rotate at this size
  int log_max_files = 5;            ///< keep this many rotated files
  /// [search] time_limit_ms: search::SearchRequest::time_limit_ms (0 = no limit).
  std::uint32_t search_time_limit_ms = 2000;

  [[nodiscard]] std::filesystem::path index_root() const { return storage_dir / "index"; }
  [[nodiscard]] std::string user_agent() const;
};

/// Loads and validates a config file. Every problem is an ErrorCode::config whose message
/// names the file, the key and what was expected (the CLI exits 78).
[[nodiscard]] Result<Config> load_config(const std::filesystem::path& file);

/// The same for TOML text already in memory; messages name `file` as if it had been read.
[[nodiscard]] Result<Config> parse_config(std::string_view text, const std::filesystem::path& file);

}  // namespace bzpeer::cli
