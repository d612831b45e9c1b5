-- Monthly listen estimates per podcast (contracts/podcasts.md). All
-- providers count. For a podcast and month: observed = sum of L_p (an
-- episode-granularity provider's L_p is the sum over the podcast's episodes),
-- coverage = sum of s_p * f_p over the providers reporting the month (f_p > 0;
-- one that reported but has no row for the podcast adds coverage and 0
-- listens), estimated = observed / coverage. Bounds from the dispersion of
-- the reporting providers' own estimates e_p = L_p / (s_p * f_p):
-- se = stddev_samp(e_p) / sqrt(k), estimated -/+ 1.96 se, the low bound never
-- below observed; NULL when k < 2. month_complete: every declared provider
-- has f_p = 1 for the month. DOUBLE aggregates take the providers in name
-- order, so every build (and a rebuild) gives the same bits.
WITH podcast_months AS (
  SELECT provider, month, podcast_id, sum(listens)::BIGINT AS listens
  FROM intermediate.int_month_listens
  GROUP BY ALL
),
months AS (
  SELECT month,
         count(*) FILTER (WHERE f = 1) = (SELECT count(*) FROM staging.stg_providers) AS month_complete
  FROM intermediate.int_provider_months
  GROUP BY month
),
per_provider AS (
  SELECT r.podcast_id, r.month, m.provider, m.market_share * m.f AS weight,
         coalesce(l.listens, 0) AS listens
  FROM (SELECT DISTINCT podcast_id, month FROM podcast_months) AS r
  JOIN intermediate.int_provider_months AS m ON m.month = r.month
  LEFT JOIN podcast_months AS l ON l.provider = m.provider AND l.month = r.month AND l.podcast_id = r.podcast_id
),
estimates AS (
  SELECT podcast_id, month,
         sum(listens)::BIGINT AS observed_listens,
         sum(weight ORDER BY provider) AS coverage,
         count(*) AS k,
         stddev_samp(listens / weight ORDER BY provider) AS sd
  FROM per_provider
  GROUP BY podcast_id, month
),
computed AS (
  SELECT e.*,
         CASE WHEN e.coverage > 0 THEN e.observed_listens / e.coverage END AS estimated_listens,
         CASE WHEN e.k >= 2 THEN 1.96 * e.sd / sqrt(e.k) END AS margin
  FROM estimates AS e
)
SELECT c.podcast_id,
       p.title AS podcast_title,
       strftime(c.month, '%Y-%m') AS month,
       c.observed_listens,
       c.coverage,
       c.estimated_listens,
       -- greatest() skips NULLs: no margin (k < 2) must give no bound.
       CASE WHEN c.margin IS NOT NULL THEN greatest(c.estimated_listens - c.margin, c.observed_listens::DOUBLE) END
         AS estimate_low,
       c.estimated_listens + c.margin AS estimate_high,
       c.k::INTEGER AS providers_reporting,
       m.month_complete
FROM computed AS c
JOIN months AS m USING (month)
LEFT JOIN staging.stg_podcasts AS p USING (podcast_id)
ORDER BY month, podcast_id
