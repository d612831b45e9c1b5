#include "ingest/raw_schema.h"

namespace earshot::ingest {

using warehouse::ColumnType;

Status EnsureRawSchema(warehouse::Warehouse& wh) {
  return wh.Execute(R"sql(
    CREATE SCHEMA IF NOT EXISTS raw;
    CREATE SEQUENCE IF NOT EXISTS raw.ingest_ids START 1;
    CREATE SEQUENCE IF NOT EXISTS raw.build_ids START 1;
    CREATE TABLE IF NOT EXISTS raw.ingests (
      ingest_id BIGINT PRIMARY KEY,
      source VARCHAR NOT NULL,
      file_name VARCHAR NOT NULL,
      original_path VARCHAR,
      sha256 VARCHAR NOT NULL,
      bytes BIGINT,
      archive_object VARCHAR,
      status VARCHAR NOT NULL,          -- landing | loaded | replaced | failed
      rows_in BIGINT,
      accepted BIGINT,
      rejected BIGINT,
      duplicates BIGINT,
      replaces BIGINT,
      replaced_by BIGINT,
      started_at TIMESTAMP,
      finished_at TIMESTAMP,
      message VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.rejects (
      ingest_id BIGINT, source VARCHAR, line BIGINT, byte_offset BIGINT,
      column_name VARCHAR, error_code VARCHAR, message VARCHAR, raw_text VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.events (
      ingest_id INTEGER, line BIGINT, event_id VARCHAR, streamed_at TIMESTAMP,
      user_id VARCHAR, track_id VARCHAR, work_id VARCHAR, listening_context VARCHAR,
      seconds_streamed DOUBLE);
    CREATE TABLE IF NOT EXISTS raw.event_duplicates (ingest_id INTEGER, line BIGINT, event_id VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.recommendations (
      ingest_id INTEGER, line BIGINT, user_id VARCHAR, playlist VARCHAR, position INTEGER,
      work_id VARCHAR, work_title VARCHAR, composer VARCHAR,
      first_in_playlist BOOLEAN);   -- false when the work already appeared earlier in the same playlist
    ALTER TABLE raw.ingests ADD COLUMN IF NOT EXISTS provider VARCHAR;
    CREATE TABLE IF NOT EXISTS raw.podcasts (
      ingest_id INTEGER, line BIGINT, podcast_id VARCHAR, title VARCHAR, publisher VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.episodes (
      ingest_id INTEGER, line BIGINT, episode_id VARCHAR, podcast_id VARCHAR, title VARCHAR,
      published_at TIMESTAMP);
    CREATE TABLE IF NOT EXISTS raw.creators (ingest_id INTEGER, line BIGINT, creator_id VARCHAR, name VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.episode_credits (
      ingest_id INTEGER, line BIGINT, episode_id VARCHAR, creator_id VARCHAR, role VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.listens (
      ingest_id INTEGER, line BIGINT, provider VARCHAR,
      delivery VARCHAR,        -- daily | monthly | instant
      period DATE,             -- the day (daily, instant) or the month's first day (monthly)
      podcast_id VARCHAR, episode_id VARCHAR, listens BIGINT,
      event_id VARCHAR, listened_at TIMESTAMP);  -- instant events only
    CREATE TABLE IF NOT EXISTS raw.builds (
      build_id BIGINT PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
      status VARCHAR, models INTEGER, message VARCHAR, published_at TIMESTAMP);
  )sql");
}

std::vector<ColumnType> EventsColumns() {
  return {ColumnType::kInteger, ColumnType::kBigint,  ColumnType::kVarchar,
          ColumnType::kTimestamp, ColumnType::kVarchar, ColumnType::kVarchar,
          ColumnType::kVarchar, ColumnType::kVarchar, ColumnType::kDouble};
}

std::vector<ColumnType> RecommendationsColumns() {
  return {ColumnType::kInteger, ColumnType::kBigint,  ColumnType::kVarchar, ColumnType::kVarchar,
          ColumnType::kInteger, ColumnType::kVarchar, ColumnType::kVarchar, ColumnType::kVarchar,
          ColumnType::kBoolean};
}

std::string_view RawTable(Source source) {
  switch (source) {
    case Source::kEvents: return "events";
    case Source::kPlaylists: return "recommendations";
    case Source::kPodcasts: return "podcasts";
    case Source::kEpisodes: return "episodes";
    case Source::kCreators: return "creators";
    case Source::kEpisodeCredits: return "episode_credits";
    case Source::kListens: return "listens";
  }
  return "events";
}

std::vector<ColumnType> RawColumns(Source source) {
  using T = ColumnType;
  switch (source) {
    case Source::kEvents: return EventsColumns();
    case Source::kPlaylists: return RecommendationsColumns();
    case Source::kPodcasts: return {T::kInteger, T::kBigint, T::kVarchar, T::kVarchar, T::kVarchar};
    case Source::kEpisodes: return {T::kInteger, T::kBigint, T::kVarchar, T::kVarchar, T::kVarchar, T::kTimestamp};
    case Source::kCreators: return {T::kInteger, T::kBigint, T::kVarchar, T::kVarchar};
    case Source::kEpisodeCredits: return {T::kInteger, T::kBigint, T::kVarchar, T::kVarchar, T::kVarchar};
    case Source::kListens:
      return {T::kInteger, T::kBigint,  T::kVarchar, T::kVarchar, T::kDate,
              T::kVarchar, T::kVarchar, T::kBigint,  T::kVarchar, T::kTimestamp};
  }
  return {};
}

std::vector<ColumnType> RejectsColumns() {
  return {ColumnType::kBigint,  ColumnType::kVarchar, ColumnType::kBigint,  ColumnType::kBigint,
          ColumnType::kVarchar, ColumnType::kVarchar, ColumnType::kVarchar, ColumnType::kVarchar};
}

}  // namespace earshot::ingest
