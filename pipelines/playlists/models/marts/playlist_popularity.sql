-- The report's table: each personalized playlist name across all users.
SELECT
  playlist,
  sum(seconds_streamed)::DOUBLE AS seconds_streamed,
  count(*)::BIGINT AS streams,
  count(DISTINCT user_id)::BIGINT AS listeners,
  (sum(seconds_streamed) / nullif(sum(sum(seconds_streamed)) OVER (), 0))::DOUBLE AS share_of_seconds
FROM staging.stg_playlist_streams
GROUP BY playlist
ORDER BY playlist
