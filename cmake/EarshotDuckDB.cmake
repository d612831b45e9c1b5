# DuckDB 1.4.4 as an imported target `duckdb::duckdb` (C API only).
# Looks in EARSHOT_DUCKDB_ROOT for the npm layout (the pinned release binaries)
# or a plain include/ + lib/ install.
find_path(EARSHOT_DUCKDB_INCLUDE duckdb.h
  PATHS "${EARSHOT_DUCKDB_ROOT}/duckdb/src/duckdb/src/include" "${EARSHOT_DUCKDB_ROOT}/include"
  NO_DEFAULT_PATH)
find_library(EARSHOT_DUCKDB_LIBRARY duckdb
  PATHS "${EARSHOT_DUCKDB_ROOT}/@duckdb/node-bindings-linux-x64" "${EARSHOT_DUCKDB_ROOT}/lib"
  NO_DEFAULT_PATH)
if(NOT EARSHOT_DUCKDB_INCLUDE OR NOT EARSHOT_DUCKDB_LIBRARY)
  message(FATAL_ERROR "DuckDB not found under ${EARSHOT_DUCKDB_ROOT}. Run `make deps` "
                      "(installs the pinned release from the npm registry) or pass "
                      "-DEARSHOT_DUCKDB_ROOT=<folder with include/duckdb.h and lib/libduckdb.so>.")
endif()
add_library(duckdb::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb::duckdb PROPERTIES
  IMPORTED_LOCATION "${EARSHOT_DUCKDB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${EARSHOT_DUCKDB_INCLUDE}")
get_filename_component(EARSHOT_DUCKDB_LIBDIR "${EARSHOT_DUCKDB_LIBRARY}" DIRECTORY)
# The binary finds libduckdb.so through its RUNPATH, wherever the build tree is.
set(CMAKE_BUILD_RPATH "${EARSHOT_DUCKDB_LIBDIR}")
set(CMAKE_INSTALL_RPATH "${EARSHOT_DUCKDB_LIBDIR}")
