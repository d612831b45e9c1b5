-- Daily and monthly counts that are in force: the rows of the newest
-- delivery for their provider, delivery and period (stg_deliveries).
SELECT l.provider, l.delivery, l.period, l.podcast_id, l.episode_id, l.listens, l.ingest_id
FROM raw.listens AS l
JOIN staging.stg_deliveries AS d USING (ingest_id, provider, delivery, period)
