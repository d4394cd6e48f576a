// bzpeer — the `oai` verb: ask a configured OAI-PMH source directly, for operators
// (Identify, ListMetadataFormats, ListSets, GetRecord). Reads nothing from the store and
// takes no lock.
#include <cstdio>
#include <iostream>

#include "connectors/oai_pmh/oai_client.hpp"
#include "pipeline/parse/record_mapper.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/json_writer.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct OaiArgs {
  std::string what;    ///< identify|formats|sets|get
  std::string id;      ///< for get (and formats of one item)
  std::string source;  ///< default: the first oai-pmh source
  std::string format;  ///< for get; default: the source's metadata_prefix
  bool json = false;
};

Result<const pipeline::SourceConfig*> pick_source(const Config& config, const std::string& name) {
  for (const auto& s : config.sources) {
    if (name.empty() ? s.kind == "oai-pmh" : s.name == name) {
      if (s.kind != "oai-pmh") {
        return fail(ErrorCode::invalid_argument,
                    "source \"" + name + "\" is of kind " + s.kind + ", not oai-pmh");
      }
      return &s;
    }
  }
  return fail(ErrorCode::invalid_argument,
              name.empty() ? "no oai-pmh [[source]] in " + config.file.string()
                           : "no source named \"" + name + "\" in " + config.file.string());
}

http::ClientOptions client_options(const Config& config, const pipeline::SourceConfig& source) {
  http::ClientOptions o;
  o.user_agent = config.user_agent();
  o.min_interval = std::chrono::milliseconds(static_cast<long>(source.min_interval_s * 1000));
  o.retry.max_attempts = config.harvest.max_attempts;
  o.retry.initial_backoff =
      std::chrono::milliseconds(static_cast<long>(config.harvest.initial_backoff_s * 1000));
  o.retry.max_backoff =
      std::chrono::milliseconds(static_cast<long>(config.harvest.max_backoff_s * 1000));
  o.timeout = std::chrono::milliseconds(static_cast<long>(config.harvest.timeout_s * 1000));
  o.validate_body = [](const std::string& body) { return oai::is_well_formed_xml(body); };
  return o;
}

