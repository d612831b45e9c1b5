#!/usr/bin/env bash
# The playlists benchmark: earshot against DuckDB peers, in one run, on the same
# generated files. Run on demand (`make bench` or directly); never a test.
#
#   bench/playlists_bench.sh [--events N] [--users N] [--out DIR] [--keep]
#                            [--earshot PATH] [--duckdb-sql PATH]
#                            [--earshot-memory-limit SIZE] [--peer-memory-limit SIZE]
#
# Steps, each timed with /usr/bin/time (elapsed seconds, peak RSS) after a
# warm-up `cat` of its input files, so every contender reads from page cache:
#   (1) earshot ingest --source events events.csv          into a fresh project
#   (2) DuckDB read_csv into a table, explicit types       (bench/sql/read_csv.sql)
#   (3) earshot ingest events + ingest playlists + build + report, fresh project
#   (4) the same pipeline hand-written in DuckDB SQL      (bench/sql/pipeline.sql)
# then checks that (3) and (4) report the same playlist popularity.
#
# --events N / --users N   sample size (default 20000000 / 200000, seed 1)
# --out DIR                work folder (default bench/out, gitignored): data/,
#                          logs/ and the per-step projects / database files
# --keep                   reuse data/ when it was generated with the same size
# --earshot PATH           earshot binary (default build/earshot; built if missing;
#                          the run uses a copy taken at its start)
# --duckdb-sql PATH        the DuckDB peer runner (default build/bench/duckdb_sql,
#                          else built from bench/duckdb_sql.cpp into DIR/bin)
# --earshot-memory-limit SIZE  set [warehouse] memory_limit = SIZE in the fresh
#                          projects' earshot.toml (default: as `earshot init`
#                          writes it, "1GB")
# --peer-memory-limit SIZE run the DuckDB peers with SET memory_limit = SIZE
#                          (default: DuckDB's own, 80% of RAM)
# Sizes are decimal: MB = 10^6 bytes. A step that fails is reported as FAILED
# and the others still run. Exit status 0 when every step ran and the
# popularity numbers agree, 1 otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMMAND_LINE="$0${*:+ $*}"
EVENTS_N=20000000
USERS_N=200000
SEED=1
OUT="$ROOT/bench/out"
KEEP=0
EARSHOT=""
DUCKDB_SQL=""
PEER_MEMORY_LIMIT=""
EARSHOT_MEMORY_LIMIT=""

usage() { sed -n '2,34p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "playlists_bench: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS_N=${2:?--events needs a number}; shift 2 ;;
    --users) USERS_N=${2:?--users needs a number}; shift 2 ;;
    --out) OUT=${2:?--out needs a folder}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --earshot) EARSHOT=${2:?--earshot needs a path}; shift 2 ;;
    --duckdb-sql) DUCKDB_SQL=${2:?--duckdb-sql needs a path}; shift 2 ;;
    --peer-memory-limit) PEER_MEMORY_LIMIT=${2:?--peer-memory-limit needs a size}; shift 2 ;;
    --earshot-memory-limit) EARSHOT_MEMORY_LIMIT=${2:?--earshot-memory-limit needs a size}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
[[ "$EVENTS_N" =~ ^[0-9]+$ && "$EVENTS_N" -gt 0 ]] || die "--events must be a positive whole number"
[[ "$USERS_N" =~ ^[0-9]+$ && "$USERS_N" -gt 0 ]] || die "--users must be a positive whole number"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed: apt-get install time"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DATA="$OUT/data"
LOGS="$OUT/logs"
WORK="$OUT/work"
EVENTS_CSV="$DATA/events.csv"
PLAYLISTS_NDJSON="$DATA/playlists.ndjson"

# ---------------------------------------------------------------------------
# Binaries

if [ -z "$EARSHOT" ]; then
  EARSHOT="$ROOT/build/earshot"
  if [ ! -x "$EARSHOT" ]; then
    echo "building earshot ..."
    cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$ROOT/build" -j "$(nproc)" --target earshot >/dev/null
  fi
