// Project: the folder earshot works in, and its configuration file.
//
// `earshot init DIR` writes DIR/earshot.toml and the folder layout:
//   inbox/<source>/    files waiting to be picked up
//   archive/           the raw archive (content-addressed) and its journal
//   warehouse/         earshot.duckdb (working) and published.duckdb (snapshot)
// Load() reads earshot.toml (TOML, because people edit it by hand) and
// resolves every path against the project folder. Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"

namespace earshot::config {

struct Project {
  std::filesystem::path root;
  std::string name = "earshot";
  // Rows a loader thread takes from the mapper at a time; bounds ingest memory.
  uint64_t batch_rows = 2048;
  // DuckDB's memory limit for the working warehouse (it spills beyond it).
  std::string memory_limit = "512MB";
  int threads = 0;  // 0: one per core

  std::filesystem::path config_file() const { return root / "earshot.toml"; }
  std::filesystem::path archive_dir() const { return root / "archive"; }
  std::filesystem::path inbox_dir() const { return root / "inbox"; }
  std::filesystem::path warehouse_dir() const { return root / "warehouse"; }
  std::filesystem::path warehouse_file() const { return warehouse_dir() / "earshot.duckdb"; }
  std::filesystem::path published_file() const { return warehouse_dir() / "published.duckdb"; }
};

// Reads DIR/earshot.toml. Fails with kNotFound (saying to run `earshot init`)
// when there is none, or kInvalidArgument naming file, line and key when a
// value is wrong.
Result<Project> LoadProject(const std::filesystem::path& dir);

// Creates the project folder layout and a commented earshot.toml. Refuses
// (kAlreadyExists) when DIR/earshot.toml exists.
Result<Project> InitProject(const std::filesystem::path& dir);

}  // namespace earshot::config
