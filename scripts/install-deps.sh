#!/usr/bin/env bash
# Installs what earshot needs to build and test, and nothing that is already there.
# Debian packages come from apt; DuckDB 1.4.4 (not packaged in Debian 12) comes from
# the npm registry, pinned by third_party/duckdb/package-lock.json, with scripts disabled.
# Idempotent: a second run does nothing and says so.
#   scripts/install-deps.sh        what `make`, `make run` and `make test` need
#   scripts/install-deps.sh fuzz   ... plus clang/libFuzzer and llvm-cov for `make fuzz`
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libsimdjson-dev libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  libssl-dev libxxhash-dev libboost-dev wrk
  nodejs npm
  chromium fonts-liberation
  time
)
# Only `make fuzz` needs clang (-fsanitize=fuzzer) and llvm (llvm-cov,
# llvm-profdata for the coverage figures); the normal build and tests use GCC.
if [ "${1:-}" = "fuzz" ]; then
  packages+=(clang llvm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from outside apt (e.g. a preinstalled toolchain): accept those.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
filtered=()
for p in "${missing[@]}"; do [ -n "$p" ] && filtered+=("$p"); done

if [ ${#filtered[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${filtered[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
fi

duck=third_party/duckdb
if [ ! -f "$duck/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so" ] ||
   [ ! -f "$duck/node_modules/duckdb/src/duckdb/src/include/duckdb.h" ]; then
  echo "install-deps: installing DuckDB 1.4.4 from the npm registry (lockfile, scripts disabled)"
  (cd "$duck" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
