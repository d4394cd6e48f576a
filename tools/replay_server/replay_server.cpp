#include "tools/replay_server/replay_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <csignal>
#include <deque>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "tools/httplib_encoding.hpp"
#include "tools/replay_server/oai_responses.hpp"
#include "tools/replay_server/record_pool.hpp"

namespace bzpeer::replay {
namespace {

constexpr const char* kXmlContentType = "text/xml; charset=utf-8";

bool valid_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool parse_size(std::string_view s, std::size_t& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

const std::string* find_arg(const Args& args, std::string_view key) {
  for (const auto& [k, v] : args) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string arg_or_empty(const Args& args, std::string_view key) {
  const auto* v = find_arg(args, key);
  return v ? *v : std::string{};
}

/// Port of a socket address, or -1.
int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  }
  return -1;
}

/// The server-side socket of the connection that carried `req`. httplib does not hand the
/// socket to handlers, so find it among the process's open descriptors by its
/// (local port, peer port) pair. Returns -1 when not found.
int connection_fd(const httplib::Request& req, int server_port) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = -1;
    const auto name = entry.path().filename().string();
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc{}) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_len = sizeof local;
    socklen_t peer_len = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) continue;
    if (port_of(local) != server_port) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    if (port_of(peer) == req.remote_port) return fd;
  }
  return -1;
}

/// Ends the connection without sending anything: the final close becomes abortive
/// (SO_LINGER 0) and the socket is shut down both ways, so httplib's later attempt to write
/// the response fails; httplib then closes the descriptor itself.
void abort_connection(int fd) {
  linger abortive{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  shutdown(fd, SHUT_RDWR);
}

struct ListRequest {
  bool identifiers = false;  // ListIdentifiers rather than ListRecords
  ListQuery query;
  std::size_t offset = 0;
};

}  // namespace

struct ReplayServer::Impl {
  explicit Impl(ServerOptions o) : options(std::move(o)) {}

  ServerOptions options;
  RecordPool pool;
  httplib::Server server;
  std::thread thread;
  std::atomic<int> port{-1};
  bool started = false;

  mutable std::mutex mutex;  // guards everything below
  std::deque<Fault> faults;
  std::vector<RequestLogEntry> log;
  std::map<std::string, long> legacy_ids;    // list key -> list id
  std::map<long, ListRequest> legacy_lists;  // list id -> list (offset 0)
  long next_list_id = 726959;

  [[nodiscard]] std::string base_url() const {
    std::string host = options.host;
    if (host.empty() || host == "0.0.0.0" || host == "::") host = "127.0.0.1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(port.load()) + "/oai";
  }

  std::optional<Fault> take_fault(bool has_token) {
    std::lock_guard lock(mutex);
    if (faults.empty()) return std::nullopt;
    Fault& front = faults.front();
    const bool needs_token = front.only_token_requests || front.kind == FaultKind::expire_token ||
                             front.kind == FaultKind::repeat_token;
    if (needs_token && !has_token) return std::nullopt;
    Fault taken = front;
    if (--front.times <= 0) faults.pop_front();
    return taken;
  }

  void record(const httplib::Request& req, int status) {
    {
      std::lock_guard lock(mutex);
      log.push_back({std::chrono::steady_clock::now(), req.target, status});
    }
    if (options.log_requests) spdlog::info("{} {} -> {}", req.method, req.target, status);
  }

  // ---- tokens --------------------------------------------------------------------------

