#!/usr/bin/env bash
# The podcasts build benchmark (issue: 12 months, 5 providers, 2,000 podcasts,
# 40,000 episodes of daily data; target: building the podcast models in under
# 10 s on the 2-core machine). Run on demand; never a test.
#
#   bench/podcasts_bench.sh [--months N] [--podcasts N] [--episodes-per-podcast N]
#                           [--out DIR] [--keep] [--earshot PATH]
#
# Steps:
#   (1) a project whose five providers (10% each, per episode) all deliver
#       daily files, in the five shapes: CSV, JSON array / {"rows"}, NDJSON,
#       each with its own field names;
#   (2) `earshot generate podcasts --project` writes a year of that market;
#   (3) every delivery is ingested in arrival order (timed: total and per file);
#   (4) `earshot build` (every model, podcasts and playlists) is timed with
#       /usr/bin/time three times (elapsed seconds, peak RSS); the podcast
#       models' own times are printed by the build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MONTHS=12
PODCASTS=2000
EPISODES=20
OUT="$ROOT/bench/out/podcasts"
KEEP=0
EARSHOT="$ROOT/build/earshot"
while [ $# -gt 0 ]; do
  case "$1" in
    --months) MONTHS=$2; shift 2 ;;
    --podcasts) PODCASTS=$2; shift 2 ;;
    --episodes-per-podcast) EPISODES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --earshot) EARSHOT=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "podcasts_bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$EARSHOT" ] || make -C "$ROOT" build >/dev/null
mkdir -p "$OUT"
PROJECT="$OUT/project"
DATA="$OUT/data"
stamp="$MONTHS-$PODCASTS-$EPISODES"

if [ "$KEEP" != 1 ] || [ "$(cat "$DATA/.size" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$PROJECT" "$DATA"
  "$EARSHOT" init "$PROJECT" >/dev/null
  cat >> "$PROJECT/earshot.toml" <<'TOML'

[providers.alder]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "csv"
[providers.alder.mapping]
date = "day"
podcast_id = "show"
episode_id = "ep"
listens = "downloads"

[providers.birch]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "json"

[providers.cedar]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "ndjson"

[providers.dune]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "json"
[providers.dune.mapping]
podcast_id = "feed_id"
episode_id = "item_id"
listens = "count"

[providers.ember]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "csv"
TOML
  echo "(2) generating $MONTHS months, $PODCASTS podcasts x $EPISODES episodes ..."
  /usr/bin/time -f "    %e s, %M KB peak" "$EARSHOT" generate podcasts --project "$PROJECT" --seed 1 \
    --months "$MONTHS" --podcasts "$PODCASTS" --episodes-per-podcast "$EPISODES" --out "$DATA" | tail -n 3
  echo "(3) ingesting $(grep -c . "$DATA/arrival.tsv") files in arrival order ..."
  start=$(date +%s.%N)
  "$EARSHOT" ingest --project "$PROJECT" \
    $(awk -F'\t' -v d="$DATA" '$1 == "catalog" { printf "%s/%s ", d, $3 }' "$DATA/arrival.tsv") >/dev/null
  for provider in $(awk -F'\t' '$1 == "provider" { print $2 }' "$DATA/arrival.tsv" | sort -u); do
    mapfile -t files < <(awk -F'\t' -v p="$provider" -v d="$DATA" '$1 == "provider" && $2 == p { print d "/" $3 }' \
      "$DATA/arrival.tsv")
    "$EARSHOT" ingest --project "$PROJECT" --provider "$provider" "${files[@]}" >/dev/null
  done
  end=$(date +%s.%N)
  echo "    $(echo "$end - $start" | bc) s"
  echo "$stamp" > "$DATA/.size"
fi
echo "(4) earshot build, 3 runs:"
for i in 1 2 3; do
  /usr/bin/time -f "    run $i: %e s elapsed, %M KB peak RSS" "$EARSHOT" build --project "$PROJECT" --as-of 2100-01-01 \
    > "$OUT/build-$i.log"
  grep -E "marts\.(podcast|creator|episode)" "$OUT/build-$i.log" | sed 's/^/      /'
done
echo "raw.listens rows: $("$EARSHOT" status --project "$PROJECT" --format json | \
  python3 -c 'import json,sys; print(sum(i["accepted"] or 0 for i in json.load(sys.stdin)["ingests"] if i["source"]=="listens"))')"
echo "command: $0 --months $MONTHS --podcasts $PODCASTS --episodes-per-podcast $EPISODES"
