#!/usr/bin/env bash
# `make run`: the main jobs on generated sample data, end to end.
# Generates deterministic samples (once), ingests them into fresh projects
# under sample/, builds the models and prints the playlist popularity report,
# then the podcast estimates and risers of the newest complete month.
set -euo pipefail
earshot=${1:-build/earshot}
cd "$(dirname "$0")/.."
sample=sample
users=${SAMPLE_USERS:-5000}
events=${SAMPLE_EVENTS:-500000}

if [ ! -f "$sample/data/events.csv" ] || [ ! -f "$sample/data/playlists.ndjson" ]; then
  "$earshot" generate playlists --users "$users" --events "$events" --seed 42 --out "$sample/data"
fi
rm -rf "$sample/project"
"$earshot" init "$sample/project" >/dev/null
"$earshot" playlists --project "$sample/project" \
  --events "$sample/data/events.csv" --playlists "$sample/data/playlists.ndjson"
"$earshot" report playlist-popularity --project "$sample/project" --format html \
  --output "$sample/playlist-popularity.html" >/dev/null

# Podcasts: five providers with different habits, delivered in arrival order.
pod=$sample/podcasts
if [ ! -f "$pod/data/arrival.tsv" ]; then
  "$earshot" generate podcasts --seed 42 --months "${SAMPLE_MONTHS:-6}" --out "$pod/data"
fi
rm -rf "$pod/project"
"$earshot" init --template podcasts "$pod/project" >/dev/null
echo
echo "== podcasts: ingesting the catalog and every provider's deliveries (in arrival order)"
"$earshot" ingest --project "$pod/project" \
  $(awk -F'\t' -v d="$pod/data" '$1 == "catalog" { printf "%s/%s ", d, $3 }' "$pod/data/arrival.tsv") | tail -n 4
for provider in $(awk -F'\t' '$1 == "provider" { print $2 }' "$pod/data/arrival.tsv" | sort -u); do
  mapfile -t files < <(awk -F'\t' -v p="$provider" -v d="$pod/data" '$1 == "provider" && $2 == p { print d "/" $3 }' \
    "$pod/data/arrival.tsv")
  "$earshot" ingest --project "$pod/project" --provider "$provider" "${files[@]}" > "$pod/ingest-$provider.log"
  # One line per provider: deliveries, rows in, accepted, rejected, duplicates.
  awk -v p="$provider" '/ rows in: / {
      gsub(",", ""); n++
      for (i = 1; i <= NF; i++) {
        if ($(i+1) == "rows") rows += $i; if ($(i+1) ~ /^accepted/) acc += $i
        if ($(i+1) ~ /^rejected/) rej += $i; if ($(i+1) ~ /^duplicates/) dup += $i
      } }
    END { printf "  %-10s %4d deliveries: %d rows in, %d accepted, %d rejected, %d duplicates\n", p, n, rows, acc, rej, dup }' \
    "$pod/ingest-$provider.log"
done
"$earshot" build --project "$pod/project" | tail -n 1
month=$("$earshot" query --project "$pod/project" --format csv \
  "SELECT max(month) FROM podcast_monthly_estimates WHERE month_complete" | tail -n 1)
"$earshot" report podcast-estimates --project "$pod/project" --month "$month" --limit 10
"$earshot" report podcast-trends --project "$pod/project" --month "$month" --limit 10
"$earshot" report podcast-estimates --project "$pod/project" --month "$month" --format html \
  --output "$sample/podcast-estimates.html" >/dev/null

cat <<MSG

HTML reports: $sample/playlist-popularity.html, $sample/podcast-estimates.html
Ask it anything (read-only), e.g. which works were recommended to user u0000001:
  $earshot query --project $sample/project \\
    "SELECT playlist, position, work_title, composer FROM personalized_playlists
     WHERE user_id = 'u0000001' AND recommended ORDER BY playlist, position"
MSG
