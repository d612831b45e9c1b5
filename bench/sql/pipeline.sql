-- Peer (b) of bench/playlists_bench.sh: the playlists pipeline written by hand
-- in DuckDB SQL, both input files into one persistent database file.
-- Placeholders replaced by the script: {{EVENTS}}, {{PLAYLISTS}} (input files)
-- and {{POPULARITY_CSV}} (where the popularity numbers are written).
--
-- Same logic as earshot's ingest mappers and models (pipelines/playlists/models):
--   raw      events.csv typed and validated (rejects left out), playlists.ndjson
--            parsed (nested or top-level playlists, string/number/object items)
--   dedup    a repeated eventId keeps its first occurrence
--   staging  personalized-context filter, last line wins per user, works catalogue
--   marts    personalized_playlist_streams, personalized_playlists, playlist_popularity
--   report   playlist_popularity written to CSV
-- File order ("first occurrence", "last line wins") is the rowid of the raw
-- tables: they are created by one CREATE TABLE AS over the reader with
-- insertion order preserved (DuckDB's default, made explicit below).
--
-- Scope: the shapes the generator (`earshot generate playlists`) writes, plus
-- the contract's variants that cost nothing extra. Not covered: free column
-- order / header aliases in events.csv (columns are named positionally), BOM,
-- and the exact edge cases of earshot's own timestamp and number parsers.

SET preserve_insertion_order = true;
SET TimeZone = 'UTC';

CREATE SCHEMA raw;
CREATE SCHEMA staging;
CREATE SCHEMA marts;

-- The contract's blank space (earshot's TrimAscii).
CREATE TEMP MACRO ws() AS ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13);
-- A JSON scalar as an id: strings trimmed (empty is no id), numbers as text.
CREATE TEMP MACRO id_text(v) AS
  CASE json_type(v)
    WHEN 'VARCHAR' THEN nullif(trim(v ->> '$', ws()), '')
    WHEN 'BIGINT' THEN v ->> '$'
    WHEN 'UBIGINT' THEN v ->> '$'
    WHEN 'DOUBLE' THEN v ->> '$'
  END;
-- The first key that is present and not null decides (userId, user_id, user).
CREATE TEMP MACRO first_id(a, b, c) AS
  CASE WHEN a IS NOT NULL THEN id_text(a) WHEN b IS NOT NULL THEN id_text(b) ELSE id_text(c) END;
CREATE TEMP MACRO json_text(v) AS CASE WHEN json_type(v) = 'VARCHAR' THEN v ->> '$' END;

