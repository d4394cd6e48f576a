// libFuzzer target: the TeX-to-Unicode converter and the clean-up built on it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/normalise/tex.hpp"
#include "pipeline/normalise/text.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bzpeer::fuzz::require;
  using bzpeer::fuzz::valid_utf8;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string converted = bzpeer::normalise::tex_to_unicode(text);
  if (valid_utf8(text)) require(valid_utf8(converted), "tex_to_unicode broke valid UTF-8");
  // Titles and abstracts go through clean_text: always UTF-8, whatever came in.
  require(valid_utf8(bzpeer::normalise::clean_text(text)), "clean_text output is not UTF-8");
  require(valid_utf8(bzpeer::normalise::fold_key(text)), "fold_key output is not UTF-8");
  return 0;
}
