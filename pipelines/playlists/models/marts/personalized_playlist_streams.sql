-- One row per personalized-playlist stream event, with what was recommended.
SELECT
  s.event_id,
  s.streamed_at,
  s.user_id,
  s.playlist,
  s.track_id,
  s.work_id,
  coalesce(r.work_title, w.work_title) AS work_title,
  coalesce(r.composer, w.composer) AS composer,
  s.seconds_streamed,
  r.user_id IS NOT NULL AS recommended
FROM staging.stg_playlist_streams AS s
LEFT JOIN staging.stg_recommendations AS r
  ON r.user_id = s.user_id AND r.playlist = s.playlist AND r.work_id = s.work_id
LEFT JOIN staging.stg_works AS w
  ON w.work_id = s.work_id
