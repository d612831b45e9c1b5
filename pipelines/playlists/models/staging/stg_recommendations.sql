-- The current recommendation of each user: one row per user x playlist x
-- work. A user on several lines (or files): the last line of the newest
-- ingest wins. A work listed twice in one playlist keeps its first position
-- (the mapper marks later repeats: first_in_playlist = false).
WITH lines AS (
  SELECT r.user_id, r.ingest_id, r.line
  FROM raw.recommendations AS r
  WHERE r.playlist IS NULL
    AND r.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'playlists' AND status = 'loaded')
  QUALIFY row_number() OVER (PARTITION BY r.user_id ORDER BY r.ingest_id DESC, r.line DESC) = 1
)
SELECT r.user_id, r.playlist, r.position, r.work_id, r.work_title, r.composer
FROM raw.recommendations AS r
JOIN lines AS l ON l.ingest_id = r.ingest_id AND l.line = r.line
WHERE r.playlist IS NOT NULL AND r.first_in_playlist
