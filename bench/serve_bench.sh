#!/usr/bin/env bash
# Load benchmark of `earshot serve` on loopback with wrk (never a test):
#   1. a generated podcast market (catalog + every provider's deliveries) is
#      ingested and built, so the read API has real marts;
#   2. POST /v1/listens, BATCH events a request (default 1,000): events/s
#      durably acknowledged (each answer comes after the group commit's
#      fdatasync) and the latency of the acknowledgements;
#   3. POST /v1/listens, one event a request: as fast as acknowledged, then
#      paced at about SINGLE_RATE requests/s (default 10,000): p99;
#   4. GET /v1/podcasts/{id}/estimates at about READ_RATE requests/s (default
#      5,000; wrk's delay() paces each connection): p99.
#   5. with --disk-noise: run 3 again while another process writes 512 MB
#      files to the same disk and fsyncs them, one after the other (what a
#      build or a big ingest does to the file system's journal).
# Between runs it waits for the loader to catch up (and says how long).
# Usage: bench/serve_bench.sh [--out DIR] [--seconds N] [--earshot PATH] [--disk-noise]
set -euo pipefail
cd "$(dirname "$0")/.."
out=/tmp/earshot-serve-bench
seconds=20
earshot=build/earshot
disk_noise=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --earshot) earshot=$2; shift 2 ;;
    --disk-noise) disk_noise=1; shift ;;
    *) echo "usage: $0 [--out DIR] [--seconds N] [--earshot PATH] [--disk-noise]" >&2; exit 2 ;;
  esac
done
earshot=$(realpath "$earshot")
bench=$(realpath bench)
command -v wrk >/dev/null || { echo "serve_bench: wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }

data=$out/data
project=$out/project
if [ ! -f "$data/arrival.tsv" ]; then
  "$earshot" generate podcasts --seed 7 --months 3 --out "$data" >/dev/null
fi
rm -rf "$project"
"$earshot" init --template podcasts "$project" >/dev/null
echo "== setup: ingesting a generated market (2,000 podcasts, 3 months) and building"
"$earshot" ingest --project "$project" \
  $(awk -F'\t' -v d="$data" '$1 == "catalog" { printf "%s/%s ", d, $3 }' "$data/arrival.tsv") >/dev/null
for provider in $(awk -F'\t' '$1 == "provider" { print $2 }' "$data/arrival.tsv" | sort -u); do
  mapfile -t files < <(awk -F'\t' -v p="$provider" -v d="$data" '$1 == "provider" && $2 == p { print d "/" $3 }' \
    "$data/arrival.tsv")
  "$earshot" ingest --project "$project" --provider "$provider" "${files[@]}" >/dev/null
done
"$earshot" build --project "$project" | tail -n 1
"$earshot" query --project "$project" --format csv "SELECT DISTINCT podcast_id FROM podcast_monthly_estimates" |
  tail -n +2 > "$out/podcasts.txt"
token=$("$earshot" token create --project "$project" --provider emberwave 2>/dev/null)

"$earshot" serve --project "$project" --listen 127.0.0.1:0 2> "$out/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '"event":"listening"' "$out/serve.log" 2>/dev/null && break
  sleep 0.1
done
port=$(grep -o '"address":"127.0.0.1:[0-9]*' "$out/serve.log" | head -n 1 | grep -o '[0-9]*$')
url=http://127.0.0.1:$port
echo "== earshot serve on $url (log: $out/serve.log), $(nproc) cores, wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}')"

run() {  # title, then the wrk command line
  local title=$1; shift
  echo
  echo "-- $title"
  echo "   $*"
  "$@" | sed -n '/^requests /,$p' | sed 's/^/   /'
}
# Waits until the loader has put every acknowledged event into the
# warehouse, and says how long that took.
settle() {
  local t0=$SECONDS
  until curl -s "$url/metrics" | grep -q '^earshot_log_unloaded_bytes 0$'; do sleep 1; done
  echo "   (loader caught up $((SECONDS - t0)) s after the run)"
}
batch=${BATCH:-1000}
run "batches of $batch events, as fast as acknowledged" env TOKEN="$token" BATCH="$batch" \
  wrk -t2 -c"${BATCH_CONNECTIONS:-16}" -d"${seconds}s" --timeout 10s -s "$bench/serve_listens.lua" "$url"
settle
run "single events, as fast as acknowledged" env TOKEN="$token" BATCH=1 \
  wrk -t2 -c"${SINGLE_CONNECTIONS:-64}" -d"${seconds}s" --timeout 10s -s "$bench/serve_listens.lua" "$url"
settle
single_rate=${SINGLE_RATE:-10000}
run "single events at about $single_rate requests/s" env TOKEN="$token" BATCH=1 \
  DELAY_MS=$((96 * 1000 / single_rate - 3)) \
  wrk -t2 -c96 -d"${seconds}s" --timeout 10s -s "$bench/serve_listens.lua" "$url"
settle
if [ "$disk_noise" = 1 ]; then
  rm -f "$out/noise.stop"
  (while [ ! -f "$out/noise.stop" ]; do dd if=/dev/zero of="$out/noise" bs=1M count=512 conv=fsync status=none; done) &
  noise=$!
  run "single events at about $single_rate requests/s, while 512 MB files are written and fsynced" \
    env TOKEN="$token" BATCH=1 DELAY_MS=$((96 * 1000 / single_rate - 3)) \
    wrk -t2 -c96 -d"${seconds}s" --timeout 10s -s "$bench/serve_listens.lua" "$url"
  touch "$out/noise.stop"
  wait $noise  # the file being written finishes first
  rm -f "$out/noise" "$out/noise.stop"
  settle
fi
rate=${READ_RATE:-5000}
connections=${READ_CONNECTIONS:-50}
run "estimates at about $rate requests/s" env PODCASTS="$out/podcasts.txt" DELAY_MS=$((connections * 1000 / rate - 1)) \
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$bench/serve_reads.lua" "$url"

echo
echo "-- server metrics"
curl -s "$url/metrics" | grep -E '^earshot_(events_accepted_total|log_commits_total|log_segments_preallocated_total|log_bytes_total|log_unloaded_bytes|loader_lag_seconds|loader_segments_total|builds_total|log_fsync_seconds_(sum|count))' |
  sed 's/^/   /'
kill -TERM $server
rc=0
wait $server || rc=$?
trap - EXIT
echo "   SIGTERM: exit $rc after loading every segment ($(grep -c segment_loaded "$out/serve.log") segments loaded in all)"
