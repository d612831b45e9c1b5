// Storing token hashes in earshot.toml. People edit that file by hand, so it
// is edited as text: the new hash goes into the `token_hashes` list of the
// right table (created when missing) and every comment, blank line and key
// order stays as it was. Not safe against a concurrent writer of the file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace earshot::server {

// Where a hash goes: "providers.NAME" or "readers.public" / "readers.pro".
// Returns `toml_text` with `hash` added to that table's token_hashes list;
// kInvalidArgument when the table is written in a form this edit does not
// handle (an inline table, dotted keys), saying what to add by hand.
Result<std::string> AddTokenHash(std::string_view toml_text, std::string_view table, std::string_view hash);

// The same on the file: written to a temporary file, fsync'd and renamed
// over `config_file`.
Status AddTokenHashToFile(const std::filesystem::path& config_file, std::string_view table, std::string_view hash);

}  // namespace earshot::server
