-- Listens in each catalog episode's first 30 days: the 30 UTC days starting
-- on its publication date. Only day-level data can place a listen in the
-- window, so the providers that count are the episode-granularity providers
-- that declare a daily or instant delivery. Per provider f_p = covered days
-- in the window / 30; observed = their listens on covered days in the window;
-- coverage = sum of s_p * f_p; estimated = observed / coverage (NULL when 0).
-- DOUBLEs are added in provider order, so every build gives the same bits.
-- window_complete: each counting provider covers all 30 days.
WITH counting AS (
  SELECT provider, market_share FROM staging.stg_providers
  WHERE granularity = 'episode' AND (delivers_daily OR delivers_instant)
),
episodes AS (
  SELECT episode_id, podcast_id, title, published_at, published_at::DATE AS first_day
  FROM staging.stg_episodes
  WHERE published_at IS NOT NULL
),
window_days AS (
  SELECT e.episode_id, e.first_day + CAST(g.i AS INTEGER) AS day
  FROM episodes AS e, range(30) AS g(i)
),
covered AS (
  SELECT w.episode_id, c.provider, c.market_share, count(d.day) AS days
  FROM window_days AS w
  CROSS JOIN counting AS c
  LEFT JOIN intermediate.int_provider_days AS d ON d.provider = c.provider AND d.day = w.day
  GROUP BY w.episode_id, c.provider, c.market_share
),
coverage AS (
  SELECT episode_id, sum(market_share * days / 30.0 ORDER BY provider) AS coverage_30d,
         count(*) FILTER (WHERE days = 30) = count(*) AND count(*) > 0 AS window_complete
  FROM covered
  GROUP BY episode_id
),
observed AS (
  SELECT e.episode_id, sum(l.listens)::BIGINT AS observed_listens_30d
  FROM episodes AS e
  JOIN intermediate.int_day_listens AS l
    ON l.episode_id = e.episode_id AND l.day >= e.first_day AND l.day < e.first_day + 30
  WHERE l.provider IN (SELECT provider FROM counting)
  GROUP BY e.episode_id
)
SELECT e.episode_id,
       e.podcast_id,
       e.title AS episode_title,
       e.published_at,
       coalesce(o.observed_listens_30d, 0) AS observed_listens_30d,
       coalesce(c.coverage_30d, 0) AS coverage_30d,
       CASE WHEN c.coverage_30d > 0 THEN coalesce(o.observed_listens_30d, 0) / c.coverage_30d END
         AS estimated_listens_30d,
       coalesce(c.window_complete, false) AS window_complete
FROM episodes AS e
LEFT JOIN coverage AS c USING (episode_id)
LEFT JOIN observed AS o USING (episode_id)
ORDER BY e.published_at, e.episode_id
