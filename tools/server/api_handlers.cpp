// bzpeer — the HTTP API's search, work, stats and health endpoints, and its error shape.
#include "tools/server/api_handlers.hpp"

#include <charconv>

#include "index/queries/work.hpp"
#include "tools/bzpeer/json_writer.hpp"
#include "tools/server/api_params.hpp"

namespace bzpeer::server {

using cli::JsonWriter;

namespace {

ApiResponse ok(std::string body) {
  ApiResponse r;
  r.body = std::move(body);
  return r;
}

/// Characters a category or type may hold besides letters and digits.
constexpr std::string_view kCategoryChars = ".-_";
/// Related works listed on a work.
constexpr std::size_t kRelatedWorks = 5;

constexpr std::int64_t kMaxPage = 1000;
constexpr std::int64_t kMaxPageSize = 100;

void write_hit(JsonWriter& j, const search::SearchHit& h) {
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
      .field("withdrawn", h.withdrawn)
      .field("percent", h.percent)
      .field("snippet", h.snippet)
      .end_object();
}

}  // namespace

ApiResponse error_response(int status, std::string_view code, std::string_view message) {
  JsonWriter j;
  j.begin_object()
      .key("error")
      .begin_object()
      .field("code", code)
      .field("message", message)
      .end_object()
      .end_object();
  ApiResponse r;
  r.status = status;
  r.body = j.take();
  return r;
}

ApiResponse error_response(const Error& error) {
  switch (error.code) {
    case ErrorCode::invalid_argument: return error_response(400, "bad_request", error.message);
    case ErrorCode::not_found: return error_response(404, "not_found", error.message);
    case ErrorCode::storage:
    case ErrorCode::index:
    case ErrorCode::io:
    case ErrorCode::locked: return error_response(503, "unavailable", error.message);
    default: return error_response(500, "internal", error.describe());
  }
}

ApiResponse unavailable(const Error& error) {
  return error_response(503, "unavailable", error.message);
}

Result<std::int64_t> parse_id(std::string_view text, std::string_view what) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || text.front() == '-' || text.front() == '+' || ec != std::errc() ||
      end != text.data() + text.size() || value <= 0) {
    std::string shown(text.substr(0, 40));
    if (!valid_utf8(shown)) shown = "(not UTF-8)";
    return fail(ErrorCode::invalid_argument,
                std::string(what) + " id must be a positive integer, got \"" + shown + "\"");
  }
  return value;
}

ApiResponse api_search(ReaderPool::Lease& readers, const Params& params) {
  search::SearchRequest request;
  auto q = single_param(params, "q", kMaxQueryBytes);
  if (!q) return error_response(q.error());
  auto sort = single_param(params, "sort", kMaxShortBytes);
  if (!sort) return error_response(sort.error());
  if (sort->empty() || *sort == "relevance") {
    request.sort = search::SortOrder::relevance;
  } else if (*sort == "newest") {
    request.sort = search::SortOrder::newest;
  } else if (*sort == "oldest") {
    request.sort = search::SortOrder::oldest;
  } else {
    return error_response(
        400, "bad_request",
        "parameter sort expects relevance, newest or oldest, got \"" + *sort + "\"");
  }
  auto year = single_param(params, "year", kMaxShortBytes);
  if (!year) return error_response(year.error());
  if (!year->empty()) {
    auto range = parse_year_param(*year);
    if (!range) return error_response(range.error());
    request.year_from = range->from;
    request.year_to = range->to;
  }
  auto categories = list_param(params, "category", kCategoryChars, 20);
  if (!categories) return error_response(categories.error());
  request.categories = std::move(*categories);
  auto types = list_param(params, "type", kCategoryChars, 10);
  if (!types) return error_response(types.error());
  request.types = std::move(*types);
  auto topics = text_list_param(params, "topic", 10);
  if (!topics) return error_response(topics.error());
  request.topics = std::move(*topics);
  auto page = int_param(params, "page", 1, kMaxPage, 1);
  if (!page) return error_response(page.error());
  auto size = int_param(params, "size", 1, kMaxPageSize, 10);
  if (!size) return error_response(size.error());
  auto facet_limit = int_param(params, "facet_limit", 1, 100, 10);
  if (!facet_limit) return error_response(facet_limit.error());
  request.query = std::move(*q);
  request.offset = static_cast<std::size_t>((*page - 1) * *size);
  request.limit = static_cast<std::size_t>(*size);
  request.facets = true;
  request.facet_limit = static_cast<std::size_t>(*facet_limit);

  auto index = readers.index();
  if (!index) return unavailable(index.error());
  auto response = (*index)->search(request);
  if (!response) {
    if (response.error().code != ErrorCode::invalid_argument) readers.discard();
    return error_response(response.error());
  }

  JsonWriter j;
  j.begin_object()
      .field("query", request.query)
      .field("sort", sort->empty() ? std::string("relevance") : *sort)
      .field("page", *page)
      .field("size", *size)
      .field("total_estimate", response->total_estimate)
      .field("truncated", response->truncated)
      .key("hits")
      .begin_array();
  for (const auto& h : response->hits) write_hit(j, h);
  j.end_array().key("facets").begin_object();
  for (const auto name : search::kFacetNames) {
    j.key(name).begin_array();
    if (auto it = response->facets.find(name); it != response->facets.end()) {
      for (const auto& v : it->second) {
        j.begin_object().field("value", v.value).field("count", v.count).end_object();
      }
    }
    j.end_array();
  }
  j.end_object().field("suggestion", response->suggestion).end_object();
  return ok(j.take());
}

