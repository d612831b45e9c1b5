-- Peer (a) of bench/playlists_bench.sh: DuckDB's own CSV reader loading
-- events.csv into a table of a persistent database, with explicit types (no
-- sniffing of types). {{EVENTS}} is replaced by the script.
--
-- `timestamp` stays VARCHAR: the file mixes ISO-8601 (with `Z`) and Unix epoch
-- seconds / milliseconds, which no single read_csv type parses (TIMESTAMP
-- would reject the ~4% epoch rows). secondsStreamed is typed DOUBLE, so the
-- generator's non-numeric values, like its rows with a wrong field count, are
-- skipped through ignore_errors (a handful per 100,000 rows); nothing else is
-- validated, deduplicated or filtered. This is the floor for "CSV into a
-- table", not the same job as earshot's ingest (see pipeline.sql for that).
CREATE TABLE events AS
SELECT *
FROM read_csv('{{EVENTS}}',
  header = true, delim = ',', quote = '"', escape = '"',
  columns = {
    'eventId': 'VARCHAR',
    'timestamp': 'VARCHAR',
    'userId': 'VARCHAR',
    'trackId': 'VARCHAR',
    'workId': 'VARCHAR',
    'listeningContext': 'VARCHAR',
    'secondsStreamed': 'DOUBLE'
  },
  ignore_errors = true);

SELECT count(*) AS events_rows FROM events;
