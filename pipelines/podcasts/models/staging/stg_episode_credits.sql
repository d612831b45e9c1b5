-- Who is credited on which episode (host, guest, ...), each credit once.
SELECT DISTINCT episode_id, creator_id, role
FROM raw.episode_credits
WHERE ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'episode_credits' AND status = 'loaded')
