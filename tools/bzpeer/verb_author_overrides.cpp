// bzpeer — the `author` verb: manual overrides of author disambiguation. `author merge A B`
// and `author split A --works ...` are kept in the store and survive every harvest,
// consolidation and rebuild (index/store/author_overrides.hpp); `author list-overrides`
// shows them and `author remove-override N` takes one back. (`authors`, plural, finds
// authors by name: verb_authors.cpp.)
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "index/store/author_overrides.hpp"
#include "pipeline/harvest_run.hpp"
#include "pipeline/storage_lock.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct AuthorArgs {
  std::int64_t a = 0;
  std::int64_t b = 0;
  std::vector<std::string> works;
  std::int64_t override_id = 0;
  bool json = false;
};

/// Runs `change` on the store opened for writing under the storage lock, then
/// consolidates and indexes like a harvest, so profiles and search show the change.
template <typename Change>
int write_and_index(const Config& config, Change&& change) {
  auto lock = pipeline::StorageLock::acquire(config.storage_dir);
  if (!lock) return report(lock.error());
  if (auto probe = open_store(config); !probe) return report(probe.error());  // no store: 66
  auto store = store::Store::open(config.storage_dir, store::OpenMode::read_write);
  if (!store) return report(store.error());
  if (const int code = change(*store); code != kExitOk) return code;
  auto stats = pipeline::consolidate_and_index(*store, config.index_root());
  if (!stats) return report(stats.error());
  spdlog::info("consolidated {} name blocks ({} mentions), indexed {} works", stats->blocks,
               stats->mentions, stats->works_reindexed);
  return kExitOk;
}

void print_superseded(const store::OverrideResult& r) {
  for (const auto& s : r.superseded) std::printf("  earlier %s\n", s.c_str());
}

/// The author holding the override's mentions once consolidation ran (the evidence may
/// have joined them with another author, whose id then wins if it is the larger part).
std::int64_t settled_id(const Config& config, std::int64_t override_id, std::int64_t fallback) {
  auto store = open_store(config);
  if (!store) return fallback;
  auto id = store::override_author(*store, override_id);
  return id && *id != 0 ? *id : fallback;
}

