-- Stream events from a personalized playlist context, one row per event.
-- Current ingests only (a replaced file's rows are gone), duplicates of an
-- earlier eventId left out. The canonical playlist name is the trimmed,
-- lower-cased context when it matches ^playlist_[0-9]+$ (contract).
WITH canonical AS (
  SELECT
    e.ingest_id,
    e.line,
    e.event_id,
    e.streamed_at,
    e.user_id,
    e.track_id,
    e.work_id,
    lower(trim(e.listening_context, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) AS playlist,
    e.seconds_streamed
  FROM raw.events AS e
  WHERE e.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'events' AND status = 'loaded')
)
SELECT c.event_id, c.streamed_at, c.user_id, c.track_id, c.work_id, c.playlist, c.seconds_streamed,
       c.ingest_id, c.line
FROM canonical AS c
WHERE regexp_full_match(c.playlist, 'playlist_[0-9]+')
  AND NOT EXISTS (
    SELECT 1 FROM raw.event_duplicates AS d WHERE d.ingest_id = c.ingest_id AND d.line = c.line)