  std::string make_token(const ListRequest& list, std::size_t next_offset) {
    if (options.token_style == TokenStyle::legacy) {
      std::string key = (list.identifiers ? "I\n" : "R\n") + list.query.prefix + "\n" +
                        list.query.from + "\n" + list.query.until + "\n" + list.query.set;
      std::lock_guard lock(mutex);
      auto [it, inserted] = legacy_ids.try_emplace(key, next_list_id);
      if (inserted) {
        ListRequest first = list;
        first.offset = 0;
        legacy_lists.emplace(next_list_id++, first);
      }
      return std::to_string(it->second) + "|" + std::to_string(next_offset + 1);
    }
    std::string inner =
        std::string("verb=") + (list.identifiers ? "ListIdentifiers" : "ListRecords");
    inner += "&metadataPrefix=" + percent_encode(list.query.prefix);
    if (!list.query.from.empty()) inner += "&from=" + percent_encode(list.query.from);
    if (!list.query.until.empty()) inner += "&until=" + percent_encode(list.query.until);
    if (!list.query.set.empty()) inner += "&set=" + percent_encode(list.query.set);
    inner += "&skip=" + std::to_string(next_offset);
    return percent_encode(inner);
  }

  std::optional<ListRequest> decode_token(std::string_view token, bool identifiers) {
    if (options.token_style == TokenStyle::legacy) {
      const auto bar = token.find('|');
      std::size_t id = 0;
      std::size_t position = 0;
      if (bar == std::string_view::npos || !parse_size(token.substr(0, bar), id) ||
          !parse_size(token.substr(bar + 1), position) || position == 0) {
        return std::nullopt;
      }
      std::lock_guard lock(mutex);
      auto it = legacy_lists.find(static_cast<long>(id));
      if (it == legacy_lists.end() || it->second.identifiers != identifiers) return std::nullopt;
      ListRequest list = it->second;
      list.offset = position - 1;
      return list;
    }
    std::string inner;
    Args fields;
    if (!percent_decode(token, inner, false) || !parse_query(inner, fields)) return std::nullopt;
    ListRequest list;
    list.identifiers = identifiers;
    bool have_skip = false;
    std::set<std::string> seen;
    for (const auto& [key, value] : fields) {
      if (!seen.insert(key).second) return std::nullopt;
      if (key == "verb") {
        if (value != (identifiers ? "ListIdentifiers" : "ListRecords")) return std::nullopt;
      } else if (key == "metadataPrefix") {
        list.query.prefix = value;
      } else if (key == "from") {
        list.query.from = value;
      } else if (key == "until") {
        list.query.until = value;
      } else if (key == "set") {
        list.query.set = value;
      } else if (key == "skip") {
        have_skip = parse_size(value, list.offset);
        if (!have_skip) return std::nullopt;
      } else {
        return std::nullopt;
      }
    }
    if (!seen.contains("verb") || list.query.prefix.empty() || !have_skip) return std::nullopt;
    return list;
  }

  // ---- OAI-PMH -------------------------------------------------------------------------

