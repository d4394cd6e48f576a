# Every dependency comes from a Debian package (tools/setup installs them).
find_package(PkgConfig REQUIRED)
find_package(CURL REQUIRED)
find_package(pugixml REQUIRED)
find_package(simdjson REQUIRED)
find_package(TBB REQUIRED)
find_package(spdlog REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(xapian REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# Xapian's config sets variables but no imported target: make one.
if(NOT TARGET bzpeer::xapian)
  add_library(bzpeer::xapian INTERFACE IMPORTED)
  set_target_properties(bzpeer::xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()
if(BZPEER_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
