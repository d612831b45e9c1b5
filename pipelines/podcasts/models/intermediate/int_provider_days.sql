-- earshot: materialized = table
-- Day-level coverage (contract: "what p says about a month / a 30-day
-- window"): the days each provider covers, and which delivery speaks for the
-- day. A day is covered by a daily file delivered for it, or by at least one
-- instant event on it once the day is over (before the build's as-of date).
-- When both exist, the provider's precedence decides (default: daily).
WITH daily AS (
  SELECT DISTINCT provider, period AS day FROM staging.stg_deliveries WHERE delivery = 'daily'
),
instant AS (
  SELECT DISTINCT provider, day FROM intermediate.int_event_listens
  WHERE day < (SELECT as_of FROM raw.build_settings)
),
both_kinds AS (
  SELECT coalesce(d.provider, i.provider) AS provider, coalesce(d.day, i.day) AS day,
         d.day IS NOT NULL AS has_daily, i.day IS NOT NULL AS has_instant
  FROM daily AS d FULL OUTER JOIN instant AS i ON d.provider = i.provider AND d.day = i.day
)
SELECT b.provider, b.day,
       CASE WHEN b.has_daily AND (NOT b.has_instant OR p.rank_daily < p.rank_instant) THEN 'daily' ELSE 'instant' END
         AS delivery
FROM both_kinds AS b
JOIN staging.stg_providers AS p USING (provider)
