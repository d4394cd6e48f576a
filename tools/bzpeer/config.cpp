#include "tools/bzpeer/config.hpp"

#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "pipeline/normalise/dates.hpp"

namespace bzpeer::cli {
namespace {

struct Checker {
  std::string file;
  std::vector<std::string> problems;

  void problem(const std::string& key, const std::string& what) {
    problems.push_back(file + ": " + key + ": " + what);
  }

  void allow_only(const toml::table& table, const std::string& where,
                  const std::set<std::string>& keys) {
    for (const auto& [k, v] : table) {
      std::string key(k.str());
      if (!keys.contains(key)) {
        std::string allowed;
        for (const auto& a : keys) allowed += (allowed.empty() ? "" : ", ") + a;
        problem(where.empty() ? key : where + "." + key,
                "unknown key (expected one of: " + allowed + ")");
      }
    }
  }

  template <class T>
  void get(const toml::table& table, const std::string& where, const std::string& key, T& out,
           bool required, const char* type_name) {
    const toml::node* node = table.get(key);
    std::string full = where.empty() ? key : where + "." + key;
    if (!node) {
      if (required)
        problem(full, std::string("missing required key (expected a ") + type_name + ")");
      return;
    }
    if constexpr (std::is_same_v<T, double>) {
      if (auto d = node->value<double>()) {
        out = *d;
        return;
      }
    } else if constexpr (std::is_same_v<T, int>) {
      if (node->is_integer()) {
        out = static_cast<int>(*node->value<std::int64_t>());
        return;
      }
    } else {
      if (auto s = node->value<std::string>(); s && node->is_string()) {
        out = *s;
        return;
      }
    }
    std::ostringstream got;
    got << node->type();
    problem(full, std::string("expected a ") + type_name + ", got " + got.str());
  }
};

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", seconds);
  return buf;
}

/// The keys each source kind accepts besides name, kind, from and min_interval_s.
const std::map<std::string, std::set<std::string>>& kind_keys() {
  static const std::map<std::string, std::set<std::string>> keys{
      {"oai-pmh", {"url", "metadata_prefix", "set"}},
      {"crossref", {"url", "mailto", "rows", "query", "filter"}},
      {"openalex", {"url", "api_key", "mailto", "per_page", "search", "filter"}},
      {"arxiv-atom", {"url", "query", "max_results", "max_total"}},
      {"arxiv-snapshot", {"path", "lines_per_page"}},
  };
  return keys;
}

/// Reads and validates one [[source]] table into `s`. Problems name the file, the source
/// and the key (`source "crossref".rows: expected an integer 1..1000, got 5000`).
void check_source(Checker& c, const toml::table& t, std::string where, pipeline::SourceConfig& s) {
  c.get(t, where, "name", s.name, true, "string");
  c.get(t, where, "kind", s.kind, true,
        "string (oai-pmh|crossref|openalex|arxiv-atom|arxiv-snapshot)");
  if (!s.name.empty()) where = "source \"" + s.name + "\"";
  const auto kind = kind_keys().find(s.kind);
  if (kind == kind_keys().end()) {
    c.problem(where + ".kind", "unsupported kind \"" + s.kind +
                                   "\" (expected oai-pmh, crossref, openalex, arxiv-atom or "
                                   "arxiv-snapshot)");
    return;
  }
  std::set<std::string> allowed{"name", "kind", "from", "min_interval_s"};
  allowed.insert(kind->second.begin(), kind->second.end());
  c.allow_only(t, where, allowed);

  // Kind defaults: the payload format keys the checkpoint; politeness per API.
  if (s.kind == "crossref") {
    s.metadata_prefix = "crossref";
    s.min_interval_s = 1.0;  // polite pool: 3 list requests/s; one a second leaves room
  } else if (s.kind == "openalex") {
    s.metadata_prefix = "openalex";
    s.min_interval_s = 0.2;
  } else if (s.kind == "arxiv-atom") {
    s.metadata_prefix = "arxiv-atom";
    s.min_interval_s = 3.0;  // arXiv API user manual: 3 s between calls
  } else if (s.kind == "arxiv-snapshot") {
    s.metadata_prefix = "arxiv-snapshot";
    s.min_interval_s = 0;
  }
  c.get(t, where, "from", s.from, false, "string (YYYY-MM-DD)");
  c.get(t, where, "min_interval_s", s.min_interval_s, false, "number of seconds");
  if (!s.from.empty() && (s.from.size() != 10 || !normalise::validate_iso_date(s.from))) {
    c.problem(where + ".from", "expected a date YYYY-MM-DD, got \"" + s.from + "\"");
  }
  if (s.min_interval_s < 0) c.problem(where + ".min_interval_s", "expected a number >= 0");

  auto page_size = [&](const char* key, int max) {
    if (!t.get(key)) return;
    c.get(t, where, key, s.page_size, false, "integer");
    if (s.page_size < 1 || s.page_size > max) {
      c.problem(where + "." + key, "expected an integer 1.." + std::to_string(max) + ", got " +
                                       std::to_string(s.page_size));
    }
  };
  if (s.kind == "oai-pmh") {
    c.get(t, where, "url", s.url, true, "string (the base URL)");
    c.get(t, where, "metadata_prefix", s.metadata_prefix, false, "string (arXivRaw|arXiv|oai_dc)");
    c.get(t, where, "set", s.set, false, "string (a setSpec)");
    if (s.metadata_prefix != "arXivRaw" && s.metadata_prefix != "arXiv" &&
        s.metadata_prefix != "oai_dc") {
      c.problem(where + ".metadata_prefix", "unsupported format \"" + s.metadata_prefix +
                                                "\" (expected arXivRaw, arXiv or oai_dc)");
    }
  } else if (s.kind == "crossref") {
    c.get(t, where, "url", s.url, false,
          "string (a works route, default https://api.crossref.org/works)");
    c.get(t, where, "mailto", s.mailto, false, "string (an e-mail address for the polite pool)");
    c.get(t, where, "query", s.query, false, "string");
    c.get(t, where, "filter", s.filter, false, "string (e.g. \"type:journal-article\")");
    page_size("rows", 1000);
    if (!s.mailto.empty() && s.mailto.find('@') == std::string::npos) {
      c.problem(where + ".mailto", "expected an e-mail address, got \"" + s.mailto + "\"");
    }
  } else if (s.kind == "openalex") {
    c.get(t, where, "url", s.url, false, "string (default https://api.openalex.org/works)");
    c.get(t, where, "api_key", s.api_key, false, "string (or set BZPEER_OPENALEX_API_KEY)");
    c.get(t, where, "mailto", s.mailto, false, "string (an e-mail address)");
    c.get(t, where, "search", s.query, false, "string");
    c.get(t, where, "filter", s.filter, false,
          "string (e.g. \"authorships.author.id:A5023888391\")");
    page_size("per_page", 200);
    if (s.api_key.empty()) {
      if (const char* env = std::getenv("BZPEER_OPENALEX_API_KEY")) s.api_key = env;
    }
  } else if (s.kind == "arxiv-atom") {
    c.get(t, where, "url", s.url, false, "string (default https://export.arxiv.org/api/query)");
    c.get(t, where, "query", s.query, true, "string (a search_query, e.g. \"au:Schoenholz\")");
    page_size("max_results", 2000);
    if (t.get("max_total")) {
      c.get(t, where, "max_total", s.max_total, false, "integer");
      if (s.max_total < 1 || s.max_total > 30000) {
        c.problem(where + ".max_total",
                  "expected an integer 1..30000 (arXiv's limit per query), got " +
                      std::to_string(s.max_total));
      }
    }
    if (s.min_interval_s < 3.0 && (s.url.empty() || s.url.find("arxiv.org") != std::string::npos)) {
      c.problem(where + ".min_interval_s", "arXiv's API asks for at least 3 s between calls, got " +
                                               seconds_text(s.min_interval_s));
    }
  } else if (s.kind == "arxiv-snapshot") {
    c.get(t, where, "path", s.path, true, "string (the arxiv-metadata-oai-snapshot.json file)");
    page_size("lines_per_page", 100000);
    if (!s.path.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(s.path, ec)) {
        c.problem(where + ".path", "no such file \"" + s.path + "\"");
      }
    }
  }
  if (!s.url.empty() && s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0) {
    c.problem(where + ".url", "expected an http:// or https:// URL, got \"" + s.url + "\"");
  }
}

}  // namespace

