#include "tools/bzpeer/output.hpp"

#include <cstdio>
#include <iostream>

#include "index/queries/export.hpp"
#include "index/queries/queries.hpp"
#include "index/search/search_index.hpp"
#include "tools/bzpeer/app.hpp"
#include "tools/bzpeer/json_writer.hpp"

namespace bzpeer::cli {
namespace {

Result<store::Store> open_store(const Config& config) {
  return store::Store::open(config.storage_dir, store::OpenMode::read_only);
}

/// Cuts text to about `max` bytes at a word boundary, never inside a UTF-8 sequence.
std::string shorten(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && text[cut] != ' ') --cut;
  if (cut == 0) {
    cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut) + " …";
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

Result<std::pair<int, int>> parse_year_range(const std::string& text) {
  auto bad = [&] {
    return fail(ErrorCode::invalid_argument, "--year expects YEAR or FROM..TO, got \"" + text + "\"");
  };
  try {
    auto dots = text.find("..");
    std::size_t used = 0;
    if (dots == std::string::npos) {
      int y = std::stoi(text, &used);
      if (used != text.size()) return bad();
      return std::pair{y, y};
    }
    int from = dots == 0 ? 0 : std::stoi(text.substr(0, dots), &used);
    int to = dots + 2 >= text.size() ? 9999 : std::stoi(text.substr(dots + 2));
    return std::pair{from, to};
  } catch (const std::exception&) {
    return bad();
  }
}

void write_work_json(JsonWriter& j, const queries::ProfileWork& w) {
  j.begin_object()
      .field("work_id", w.work_id)
      .field("arxiv_id", w.arxiv_id)
      .field("dois", w.dois)
      .field("type", w.type)
      .field("year", w.year)
      .field("date", w.date)
      .field("venue", w.venue)
      .field("journal_ref", w.journal_ref)
      .field("title", w.title)
      .field("abstract", w.abstract)
      .field("categories", w.categories)
      .field("withdrawn", w.withdrawn)
      .field("position", w.position)
      .end_object();
}

void write_collaborator_json(JsonWriter& j, const queries::Collaborator& c) {
  j.begin_object()
      .field("author_id", c.author_id)
      .field("name", c.name)
      .field("shared_works", c.works)
      .field("first_year", c.first_year)
      .field("last_year", c.last_year)
      .end_object();
}

}  // namespace

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
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::size_t shown = response->hits.size();
  std::printf("%llu result%s for \"%s\"", static_cast<unsigned long long>(response->total_estimate),
              response->total_estimate == 1 ? "" : "s", args.query.c_str());
  if (shown > 0) std::printf(" (showing %zu–%zu)", args.offset + 1, args.offset + shown);
  std::printf("\n");
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
  return kExitOk;
}

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
      j.begin_object().field("topic", t.topic).field("works", t.works).field("weight", t.weight).end_object();
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
  if (p->variants.size() > 1) std::printf("  also printed as: %s\n", join(p->variants, "; ").c_str());
  std::printf("  %zu works · %zu topics · %lld close collaborators (%zu co-authors)\n",
              p->works.size(), p->topics.size(), static_cast<long long>(p->close_collaborators),
              p->collaborators.size());
  if (!p->topics.empty()) {
    std::printf("\nTopics\n");
    for (const auto& t : p->topics) {
      std::printf("  %-22s %3lld work%s  %.2f\n", t.topic.c_str(), static_cast<long long>(t.works),
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
    j.begin_object().field("author_id", ref->author_id).field("name", ref->name).key("collaborators").begin_array();
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

int cmd_stats(const Config& config, bool json) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  auto s = store->stats();
  if (!s) return report(s.error());
  std::uint64_t documents = 0;
  if (auto reader = search::IndexReader::open(config.index_root())) documents = reader->document_count();
  if (json) {
    JsonWriter j;
    j.begin_object()
        .field("works", s->works)
        .field("withdrawn", s->withdrawn)
        .field("authors", s->authors)
        .field("authorships", s->authorships)
        .field("collaborations", s->collaborations)
        .field("source_records", s->source_records)
        .field("deleted_records", s->deleted_records)
        .field("quarantined", s->quarantined)
        .field("pending_index", s->pending_index)
        .field("index_documents", documents)
        .key("checkpoints")
        .begin_array();
    for (const auto& c : s->checkpoints) {
      j.begin_object()
          .field("source", c.source)
          .field("set", c.set_spec)
          .field("format", c.format)
          .field("harvested_until", c.harvested_until)
          .field("in_progress", !c.token.empty())
          .field("window_from", c.window_from)
          .field("pages", c.pages)
          .end_object();
    }
    j.end_array().end_object();
    std::cout << j.str() << '\n';
    return kExitOk;
  }
  std::printf("works           %lld (%lld withdrawn)\n", static_cast<long long>(s->works),
              static_cast<long long>(s->withdrawn));
  std::printf("authors         %lld\n", static_cast<long long>(s->authors));
  std::printf("authorships     %lld\n", static_cast<long long>(s->authorships));
  std::printf("collaborations  %lld\n", static_cast<long long>(s->collaborations));
  std::printf("source records  %lld (%lld deleted)\n", static_cast<long long>(s->source_records),
              static_cast<long long>(s->deleted_records));
  std::printf("quarantined     %lld\n", static_cast<long long>(s->quarantined));
  std::printf("index documents %llu (%lld works waiting)\n", static_cast<unsigned long long>(documents),
              static_cast<long long>(s->pending_index));
  for (const auto& c : s->checkpoints) {
    std::printf("checkpoint      %s set=%s format=%s harvested until %s%s\n", c.source.c_str(),
                c.set_spec.empty() ? "-" : c.set_spec.c_str(), c.format.c_str(),
                c.harvested_until.empty() ? "never" : c.harvested_until.c_str(),
                c.token.empty() ? "" : " (a window is in progress)");
  }
  return kExitOk;
}

int cmd_export(const Config& config, const std::string& what) {
  auto store = open_store(config);
  if (!store) return report(store.error());
  Result<void> r;
  if (what == "works") {
    r = queries::export_works(*store, [](const queries::ExportWork& w) {
      JsonWriter j;
      j.begin_object()
          .field("work_id", w.work_id)
          .field("arxiv_id", w.arxiv_id)
          .field("dois", w.dois)
          .field("title", w.title)
          .field("year", w.year)
          .field("type", w.type)
          .field("sources", w.sources)
          .field("topics", w.topics)
          .field("withdrawn", w.withdrawn)
          .end_object();
      std::cout << j.str() << '\n';
    });
  } else if (what == "authors") {
    r = queries::export_authors(*store, [](const queries::ExportAuthor& a) {
      JsonWriter j;
      j.begin_object()
          .field("author_id", a.author_id)
          .field("name", a.name)
          .field("variants", a.variants)
          .field("orcid", a.orcid)
          .field("works", a.works)
          .field("topics", a.topics)
          .end_object();
      std::cout << j.str() << '\n';
    });
  } else {
    r = queries::export_authorships(*store, [](const queries::ExportAuthorship& a) {
      JsonWriter j;
      j.begin_object()
          .field("work_id", a.work_id)
          .field("arxiv_id", a.arxiv_id)
          .field("source", a.source)
          .field("position", a.position)
          .field("name", a.name)
          .field("author_id", a.author_id)
          .end_object();
      std::cout << j.str() << '\n';
    });
  }
  if (!r) return report(r.error());
  return kExitOk;
}

}  // namespace bzpeer::cli
