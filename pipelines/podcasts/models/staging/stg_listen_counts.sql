-- Daily and monthly counts that are in force: for each provider, delivery
-- (daily, monthly) and period, only the newest delivery (arrival order =
-- ingest order) counts; an earlier one for the same period is a restated
-- file and stays in raw only. Providers no longer declared are left out.
WITH current_rows AS (
  SELECT l.ingest_id, l.provider, l.delivery, l.period, l.podcast_id, l.episode_id, l.listens
  FROM raw.listens AS l
  WHERE l.delivery IN ('daily', 'monthly')
    AND l.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'listens' AND status = 'loaded')
    AND l.provider IN (SELECT provider FROM staging.stg_providers)
),
newest AS (
  SELECT provider, delivery, period, max(ingest_id) AS ingest_id
  FROM current_rows
  GROUP BY provider, delivery, period
)
SELECT c.provider, c.delivery, c.period, c.podcast_id, c.episode_id, c.listens, c.ingest_id
FROM current_rows AS c
JOIN newest AS n USING (provider, delivery, period, ingest_id)
