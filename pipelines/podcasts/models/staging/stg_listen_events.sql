-- Instant listen events, each (provider, event_id) once (the first to
-- arrive: the lowest ingest_id, then line). `day` is the UTC day of the listen.
-- Written as "every event but the later copies of a repeated id" instead of
-- one window over all events: only the few repeated ids are sorted. With 6.5
-- million events the window ran out of the default 512 MB memory limit; this
-- form needs about 300 MB there.
WITH events AS (
  SELECT l.provider, l.period AS day, l.podcast_id, l.episode_id, l.event_id, l.listened_at, l.ingest_id, l.line
  FROM raw.listens AS l
  WHERE l.delivery = 'instant'
    AND l.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'listens' AND status = 'loaded')
    AND l.provider IN (SELECT provider FROM staging.stg_providers)
),
repeated AS (
  SELECT provider, event_id FROM events GROUP BY provider, event_id HAVING count(*) > 1
),
later_copies AS (
  SELECT e.ingest_id, e.line
  FROM events AS e SEMI JOIN repeated USING (provider, event_id)
  QUALIFY row_number() OVER (PARTITION BY e.provider, e.event_id ORDER BY e.ingest_id, e.line) > 1
)
SELECT provider, day, podcast_id, episode_id, event_id, listened_at
FROM events ANTI JOIN later_copies USING (ingest_id, line)
