// bzpeer — a loopback OAI-PMH replay server with fault injection, for tests and the demo.
//
// It loads recorded OAI-PMH responses from a directory, takes every <record> out of
// them (keyed by metadata format, identifier, datestamp and setSpecs) and answers
// OAI-PMH requests from that pool as a real repository would: Identify,
// ListMetadataFormats, ListSets, ListRecords, ListIdentifiers and GetRecord, with
// from/until (inclusive, day granularity) and set filtering, paging with resumption
// tokens, and OAI error responses (badArgument, badResumptionToken,
// cannotDisseminateFormat, idDoesNotExist, noRecordsMatch, badVerb).
// Records keep their bytes exactly as captured.
//
// Faults can be queued; each applies to the next matching request.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bzpeer::replay {

enum class TokenStyle {
  modern,  ///< oaipmh.arxiv.org: expirationDate attribute, no cursor, empty token on last page
  legacy,  ///< export.arxiv.org: cursor + completeListSize, token like "726959|1001"
};

struct ServerOptions {
  std::filesystem::path pages_dir;  ///< *.xml OAI-PMH responses, searched recursively
  std::string host = "127.0.0.1";
  int port = 0;         ///< 0 = pick a free port
  int page_size = 100;  ///< records per ListRecords page
  TokenStyle token_style = TokenStyle::modern;
  std::string repository_name = "bzpeer replay of recorded arXiv OAI-PMH responses";
  std::string earliest_datestamp;  ///< default: the earliest record datestamp
  bool log_requests = false;       ///< log each request (spdlog, info level)
};

enum class FaultKind {
  status,           ///< answer with `status` (e.g. 503, 429), optional Retry-After header
  drop_connection,  ///< close the connection without a response
  truncate,         ///< send the correct page cut to half its length
  invalid_xml,      ///< send the page with a control character (\x01) inserted
  expire_token,     ///< answer a token request with badResumptionToken
  repeat_token,     ///< send the page with the same resumption token that was requested
  delay,            ///< sleep `delay` before answering normally
};

struct Fault {
  FaultKind kind = FaultKind::status;
  int status = 503;
  int retry_after_s = -1;  ///< -1 = no Retry-After header
  std::chrono::milliseconds delay{0};
  int times = 1;                     ///< how many consecutive matching requests it hits
  bool only_token_requests = false;  ///< apply only to requests that carry a resumptionToken
};

struct RequestLogEntry {
  std::chrono::steady_clock::time_point at;
  std::string target;  ///< path + query as received
  int status = 0;      ///< status sent (0 when the connection was dropped)
};

class ReplayServer {
 public:
  explicit ReplayServer(ServerOptions options);
  ~ReplayServer();  ///< stops the server
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  /// Loads the pages and starts listening in a background thread. Returns the port,
  /// or -1 with a message on stderr when loading or binding failed.
  int start();
  void stop();

  [[nodiscard]] int port() const;
  [[nodiscard]] std::string base_url() const;  ///< "http://127.0.0.1:PORT/oai"
  [[nodiscard]] std::size_t record_count(const std::string& metadata_prefix) const;

  void inject(Fault fault);  ///< queued; faults apply in order
  void clear_faults();
  [[nodiscard]] std::vector<RequestLogEntry> requests() const;
  void clear_requests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bzpeer::replay