  /// The OAI-PMH answer to `args`. `fault` may be expire_token or repeat_token.
  std::string oai(const Args& args, std::optional<FaultKind> fault) {
    const auto now = std::chrono::system_clock::now();
    const std::string date = utc_datetime(now);
    const std::string base = base_url();
    auto bare_error = [&](std::string_view code, std::string_view message) {
      return oai_envelope(date, base, {}, oai_error(code, message));
    };
    auto error = [&](std::string_view code, std::string_view message) {
      return oai_envelope(date, base, args, oai_error(code, message));
    };

    std::vector<std::string> verbs;
    for (const auto& [key, value] : args) {
      if (key == "verb") verbs.push_back(value);
    }
    if (verbs.empty()) return bare_error("badVerb", "Verb argument missing.");
    if (verbs.size() > 1) return bare_error("badVerb", "Verb argument repeated.");
    const std::string& verb = verbs.front();

    static const std::map<std::string, std::set<std::string>, std::less<>> kAllowed = {
        {"Identify", {}},
        {"ListMetadataFormats", {"identifier"}},
        {"ListSets", {"resumptionToken"}},
        {"GetRecord", {"identifier", "metadataPrefix"}},
        {"ListRecords", {"metadataPrefix", "from", "until", "set", "resumptionToken"}},
        {"ListIdentifiers", {"metadataPrefix", "from", "until", "set", "resumptionToken"}},
    };
    const auto allowed = kAllowed.find(verb);
    if (allowed == kAllowed.end()) return bare_error("badVerb", "Illegal verb '" + verb + "'.");
    std::set<std::string> seen;
    for (const auto& [key, value] : args) {
      if (key == "verb") continue;
      if (!allowed->second.contains(key)) {
        return bare_error("badArgument", "Verb '" + verb + "', illegal argument '" + key + "'.");
      }
      if (!seen.insert(key).second) {
        return bare_error("badArgument", "Argument '" + key + "' repeated.");
      }
    }

    if (verb == "Identify") return identify(date, base, args);
    if (verb == "ListMetadataFormats") {
      const auto* id = find_arg(args, "identifier");
      const auto formats = id ? pool.formats_of(*id) : pool.formats();
      if (id && formats.empty()) {
        return error("idDoesNotExist", "'" + *id + "' is unknown or illegal in this repository.");
      }
      if (formats.empty()) return error("noMetadataFormats", "No metadata formats available.");
      std::string body = "<ListMetadataFormats>\n";
      for (const auto& f : formats) {
        body += "<metadataFormat><metadataPrefix>" + xml_escape(f.prefix) +
                "</metadataPrefix><schema>" + xml_escape(f.schema) +
                "</schema><metadataNamespace>" + xml_escape(f.ns) +
                "</metadataNamespace></metadataFormat>\n";
      }
      body += "</ListMetadataFormats>\n";
      return oai_envelope(date, base, args, body);
    }
    if (verb == "ListSets") {
      if (const auto* token = find_arg(args, "resumptionToken")) {
        return error("badResumptionToken", "Unknown resumption token '" + *token + "'.");
      }
      if (pool.sets().empty()) return error("noSetHierarchy", "This repository has no sets.");
      std::string body = "<ListSets>\n";
      for (const auto& spec : pool.sets()) {
        body += "<set><setSpec>" + xml_escape(spec) + "</setSpec><setName>" + xml_escape(spec) +
                "</setName></set>\n";
      }
      body += "</ListSets>\n";
      return oai_envelope(date, base, args, body);
    }
    if (verb == "GetRecord") {
      const auto* id = find_arg(args, "identifier");
      const auto* prefix = find_arg(args, "metadataPrefix");
      if (!id || !prefix) {
        return bare_error("badArgument", "GetRecord needs identifier and metadataPrefix.");
      }
      if (!pool.has_identifier(*id)) {
        return error("idDoesNotExist", "'" + *id + "' is unknown or illegal in this repository.");
      }
      const PoolRecord* rec = pool.find(*prefix, *id);
      if (!rec) {
        return error("cannotDisseminateFormat",
                     "'" + *prefix + "' is not available for '" + *id + "'.");
      }
      return oai_envelope(date, base, args, "<GetRecord>\n" + rec->record_xml + "\n</GetRecord>\n");
    }

    // ListRecords / ListIdentifiers
    ListRequest list;
    list.identifiers = verb == "ListIdentifiers";
    const auto* token = find_arg(args, "resumptionToken");
    if (token) {
      if (args.size() != 2) {
        return bare_error("badArgument",
                          "resumptionToken is an exclusive argument; only verb may accompany it.");
      }
      if (fault == FaultKind::expire_token) {
        return error("badResumptionToken",
                     "The resumption token '" + *token + "' is invalid or expired.");
      }
      auto decoded = decode_token(*token, list.identifiers);
      if (!decoded) {
        return error("badResumptionToken",
                     "The resumption token '" + *token + "' is invalid or expired.");
      }
      list = *decoded;
    } else {
      const auto* prefix = find_arg(args, "metadataPrefix");
      if (!prefix) return bare_error("badArgument", "Missing required argument 'metadataPrefix'.");
      list.query.prefix = *prefix;
      list.query.from = arg_or_empty(args, "from");
      list.query.until = arg_or_empty(args, "until");
      list.query.set = arg_or_empty(args, "set");
      for (const auto* key : {"from", "until"}) {
        const auto* value = find_arg(args, key);
        if (value && !valid_day(*value)) {
          return bare_error("badArgument", std::string("Illegal '") + key + "' value '" + *value +
                                               "'; this repository's granularity is YYYY-MM-DD.");
        }
      }
      if (!list.query.from.empty() && !list.query.until.empty() &&
          list.query.from > list.query.until) {
        return bare_error("badArgument", "'from' is later than 'until'.");
      }
      if (!pool.has_prefix(list.query.prefix)) {
        return error("cannotDisseminateFormat",
                     "'" + list.query.prefix + "' is not supported by this repository.");
      }
      if (!list.query.set.empty() && pool.sets().empty()) {
        return error("noSetHierarchy", "This repository has no sets.");
      }
    }

    const auto records = pool.list(list.query);
    if (list.offset > 0 && list.offset >= records.size()) {
      return error(
          "badResumptionToken",
          "The resumption token '" + (token ? *token : std::string{}) + "' is invalid or expired.");
    }
    if (records.empty()) {
      return error("noRecordsMatch",
                   "The combination of the given values results in an empty list.");
    }

    const std::size_t page = static_cast<std::size_t>(std::max(1, options.page_size));
    const std::size_t end = std::min(records.size(), list.offset + page);
    const char* element = list.identifiers ? "ListIdentifiers" : "ListRecords";
    std::string body = std::string("<") + element + ">\n";
    for (std::size_t i = list.offset; i < end; ++i) {
      body += list.identifiers ? records[i]->header_xml : records[i]->record_xml;
      body += '\n';
    }
    const bool more = end < records.size();
    std::string next;
    if (fault == FaultKind::repeat_token && token) {
      next = *token;
    } else if (more) {
      next = make_token(list, end);
    }
    if (options.token_style == TokenStyle::legacy) {
      if (!next.empty() || list.offset > 0) {
        body += "<resumptionToken cursor=\"" + std::to_string(list.offset) +
                "\" completeListSize=\"" + std::to_string(records.size()) + "\">" +
                xml_escape(next) + "</resumptionToken>\n";
      }
    } else if (!next.empty()) {
      body += "<resumptionToken expirationDate=\"" + next_utc_midnight(now) + "\">" +
              xml_escape(next) + "</resumptionToken>\n";
    } else if (list.offset > 0) {
      body += "<resumptionToken/>\n";
    }
    body += std::string("</") + element + ">\n";
    return oai_envelope(date, base, args, body);
  }

