#include "connectors/arxiv_snapshot/snapshot_connector.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace bzpeer::snapshot {
namespace {

constexpr std::size_t kReadBytes = 1u << 20;
constexpr std::size_t kBadPayloadBytes = 64u << 10;

struct State {
  long long offset = 0;
  long long lines = 0;
  std::string newest;
};

State parse_state(const std::string& s) {
  State st;
  if (s.empty()) return st;
  auto a = s.find(':');
  st.offset = std::atoll(s.substr(0, a).c_str());
  if (a == std::string::npos) return st;
  auto b = s.find(':', a + 1);
  st.lines = std::atoll(s.substr(a + 1, b == std::string::npos ? b : b - a - 1).c_str());
  if (b != std::string::npos) st.newest = s.substr(b + 1);
  return st;
}

std::string format_state(const State& st) {
  return std::to_string(st.offset) + ":" + std::to_string(st.lines) + ":" + st.newest;
}

}  // namespace

/// Buffered line reader over a FILE*, positioned by byte offset.
struct SnapshotConnector::Reader {
  std::FILE* file = nullptr;
  std::vector<char> buffer = std::vector<char>(kReadBytes);
  std::size_t begin = 0, end = 0;  ///< unread bytes in buffer
  long long position = 0;          ///< file offset of buffer[begin]
  bool eof = false;
  simdjson::dom::parser parser;
  std::string padded;  ///< the current line plus simdjson padding

  ~Reader() {
    if (file) std::fclose(file);
  }

  bool seek(long long offset) {
    if (offset == position) return true;
    if (fseeko(file, offset, SEEK_SET) != 0) return false;
    begin = end = 0;
    position = offset;
    eof = false;
    return true;
  }

  /// Reads the next line into `line` (without '\n' / "\r\n"). `too_long` is set when the
  /// line exceeded `max` bytes (its rest is consumed and dropped). False at end of file.
  bool next_line(std::string& line, std::size_t max, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    while (true) {
      if (begin == end) {
        if (eof) break;
        end = std::fread(buffer.data(), 1, buffer.size(), file);
        begin = 0;
        if (end == 0) {
          eof = true;
          break;
        }
      }
      any = true;
      const char* start = buffer.data() + begin;
      const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end - begin));
      std::size_t take = nl ? static_cast<std::size_t>(nl - start) : end - begin;
      if (!too_long) {
        if (line.size() + take > max) {
          too_long = true;
          line.append(start, std::min(take, max - std::min(max, line.size())));
        } else {
          line.append(start, take);
        }
      }
      const std::size_t consumed = take + (nl ? 1 : 0);
      begin += consumed;
      position += static_cast<long long>(consumed);
      if (nl) break;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return any;
  }
};

SnapshotConnector::SnapshotConnector(SnapshotConnectorOptions options)
    : options_(std::move(options)) {
  options_.lines_per_page = std::clamp(options_.lines_per_page, 1, 100000);
}

SnapshotConnector::~SnapshotConnector() = default;

Result<ConnectorPage> SnapshotConnector::next_page(const std::string& state) {
  const std::string shown = options_.path.string();
  if (!reader_) {
    auto reader = std::make_unique<Reader>();
    reader->file = std::fopen(shown.c_str(), "rb");
    if (!reader->file) {
      return fail(ErrorCode::io, "cannot open snapshot " + shown + ": " + std::strerror(errno));
    }
    reader_ = std::move(reader);
  }
  State st = parse_state(state);
  if (!reader_->seek(st.offset)) {
    return fail(ErrorCode::io, "cannot seek to byte " + std::to_string(st.offset) + " of " + shown +
                                   ": " + std::strerror(errno));
  }
  ++stats_.requests;

  ConnectorPage out;
  std::string line;
  bool too_long = false;
  while (static_cast<int>(out.records.size()) < options_.lines_per_page) {
    if (!reader_->next_line(line, options_.max_line_bytes, too_long)) break;
    ++st.lines;
    st.offset = reader_->position;
    if (!too_long &&
        std::all_of(line.begin(), line.end(), [](unsigned char c) { return std::isspace(c); })) {
      continue;
    }
    std::string_view id, updated;
    bool good = !too_long;
    if (good) {
      auto& padded = reader_->padded;
      padded.assign(line);
      padded.append(simdjson::SIMDJSON_PADDING, '\0');
      simdjson::dom::element doc;
      good =
          reader_->parser.parse(padded.data(), line.size(), false).get(doc) == simdjson::SUCCESS &&
          doc["id"].get_string().get(id) == simdjson::SUCCESS && !id.empty();
      if (good && doc["update_date"].get_string().get(updated) != simdjson::SUCCESS) updated = {};
    }
    SourceRecord r;
    r.source = options_.source_name;
    r.format = "arxiv-snapshot";
    if (!good) {
      r.source_id = "line:" + std::to_string(st.lines);
      r.payload = line.size() > kBadPayloadBytes ? line.substr(0, kBadPayloadBytes) : line;
      out.records.push_back(std::move(r));
      continue;
    }
    if (std::string(updated) > st.newest) st.newest = std::string(updated);
    if ((!options_.window.from.empty() && updated < options_.window.from) ||
        (!options_.window.until.empty() && updated > options_.window.until)) {
      continue;
    }
    r.source_id = std::string(id);
    r.datestamp = std::string(updated);
    r.payload = std::move(line);
    line = std::string();
    out.records.push_back(std::move(r));
  }
  if (std::ferror(reader_->file)) {
    return fail(ErrorCode::io, "reading " + shown + " at byte " + std::to_string(st.offset) + ": " +
                                   std::strerror(errno));
  }
  if (reader_->eof && reader_->begin == reader_->end) {
    out.last = true;
    out.complete_until = !st.newest.empty() ? st.newest : options_.window.until;
  } else {
    out.next_state = format_state(st);
  }
  return out;
}

}  // namespace bzpeer::snapshot