fi
[ -x "$EARSHOT" ] || die "no earshot binary at $EARSHOT"
EARSHOT=$(cd "$(dirname "$EARSHOT")" && pwd)/$(basename "$EARSHOT")
# Every step runs one snapshot of the binary, even if build/ is rebuilt meanwhile.
EARSHOT_ORIGIN="$EARSHOT (built $(date -u -r "$EARSHOT" '+%Y-%m-%d %H:%M:%S UTC'); tree $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'))"
mkdir -p "$OUT/bin"
cp "$EARSHOT" "$OUT/bin/earshot.tmp" && mv "$OUT/bin/earshot.tmp" "$OUT/bin/earshot"
EARSHOT="$OUT/bin/earshot"

if [ -z "$DUCKDB_SQL" ]; then
  DUCKDB_SQL="$ROOT/build/bench/duckdb_sql"
  if [ ! -x "$DUCKDB_SQL" ] && [ -f "$ROOT/build/CMakeCache.txt" ]; then
    # Present once the top-level CMakeLists.txt has add_subdirectory(bench).
    cmake --build "$ROOT/build" -j "$(nproc)" --target duckdb_sql >/dev/null 2>&1 || true
  fi
  if [ ! -x "$DUCKDB_SQL" ]; then
    # Fallback: compile the runner directly against the pinned DuckDB.
    duckdb_root="$ROOT/third_party/duckdb/node_modules"
    duckdb_inc="$duckdb_root/duckdb/src/duckdb/src/include"
    duckdb_lib="$duckdb_root/@duckdb/node-bindings-linux-x64"
    [ -f "$duckdb_inc/duckdb.h" ] && [ -f "$duckdb_lib/libduckdb.so" ] ||
      die "DuckDB not found under $duckdb_root (run \`make deps\`)"
    DUCKDB_SQL="$OUT/bin/duckdb_sql"
    if [ ! -x "$DUCKDB_SQL" ] || [ "$ROOT/bench/duckdb_sql.cpp" -nt "$DUCKDB_SQL" ]; then
      echo "building $DUCKDB_SQL ..."
      mkdir -p "$OUT/bin"
      c++ -std=c++20 -O2 -Wall -Wextra -o "$DUCKDB_SQL" "$ROOT/bench/duckdb_sql.cpp" \
        -I"$duckdb_inc" -L"$duckdb_lib" -lduckdb -Wl,-rpath,"$duckdb_lib"
    fi
  fi
fi
[ -x "$DUCKDB_SQL" ] || die "no duckdb_sql binary at $DUCKDB_SQL"

# ---------------------------------------------------------------------------
# Data: generated once; --keep reuses it when the size and seed match.

PARAMS="events=$EVENTS_N users=$USERS_N seed=$SEED"
if [ "$KEEP" = 1 ] && [ -f "$DATA/params" ] && [ "$(head -n1 "$DATA/params")" = "$PARAMS" ] &&
   [ -f "$EVENTS_CSV" ] && [ -f "$PLAYLISTS_NDJSON" ]; then
  echo "reusing $DATA ($PARAMS)"
else
  rm -rf "$DATA"
  mkdir -p "$DATA"
  echo "generating $PARAMS into $DATA ..."
  gen_started=$(date +%s.%N)
  "$EARSHOT" generate playlists --users "$USERS_N" --events "$EVENTS_N" --seed "$SEED" --out "$DATA"
  gen_done=$(date +%s.%N)
  awk -v a="$gen_started" -v b="$gen_done" 'BEGIN { printf "generated in %.1f s\n", b - a }'
  {
    echo "$PARAMS"
    echo "event_rows=$(($(wc -l < "$EVENTS_CSV") - 1))"
    echo "playlist_lines=$(grep -c . "$PLAYLISTS_NDJSON" || true)"
  } > "$DATA/params.tmp"
  mv "$DATA/params.tmp" "$DATA/params"
