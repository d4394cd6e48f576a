# Included by the top-level CMakeLists.txt when BZPEER_FUZZ=ON, before any library: every
# library is built with coverage instrumentation and ASan+UBSan, so libFuzzer sees into
# the code under test; tests/fuzz then links the targets with libFuzzer's main.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
  message(FATAL_ERROR "BZPEER_FUZZ needs clang >= 16 (CXX=clang++-16); tools/fuzz sets it up")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -fno-omit-frame-pointer
  # libstdc++ 12 offers std::expected only when __cpp_concepts >= 202002L. clang 16
  # implements what it needs (P0848, conditionally trivial special members) but still
  # reports 201907L, so say so here.
  -D__cpp_concepts=202002L -Wno-macro-redefined
  # -Wshadow=local (cmake/Warnings.cmake) is g++'s spelling; clang has no such option.
  -Wno-unknown-warning-option)
add_link_options(-fsanitize=address,undefined)
