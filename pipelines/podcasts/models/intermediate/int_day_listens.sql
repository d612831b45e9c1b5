-- Listens per provider, covered day, podcast and episode, from the delivery
-- that speaks for the day (int_provider_days). episode_id is NULL for
-- podcast-granularity providers.
SELECT c.provider, c.period AS day, c.podcast_id, c.episode_id, sum(c.listens)::BIGINT AS listens
FROM staging.stg_listen_counts AS c
JOIN intermediate.int_provider_days AS d ON d.provider = c.provider AND d.day = c.period AND d.delivery = 'daily'
WHERE c.delivery = 'daily'
GROUP BY ALL
UNION ALL
SELECT e.provider, e.day, e.podcast_id, e.episode_id, count(*)::BIGINT AS listens
FROM staging.stg_listen_events AS e
JOIN intermediate.int_provider_days AS d ON d.provider = e.provider AND d.day = e.day AND d.delivery = 'instant'
GROUP BY ALL
