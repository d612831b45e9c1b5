-- Instant listen events, each (provider, event_id) once (the first to
-- arrive). `day` is the UTC day of the listen.
SELECT l.provider, l.period AS day, l.podcast_id, l.episode_id, l.event_id, l.listened_at
FROM raw.listens AS l
WHERE l.delivery = 'instant'
  AND l.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'listens' AND status = 'loaded')
  AND l.provider IN (SELECT provider FROM staging.stg_providers)
QUALIFY row_number() OVER (PARTITION BY l.provider, l.event_id ORDER BY l.ingest_id, l.line) = 1