int show_identify(oai::OaiClient& client, bool json) {
  auto info = client.identify();
  if (!info) return report(info.error());
  if (json) {
    JsonWriter j;
    j.begin_object()
        .field("repository_name", info->repository_name)
        .field("base_url", info->base_url)
        .field("protocol_version", info->protocol_version)
        .field("admin_emails", info->admin_emails)
        .field("earliest_datestamp", info->earliest_datestamp)
        .field("deleted_record", info->deleted_record)
        .field("granularity", info->granularity_text)
        .field("compression", info->compression)
        .field("response_date", info->response_date)
        .end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("repositoryName     %s\n", info->repository_name.c_str());
  std::printf("baseURL            %s\n", info->base_url.c_str());
  std::printf("protocolVersion    %s\n", info->protocol_version.c_str());
  for (const auto& e : info->admin_emails) std::printf("adminEmail         %s\n", e.c_str());
  std::printf("earliestDatestamp  %s\n", info->earliest_datestamp.c_str());
  std::printf("deletedRecord      %s\n", info->deleted_record.c_str());
  std::printf("granularity        %s\n", info->granularity_text.c_str());
  for (const auto& c : info->compression) std::printf("compression        %s\n", c.c_str());
  return kExitOk;
}

int show_formats(oai::OaiClient& client, const std::string& id, bool json) {
  auto formats = client.list_metadata_formats(id);
  if (!formats) return report(formats.error());
  JsonWriter j;
  if (json) j.begin_array();
  for (const auto& f : *formats) {
    if (json) {
      j.begin_object()
          .field("prefix", f.prefix)
          .field("schema", f.schema)
          .field("namespace", f.ns)
          .end_object();
    } else {
      std::printf("%-14s %s  %s\n", f.prefix.c_str(), f.ns.c_str(), f.schema.c_str());
    }
  }
  if (json) std::cout << j.end_array().str() << '\n';
  return kExitOk;
}

int show_sets(oai::OaiClient& client, bool json) {
  auto sets = client.list_sets();
  if (!sets) return report(sets.error());
  JsonWriter j;
  if (json) j.begin_array();
  for (const auto& s : *sets) {
    if (json) {
      j.begin_object().field("spec", s.spec).field("name", s.name).end_object();
    } else {
      std::printf("%-28s %s\n", s.spec.c_str(), s.name.c_str());
    }
  }
  if (json) std::cout << j.end_array().str() << '\n';
  return kExitOk;
}

int show_record(oai::OaiClient& client, const std::string& id, const std::string& format,
                bool json) {
  auto record = client.get_record(id, format);
  if (!record) return report(record.error());
  // How bzpeer would map it: what a harvest would store (or quarantine).
  Result<Work> work = fail(ErrorCode::mapping, "deleted record");
  if (!record->deleted) work = parse::map_record(*record);
  if (json) {
    JsonWriter j;
    j.begin_object()
        .field("identifier", record->source_id)
        .field("datestamp", record->datestamp)
        .field("sets", record->sets)
        .field("deleted", record->deleted)
        .field("format", record->format)
        .field("metadata", record->payload);
    if (work) {
      j.key("mapped")
          .begin_object()
          .field("arxiv_id", work->arxiv_id)
          .field("title", work->title)
          .field("authors", static_cast<std::int64_t>(work->authors.size()))
          .field("versions", static_cast<std::int64_t>(work->versions.size()))
          .field("withdrawn", work->withdrawn)
          .end_object();
    } else if (!record->deleted) {
      j.field("mapping_error", work.error().message);
    }
    std::cout << j.end_object().str() << '\n';
    return kExitOk;
  }
  std::printf("identifier  %s\n", record->source_id.c_str());
  std::printf("datestamp   %s\n", record->datestamp.c_str());
  for (const auto& s : record->sets) std::printf("setSpec     %s\n", s.c_str());
  std::printf("status      %s\n", record->deleted ? "deleted" : "live");
  if (work) {
    std::printf("mapped      arXiv %s, %zu authors, %zu versions%s: %s\n", work->arxiv_id.c_str(),
                work->authors.size(), work->versions.size(), work->withdrawn ? ", WITHDRAWN" : "",
                work->title.c_str());
  } else if (!record->deleted) {
    std::printf("mapped      would be quarantined: %s\n", work.error().message.c_str());
  }
  if (!record->payload.empty()) std::printf("\n%s\n", record->payload.c_str());
  return kExitOk;
}

int cmd_oai(const Config& config, const OaiArgs& args) {
  auto source = pick_source(config, args.source);
  if (!source) return report(source.error());
  if (args.what == "get" && args.id.empty()) {
    return report({ErrorCode::invalid_argument,
                   "oai get needs an OAI identifier, e.g. "
                   "oai:arXiv.org:1102.0541"});
  }
  http::HttpClient http(client_options(config, **source));
  oai::OaiClient client((*source)->url, (*source)->name, http);
  if (args.what == "identify") return show_identify(client, args.json);
  if (args.what == "formats") return show_formats(client, args.id, args.json);
  if (args.what == "sets") return show_sets(client, args.json);
  return show_record(client, args.id,
                     args.format.empty() ? (*source)->metadata_prefix : args.format, args.json);
}

const VerbRegistration kOai{
    {"oai", 65, [](CLI::App& app) {
       auto args = std::make_shared<OaiArgs>();
       auto* cmd = app.add_subcommand("oai",
                                      "ask an OAI-PMH source directly (Identify, "
                                      "ListMetadataFormats, ListSets, GetRecord)");
       cmd->add_option("what", args->what, "identify|formats|sets|get")
           ->required()
           ->check(CLI::IsMember({"identify", "formats", "sets", "get"}));
       cmd->add_option("id", args->id,
                       "OAI identifier, for get (and for formats of one item), e.g. "
                       "oai:arXiv.org:1102.0541");
       cmd->add_option("--source", args->source,
                       "the [[source]] to ask (default: the first oai-pmh one)");
       cmd->add_option("--format", args->format, "metadataPrefix for get (default: the source's)");
       cmd->add_flag("--json", args->json, "JSON on stdout");
       cmd->footer(
           "Requests go through the same polite HTTP client as harvests (min_interval_s,\n"
           "Retry-After, retries). Exit codes: 66 unknown identifier, 75 network trouble,\n"
           "76 an OAI error. Examples:\n"
           "  bzpeer --config config/arxiv.toml oai identify\n"
           "  bzpeer --config config/arxiv.toml oai sets --source arxiv\n"
           "  bzpeer --config config/arxiv.toml oai get oai:arXiv.org:1102.0541");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_oai(*config, *args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
