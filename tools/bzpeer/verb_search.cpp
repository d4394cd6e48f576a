// bzpeer — the `search` verb: full-text search of works.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>

#include "index/search/search_index.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/cli_util.hpp"
#include "tools/bzpeer/verb.hpp"

namespace bzpeer::cli {
namespace {

struct SearchArgs {
  std::string query;
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::string sort = "relevance";
  std::string year;
  std::vector<std::string> categories;
  std::vector<std::string> types;
  std::vector<std::string> topics;
  bool facets = false;
  std::size_t facet_limit = 10;
  bool json = false;
  std::optional<std::uint32_t> time_limit_ms;  ///< unset: the config's [search] time_limit_ms
};

int cmd_search(const Config& config, const SearchArgs& args) {
  search::SearchRequest request;
  request.query = args.query;
  request.limit = args.limit;
  request.offset = args.offset;
  request.sort = args.sort == "newest"   ? search::SortOrder::newest
                 : args.sort == "oldest" ? search::SortOrder::oldest
                                         : search::SortOrder::relevance;
  if (!args.year.empty()) {
    auto range = parse_year_range(args.year);
    if (!range) return report(range.error());
    request.year_from = range->first;
    request.year_to = range->second;
  }
  request.categories = args.categories;
  request.types = args.types;
  request.topics = args.topics;
  request.facets = args.facets;
  request.facet_limit = args.facet_limit;
  request.time_limit_ms = args.time_limit_ms.value_or(config.search_time_limit_ms);
  auto reader = search::IndexReader::open(config.index_root());
  if (!reader) return report(reader.error());
  auto response = reader->search(request);
  if (!response) return report(response.error());

  if (args.json) {
    JsonWriter j;
    j.begin_object()
        .field("query", args.query)
        .field("total_estimate", response->total_estimate)
        .field("offset", static_cast<std::uint64_t>(args.offset))
        .key("hits")
        .begin_array();
    for (const auto& h : response->hits) {
      j.begin_object()
          .field("work_id", h.work_id)
          .field("arxiv_id", h.arxiv_id)
          .field("title", h.title)
          .field("authors", h.authors)
          .field("author_ids", h.author_ids)
          .field("year", h.year)
          .field("date", h.date)
          .field("type", h.type)
          .field("venue", h.venue)
          .field("categories", h.categories)
          .field("percent", h.percent)
          .field("snippet", h.snippet)
          .end_object();
    }
    j.end_array().field("suggestion", response->suggestion).field("truncated", response->truncated);
    if (args.facets) {
      j.key("facets").begin_object();
      for (const auto name : search::kFacetNames) {
        j.key(std::string(name)).begin_array();
        if (auto it = response->facets.find(name); it != response->facets.end()) {
          for (const auto& v : it->second) {
            j.begin_object().field("value", v.value).field("count", v.count).end_object();
          }
        }
        j.end_array();
      }
      j.end_object();
    }
    j.end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::size_t shown = response->hits.size();
  std::printf("%llu result%s for \"%s\"", static_cast<unsigned long long>(response->total_estimate),
              response->total_estimate == 1 ? "" : "s", args.query.c_str());
  if (shown > 0) std::printf(" (showing %zu–%zu)", args.offset + 1, args.offset + shown);
  std::printf("\n");
  if (!response->suggestion.empty())
    std::printf("Did you mean: %s\n", response->suggestion.c_str());
  if (response->truncated) {
    std::printf(
        "(counting stopped at the time limit of %u ms: the total and the facet counts "
        "are partial)\n",
        request.time_limit_ms);
  }
  std::size_t rank = args.offset;
  for (const auto& h : response->hits) {
    std::printf("\n%3zu. %s\n", ++rank, h.title.c_str());
    std::string authors = h.authors.size() > 6
                              ? join({h.authors.begin(), h.authors.begin() + 6}, ", ") + ", et al."
                              : join(h.authors, ", ");
    std::printf("     %s\n", authors.c_str());
    std::printf("     %d · %s · %s · arXiv:%s · %s · work %lld\n", h.year, h.type.c_str(),
                h.venue.c_str(), h.arxiv_id.c_str(), join(h.categories, " ").c_str(),
                static_cast<long long>(h.work_id));
    if (!h.snippet.empty()) std::printf("     %s\n", shorten(h.snippet, 240).c_str());
  }
  if (args.facets) {
    std::printf("\nFacets\n");
    for (const auto name : search::kFacetNames) {
      const auto it = response->facets.find(name);
      if (it == response->facets.end() || it->second.empty()) continue;
      std::vector<std::string> items;
      for (const auto& v : it->second)
        items.push_back(v.value + " (" + std::to_string(v.count) + ")");
      std::printf("  %-9s %s\n", std::string(name).c_str(), join(items, ", ").c_str());
    }
  }
  return kExitOk;
}

const VerbRegistration kSearch{
    {"search", 20, [](CLI::App& app) {
       auto args = std::make_shared<SearchArgs>();
       auto* cmd = app.add_subcommand("search", "full-text search of works");
       cmd->add_option("query", args->query, "query, e.g. 'title:planet author:borucki year:2011'")
           ->required();
       cmd->add_option("--limit", args->limit, "hits per page")->check(CLI::Range(1, 1000));
       cmd->add_option("--offset", args->offset, "skip this many hits");
       cmd->add_option("--sort", args->sort, "relevance|newest|oldest")
           ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
       cmd->add_option("--year", args->year, "YEAR or FROM..TO");
       cmd->add_option("--category", args->categories, "filter by arXiv category (repeatable)");
       cmd->add_option("--type", args->types, "filter by work type, e.g. article (repeatable)");
       cmd->add_option("--topic", args->topics, "filter by whole topic label (repeatable)");
       cmd->add_flag("--facets", args->facets,
                     "count year, category, topic and type over all hits");
       cmd->add_option("--facet-limit", args->facet_limit, "values per facet (0 = all)");
       cmd->add_flag("--json", args->json, "JSON output");
       cmd->add_option("--time-limit-ms", args->time_limit_ms,
                       "stop counting matches (facets, total) after this long; 0 = no limit "
                       "(default: [search] time_limit_ms, else 2000)");
       cmd->footer(
           "Examples:\n  bzpeer search 'kepler planet'\n  bzpeer search --sort newest --year "
           "2010..2011 'author:borucki'\n  bzpeer search 'title:\"transit timing\" "
           "category:astro-ph'\n  bzpeer search --facets --type article 'dark matter'\n"
           "With --facets, counting stops at the time limit; the hits are still the best ones, "
           "and\n--json says \"truncated\": true when the counts are partial.");
       return [args](const Context& ctx) {
         auto config = ctx.config();
         if (!config) return report(config.error());
         return cmd_search(*config, *args);
       };
     }}};

}  // namespace
}  // namespace bzpeer::cli
