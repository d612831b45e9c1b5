-- The podcast catalog: one row per podcast_id, the newest record winning
-- (later ingest, then later line).
SELECT podcast_id, title, publisher
FROM raw.podcasts
WHERE ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'podcasts' AND status = 'loaded')
QUALIFY row_number() OVER (PARTITION BY podcast_id ORDER BY ingest_id DESC, line DESC) = 1
