-- The one table a business user queries. Grain: user x playlist x work,
-- covering every recommended work (streamed or not) and every work streamed
-- from that user's personalized playlist context that was not recommended.
--   Which works were recommended to user X?
--   SELECT playlist, position, work_title, composer FROM personalized_playlists
--   WHERE user_id = 'X' AND recommended ORDER BY playlist, position;
WITH streamed AS (
  SELECT
    user_id, playlist, work_id,
    count(*) AS streams,
    -- Exact decimal addition: the same bits on every build, whatever order
    -- DuckDB's threads add the rows in (a rebuild must match exactly).
    sum(seconds_streamed::DECIMAL(38, 9))::DOUBLE AS seconds_streamed,
    min(streamed_at) AS first_streamed_at,
    max(streamed_at) AS last_streamed_at
  FROM staging.stg_playlist_streams
  GROUP BY user_id, playlist, work_id
)
SELECT
  coalesce(r.user_id, s.user_id) AS user_id,
  coalesce(r.playlist, s.playlist) AS playlist,
  r.position::INTEGER AS position,
  coalesce(r.work_id, s.work_id) AS work_id,
  coalesce(r.work_title, w.work_title) AS work_title,
  coalesce(r.composer, w.composer) AS composer,
  r.user_id IS NOT NULL AS recommended,
  coalesce(s.streams, 0)::BIGINT AS streams,
  coalesce(s.seconds_streamed, 0)::DOUBLE AS seconds_streamed,
  s.first_streamed_at::TIMESTAMP AS first_streamed_at,
  s.last_streamed_at::TIMESTAMP AS last_streamed_at
FROM staging.stg_recommendations AS r
FULL OUTER JOIN streamed AS s
  ON s.user_id = r.user_id AND s.playlist = r.playlist AND s.work_id = r.work_id
LEFT JOIN staging.stg_works AS w
  ON w.work_id = coalesce(r.work_id, s.work_id)
ORDER BY user_id, playlist, position NULLS LAST, work_id
