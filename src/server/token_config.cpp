#include "server/token_config.h"

#include <fcntl.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace earshot::server {

namespace {

// Byte offset of a toml++ source position (1-based line, 1-based column in
// code points) in `text`, or npos.
size_t Offset(std::string_view text, const toml::source_position& pos) {
  size_t i = 0;
  for (uint32_t line = 1; line < pos.line; ++line) {
    i = text.find('\n', i);
    if (i == std::string_view::npos) return i;
    ++i;
  }
  for (uint32_t col = 1; col < pos.column; ++col) {
    if (i >= text.size()) return std::string_view::npos;
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The header "[a.b]" (spaces allowed around parts, parts may be quoted)
// as its parts, or empty when the line is no table header.
std::vector<std::string> HeaderParts(std::string_view line) {
  line = Trim(line);
  if (line.size() < 3 || line.front() != '[' || line[1] == '[') return {};
  const size_t close = line.find(']');
  if (close == std::string_view::npos) return {};
  std::string_view inside = line.substr(1, close - 1);
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= inside.size()) {
    size_t dot = inside.find('.', start);
    std::string_view part =
        Trim(inside.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (part.size() >= 2 && (part.front() == '"' || part.front() == '\'') && part.back() == part.front()) {
      part = part.substr(1, part.size() - 2);
    }
    parts.emplace_back(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string Quoted(std::string_view hash) { return "\"" + std::string(hash) + "\""; }

}  // namespace

Result<std::string> AddTokenHash(std::string_view toml_text, std::string_view table, std::string_view hash) {
  const size_t dot = table.find('.');
  if (dot == std::string_view::npos) return Status::Internal("token table must be parent.child");
  const std::string parent(table.substr(0, dot)), child(table.substr(dot + 1));
  toml::table doc;
  try {
    doc = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return Status::Invalid("earshot.toml:" + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
  }
  const std::string by_hand = "add `token_hashes = [" + Quoted(hash) + "]` under [" + std::string(table) + "] by hand";
  std::string out(toml_text);
  const toml::node* existing = doc.at_path(std::string(table) + ".token_hashes").node();
  if (existing != nullptr) {
    const toml::array* list = existing->as_array();
    if (list == nullptr) return Status::Invalid(std::string(table) + ".token_hashes is not a list: " + by_hand);
    const size_t end = Offset(toml_text, existing->source().end);
    if (end == std::string_view::npos || end == 0 || toml_text[end - 1] != ']') {
      return Status::Invalid("cannot find the end of " + std::string(table) + ".token_hashes: " + by_hand);
    }
    out.insert(end - 1, list->empty() ? Quoted(hash) : ", " + Quoted(hash));
  } else {
    // After the table's own header line; a new table at the end of the file
    // when there is none.
    const toml::node* t = doc.at_path(table).node();
    if (t != nullptr && (t->as_table() == nullptr || t->as_table()->is_inline())) {
      return Status::Invalid("[" + std::string(table) + "] is not a plain table: " + by_hand);
    }
    size_t pos = 0;
    size_t insert_at = std::string::npos;
    while (pos < out.size()) {
      size_t eol = out.find('\n', pos);
      const size_t next = eol == std::string::npos ? out.size() : eol + 1;
      auto parts = HeaderParts(std::string_view(out).substr(pos, next - pos));
      if (parts.size() == 2 && parts[0] == parent && parts[1] == child) {
        insert_at = next;
        break;
      }
      pos = next;
    }
    if (insert_at != std::string::npos) {
      std::string line = "token_hashes = [" + Quoted(hash) + "]\n";
      if (insert_at == out.size() && !out.empty() && out.back() != '\n') line = "\n" + line;
      out.insert(insert_at, line);
    } else if (t != nullptr) {
      return Status::Invalid("[" + std::string(table) + "] is declared without its own header line: " + by_hand);
    } else {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += "\n[" + std::string(table) + "]\ntoken_hashes = [" + Quoted(hash) + "]\n";
    }
  }
  // The edit must leave a file that says what we meant.
  try {
    toml::table check = toml::parse(out);
    const toml::array* list = check.at_path(std::string(table) + ".token_hashes").as_array();
    bool found = false;
    if (list != nullptr) {
      for (const auto& h : *list) found = found || h.value<std::string>() == std::string(hash);
    }
    if (!found) return Status::Invalid("editing earshot.toml did not work out: " + by_hand);
  } catch (const toml::parse_error&) {
    return Status::Invalid("editing earshot.toml would break it: " + by_hand);
  }
  return out;
}

Status AddTokenHashToFile(const std::filesystem::path& config_file, std::string_view table, std::string_view hash) {
  std::ifstream in(config_file, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + config_file.string());
  std::stringstream text;
  text << in.rdbuf();
  auto edited = AddTokenHash(text.str(), table, hash);
  if (!edited.ok()) return edited.status().WithContext(config_file.string());
  const std::filesystem::path tmp = config_file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot write " + tmp.string() + ": " + std::strerror(errno));
  const std::string& body = *edited;
  size_t done = 0;
  while (done < body.size()) {
    ssize_t n = ::write(fd, body.data() + done, body.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IoError("cannot write " + tmp.string() + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IoError("cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), config_file.c_str()) != 0) {
    return Status::IoError("cannot replace " + config_file.string() + ": " + std::strerror(errno));
  }
  int dir = ::open(config_file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return Status::Ok();
}

}  // namespace earshot::server
