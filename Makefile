# earshot: the fixed entry points.
#   make        installs what is missing and builds build/earshot
#   make run    ... then runs the main job on generated sample data and prints the report
#   make test   ... then runs every test (release build and ASan/UBSan build)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build build-sanitize run test test-release test-sanitize fuzz bench clean format

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@scripts/run-sample.sh $(BUILD_DIR)/earshot

test: test-release test-sanitize

test-release: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The same tests on a Debug build with AddressSanitizer + UndefinedBehaviorSanitizer
# (CMakePresets.json `dev`, in build-asan/). The test preset sets ASAN_OPTIONS and
# UBSAN_OPTIONS so any report ends the process with exit code 86 (ASan, LSan) or
# 87 (UBSan): a unit test dies, and an end-to-end test sees an exit code it did not
# expect from the earshot binary it ran. DuckDB (a prebuilt libduckdb.so) is not
# instrumented; everything of ours is.
build-sanitize: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

test-sanitize: build-sanitize
	@ctest --preset dev -j $(JOBS)

# libFuzzer targets (fuzz/), built with clang in build-fuzz/ (and build-fuzz-cov/
# for the coverage figures), each run for FUZZ_SECONDS; not part of `make test`.
FUZZ_SECONDS ?= 60
# Targets fuzzed at a time (each one libFuzzer process on one core).
FUZZ_JOBS ?= 1
fuzz:
	@scripts/install-deps.sh fuzz
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@cmake --preset fuzz-coverage >/dev/null
	@cmake --build --preset fuzz-coverage -j $(JOBS)
	@FUZZ_JOBS=$(FUZZ_JOBS) fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	@bench/playlists_bench.sh

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz build-fuzz-cov
