-- How popular creators are, from the episodes they are credited on. For a
-- creator and month: episodes = distinct credited episodes with observed
-- listens > 0 (over the episode-granularity providers); attributed_listens =
-- the sum of those episodes' estimated listens (every credited creator gets
-- an episode's full estimate); avg_listens_per_episode = attributed /
-- episodes (added in episode order: the same bits on every build); rank = RANK() by attributed_listens descending within the month.
WITH credited AS (
  SELECT DISTINCT episode_id, creator_id FROM staging.stg_episode_credits
),
per_creator AS (
  SELECT c.creator_id, e.month, count(*) AS episodes, sum(e.estimated_listens ORDER BY e.episode_id) AS attributed_listens
  FROM credited AS c
  JOIN intermediate.int_episode_months AS e ON e.episode_id = c.episode_id AND e.observed_listens > 0
  GROUP BY c.creator_id, e.month
)
SELECT p.creator_id,
       cr.name AS creator_name,
       strftime(p.month, '%Y-%m') AS month,
       p.episodes::INTEGER AS episodes,
       p.attributed_listens,
       p.attributed_listens / p.episodes AS avg_listens_per_episode,
       rank() OVER (PARTITION BY p.month ORDER BY p.attributed_listens DESC)::INTEGER AS rank
FROM per_creator AS p
LEFT JOIN staging.stg_creators AS cr USING (creator_id)
ORDER BY month, rank, creator_id
