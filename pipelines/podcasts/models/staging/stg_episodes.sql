-- The episode catalog: one row per episode_id, the newest record winning.
SELECT episode_id, podcast_id, title, published_at
FROM raw.episodes
WHERE ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'episodes' AND status = 'loaded')
QUALIFY row_number() OVER (PARTITION BY episode_id ORDER BY ingest_id DESC, line DESC) = 1
