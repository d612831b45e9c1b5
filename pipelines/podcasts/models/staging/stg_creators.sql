-- The creators: one row per creator_id, the newest record winning.
SELECT creator_id, name
FROM raw.creators
WHERE ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'creators' AND status = 'loaded')
QUALIFY row_number() OVER (PARTITION BY creator_id ORDER BY ingest_id DESC, line DESC) = 1
