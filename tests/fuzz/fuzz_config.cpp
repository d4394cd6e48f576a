// libFuzzer target: the TOML configuration loader (parse_config, the body of load_config).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_support.hpp"
#include "tools/bzpeer/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bzpeer::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = bzpeer::cli::parse_config(text, "fuzz.toml");
  if (config) {
    require(!config->storage_dir.empty(), "accepted a config without a storage dir");
    require(config->harvest.max_attempts >= 1, "accepted max_attempts < 1");
    for (const auto& source : config->sources) {
      require(!source.name.empty() && !source.kind.empty(), "accepted a nameless source");
      require(source.min_interval_s >= 0, "accepted a negative min_interval_s");
    }
  } else {
    require(config.error().code == bzpeer::ErrorCode::config, "error is not a config error");
    require(config.error().message.starts_with("fuzz.toml"), "error does not name the file");
  }
  return 0;
}