fi
EVENT_ROWS=$(sed -n 's/^event_rows=//p' "$DATA/params")
PLAYLIST_LINES=$(sed -n 's/^playlist_lines=//p' "$DATA/params")
EVENTS_BYTES=$(stat -c %s "$EVENTS_CSV")
PLAYLISTS_BYTES=$(stat -c %s "$PLAYLISTS_NDJSON")

rm -rf "$LOGS" "$WORK"
mkdir -p "$LOGS" "$WORK"

# SQL file with the placeholders replaced (paths quoted for SQL literals).
render_sql() {  # render_sql TEMPLATE OUTPUT
  local sql events playlists popularity
  sql=$(<"$1")
  events=${EVENTS_CSV//\'/\'\'}
  playlists=${PLAYLISTS_NDJSON//\'/\'\'}
  popularity=${WORK//\'/\'\'}/peer_popularity.csv
  sql=${sql//'{{EVENTS}}'/"$events"}
  sql=${sql//'{{PLAYLISTS}}'/"$playlists"}
  sql=${sql//'{{POPULARITY_CSV}}'/"$popularity"}
  {
    if [ -n "$PEER_MEMORY_LIMIT" ]; then echo "SET memory_limit = '${PEER_MEMORY_LIMIT//\'/\'\'}';"; fi
    printf '%s\n' "$sql"
  } > "$2"
}

# ---------------------------------------------------------------------------
# Measuring

declare -A SECS RSS_KB FAILED
warm() { cat "$@" > /dev/null; }

# measure KEY LABEL -- command...: runs the command under /usr/bin/time, output to logs/KEY.log.
measure() {
  local key=$1 label=$2
  shift 3
  echo "  $label (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ -n "${DISPLAY_COMMAND:-}" ]; then
    printf '%s\n' "$DISPLAY_COMMAND" | sed 's/^/    $ /'
  else
    echo "    \$ $*"
  fi
  if ! /usr/bin/time -f '%e %M' -o "$LOGS/$key.time" "$@" > "$LOGS/$key.log" 2>&1; then
    FAILED[$key]=1
    echo "playlists_bench: step '$label' FAILED; the end of $LOGS/$key.log:" >&2
    tail -n 12 "$LOGS/$key.log" | sed 's/^/    | /' >&2
  fi
  read_time "$key"
}
read_time() {  # read_time KEY: seconds and peak RSS from logs/KEY.time, if the step ran
  if [ -s "$LOGS/$1.time" ]; then
    read -r SECS[$1] RSS_KB[$1] < <(tail -n1 "$LOGS/$1.time")
  fi
}
# The fresh project's earshot.toml with --earshot-memory-limit applied.
init_project() {  # init_project DIR LOG
  "$EARSHOT" init "$1" > "$2"
  if [ -n "$EARSHOT_MEMORY_LIMIT" ]; then
    grep -q '^memory_limit = ' "$1/earshot.toml" || die "no memory_limit line in $1/earshot.toml"
    sed -i "s/^memory_limit = .*/memory_limit = \"${EARSHOT_MEMORY_LIMIT//\//\\/}\"/" "$1/earshot.toml"
  fi
}

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || true)
mem_total=$(awk '/MemTotal/ { printf "%.1f GB", $2 * 1024 / 1e9 }' /proc/meminfo)
echo
echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total RAM, $(uname -sr)"
echo "command: $COMMAND_LINE"
echo "earshot: $("$EARSHOT" --version 2>/dev/null || echo '?'), copy of $EARSHOT_ORIGIN"
echo "earshot projects: memory_limit ${EARSHOT_MEMORY_LIMIT:-as earshot init writes it (1GB)}"
echo "duckdb peers: $DUCKDB_SQL (DuckDB $(echo 'SELECT version() AS v;' > "$WORK/version.sql" &&
  "$DUCKDB_SQL" :memory: "$WORK/version.sql" 2>/dev/null | tail -n1), memory_limit ${PEER_MEMORY_LIMIT:-DuckDB default (80% of RAM)})"
echo "input:   $EVENTS_CSV ($EVENT_ROWS rows, $EVENTS_BYTES bytes)"
echo "         $PLAYLISTS_NDJSON ($PLAYLIST_LINES lines, $PLAYLISTS_BYTES bytes)"
echo

echo "(1) earshot: ingest events.csv into a fresh project"
init_project "$WORK/earshot_events" "$LOGS/1_init.log"
warm "$EVENTS_CSV"
measure 1 "earshot ingest --source events" -- \
  "$EARSHOT" ingest --project "$WORK/earshot_events" --source events "$EVENTS_CSV"

echo "(2) DuckDB: read_csv into a table with explicit types"
render_sql "$ROOT/bench/sql/read_csv.sql" "$WORK/read_csv.sql"
warm "$EVENTS_CSV"
measure 2 "duckdb_sql read_csv.sql" -- "$DUCKDB_SQL" "$WORK/peer_read_csv.duckdb" "$WORK/read_csv.sql"
# The project / database of steps 1 and 2 are not needed any more.
rm -rf "$WORK/earshot_events" "$WORK"/peer_read_csv.duckdb*

echo "(3) earshot: ingest both files (in parallel, one command) + build + report, fresh project"
P="$WORK/earshot_job"
init_project "$P" "$LOGS/3_init.log"
warm "$EVENTS_CSV" "$PLAYLISTS_NDJSON"
# One timed shell for the whole job (peak RSS = the largest of its processes),
# each verb also timed on its own for the breakdown.
T="/usr/bin/time -f '%e %M' -o"
DISPLAY_COMMAND="$EARSHOT ingest --project $P $EVENTS_CSV $PLAYLISTS_NDJSON
$EARSHOT build --project $P
$EARSHOT report --project $P playlist-popularity" \
measure 3 "earshot ingest x2 + build + report" -- bash -c "set -e
  $T '$LOGS/3a.time' '$EARSHOT' ingest --project '$P' '$EVENTS_CSV' '$PLAYLISTS_NDJSON'
  $T '$LOGS/3c.time' '$EARSHOT' build --project '$P'
  $T '$LOGS/3d.time' '$EARSHOT' report --project '$P' playlist-popularity"
for k in 3a 3c 3d; do read_time "$k"; done
# A verb that failed inside the job: its time file says so.
for k in 3a 3c 3d; do
  if grep -q 'exited with non-zero' "$LOGS/$k.time" 2>/dev/null; then FAILED[$k]=1; fi
done

echo "(4) DuckDB: the same pipeline in SQL (pipeline.sql), fresh database file"
render_sql "$ROOT/bench/sql/pipeline.sql" "$WORK/pipeline.sql"
warm "$EVENTS_CSV" "$PLAYLISTS_NDJSON"
measure 4 "duckdb_sql pipeline.sql" -- "$DUCKDB_SQL" "$WORK/peer_pipeline.duckdb" "$WORK/pipeline.sql"

# ---------------------------------------------------------------------------
# Results

du_mb() { du -sb "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s / 1e6 }'; }
EARSHOT_DISK=$(du_mb "$P/warehouse")
EARSHOT_ARCHIVE=$(du_mb "$P/archive")
PEER_DISK=$(du_mb "$WORK"/peer_pipeline.duckdb*)

row() {  # row LABEL KEY ROWS BYTES
  if [ -z "${SECS[$2]:-}" ]; then
    printf "%-46s %9s\n" "$1" "not run"
    return
  fi
  awk -v label="$1" -v s="${SECS[$2]}" -v kb="${RSS_KB[$2]}" -v rows="$3" -v bytes="$4" -v failed="${FAILED[$2]:-}" '
  function group(d,   out) {  # 1234567 -> 1,234,567 (mawk has no %\047 flag)
    out = ""
    while (length(d) > 3) { out = "," substr(d, length(d) - 2) out; d = substr(d, 1, length(d) - 3) }
    return d out
  }
  BEGIN {
    rps = (rows > 0 && s > 0) ? group(sprintf("%.0f", rows / s)) : "-"
    mbs = (bytes > 0 && s > 0) ? sprintf("%.1f", bytes / 1e6 / s) : "-"
    if (failed) { rps = "FAILED"; mbs = "-" }
    printf "%-46s %9.2f %13s %9s %12.1f\n", label, s, rps, mbs, kb * 1024 / 1e6
  }'
}
ratio() {  # ratio KEY_EARSHOT KEY_PEER LABEL
  if [ -n "${FAILED[$1]:-}${FAILED[$2]:-}" ] || [ -z "${SECS[$1]:-}" ] || [ -z "${SECS[$2]:-}" ]; then
    printf "  %-30s n/a (a step failed)\n" "$3"
    return
  fi
  awk -v l="$3" -v a="${SECS[$1]}" -v b="${SECS[$2]}" -v ra="${RSS_KB[$1]}" -v rb="${RSS_KB[$2]}" 'BEGIN {
    printf "  %-30s time %6.2fx   peak RSS %6.2fx\n", l, (b > 0 ? a / b : 0), (rb > 0 ? ra / rb : 0)
  }'
}
ALL_ROWS=$((EVENT_ROWS + PLAYLIST_LINES))
ALL_BYTES=$((EVENTS_BYTES + PLAYLISTS_BYTES))

{
  echo
  echo "== playlists benchmark: $EVENT_ROWS events, $USERS_N users (seed $SEED) =="
  echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total RAM"
  echo "command: $COMMAND_LINE"
  echo "earshot: $EARSHOT_ORIGIN"
  echo "memory_limit: earshot projects ${EARSHOT_MEMORY_LIMIT:-1GB (earshot init default)}, duckdb peers ${PEER_MEMORY_LIMIT:-DuckDB default (80% of RAM)}"
  echo "input:   events.csv $(awk -v b="$EVENTS_BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), $EVENT_ROWS rows; playlists.ndjson $(awk -v b="$PLAYLISTS_BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), $PLAYLIST_LINES lines"
  echo "rows/s and MB/s over the step's input files (MB = 10^6 bytes); peak RSS in MB"
  echo
  printf "%-46s %9s %13s %9s %12s\n" "step" "seconds" "rows/s" "MB/s" "peak RSS MB"
  printf '%.0s-' {1..93}; echo
  row "(1) earshot ingest events.csv" 1 "$EVENT_ROWS" "$EVENTS_BYTES"
  row "(2) duckdb read_csv -> table (explicit types)" 2 "$EVENT_ROWS" "$EVENTS_BYTES"
  row "(3) earshot ingest x2 + build + report" 3 "$ALL_ROWS" "$ALL_BYTES"
  row "      ingest both files (one command)" 3a "$EVENT_ROWS" "$((EVENTS_BYTES + PLAYLISTS_BYTES))"
  row "      build (models + publish)" 3c 0 0
  row "      report playlist-popularity" 3d 0 0
  row "(4) duckdb pipeline.sql (same job)" 4 "$ALL_ROWS" "$ALL_BYTES"
  echo
  echo "ratios earshot / duckdb (above 1: earshot slower / bigger):"
  ratio 1 2 "(1) vs (2) ingest events"
  ratio 3 4 "(3) vs (4) whole job"
  echo
  echo "on disk after (3): earshot warehouse (working + published) ${EARSHOT_DISK} MB, raw archive ${EARSHOT_ARCHIVE} MB;"
  echo "          after (4): duckdb database ${PEER_DISK} MB"
  for k in 1 2 3 4; do
    if [ -n "${FAILED[$k]:-}" ]; then
      echo
      echo "step $k FAILED; the end of its log ($LOGS/$k.log):"
      tail -n 12 "$LOGS/$k.log" | sed 's/^/  | /'
    fi
  done
  echo
  echo "(4) per statement (wall seconds, from duckdb_sql):"
  grep -E '^ +[0-9]+\.[0-9]+ s' "$LOGS/4.log" | sed 's/^/  /' || true
  echo
  echo "(3) earshot build per model:"
  grep -E '^  (staging|marts)\.' "$LOGS/3.log" | sed 's/^/  /' || true
} | tee "$LOGS/results.txt"

# ---------------------------------------------------------------------------
# Do earshot and the SQL peer agree on the report?

check=0
if [ -n "${FAILED[3]:-}${FAILED[4]:-}" ]; then
  echo | tee -a "$LOGS/results.txt"
  echo "popularity check: skipped, step (3) or (4) failed" | tee -a "$LOGS/results.txt"
  check=1
else
"$EARSHOT" query --project "$P" --format csv \
  "SELECT playlist, seconds_streamed, streams, listeners, share_of_seconds FROM playlist_popularity ORDER BY playlist" \
  > "$WORK/earshot_popularity.csv"
cp "$WORK/earshot_popularity.csv" "$WORK/peer_popularity.csv" "$LOGS/"

{
  echo
  echo "popularity check (earshot vs duckdb pipeline.sql; seconds_streamed within 1e-6 relative, streams and listeners equal):"
  awk -F, '
    FNR == 1 { next }
    NR == FNR { e_sec[$1] = $2; e_str[$1] = $3; e_lis[$1] = $4; e_share[$1] = $5; names[$1] = 1; next }
    { p_sec[$1] = $2; p_str[$1] = $3; p_lis[$1] = $4; p_share[$1] = $5; names[$1] = 1 }
    END {
      bad = 0
      printf "  %-14s %22s %22s %10s %10s %10s %10s  %s\n", "playlist", "earshot seconds", "duckdb seconds", "rel diff",
             "streams e", "streams d", "listen e/d", ""
      n = 0
      for (k in names) sorted[++n] = k
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
      for (i = 1; i <= n; i++) {
        k = sorted[i]
        if (!(k in e_sec) || !(k in p_sec)) {
          printf "  %-14s only in %s  MISMATCH\n", k, (k in e_sec) ? "earshot" : "duckdb"; bad++; continue
        }
        d = e_sec[k] - p_sec[k]; if (d < 0) d = -d
        m = e_sec[k] < 0 ? -e_sec[k] : e_sec[k]; if (m < 1e-300) m = 1e-300
        rel = d / m
        ok = (rel <= 1e-6 && e_str[k] == p_str[k] && e_lis[k] == p_lis[k])
        if (!ok) bad++
        printf "  %-14s %22.6f %22.6f %10.2e %10d %10d %5d/%-5d %s\n", k, e_sec[k], p_sec[k], rel, e_str[k], p_str[k],
               e_lis[k], p_lis[k], ok ? "ok" : "MISMATCH"
      }
      if (n == 0) { print "  no playlists on either side  MISMATCH"; bad++ }
      if (bad) { printf "  RESULT: %d playlist(s) DISAGREE\n", bad; exit 1 }
      printf "  RESULT: the %d playlists agree\n", n
    }' "$WORK/earshot_popularity.csv" "$WORK/peer_popularity.csv"
} | tee -a "$LOGS/results.txt" || check=1
fi

# The step projects are large (a raw archive copy of both inputs, two warehouses,
# the peer database): keep only data/ (for --keep) and logs/.
rm -rf "$WORK"
echo
echo "logs and results: $LOGS (data kept in $DATA for --keep)"
failed_steps=""
for k in 1 2 3 3a 3c 3d 4; do
  if [ -n "${FAILED[$k]:-}" ]; then failed_steps+=" $k"; fi
done
if [ -n "$failed_steps" ]; then
  echo "playlists_bench: FAILED: step(s)$failed_steps failed (see above)" >&2
  exit 1
fi
if [ "$check" -ne 0 ]; then
  echo "playlists_bench: FAILED: earshot and the DuckDB pipeline disagree on playlist popularity" >&2
  exit 1
fi
