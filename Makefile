# earshot: the fixed entry points.
#   make        installs what is missing and builds build/earshot
#   make run    ... then runs the main job on generated sample data and prints the report
#   make test   ... then runs every test (release build and ASan/UBSan build)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build run test test-release test-sanitize bench clean format

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@scripts/run-sample.sh $(BUILD_DIR)/earshot

test: test-release

test-release: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bench/playlists_bench.sh

clean:
	rm -rf $(BUILD_DIR) build-asan