ApiResponse api_work(ReaderPool::Lease& readers, std::string_view id_text) {
  auto id = parse_id(id_text, "work");
  if (!id) return error_response(id.error());
  auto store = readers.store();
  if (!store) return unavailable(store.error());
  auto w = queries::work(**store, *id);
  if (!w) return error_response(w.error());
  JsonWriter j;
  j.begin_object()
      .field("work_id", w->work_id)
      .field("arxiv_id", w->arxiv_id)
      .field("dois", w->dois)
      .field("type", w->type)
      .field("year", w->year)
      .field("date", w->date)
      .field("last_date", w->last_date)
      .field("versions", w->versions)
      .field("venue", w->venue)
      .field("journal_ref", w->journal_ref)
      .field("comments", w->comments)
      .field("license", w->license)
      .field("title", w->title)
      .field("abstract", w->abstract)
      .field("categories", w->categories)
      .field("withdrawn", w->withdrawn)
      .field("deleted", w->deleted)
      .key("authors")
      .begin_array();
  for (const auto& a : w->authors) {
    j.begin_object()
        .field("position", a.position)
        .field("name", a.name)
        .field("author_id", a.author_id)
        .field("is_collaboration", a.is_collaboration)
        .field("affiliation", a.affiliation)
        .field("orcid", a.orcid)
        .end_object();
  }
  // Where the work was seen and why each record joined it; which record gave each field.
  j.end_array().key("locations").begin_array();
  for (const auto& l : w->locations) {
    j.begin_object()
        .field("source", l.source)
        .field("source_id", l.source_id)
        .field("format", l.format)
        .field("deleted", l.deleted)
        .field("evidence", l.evidence)
        .field("identifier", l.identifier)
        .field("similarity", l.similarity)
        .field("author_overlap", l.author_overlap)
        .field("reason", l.reason)
        .end_object();
  }
  j.end_array().key("field_sources").begin_object();
  for (const auto& f : w->field_sources) {
    j.key(f.field)
        .begin_object()
        .field("source", f.source)
        .field("source_id", f.source_id)
        .field("format", f.format)
        .end_object();
  }
  j.end_object().key("related").begin_array();
  // Related works come from the index; without one (or before the work is indexed) the
  // work still answers, with none.
  if (!w->deleted) {
    if (auto index = readers.index()) {
      if (auto related = (*index)->related(w->work_id, kRelatedWorks)) {
        for (const auto& h : *related) write_hit(j, h);
      }
    }
  }
  j.end_array().end_object();
  return ok(j.take());
}

ApiResponse api_stats(ReaderPool::Lease& readers) {
  auto store = readers.store();
  if (!store) return unavailable(store.error());
  auto s = (*store)->stats();
  if (!s) {
    readers.discard();
    return error_response(s.error());
  }
  std::uint64_t documents = 0;
  if (auto index = readers.index()) documents = (*index)->document_count();
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
  return ok(j.take());
}

ApiResponse api_healthz(ReaderPool::Lease& readers) {
  auto store = readers.store();
  auto index = readers.index();
  const bool healthy = store.has_value() && index.has_value();
  JsonWriter j;
  j.begin_object()
      .field("status", healthy ? "ok" : "unavailable")
      .field("store", store.has_value());
  if (!store) j.field("store_error", store.error().message);
  j.field("index", index.has_value());
  if (index) {
    j.field("index_documents", (*index)->document_count());
  } else {
    j.field("index_error", index.error().message);
  }
  j.end_object();
  ApiResponse r = ok(j.take());
  if (!healthy) r.status = 503;
  return r;
}

}  // namespace bzpeer::server
