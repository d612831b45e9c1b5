# Interface targets that carry the project's warnings and sanitizer flags, so
# no flag is set globally: a target opts in by linking earshot::options.
add_library(earshot_options INTERFACE)
add_library(earshot::options ALIAS earshot_options)
target_compile_features(earshot_options INTERFACE cxx_std_20)
target_compile_options(earshot_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers>
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(EARSHOT_FUZZ OR EARSHOT_COVERAGE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "EARSHOT_FUZZ / EARSHOT_COVERAGE need clang (cmake --preset fuzz, "
                        "or -DCMAKE_CXX_COMPILER=clang++); `scripts/install-deps.sh fuzz` installs it.")
  endif()
endif()
if(EARSHOT_FUZZ)
  # Every library is instrumented for libFuzzer's coverage feedback; only the
  # fuzz executables link the fuzzer runtime itself (fuzz/CMakeLists.txt).
  target_compile_options(earshot_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(earshot_options INTERFACE -fsanitize=address,undefined)
elseif(EARSHOT_COVERAGE)
  target_compile_options(earshot_options INTERFACE -fprofile-instr-generate -fcoverage-mapping)
  target_link_options(earshot_options INTERFACE -fprofile-instr-generate)
elseif(EARSHOT_SANITIZE)
  target_compile_options(earshot_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(earshot_options INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(earshot_options INTERFACE "${PROJECT_SOURCE_DIR}/src")

# earshot_unit_test(NAME src.cpp... LIBS lib...): a GoogleTest executable
# registered with CTest under the `unit` label. Tests live next to the code.
function(earshot_unit_test name)
  if(NOT EARSHOT_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} earshot::options GTest::gtest_main)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
endfunction()