int cmd_merge(const Config& config, const AuthorArgs& args) {
  store::OverrideResult result;
  const int code = write_and_index(config, [&](store::Store& store) -> int {
    auto merged = store::merge_authors(store, args.a, args.b);
    if (!merged) return report(merged.error());
    result = *merged;
    return kExitOk;
  });
  if (code != kExitOk) return code;
  const auto now = settled_id(config, result.override_id, result.author_id);
  if (args.json) {
    JsonWriter j;
    j.begin_object()
        .field("override_id", result.override_id)
        .field("author_id", now)
        .field("merged_id", args.b)
        .field("mentions_moved", result.mentions)
        .field("superseded", result.superseded)
        .end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf(
      "merged author %lld into %lld: %lld mention%s moved, %lld redirects to %lld "
      "(override %lld)\n",
      static_cast<long long>(args.b), static_cast<long long>(result.author_id),
      static_cast<long long>(result.mentions), result.mentions == 1 ? "" : "s",
      static_cast<long long>(args.b), static_cast<long long>(result.author_id),
      static_cast<long long>(result.override_id));
  if (now != result.author_id) {
    std::printf("  the evidence also joined them with author %lld, which holds them now\n",
                static_cast<long long>(now));
  }
  print_superseded(result);
  return kExitOk;
}

int cmd_split(const Config& config, const AuthorArgs& args) {
  store::OverrideResult result;
  const int code = write_and_index(config, [&](store::Store& store) -> int {
    auto split = store::split_author(store, args.a, args.works);
    if (!split) return report(split.error());
    result = *split;
    return kExitOk;
  });
  if (code != kExitOk) return code;
  const auto now = settled_id(config, result.override_id, result.author_id);
  if (args.json) {
    JsonWriter j;
    j.begin_object()
        .field("override_id", result.override_id)
        .field("author_id", now)
        .field("split_from", args.a)
        .field("mentions_moved", result.mentions)
        .field("superseded", result.superseded)
        .end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("split %lld mention%s off author %lld: new author %lld (override %lld)\n",
              static_cast<long long>(result.mentions), result.mentions == 1 ? "" : "s",
              static_cast<long long>(args.a), static_cast<long long>(now),
              static_cast<long long>(result.override_id));
  print_superseded(result);
  return kExitOk;
}

int cmd_list(const Config& config, const AuthorArgs& args) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto all = store::author_overrides(*store);
  if (!all) return report(all.error());
  if (args.json) {
    JsonWriter j;
    j.begin_object().key("overrides").begin_array();
    for (const auto& o : *all) {
      j.begin_object()
          .field("override_id", o.override_id)
          .field("kind", o.kind)
          .field("author_id", o.author_id)
          .field("other_id", o.other_id)
          .field("works", o.works)
          .field("mentions", o.mentions)
          .field("current_id", o.current_id)
          .field("created_at", o.created_at)
          .end_object();
    }
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  if (all->empty()) {
    std::printf("no author overrides\n");
    return kExitOk;
  }
  for (const auto& o : *all) {
    std::vector<std::string> works;
    for (auto w : o.works) works.push_back(std::to_string(w));
    if (o.kind == "merge") {
      std::printf("%4lld  merge  %lld <- %lld  %lld mentions, now author %lld  (%s)\n",
                  static_cast<long long>(o.override_id), static_cast<long long>(o.author_id),
                  static_cast<long long>(o.other_id), static_cast<long long>(o.mentions),
                  static_cast<long long>(o.current_id), o.created_at.c_str());
    } else {
      std::printf("%4lld  split  %lld -> %lld  works %s, now author %lld  (%s)\n",
                  static_cast<long long>(o.override_id), static_cast<long long>(o.author_id),
                  static_cast<long long>(o.other_id), join(works, ",").c_str(),
                  static_cast<long long>(o.current_id), o.created_at.c_str());
    }
  }
  return kExitOk;
}

int cmd_recluster(const Config& config) {
  std::int64_t blocks = 0;
  const int code = write_and_index(config, [&](store::Store& store) -> int {
    auto n = store::queue_all_blocks(store);
    if (!n) return report(n.error());
    blocks = *n;
    return kExitOk;
  });
  if (code != kExitOk) return code;
  std::printf("re-clustered %lld name blocks (overrides kept)\n", static_cast<long long>(blocks));
  return kExitOk;
}

int cmd_remove(const Config& config, const AuthorArgs& args) {
  store::AuthorOverride removed;
  const int code = write_and_index(config, [&](store::Store& store) -> int {
    auto r = store::remove_author_override(store, args.override_id);
    if (!r) return report(r.error());
    removed = *r;
    return kExitOk;
  });
  if (code != kExitOk) return code;
  std::printf(
      "removed override %lld (%s of %lld and %lld); its authors are clustered again "
      "from the evidence\n",
      static_cast<long long>(removed.override_id), removed.kind.c_str(),
      static_cast<long long>(removed.author_id), static_cast<long long>(removed.other_id));
  return kExitOk;
}

const VerbRegistration kAuthor{
    {"author", 36, [](CLI::App& app) {
       auto* cmd = app.add_subcommand(
           "author",
           "correct author disambiguation by hand: merge, split; list or remove overrides");
       cmd->require_subcommand(1);

       auto merge_args = std::make_shared<AuthorArgs>();
       auto* merge = cmd->add_subcommand("merge", "A and B are one person: B's works go to A");
       merge->add_option("A", merge_args->a, "the author id that stays")->required();
       merge->add_option("B", merge_args->b, "the author id that redirects to A from now on")
           ->required();
       merge->add_flag("--json", merge_args->json, "JSON output");
       merge->footer(
           "Kept in the store: every later harvest, consolidation and rebuild keeps A and B\n"
           "together. Exit 64 when A and B are one author already or both sign one work,\n"
           "66 for an unknown id, 69 when another bzpeer holds the lock.\n"
           "Example:\n  bzpeer --config config/arxiv.toml author merge 17 342");

       auto split_args = std::make_shared<AuthorArgs>();
       auto* split = cmd->add_subcommand(
           "split", "A's mentions on some works are another person: they become a new author");
       split->add_option("A", split_args->a, "the author id to split")->required();
       split
           ->add_option("--works", split_args->works,
                        "the works to split off: work ids, arXiv ids or DOIs")
           ->required()
           ->delimiter(',');
       split->add_flag("--json", split_args->json, "JSON output");
       split->footer(
           "Prints the new author's id. Kept in the store: the split-off works stay apart\n"
           "from the rest of A through every later harvest, consolidation and rebuild.\n"
           "Exit 64 for a work A does not sign or all of A's works, 66 for an unknown\n"
           "author or work.\n"
           "Example:\n  bzpeer --config config/arxiv.toml author split 17 --works "
           "1102.0544,1203.0004");

       auto list_args = std::make_shared<AuthorArgs>();
       auto* list = cmd->add_subcommand("list-overrides", "the merges and splits in force");
       list->add_flag("--json", list_args->json, "JSON output");
       list->footer(
           "Each override with the author that holds its mentions now.\n"
           "Example:\n  bzpeer --config config/arxiv.toml author list-overrides --json");

       auto remove_args = std::make_shared<AuthorArgs>();
       auto* remove = cmd->add_subcommand(
           "remove-override", "take a merge or split back; its authors are clustered again");
       remove->add_option("N", remove_args->override_id, "the override's number (list-overrides)")
           ->required();
       remove->footer(
           "The next consolidation (run right away) clusters its mentions from the evidence.\n"
           "Exit 66 for an unknown override.\n"
           "Example:\n  bzpeer --config config/arxiv.toml author remove-override 2");

       auto* recluster = cmd->add_subcommand(
           "recluster", "cluster every author again from the evidence (overrides kept)");
       recluster->footer(
           "A full re-cluster: every name block, with the current weights. Author ids follow\n"
           "the earlier cluster they overlap most; merges and splits hold.\n"
           "Example:\n  bzpeer --config config/arxiv.toml author recluster");

       cmd->footer(
           "Examples:\n  bzpeer --config config/arxiv.toml author merge 17 342\n"
           "  bzpeer --config config/arxiv.toml author split 17 --works 1102.0544\n"
           "  bzpeer --config config/arxiv.toml author list-overrides\n"
           "  bzpeer --config config/arxiv.toml author remove-override 2");
       return [=](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         if (merge->parsed()) return cmd_merge(*config, *merge_args);
         if (split->parsed()) return cmd_split(*config, *split_args);
         if (list->parsed()) return cmd_list(*config, *list_args);
         if (recluster->parsed()) return cmd_recluster(*config);
         return cmd_remove(*config, *remove_args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
