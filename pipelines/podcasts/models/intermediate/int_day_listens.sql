-- Listens per provider, covered day, podcast and episode, from the delivery
-- that speaks for the day (int_provider_days). episode_id is NULL for
-- podcast-granularity providers. A daily file's rows pass through as they are
-- (a repeated key is summed by whoever aggregates).
SELECT c.provider, c.period AS day, c.podcast_id, c.episode_id, c.listens
FROM staging.stg_listen_counts AS c
JOIN intermediate.int_provider_days AS d ON d.provider = c.provider AND d.day = c.period AND d.delivery = 'daily'
WHERE c.delivery = 'daily'
UNION ALL
SELECT e.provider, e.day, e.podcast_id, e.episode_id, e.listens
FROM intermediate.int_event_listens AS e
JOIN intermediate.int_provider_days AS d ON d.provider = e.provider AND d.day = e.day AND d.delivery = 'instant'
