#!/usr/bin/env bash
# The repair benchmark: how long `earshot rebuild` and `earshot backfill` take
# on a generated podcasts market. Run on demand; never a test.
#
#   bench/repair_bench.sh [--podcasts N] [--months N] [--out DIR] [--earshot PATH]
#
# Steps, each timed (elapsed seconds, peak RSS via /usr/bin/time):
#   (1) ingest the market as it arrived (catalog, then each provider's files)
#       and build: the original warehouse
#   (2) earshot rebuild: every archived delivery replayed, built, swapped in
#   (3) earshot backfill of one provider for one month (re-read, rebuild, publish)
# then checks that (2) published exactly the marts (1) did.
set -euo pipefail
podcasts=2000
months=3
out=bench/out/repair
earshot=build/earshot
while [ $# -gt 0 ]; do
  case "$1" in
    --podcasts) podcasts=$2; shift 2 ;;
    --months) months=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --earshot) earshot=$2; shift 2 ;;
    *) echo "usage: $0 [--podcasts N] [--months N] [--out DIR] [--earshot PATH]" >&2; exit 2 ;;
  esac
done
[ -x "$earshot" ] || { echo "no earshot binary at $earshot (run make)" >&2; exit 1; }
earshot=$(realpath "$earshot")
rm -rf "$out"; mkdir -p "$out"
out=$(realpath "$out")
data=$out/data proj=$out/project
"$earshot" generate podcasts --seed 1 --months "$months" --podcasts "$podcasts" --out "$data" >/dev/null
"$earshot" init --template podcasts "$proj" >/dev/null

timed() {  # timed NAME CMD...: prints NAME, seconds, peak RSS
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/$name.log" 2>&1 || { echo "$name FAILED (see $out/$name.log)"; exit 1; }
  read -r secs rss <"$out/time.txt"
  printf '%-10s %8.2f s  peak RSS %6.0f MB\n' "$name" "$secs" "$((rss / 1024))"
}
ingest_all() {
  "$earshot" ingest --project "$proj" $(awk -F'\t' -v d="$data" '$1=="catalog"{print d"/"$3}' "$data/arrival.tsv")
  for p in $(awk -F'\t' '$1=="provider"{print $2}' "$data/arrival.tsv" | sort -u); do
    "$earshot" ingest --project "$proj" --provider "$p" \
      $(awk -F'\t' -v p="$p" -v d="$data" '$1=="provider" && $2==p{print d"/"$3}' "$data/arrival.tsv")
  done
  "$earshot" build --project "$proj" --as-of 2030-01-01
}
export -f ingest_all; export earshot proj data
files=$(($(wc -l <"$data/arrival.tsv")))
echo "market: $podcasts podcasts, $months months, $files deliveries, $(du -sh "$data" | cut -f1)"
timed ingest bash -c ingest_all
marts="creator_popularity episode_first_30_days podcast_monthly_estimates podcast_trends"
dump() { for m in $marts; do "$earshot" query --project "$proj" --format csv "SELECT hash(t) h, t::VARCHAR r FROM $m t ORDER BY r, h"; done; }
dump >"$out/before.csv"
timed rebuild "$earshot" rebuild --project "$proj"
dump >"$out/after.csv"
cmp -s "$out/before.csv" "$out/after.csv" && echo "rebuild: marts identical ($(wc -l <"$out/before.csv") rows)" || { echo "rebuild: MARTS DIFFER"; exit 1; }
first=$(awk -F'\t' '$1=="provider"{print $2; exit}' "$data/arrival.tsv")
timed backfill "$earshot" backfill --project "$proj" --source "$first" --from 2025-01-01 --to 2025-01-31 --as-of 2030-01-01
grep -c "ingest  archive:" "$out/backfill.log" | sed 's/^/backfill: deliveries re-ingested: /'
