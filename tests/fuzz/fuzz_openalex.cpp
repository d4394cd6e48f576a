// libFuzzer target: the JSON mapper for an OpenAlex work (map_openalex).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pipeline/parse/record_mapper.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bzpeer::fuzz::require;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto work = bzpeer::parse::map_openalex(json);
  if (work) {
    bzpeer::fuzz::check_work(*work);
  } else {
    require(work.error().code == bzpeer::ErrorCode::mapping ||
                work.error().code == bzpeer::ErrorCode::parse,
            "unexpected error code");
    require(!work.error().message.empty(), "error without a message");
  }
  return 0;
}
