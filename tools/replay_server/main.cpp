// bzpeer-replay — serve recorded OAI-PMH responses on a loopback port until SIGINT/SIGTERM.
#include <pthread.h>

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "tools/replay_server/replay_server.hpp"

namespace {

bool write_port_file(const std::filesystem::path& path, int port) {
  // Write then rename, so a script polling for the file never reads a partial number.
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

/// Parses "KIND[,status=N][,retry-after=S][,delay-ms=N][,times=N][,token-only]".
std::optional<bzpeer::replay::Fault> parse_fault(const std::string& spec) {
  using bzpeer::replay::FaultKind;
  static const std::map<std::string, FaultKind> kKinds = {
      {"status", FaultKind::status},
      {"drop", FaultKind::drop_connection},
      {"truncate", FaultKind::truncate},
      {"invalid-xml", FaultKind::invalid_xml},
      {"expire-token", FaultKind::expire_token},
      {"repeat-token", FaultKind::repeat_token},
      {"delay", FaultKind::delay},
  };
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= spec.size()) {
    const auto comma = spec.find(',', start);
    parts.push_back(
        spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const auto kind = kKinds.find(parts.front());
  if (kind == kKinds.end()) return std::nullopt;
  bzpeer::replay::Fault fault;
  fault.kind = kind->second;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto eq = parts[i].find('=');
    const std::string key = parts[i].substr(0, eq);
    int value = 0;
    if (eq != std::string::npos) {
      const char* first = parts[i].data() + eq + 1;
      const char* last = parts[i].data() + parts[i].size();
      const auto [end, ec] = std::from_chars(first, last, value);
      if (ec != std::errc{} || end != last) return std::nullopt;
    }
    if (key == "token-only" && eq == std::string::npos) {
      fault.only_token_requests = true;
    } else if (eq == std::string::npos) {
      return std::nullopt;
    } else if (key == "status") {
      fault.status = value;
    } else if (key == "retry-after") {
      fault.retry_after_s = value;
    } else if (key == "delay-ms") {
      fault.delay = std::chrono::milliseconds(value);
    } else if (key == "times") {
      fault.times = value;
    } else {
      return std::nullopt;
    }
  }
  return fault;
}

}  // namespace

int main(int argc, char** argv) {
  bzpeer::replay::ServerOptions options;
  std::string token_style = "modern";
  std::string port_file;
  bool quiet = false;

  CLI::App app{"bzpeer-replay: a loopback OAI-PMH server answering from recorded responses"};
  app.add_option("--dir", options.pages_dir, "directory of recorded OAI-PMH responses (*.xml)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port (0 = pick a free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--page-size", options.page_size, "records per ListRecords/ListIdentifiers page")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--token-style", token_style,
                 "modern (oaipmh.arxiv.org: expirationDate) or legacy (export.arxiv.org: "
                 "cursor/completeListSize)")
      ->capture_default_str()
      ->check(CLI::IsMember({"modern", "legacy"}));
  app.add_option("--earliest-datestamp", options.earliest_datestamp,
                 "Identify earliestDatestamp (default: earliest record)");
  app.add_option("--port-file", port_file, "write the bound port to this file once listening");
  app.add_flag("--quiet", quiet, "do not log each request");
  std::vector<std::string> fault_specs;
  app.add_option("--fault", fault_specs,
                 "queue a fault (repeatable, applied in order): "
                 "KIND[,status=N][,retry-after=S][,delay-ms=N][,times=N][,token-only] with KIND "
                 "one of status, drop, truncate, invalid-xml, expire-token, repeat-token, delay");
  CLI11_PARSE(app, argc, argv);

  options.token_style = token_style == "legacy" ? bzpeer::replay::TokenStyle::legacy
                                                : bzpeer::replay::TokenStyle::modern;
  options.log_requests = !quiet;

  // Block the stop signals before any thread starts, so that only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::vector<bzpeer::replay::Fault> faults;
  for (const auto& spec : fault_specs) {
    auto fault = parse_fault(spec);
    if (!fault) {
      std::cerr << "bzpeer-replay: bad --fault '" << spec << "'\n";
      return 2;
    }
    faults.push_back(*fault);
  }

  bzpeer::replay::ReplayServer server(options);
  for (const auto& fault : faults) server.inject(fault);
  const int port = server.start();
  if (port < 0) return 1;

  std::cout << "loaded " << server.record_count("arXivRaw") << " arXivRaw, "
            << server.record_count("arXiv") << " arXiv, " << server.record_count("oai_dc")
            << " oai_dc records from " << options.pages_dir.string() << '\n';
  std::cout << "listening on " << server.base_url() << std::endl;
  if (!port_file.empty() && !write_port_file(port_file, port)) {
    std::cerr << "bzpeer-replay: cannot write " << port_file << '\n';
    return 1;
  }

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("bzpeer-replay: signal {}, stopping", received);
  server.stop();
  if (!port_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(port_file, ec);
  }
  return 0;
}
