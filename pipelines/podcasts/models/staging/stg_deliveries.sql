-- earshot: materialized = table
-- The daily and monthly deliveries in force: for each provider, delivery
-- (daily, monthly) and period (a day, or a month's first day), the newest
-- delivery that has rows for it (arrival order = ingest order). An earlier
-- delivery for the same period is a restated file: it stays in raw only.
-- Providers no longer declared are left out. A delivery with no rows at all
-- (a header only: nobody listened) still covers its period, read from its
-- file name (YYYY-MM-DD: a day, else YYYY-MM: a month) when the provider
-- declares that kind of delivery.
WITH periods AS (
  SELECT DISTINCT l.ingest_id, l.provider, l.delivery, l.period
  FROM raw.listens AS l
  WHERE l.delivery IN ('daily', 'monthly')
    AND l.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'listens' AND status = 'loaded')
    AND l.provider IN (SELECT provider FROM staging.stg_providers)
  UNION
  SELECT e.ingest_id, e.provider, e.delivery, e.period
  FROM (
    SELECT i.ingest_id, i.provider,
           CASE WHEN regexp_matches(i.file_name, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN 'daily' ELSE 'monthly' END
             AS delivery,
           coalesce(try_strptime(regexp_extract(i.file_name, '([0-9]{4}-[0-9]{2}-[0-9]{2})', 1), '%Y-%m-%d'),
                    try_strptime(regexp_extract(i.file_name, '([0-9]{4}-[0-9]{2})', 1), '%Y-%m'))::DATE AS period
    FROM raw.ingests AS i
    WHERE i.source = 'listens' AND i.status = 'loaded' AND i.rows_in = 0
  ) AS e
  JOIN staging.stg_providers AS p
    ON p.provider = e.provider
   AND ((e.delivery = 'daily' AND p.delivers_daily) OR (e.delivery = 'monthly' AND p.delivers_monthly))
  WHERE e.period IS NOT NULL
)
SELECT provider, delivery, period, max(ingest_id) AS ingest_id
FROM periods
GROUP BY provider, delivery, period
