// bzpeer — the `profile` and `collaborators` verbs.
#include <cstdio>
#include <iostream>

#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct ProfileArgs {
  std::string author;
  bool json = false;
};

int cmd_profile(const Config& config, const ProfileArgs& args) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto ref = queries::resolve_author(*store, args.author);
  if (!ref) return report(ref.error());
  auto p = queries::profile(*store, ref->author_id);
  if (!p) return report(p.error());
  if (args.json) {
    JsonWriter j;
    j.begin_object()
        .field("author_id", p->author_id)
        .field("name", p->name)
        .field("variants", p->variants)
        .field("orcid", p->orcid)
        .key("counts")
        .begin_object()
        .field("works", static_cast<std::int64_t>(p->works.size()))
        .field("topics", static_cast<std::int64_t>(p->topics.size()))
        .field("collaborators", static_cast<std::int64_t>(p->collaborators.size()))
        .field("close_collaborators", p->close_collaborators)
        .end_object()
        .key("topics")
        .begin_array();
    for (const auto& t : p->topics) {
      j.begin_object()
          .field("topic", t.topic)
          .field("works", t.works)
          .field("weight", t.weight)
          .field("label", t.label)
          .field("kind", t.kind)
          .end_object();
    }
    j.end_array().key("collaborators").begin_array();
    for (const auto& c : p->collaborators) write_collaborator_json(j, c);
    j.end_array().key("works").begin_array();
    for (const auto& w : p->works) write_work_json(j, w);
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("%s  (author %lld)\n", p->name.c_str(), static_cast<long long>(p->author_id));
  if (p->variants.size() > 1)
    std::printf("  also printed as: %s\n", join(p->variants, "; ").c_str());
  std::printf("  %zu works · %zu topics · %lld close collaborators (%zu co-authors)\n",
              p->works.size(), p->topics.size(), static_cast<long long>(p->close_collaborators),
              p->collaborators.size());
  if (!p->topics.empty()) {
    std::printf("\nTopics\n");
    for (const auto& t : p->topics) {
      std::string name = t.kind == "category" ? t.label + " (" + t.topic + ")" : t.label;
      std::printf("  %-46s %3lld work%s  %.2f\n", name.c_str(), static_cast<long long>(t.works),
                  t.works == 1 ? " " : "s", t.weight);
    }
  }
  if (!p->collaborators.empty()) {
    std::printf("\nClose collaborators\n");
    int listed = 0;
    for (const auto& c : p->collaborators) {
      if (listed++ == 10) break;
      std::printf("  %-32s %3lld shared work%s  %d–%d  (author %lld)\n", c.name.c_str(),
                  static_cast<long long>(c.works), c.works == 1 ? " " : "s", c.first_year,
                  c.last_year, static_cast<long long>(c.author_id));
    }
  }
  std::printf("\nWorks\n");
  for (const auto& w : p->works) {
    std::printf("  %d  %s · %s%s  arXiv:%s\n", w.year, w.type.c_str(), w.venue.c_str(),
                w.withdrawn ? " · withdrawn" : "", w.arxiv_id.c_str());
    std::printf("      %s\n", w.title.c_str());
    if (!w.abstract.empty()) std::printf("      %s\n", shorten(w.abstract, 200).c_str());
  }
  return kExitOk;
}

int cmd_collaborators(const Config& config, const ProfileArgs& args) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto ref = queries::resolve_author(*store, args.author);
  if (!ref) return report(ref.error());
  auto list = queries::collaborators(*store, ref->author_id);
  if (!list) return report(list.error());
  if (args.json) {
    JsonWriter j;
    j.begin_object()
        .field("author_id", ref->author_id)
        .field("name", ref->name)
        .key("collaborators")
        .begin_array();
    for (const auto& c : *list) write_collaborator_json(j, c);
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("%s (author %lld): %zu co-authors\n", ref->name.c_str(),
              static_cast<long long>(ref->author_id), list->size());
  for (const auto& c : *list) {
    std::printf("  %-32s %3lld shared work%s  %d–%d  (author %lld)\n", c.name.c_str(),
                static_cast<long long>(c.works), c.works == 1 ? " " : "s", c.first_year,
                c.last_year, static_cast<long long>(c.author_id));
  }
  return kExitOk;
}

const VerbRegistration kProfile{
    {"profile", 30, [](CLI::App& app) {
       auto args = std::make_shared<ProfileArgs>();
       auto* cmd =
           app.add_subcommand("profile", "a researcher's profile: works, topics, collaborators");
       cmd->add_option("author", args->author, "author id, or a name (the best match is shown)")
           ->required();
       cmd->add_flag("--json", args->json, "JSON output");
       cmd->footer(
           "Examples:\n  bzpeer profile \"William J. Borucki\"\n  bzpeer profile --json 224");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_profile(*config, *args);
       };
     }}};

const VerbRegistration kCollaborators{
    {"collaborators", 40, [](CLI::App& app) {
       auto args = std::make_shared<ProfileArgs>();
       auto* cmd = app.add_subcommand("collaborators", "a researcher's co-authors by shared works");
       cmd->add_option("author", args->author, "author id, or a name")->required();
       cmd->add_flag("--json", args->json, "JSON output");
       cmd->footer(
           "Examples:\n  bzpeer --config config/demo.toml collaborators \"William J. Borucki\"\n"
           "  bzpeer --config config/demo.toml collaborators --json 224");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_collaborators(*config, *args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
