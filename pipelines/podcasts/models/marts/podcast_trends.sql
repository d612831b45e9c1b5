-- Which podcasts are getting more popular: one row per row of
-- podcast_monthly_estimates. mom_growth = estimate / previous calendar
-- month's estimate - 1 (NULL when that row is missing, or its estimate is NULL
-- or 0). growth_3m = exp(slope) - 1, the slope of the least-squares line
-- through ln(estimate) against the month number over this month and the two
-- before (NULL unless all three estimates exist and are > 0). trend_rank =
-- RANK() by growth_3m descending within the month, among podcasts whose
-- estimate is at least the configured floor (podcasts.trend_floor) and whose
-- growth_3m is known; NULL for the others.
WITH e AS (
  SELECT podcast_id, podcast_title, month, estimated_listens,
         year(strptime(month, '%Y-%m')) * 12 + month(strptime(month, '%Y-%m')) AS n
  FROM marts.podcast_monthly_estimates
),
growth AS (
  SELECT cur.podcast_id, cur.podcast_title, cur.month, cur.estimated_listens,
         CASE WHEN p1.estimated_listens IS NOT NULL AND p1.estimated_listens <> 0
              THEN cur.estimated_listens / p1.estimated_listens - 1 END AS mom_growth,
         CASE WHEN cur.estimated_listens > 0 AND p1.estimated_listens > 0 AND p2.estimated_listens > 0
              THEN exp(((-1) * ln(p2.estimated_listens) + 0 * ln(p1.estimated_listens)
                        + 1 * ln(cur.estimated_listens)) / 2.0) - 1 END AS growth_3m
  FROM e AS cur
  LEFT JOIN e AS p1 ON p1.podcast_id = cur.podcast_id AND p1.n = cur.n - 1
  LEFT JOIN e AS p2 ON p2.podcast_id = cur.podcast_id AND p2.n = cur.n - 2
),
ranked AS (
  SELECT podcast_id, month,
         rank() OVER (PARTITION BY month ORDER BY growth_3m DESC) AS trend_rank
  FROM growth
  WHERE estimated_listens >= (SELECT trend_floor FROM raw.build_settings) AND growth_3m IS NOT NULL
)
SELECT g.podcast_id, g.podcast_title, g.month, g.estimated_listens, g.mom_growth, g.growth_3m,
       r.trend_rank::INTEGER AS trend_rank
FROM growth AS g
LEFT JOIN ranked AS r USING (podcast_id, month)
ORDER BY g.month, g.podcast_id
