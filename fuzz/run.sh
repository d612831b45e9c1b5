#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and reports executions and coverage.
#   fuzz/run.sh SECONDS [TARGET...]        (what `make fuzz FUZZ_SECONDS=N` calls)
#   FUZZ_JOBS=2 fuzz/run.sh ...            runs two targets at a time (one core each)
# Expects build-fuzz/ (preset `fuzz`) and build-fuzz-cov/ (preset `fuzz-coverage`)
# to be built. Each target keeps its corpus in build-fuzz/corpus/<target>/ across
# runs, starts from the seeds (the test fixtures, the bad-input corpus,
# fuzz/seeds/<target>/ and fuzz/regressions/<target>/), runs one process on one
# core for SECONDS, then replays its whole corpus through the coverage build
# to measure the lines and branches of the code under test it reached.
# The summary (one row per target, in the order given) goes to stdout and
# build-fuzz/fuzz-summary.md. Exit status 1 when any target crashed: the input
# is in build-fuzz/artifacts/<target>/; reproduce it with
# build-fuzz/fuzz/<target>_fuzzer <file>, fix the bug, and keep the input in
# fuzz/regressions/<target>/ so every `make test` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
jobs=${FUZZ_JOBS:-1}
all_targets=(csv_reader line_reader value_parsers events_mapper playlists_mapper source_sniff
             json_rows_reader listens_mapper catalog_mapper http_request)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

# Per target: dictionary, maximum input length, and the sources whose coverage counts.
declare -A dict=([csv_reader]=csv [events_mapper]=csv [source_sniff]=csv
                 [line_reader]=json [playlists_mapper]=json [value_parsers]=value
                 [json_rows_reader]=podcasts [listens_mapper]=podcasts [catalog_mapper]=podcasts
                 [http_request]=http)
declare -A max_len=([value_parsers]=256)
declare -A sources=(
  [csv_reader]="src/formats/csv_reader.cpp src/formats/block_reader.cpp"
  [line_reader]="src/formats/line_reader.cpp src/formats/block_reader.cpp"
  [value_parsers]="src/formats/value_parsers.cpp"
  [events_mapper]="src/ingest/events_mapper.cpp src/formats/csv_reader.cpp src/formats/value_parsers.cpp"
  [playlists_mapper]="src/ingest/playlists_mapper.cpp src/formats/line_reader.cpp"
  [source_sniff]="src/ingest/source.cpp"
  [json_rows_reader]="src/formats/json_rows_reader.cpp src/formats/block_reader.cpp"
  [listens_mapper]="src/ingest/listens_mapper.cpp src/ingest/field_reader.cpp src/formats/json_rows_reader.cpp src/formats/calendar.cpp"
  [catalog_mapper]="src/ingest/catalog_mapper.cpp src/ingest/field_reader.cpp src/formats/json_rows_reader.cpp src/formats/csv_reader.cpp"
  [http_request]="src/server/router.cpp src/server/tokens.cpp src/server/event_validator.cpp src/server/listens_endpoint.cpp src/server/read_api.cpp")

fuzz_dir=build-fuzz
cov_dir=build-fuzz-cov
out="$fuzz_dir/fuzz-summary.md"
rows="$fuzz_dir/rows"
mkdir -p "$fuzz_dir/logs" "$fuzz_dir/coverage" "$rows"
for t in "${targets[@]}"; do
  [ -x "$fuzz_dir/fuzz/${t}_fuzzer" ] || {
    echo "fuzz: $fuzz_dir/fuzz/${t}_fuzzer is missing: build it with 'cmake --build --preset fuzz'" >&2
    exit 2
  }
  rm -f "$rows/$t.md" "$rows/$t.failed"
done

# Fuzzes one target, then measures its coverage; writes its summary row to
# $rows/<target>.md (and $rows/<target>.failed when it crashed).
run_one() {
  local t=$1
  local bin="$fuzz_dir/fuzz/${t}_fuzzer"
  local corpus="$fuzz_dir/corpus/$t"
  local artifacts="$fuzz_dir/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  local seeds=(tests/fixtures tests/bad_inputs)
  for d in "fuzz/seeds/$t" "fuzz/regressions/$t"; do [ -d "$d" ] && seeds+=("$d"); done
  local log="$fuzz_dir/logs/$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  local rc=0
  "$bin" -max_total_time="$seconds" -max_len="${max_len[$t]:-16384}" -timeout=10 -rss_limit_mb=2048 \
    -dict="fuzz/dicts/${dict[$t]}.dict" -artifact_prefix="$artifacts" -print_final_stats=1 \
    "$corpus" "${seeds[@]}" > "$log" 2>&1 || rc=$?
  local execs rate last cov ft corp
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  local result=ok
  if [ $rc -ne 0 ]; then
    result="CRASH (exit $rc), see $artifacts"
    touch "$rows/$t.failed"
    grep -E 'ERROR|FUZZ_CHECK|runtime error' "$log" | head -5 >&2 || true
  fi

  local lines=n/a branches=n/a
  local replay="$cov_dir/fuzz/${t}_replay"
  if [ -x "$replay" ] && command -v llvm-profdata >/dev/null && command -v llvm-cov >/dev/null; then
    rm -f "$fuzz_dir/coverage/$t".prof*
    if LLVM_PROFILE_FILE="$fuzz_dir/coverage/$t.profraw" "$replay" "$corpus" "${seeds[@]}" >/dev/null 2>&1; then
      llvm-profdata merge -sparse "$fuzz_dir/coverage/$t.profraw" -o "$fuzz_dir/coverage/$t.profdata"
      local total nl ml pl nb mb pb
      # shellcheck disable=SC2086
      total=$(llvm-cov report "$replay" -instr-profile="$fuzz_dir/coverage/$t.profdata" ${sources[$t]} | grep '^TOTAL')
      # TOTAL regions missed cover functions missed cover lines missed cover branches missed cover
      read -r _ _ _ _ _ _ _ nl ml pl nb mb pb <<<"$total"
      lines="$((nl - ml))/$nl ($pl)"
      branches="$((nb - mb))/$nb ($pb)"
    else
      lines="replay failed"
    fi
  fi
  echo "| $t | $seconds | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $lines | $branches | $result |" \
    > "$rows/$t.md"
  echo "fuzz: $t done: $result"
}

# At most $jobs targets at a time, each a single libFuzzer process.
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait || true

failed=0
{
  echo "| target | seconds | executions | exec/s | edges (libFuzzer cov) | features | corpus | lines covered | branches covered | result |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for t in "${targets[@]}"; do
    if [ -f "$rows/$t.md" ]; then cat "$rows/$t.md"; else echo "| $t | $seconds | | | | | | | | no result (the run failed) |"; fi
    if [ -f "$rows/$t.failed" ] || [ ! -f "$rows/$t.md" ]; then failed=1; fi
  done
} > "$out"

echo
cat "$out"
echo
echo "lines, branches: of the sources each target is for (fuzz/run.sh), replaying its final corpus"
exit $failed
