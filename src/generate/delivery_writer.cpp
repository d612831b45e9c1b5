// Text shapes of provider files and atomic writes (see delivery_writer.h).
#include "generate/delivery_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "generate/civil_calendar.h"

namespace earshot::generate {
namespace {

std::string JsonKey(const config::Provider& provider, const std::string& ours) {
  std::string key;
  AppendJsonString(key, provider.TheirField(ours));
  key += ':';
  return key;
}

}  // namespace

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  out += '"';
}

RowsFileBuilder::RowsFileBuilder(const config::Provider& provider, std::string_view period_field, bool with_episode,
                                 JsonShape shape)
    : format_(provider.format), shape_(shape), with_episode_(with_episode) {
  const std::string period(period_field);
  if (format_ == config::FileFormat::kCsv) {
    AppendCsvField(out_, provider.TheirField(period));
    out_ += ',';
    AppendCsvField(out_, provider.TheirField("podcast_id"));
    if (with_episode_) {
      out_ += ',';
      AppendCsvField(out_, provider.TheirField("episode_id"));
    }
    out_ += ',';
    AppendCsvField(out_, provider.TheirField("listens"));
    out_ += '\n';
    return;
  }
  period_key_ = JsonKey(provider, period);
  podcast_key_ = JsonKey(provider, "podcast_id");
  episode_key_ = JsonKey(provider, "episode_id");
  listens_key_ = JsonKey(provider, "listens");
  if (format_ == config::FileFormat::kJson) out_ = shape_ == JsonShape::kArray ? "[" : "{\"rows\":[";
}

void RowsFileBuilder::AddRow(std::string_view period, std::string_view podcast_id, std::string_view episode_id,
                             std::string_view listens, bool listens_is_number) {
  if (format_ == config::FileFormat::kCsv) {
    AppendCsvField(out_, period);
    out_ += ',';
    AppendCsvField(out_, podcast_id);
    if (with_episode_) {
      out_ += ',';
      AppendCsvField(out_, episode_id);
    }
    out_ += ',';
    AppendCsvField(out_, listens);
    out_ += '\n';
    ++rows_;
    return;
  }
  if (format_ == config::FileFormat::kJson) out_ += rows_ == 0 ? "\n" : ",\n";
  out_ += '{';
  out_ += period_key_;
  AppendJsonString(out_, period);
  out_ += ',';
  out_ += podcast_key_;
  AppendJsonString(out_, podcast_id);
  if (with_episode_) {
    out_ += ',';
    out_ += episode_key_;
    AppendJsonString(out_, episode_id);
  }
  out_ += ',';
  out_ += listens_key_;
  if (listens_is_number) {
    out_ += listens;
  } else {
    AppendJsonString(out_, listens);
  }
  out_ += '}';
  if (format_ == config::FileFormat::kNdjson) out_ += '\n';
  ++rows_;
}

std::string RowsFileBuilder::Finish() {
  if (format_ == config::FileFormat::kJson) {
    if (rows_ > 0) out_ += '\n';
    out_ += shape_ == JsonShape::kArray ? "]\n" : "]}\n";
  }
  return std::move(out_);
}

EventsFileBuilder::EventsFileBuilder(const config::Provider& provider, bool with_episode)
    : with_episode_(with_episode),
      event_key_(JsonKey(provider, "event_id")),
      podcast_key_(JsonKey(provider, "podcast_id")),
      episode_key_(JsonKey(provider, "episode_id")),
      time_key_(JsonKey(provider, "listened_at")) {}

std::string_view EventsFileBuilder::AddEvent(std::string_view event_id, std::string_view podcast_id,
                                             std::string_view episode_id, int64_t listened_at) {
  const size_t start = out_.size();
  out_ += '{';
  out_ += event_key_;
  AppendJsonString(out_, event_id);
  out_ += ',';
  out_ += podcast_key_;
  AppendJsonString(out_, podcast_id);
  if (with_episode_) {
    out_ += ',';
    out_ += episode_key_;
    AppendJsonString(out_, episode_id);
  }
  out_ += ',';
  out_ += time_key_;
  out_ += '"';
  AppendTimestamp(out_, listened_at);
  out_ += "\"}";
  const size_t end = out_.size();
  out_ += '\n';
  ++lines_;
  return std::string_view(out_).substr(start, end - start);
}

void EventsFileBuilder::AddLine(std::string_view line) {
  out_ += line;
  out_ += '\n';
  ++lines_;
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return Status::IoError("generate: cannot create folder " + path.parent_path().string() + ": " + ec.message());
  const std::filesystem::path tmp = path.string() + ".tmp";
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (file == nullptr) {
    return Status::IoError("generate: cannot create " + tmp.string() + ": " + std::strerror(errno) +
                           " (check the output folder and free disk space)");
  }
  const size_t written = content.empty() ? 0 : std::fwrite(content.data(), 1, content.size(), file);
  const bool failed = written != content.size();
  const int saved_errno = errno;
  if (std::fclose(file) != 0 || failed) {
    std::filesystem::remove(tmp, ec);
    return Status::IoError("generate: cannot write " + tmp.string() + ": " +
                           std::strerror(failed ? saved_errno : errno) + " (check free disk space)");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return Status::IoError("generate: cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace earshot::generate