-- ---------------------------------------------------------------------------
-- raw.events: accepted rows of events.csv, typed. A row is rejected when a
-- required value (timestamp, userId, listeningContext, secondsStreamed) is
-- empty or unparsable, when secondsStreamed is negative, or when the field
-- count is wrong (the CSV reader's ignore_errors).
CREATE TABLE raw.events AS
WITH src AS (
  SELECT
    nullif(trim(eventId, ws()), '') AS event_id,
    trim("timestamp", ws()) AS ts_text,
    nullif(trim(userId, ws()), '') AS user_id,
    nullif(trim(trackId, ws()), '') AS track_id,
    nullif(trim(workId, ws()), '') AS work_id,
    listeningContext AS listening_context,  -- kept as sent; staging canonicalises it
    trim(secondsStreamed, ws()) AS seconds_text
  FROM read_csv('{{EVENTS}}',
    header = true, delim = ',', quote = '"', escape = '"',
    columns = {
      'eventId': 'VARCHAR', 'timestamp': 'VARCHAR', 'userId': 'VARCHAR', 'trackId': 'VARCHAR',
      'workId': 'VARCHAR', 'listeningContext': 'VARCHAR', 'secondsStreamed': 'VARCHAR'
    },
    ignore_errors = true)
),
typed AS (
  SELECT
    event_id,
    CASE
      -- ISO-8601 with Z or an offset (converted to UTC), or a bare date/time (UTC)
      WHEN length(ts_text) >= 10 AND substr(ts_text, 5, 1) = '-'
        THEN try_cast(ts_text AS TIMESTAMPTZ)::TIMESTAMP
      -- Unix epoch milliseconds (13 digits)
      WHEN regexp_full_match(ts_text, '[0-9]{13}')
        THEN make_timestamp(ts_text::BIGINT * 1000)
      -- Unix epoch seconds, fraction allowed
      WHEN regexp_full_match(ts_text, '[0-9]{1,10}(\.[0-9]{1,9})?')
        THEN make_timestamp(floor(ts_text::DECIMAL(20, 9) * 1000000)::BIGINT)
    END AS streamed_at,
    user_id,
    track_id,
    work_id,
    listening_context,
    try_cast(seconds_text AS DOUBLE) AS seconds_streamed
  FROM src
)
SELECT event_id, streamed_at, user_id, track_id, work_id, listening_context, seconds_streamed
FROM typed
WHERE user_id IS NOT NULL
  AND coalesce(trim(listening_context, ws()), '') <> ''
  AND streamed_at IS NOT NULL
  AND seconds_streamed >= 0
  AND isfinite(seconds_streamed);

-- Rows whose eventId appeared on an earlier accepted row (by file order).
CREATE TABLE raw.event_duplicates AS
WITH repeated AS (
  SELECT event_id, min(rowid) AS first_row
  FROM raw.events
  WHERE event_id IS NOT NULL
  GROUP BY event_id
  HAVING count(*) > 1
)
SELECT e.rowid AS row_id, e.event_id
FROM raw.events AS e
JOIN repeated AS r ON r.event_id = e.event_id
WHERE e.rowid > r.first_row;

-- ---------------------------------------------------------------------------
-- raw.playlist_lines: one row per non-blank line of playlists.ndjson, in file
-- order, parsed once: the user id, and each personalized playlist with its
-- items (position, work id, title, composer). reject_reason is NULL for an
-- accepted line. Playlists are nested under "playlists" when that is an
-- object, else the top-level keys; keys follow the personalized-playlist rule.
CREATE TABLE raw.playlist_lines AS
WITH docs AS (
  -- try(): a line that is not a JSON object gives NULL (read_ndjson_objects
  -- with ignore_errors already gives NULL for a line that is not JSON)
  SELECT try(from_json(json, '"MAP(VARCHAR, JSON)"')) AS m
  FROM read_ndjson_objects('{{PLAYLISTS}}', ignore_errors = true)
),
users AS (
  SELECT
    m,
    first_id(m['userId'], m['user_id'], m['user']) AS user_id,
    CASE WHEN json_type(m['playlists']) = 'OBJECT'
      THEN from_json(m['playlists'], '"MAP(VARCHAR, JSON)"') ELSE m END AS container
  FROM docs
),
playlists AS (
  SELECT
    m,
    user_id,
    list_transform(
      list_filter(map_entries(container), e -> regexp_full_match(lower(trim(e.key, ws())), 'playlist_[0-9]+')),
      e -> {
        'playlist': lower(trim(e.key, ws())),
        'is_array': json_type(e.value) = 'ARRAY',
        'items': CASE WHEN json_type(e.value) = 'ARRAY' THEN
          list_transform(from_json(e.value, '["JSON"]'), (item, i) -> {
            'position': i,
            'kind': json_type(item),
            'fields': CASE WHEN json_type(item) = 'OBJECT' THEN
              json_transform(item, '{"workId": "JSON", "work_id": "JSON", "id": "JSON", "title": "JSON", "composer": "JSON"}')
            END,
            'scalar_id': CASE WHEN json_type(item) <> 'OBJECT' THEN id_text(item) END
          })
        END
      }) AS playlists
  FROM users
)
SELECT
  user_id,
  CASE
    WHEN m IS NULL THEN 'invalid_json'
    WHEN user_id IS NULL THEN 'missing_user_id'
    WHEN NOT list_bool_and(list_transform(playlists, p -> p.is_array)) THEN 'invalid_playlist'
    WHEN list_bool_or(list_transform(playlists, p -> list_bool_or(list_transform(p.items,
           it -> CASE WHEN it.kind = 'OBJECT'
                   THEN first_id(it.fields.workId, it.fields.work_id, it.fields.id) IS NULL
                   ELSE it.scalar_id IS NULL END))))
      THEN 'invalid_item'
  END AS reject_reason,
  list_transform(playlists, p -> {
    'playlist': p.playlist,
    'items': list_transform(p.items, it -> {
      'position': it.position,
      'work_id': CASE WHEN it.kind = 'OBJECT'
                   THEN first_id(it.fields.workId, it.fields.work_id, it.fields.id) ELSE it.scalar_id END,
      'work_title': json_text(it.fields.title),
      'composer': json_text(it.fields.composer)
    })
  }) AS playlists
FROM playlists;

-- raw.recommendations: one row per item of an accepted line (line = rowid of
-- raw.playlist_lines, i.e. file order among the non-blank lines).
CREATE TABLE raw.recommendations AS
WITH lines AS (
  SELECT rowid AS line, user_id, unnest(playlists) AS p
  FROM raw.playlist_lines
  WHERE reject_reason IS NULL
),
items AS (
  SELECT line, user_id, p.playlist AS playlist, unnest(p.items) AS it
  FROM lines
)
SELECT
  line,
  user_id,
  playlist,
  it.position::INTEGER AS position,
  it.work_id AS work_id,
  it.work_title AS work_title,
  it.composer AS composer
FROM items;

-- ---------------------------------------------------------------------------
-- Staging (as pipelines/playlists/models/staging/*.sql)

-- Stream events from a personalized playlist context, duplicates left out.
CREATE TABLE staging.stg_playlist_streams AS
WITH canonical AS (
  SELECT
    rowid AS row_id,
    event_id, streamed_at, user_id, track_id, work_id,
    lower(trim(listening_context, ws())) AS playlist,
    seconds_streamed
  FROM raw.events
)
SELECT c.event_id, c.streamed_at, c.user_id, c.track_id, c.work_id, c.playlist, c.seconds_streamed, c.row_id
FROM canonical AS c
WHERE regexp_full_match(c.playlist, 'playlist_[0-9]+')
  AND NOT EXISTS (SELECT 1 FROM raw.event_duplicates AS d WHERE d.row_id = c.row_id);

-- The current recommendation of each user (the user's last accepted line),
-- one row per user x playlist x work; a work listed twice keeps its first position.
CREATE TABLE staging.stg_recommendations AS
WITH last_lines AS (
  SELECT user_id, max(rowid) AS line
  FROM raw.playlist_lines
  WHERE reject_reason IS NULL
  GROUP BY user_id
)
SELECT
  r.user_id,
  r.playlist,
  min(r.position) AS position,
  r.work_id,
  arg_min(r.work_title, r.position) AS work_title,
  arg_min(r.composer, r.position) AS composer
FROM raw.recommendations AS r
JOIN last_lines AS l ON l.line = r.line
GROUP BY r.user_id, r.playlist, r.work_id;

-- Title and composer of each work, from the newest mention that gives them.
CREATE TABLE staging.stg_works AS
SELECT
  work_id,
  arg_max(work_title, line) FILTER (WHERE work_title IS NOT NULL) AS work_title,
  arg_max(composer, line) FILTER (WHERE composer IS NOT NULL) AS composer
FROM raw.recommendations
GROUP BY work_id;

-- ---------------------------------------------------------------------------
-- Marts (as pipelines/playlists/models/marts/*.sql)

CREATE TABLE marts.personalized_playlist_streams AS
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
  ON w.work_id = s.work_id;

CREATE TABLE marts.personalized_playlists AS
WITH streamed AS (
  SELECT
    user_id, playlist, work_id,
    count(*) AS streams,
    sum(seconds_streamed) AS seconds_streamed,
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
ORDER BY user_id, playlist, position NULLS LAST, work_id;

CREATE TABLE marts.playlist_popularity AS
SELECT
  playlist,
  sum(seconds_streamed)::DOUBLE AS seconds_streamed,
  count(*)::BIGINT AS streams,
  count(DISTINCT user_id)::BIGINT AS listeners,
  (sum(seconds_streamed) / nullif(sum(sum(seconds_streamed)) OVER (), 0))::DOUBLE AS share_of_seconds
FROM staging.stg_playlist_streams
GROUP BY playlist
ORDER BY playlist;

-- ---------------------------------------------------------------------------
-- The report: playlist popularity, as `earshot report playlist-popularity --format csv`.
COPY (
  SELECT playlist, seconds_streamed, streams, listeners, share_of_seconds
  FROM marts.playlist_popularity
  ORDER BY playlist
) TO '{{POPULARITY_CSV}}' (HEADER, DELIMITER ',');

-- Counts for the benchmark's log (stdout).
SELECT
  (SELECT count(*) FROM raw.events) AS events_accepted,
  (SELECT count(*) FROM raw.event_duplicates) AS event_duplicates,
  (SELECT count(*) FROM raw.playlist_lines WHERE reject_reason IS NULL) AS playlist_lines_accepted,
  (SELECT count(*) FROM raw.playlist_lines WHERE reject_reason IS NOT NULL) AS playlist_lines_rejected,
  (SELECT count(*) FROM staging.stg_playlist_streams) AS stg_playlist_streams,
  (SELECT count(*) FROM staging.stg_recommendations) AS stg_recommendations,
  (SELECT count(*) FROM staging.stg_works) AS stg_works,
  (SELECT count(*) FROM marts.personalized_playlist_streams) AS personalized_playlist_streams,
  (SELECT count(*) FROM marts.personalized_playlists) AS personalized_playlists;