  std::string identify(const std::string& date, const std::string& base, const Args& args) {
    std::string earliest = options.earliest_datestamp;
    if (earliest.empty()) earliest = pool.earliest_datestamp();
    if (earliest.empty()) earliest = "1970-01-01";
    std::string body = "<Identify>\n<repositoryName>" + xml_escape(options.repository_name) +
                       "</repositoryName>\n<baseURL>" + xml_escape(base) +
                       "</baseURL>\n<protocolVersion>2.0</protocolVersion>\n"
                       "<adminEmail>bzpeer-replay@example.org</adminEmail>\n"
                       "<earliestDatestamp>" +
                       xml_escape(earliest) +
                       "</earliestDatestamp>\n<deletedRecord>persistent</deletedRecord>\n"
                       "<granularity>YYYY-MM-DD</granularity>\n</Identify>\n";
    return oai_envelope(date, base, args, body);
  }

  // ---- HTTP ----------------------------------------------------------------------------

  void handle(const httplib::Request& req, httplib::Response& res) {
    Args args;
    bool ok = true;
    if (const auto q = req.target.find('?'); q != std::string::npos) {
      ok = parse_query(std::string_view(req.target).substr(q + 1), args);
    }
    if (ok && req.method == "POST") ok = parse_query(req.body, args);
    const bool has_token = find_arg(args, "resumptionToken") != nullptr;

    const auto fault = take_fault(has_token);
    std::optional<FaultKind> page_fault;
    if (fault) {
      switch (fault->kind) {
        case FaultKind::status:
          res.status = fault->status;
          if (fault->retry_after_s >= 0) {
            res.set_header("Retry-After", std::to_string(fault->retry_after_s));
          }
          res.set_content(std::to_string(fault->status) + " (injected by bzpeer-replay)\n",
                          "text/plain; charset=utf-8");
          record(req, fault->status);
          return;
        case FaultKind::drop_connection:
          if (const int fd = connection_fd(req, port.load()); fd >= 0) {
            record(req, 0);  // before the client can see the drop and send again
            abort_connection(fd);
            res.status = 500;
            return;
          }
          spdlog::error("bzpeer-replay: could not find the socket to drop; answering normally");
          break;
        case FaultKind::delay: std::this_thread::sleep_for(fault->delay); break;
        case FaultKind::expire_token:
        case FaultKind::repeat_token: page_fault = fault->kind; break;
        case FaultKind::truncate:
        case FaultKind::invalid_xml: break;
      }
    }

    std::string body = ok ? oai(args, page_fault)
                          : oai_envelope(utc_datetime(std::chrono::system_clock::now()), base_url(),
                                         {}, oai_error("badArgument", "Malformed query string."));
    if (fault && fault->kind == FaultKind::truncate) body.resize(body.size() / 2);
    if (fault && fault->kind == FaultKind::invalid_xml) {
      auto pos = body.find('>', body.size() / 2);
      pos = pos == std::string::npos ? body.size() : pos + 1;
      body.insert(pos, 1, '\x01');
    }
    res.status = 200;
    res.set_content(std::move(body), kXmlContentType);
    record(req, 200);
  }
};

