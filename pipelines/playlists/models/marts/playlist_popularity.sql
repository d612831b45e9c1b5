-- The report's table: each personalized playlist name across all users.
-- Seconds are added as exact decimals: the same bits on every build, whatever
-- order DuckDB's threads add the rows in (a rebuild must match exactly).
SELECT
  playlist,
  sum(seconds_streamed::DECIMAL(38, 9))::DOUBLE AS seconds_streamed,
  count(*)::BIGINT AS streams,
  count(DISTINCT user_id)::BIGINT AS listeners,
  (sum(seconds_streamed::DECIMAL(38, 9))::DOUBLE
     / nullif(sum(sum(seconds_streamed::DECIMAL(38, 9))) OVER (), 0)::DOUBLE)::DOUBLE AS share_of_seconds
FROM staging.stg_playlist_streams
GROUP BY playlist
ORDER BY playlist