std::string Config::user_agent() const {
  std::string ua = harvest.user_agent + " (+https://github.com/bzpeer/bzpeer";
  if (!harvest.contact.empty()) ua += "; mailto:" + harvest.contact;
  return ua + ")";
}

namespace {

Error toml_error(const toml::parse_error& e, const std::filesystem::path& file) {
  const auto& where = e.source().begin;
  return Error{ErrorCode::config, file.string() + ":" + std::to_string(where.line) + ":" +
                                      std::to_string(where.column) + ": " +
                                      std::string(e.description())};
}

Result<Config> config_from_table(const toml::table& root, const std::filesystem::path& file) {
  Config config;
  config.file = file;
  Checker c{file.string(), {}};
  c.allow_only(root, "", {"storage", "harvest", "source", "log", "search"});

  if (const auto* storage = root.get("storage")) {
    if (const auto* t = storage->as_table()) {
      c.allow_only(*t, "storage", {"dir"});
      std::string dir;
      c.get(*t, "storage", "dir", dir, true, "string (a directory)");
      if (!dir.empty()) config.storage_dir = dir;
    } else {
      c.problem("storage", "expected a table ([storage])");
    }
  } else {
    c.problem("storage", "missing required table [storage] with key dir");
  }

  if (const auto* harvest = root.get("harvest")) {
    if (const auto* t = harvest->as_table()) {
      c.allow_only(*t, "harvest",
                   {"user_agent", "contact", "max_attempts", "initial_backoff_s", "max_backoff_s",
                    "timeout_s"});
      auto& h = config.harvest;
      c.get(*t, "harvest", "user_agent", h.user_agent, false, "string");
      c.get(*t, "harvest", "contact", h.contact, false, "string (an e-mail address)");
      c.get(*t, "harvest", "max_attempts", h.max_attempts, false, "integer");
      c.get(*t, "harvest", "initial_backoff_s", h.initial_backoff_s, false, "number of seconds");
      c.get(*t, "harvest", "max_backoff_s", h.max_backoff_s, false, "number of seconds");
      c.get(*t, "harvest", "timeout_s", h.timeout_s, false, "number of seconds");
      if (h.max_attempts < 1) c.problem("harvest.max_attempts", "expected an integer >= 1");
    } else {
      c.problem("harvest", "expected a table ([harvest])");
    }
  }

  if (const auto* log = root.get("log")) {
    if (const auto* t = log->as_table()) {
      c.allow_only(*t, "log", {"level", "file", "format", "max_size_mb", "max_files"});
      c.get(*t, "log", "level", config.log_level, false, "string (trace|debug|info|warn|error)");
      c.get(*t, "log", "file", config.log_file, false, "string (a file path)");
      c.get(*t, "log", "format", config.log_format, false, "string (text|json)");
      c.get(*t, "log", "max_size_mb", config.log_max_size_mb, false, "integer");
      c.get(*t, "log", "max_files", config.log_max_files, false, "integer");
      static const std::set<std::string> levels{"trace", "debug",    "info", "warn",
                                                "error", "critical", "off"};
      if (!levels.contains(config.log_level)) {
        c.problem("log.level", "expected one of trace, debug, info, warn, error, got \"" +
                                   config.log_level + "\"");
      }
      if (config.log_format != "text" && config.log_format != "json") {
        c.problem("log.format", "expected \"text\" or \"json\", got \"" + config.log_format + "\"");
      }
      if (config.log_max_size_mb < 1 || config.log_max_files < 1) {
        c.problem("log", "max_size_mb and max_files must be >= 1");
      }
    } else {
      c.problem("log", "expected a table ([log])");
    }
  }

  if (const auto* search = root.get("search")) {
    if (const auto* t = search->as_table()) {
      c.allow_only(*t, "search", {"time_limit_ms"});
      int ms = static_cast<int>(config.search_time_limit_ms);
      c.get(*t, "search", "time_limit_ms", ms, false, "integer (milliseconds, 0 = no limit)");
      if (ms < 0 || ms > 600000) {
        c.problem("search.time_limit_ms",
                  "expected an integer 0..600000 (milliseconds), got " + std::to_string(ms));
      } else {
        config.search_time_limit_ms = static_cast<std::uint32_t>(ms);
      }
    } else {
      c.problem("search", "expected a table ([search])");
    }
  }

  if (const auto* sources = root.get("source")) {
    const auto* array = sources->as_array();
    if (!array) {
      c.problem("source", "expected an array of tables ([[source]])");
    } else {
      std::set<std::string> names;
      for (std::size_t i = 0; i < array->size(); ++i) {
        std::string where = "source[" + std::to_string(i) + "]";
        const auto* t = array->get(i)->as_table();
        if (!t) {
          c.problem(where, "expected a table");
          continue;
        }
        pipeline::SourceConfig s;
        check_source(c, *t, where, s);
        if (!s.name.empty() && !names.insert(s.name).second) {
          c.problem("source \"" + s.name + "\".name", "duplicate source name");
        }
        config.sources.push_back(std::move(s));
      }
    }
  }
  if (!c.problems.empty()) {
    std::string message;
    for (const auto& p : c.problems) message += (message.empty() ? "" : "\n") + p;
    return fail(ErrorCode::config, message);
  }
  return config;
}

}  // namespace

Result<Config> load_config(const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return std::unexpected(toml_error(e, file));
  }
  return config_from_table(root, file);
}

Result<Config> parse_config(std::string_view text, const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    return std::unexpected(toml_error(e, file));
  }
  return config_from_table(root, file);
}

}  // namespace bzpeer::cli
