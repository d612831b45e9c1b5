-- An episode's listens in a month, over the episode-granularity providers
-- only (the others cannot split a podcast into episodes): observed = sum of
-- their L_p, coverage = sum of s_p * f_p over them, estimated = observed /
-- coverage (NULL when coverage is 0). DOUBLEs are added in a fixed order
-- (ORDER BY inside the aggregate), so every build, and a rebuild from the
-- raw archive, gives the same bits whatever the threads do.
WITH coverage AS (
  SELECT month, sum(market_share * f ORDER BY provider) AS coverage
  FROM intermediate.int_provider_months
  WHERE granularity = 'episode'
  GROUP BY month
),
observed AS (
  SELECT l.month, l.episode_id, sum(l.listens)::BIGINT AS observed_listens
  FROM intermediate.int_month_listens AS l
  JOIN staging.stg_providers AS p ON p.provider = l.provider AND p.granularity = 'episode'
  GROUP BY ALL
)
SELECT o.episode_id, o.month, o.observed_listens, c.coverage,
       CASE WHEN c.coverage > 0 THEN o.observed_listens / c.coverage END AS estimated_listens
FROM observed AS o
JOIN coverage AS c USING (month)
