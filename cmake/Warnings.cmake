# Warnings are errors for our own code. Third-party headers come in as SYSTEM includes.
function(bzpeer_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow=local)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # g++ 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O2
    # (GCC bug 105329); they are not in our code.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
