-- earshot: materialized = table
-- The daily and monthly deliveries in force: for each provider, delivery
-- (daily, monthly) and period (a day, or a month's first day), the newest
-- delivery that has rows for it (arrival order = ingest order). An earlier
-- delivery for the same period is a restated file: it stays in raw only.
-- Providers no longer declared are left out.
WITH periods AS (
  SELECT DISTINCT l.ingest_id, l.provider, l.delivery, l.period
  FROM raw.listens AS l
  WHERE l.delivery IN ('daily', 'monthly')
    AND l.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'listens' AND status = 'loaded')
    AND l.provider IN (SELECT provider FROM staging.stg_providers)
)
SELECT provider, delivery, period, max(ingest_id) AS ingest_id
FROM periods
GROUP BY provider, delivery, period