ReplayServer::ReplayServer(ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ReplayServer::~ReplayServer() {
  stop();
}

int ReplayServer::start() {
  Impl& s = *impl_;
  if (s.started) return s.port.load();
  std::vector<std::string> warnings;
  const bool loaded = s.pool.load(s.options.pages_dir, warnings);
  if (!loaded) {
    for (const auto& w : warnings) std::cerr << "bzpeer-replay: " << w << '\n';
    return -1;
  }
  for (const auto& w : warnings) spdlog::warn("bzpeer-replay: {}", w);
  if (s.pool.size() == 0) {
    spdlog::warn("bzpeer-replay: no records under {}", s.options.pages_dir.string());
  }

  // A dropped connection makes httplib write to a shut-down socket.
  std::signal(SIGPIPE, SIG_IGN);
  auto handler = [&s](const httplib::Request& req, httplib::Response& res) { s.handle(req, res); };
  s.server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    bzpeer::http::drop_brotli(req);  // see tools/httplib_encoding.hpp
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.server.Get("/oai", handler);
  s.server.Post("/oai", handler);

  int bound = -1;
  if (s.options.port == 0) {
    bound = s.server.bind_to_any_port(s.options.host);
  } else if (s.server.bind_to_port(s.options.host, s.options.port)) {
    bound = s.options.port;
  }
  if (bound <= 0) {
    std::cerr << "bzpeer-replay: cannot listen on " << s.options.host << ":" << s.options.port
              << '\n';
    return -1;
  }
  s.port = bound;
  s.thread = std::thread([&s] { s.server.listen_after_bind(); });
  for (int i = 0; i < 5000 && !s.server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  s.started = true;
  return bound;
}

void ReplayServer::stop() {
  if (!impl_) return;
  Impl& s = *impl_;
  if (s.thread.joinable()) {
    s.server.stop();
    s.thread.join();
  }
}

int ReplayServer::port() const {
  return impl_->port.load();
}

std::string ReplayServer::base_url() const {
  return impl_->base_url();
}

std::size_t ReplayServer::record_count(const std::string& metadata_prefix) const {
  return impl_->pool.count(metadata_prefix);
}

void ReplayServer::inject(Fault fault) {
  if (fault.times <= 0) return;
  std::lock_guard lock(impl_->mutex);
  impl_->faults.push_back(fault);
}

void ReplayServer::clear_faults() {
  std::lock_guard lock(impl_->mutex);
  impl_->faults.clear();
}

std::vector<RequestLogEntry> ReplayServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

void ReplayServer::clear_requests() {
  std::lock_guard lock(impl_->mutex);
  impl_->log.clear();
}

}  // namespace bzpeer::replay
