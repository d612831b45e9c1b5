#!/usr/bin/env bash
# `make run`: the main job on generated sample data, end to end.
# Generates a deterministic sample (once), ingests it into a fresh project
# under sample/, builds the models and prints the playlist popularity report.
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
cat <<MSG

HTML report: $sample/playlist-popularity.html
Ask it anything (read-only), e.g. which works were recommended to user u0000001:
  $earshot query --project $sample/project \\
    "SELECT playlist, position, work_title, composer FROM personalized_playlists
     WHERE user_id = 'u0000001' AND recommended ORDER BY playlist, position"
MSG
