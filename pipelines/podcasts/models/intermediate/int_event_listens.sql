-- earshot: materialized = table
-- Instant events counted per provider, UTC day, podcast and episode, each
-- (provider, event_id) once (stg_listen_events).
SELECT provider, day, podcast_id, episode_id, count(*)::BIGINT AS listens
FROM staging.stg_listen_events
GROUP BY provider, day, podcast_id, episode_id
