#include "tools/bzpeer/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace bzpeer::cli {
namespace {

/// %* in a pattern: the message as the body of a JSON string.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            dest.append(std::string_view(buf));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

}  // namespace

void setup_default_logging() {
  auto logger = spdlog::stderr_color_mt("bzpeer");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern(isatty(STDERR_FILENO) ? "%^%l%$: %v" : "%Y-%m-%dT%H:%M:%S%z %l %v");
}

Result<void> setup_logging(const Config& config, bool verbose, bool quiet) {
  if (!config.log_file.empty()) {
    try {
      auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          config.log_file, static_cast<std::size_t>(config.log_max_size_mb) * 1024 * 1024,
          static_cast<std::size_t>(config.log_max_files));
      auto logger = std::make_shared<spdlog::logger>("bzpeer-file", sink);
      spdlog::set_default_logger(logger);
    } catch (const spdlog::spdlog_ex& e) {
      return fail(ErrorCode::io, "cannot open log file " + config.log_file + " (" +
                                     config.file.string() + ": log.file): " + e.what());
    }
  }
  if (config.log_format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","pid":%P,"msg":"%*"})");
    spdlog::set_formatter(std::move(formatter));
  } else if (!config.log_file.empty()) {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l [%P] %v");
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  if (verbose) spdlog::set_level(spdlog::level::debug);
  if (quiet) spdlog::set_level(spdlog::level::warn);
  spdlog::flush_on(spdlog::level::info);
  return {};
}

}  // namespace bzpeer::cli
