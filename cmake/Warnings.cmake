# Warnings are errors for our own code. Third-party headers come in as SYSTEM includes.
function(bzpeer_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow=local)
endfunction()
