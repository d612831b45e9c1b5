-- earshot: materialized = table
-- What each provider says about each month (contract: "what p says about a
-- month"): its monthly file when it delivered one (f = 1), else its
-- day-level data (f = covered days / days in the month). A precedence that
-- ranks a day-level delivery above monthly uses the days when there are any.
-- Only months a provider reports (f > 0) have a row. `source` is 'monthly'
-- or 'days'.
WITH monthly AS (
  SELECT DISTINCT provider, period AS month FROM staging.stg_deliveries WHERE delivery = 'monthly'
),
days AS (
  SELECT provider, date_trunc('month', day)::DATE AS month, count(*) AS covered_days
  FROM intermediate.int_provider_days
  GROUP BY ALL
),
both_kinds AS (
  SELECT coalesce(m.provider, d.provider) AS provider, coalesce(m.month, d.month) AS month,
         m.month IS NOT NULL AS has_monthly, coalesce(d.covered_days, 0) AS covered_days
  FROM monthly AS m FULL OUTER JOIN days AS d ON m.provider = d.provider AND m.month = d.month
)
SELECT b.provider, b.month,
       CASE WHEN b.has_monthly AND (b.covered_days = 0 OR p.rank_monthly < least(p.rank_daily, p.rank_instant))
            THEN 'monthly' ELSE 'days' END AS source,
       CASE WHEN b.has_monthly AND (b.covered_days = 0 OR p.rank_monthly < least(p.rank_daily, p.rank_instant))
            THEN 1.0
            ELSE b.covered_days::DOUBLE / day(last_day(b.month)) END AS f,
       p.market_share, p.granularity
FROM both_kinds AS b
JOIN staging.stg_providers AS p USING (provider)
