-- What the recommendation files say about each work: its title and composer,
-- taken from the newest mention that gives them.
SELECT
  r.work_id,
  arg_max(r.work_title, r.ingest_id * 10000000000 + r.line) FILTER (WHERE r.work_title IS NOT NULL) AS work_title,
  arg_max(r.composer, r.ingest_id * 10000000000 + r.line) FILTER (WHERE r.composer IS NOT NULL) AS composer
FROM raw.recommendations AS r
WHERE r.playlist IS NOT NULL
  AND r.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'playlists' AND status = 'loaded')
GROUP BY r.work_id
