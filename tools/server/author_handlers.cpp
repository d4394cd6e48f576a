// bzpeer — the HTTP API's author endpoints: search by name, profile, collaborators, graph.
#include "index/queries/graph.hpp"
#include "index/queries/queries.hpp"
#include "tools/bzpeer/json_writer.hpp"
#include "tools/server/api_handlers.hpp"
#include "tools/server/api_params.hpp"

namespace bzpeer::server {

using cli::JsonWriter;

namespace {

void write_collaborator(JsonWriter& j, const queries::Collaborator& c) {
  j.begin_object()
      .field("author_id", c.author_id)
      .field("name", c.name)
      .field("shared_works", c.works)
      .field("first_year", c.first_year)
      .field("last_year", c.last_year)
      .end_object();
}

void write_work(JsonWriter& j, const queries::ProfileWork& w) {
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

std::string profile_json(const queries::Profile& p) {
  JsonWriter j;
  j.begin_object()
      .field("author_id", p.author_id)
      .field("requested_id", p.requested_id)
      .field("name", p.name)
      .field("variants", p.variants)
      .field("orcid", p.orcid)
      .key("counts")
      .begin_object()
      .field("works", static_cast<std::int64_t>(p.works.size()))
      .field("topics", static_cast<std::int64_t>(p.topics.size()))
      .field("collaborators", static_cast<std::int64_t>(p.collaborators.size()))
      .field("close_collaborators", p.close_collaborators)
      .end_object()
      .key("topics")
      .begin_array();
  for (const auto& t : p.topics) {
    j.begin_object()
        .field("topic", t.topic)
        .field("works", t.works)
        .field("weight", t.weight)
        .field("label", t.label)
        .field("kind", t.kind)
        .end_object();
  }
  j.end_array().key("collaborators").begin_array();
  for (const auto& c : p.collaborators) write_collaborator(j, c);
  j.end_array().key("works").begin_array();
  for (const auto& w : p.works) write_work(j, w);
  j.end_array().end_object();
  return j.take();
}

std::string graph_json(const queries::AuthorGraph& g) {
  JsonWriter j;
  j.begin_object()
      .field("author_id", g.author_id)
      .field("requested_id", g.requested_id)
      .field("truncated", g.truncated)
      .key("nodes")
      .begin_array();
  for (const auto& n : g.nodes) {
    j.begin_object().field("id", n.id).field("kind", queries::to_string(n.kind));
    if (n.ref_id != 0) j.field("ref_id", n.ref_id);
    j.field("label", n.label).field("weight", n.weight);
    if (n.year != 0) j.field("year", n.year);
    if (n.center) j.field("center", true);
    j.end_object();
  }
  j.end_array().key("edges").begin_array();
  for (const auto& e : g.edges) {
    j.begin_object()
        .field("source", e.source)
        .field("target", e.target)
        .field("kind", queries::to_string(e.kind))
        .field("weight", e.weight)
        .end_object();
  }
  j.end_array().end_object();
  return j.take();
}

ApiResponse ok(std::string body) {
  ApiResponse r;
  r.body = std::move(body);
  return r;
}

}  // namespace

ApiResponse api_find_authors(ReaderPool::Lease& readers, const Params& params) {
  auto q = single_param(params, "q", kMaxShortBytes);
  if (!q) return error_response(q.error());
  if (q->find_first_not_of(" \t") == std::string::npos) {
    return error_response(400, "bad_request", "parameter q (a name) is required");
  }
  auto size = int_param(params, "size", 1, 100, 20);
  if (!size) return error_response(size.error());
  auto store = readers.store();
  if (!store) return unavailable(store.error());
  auto found = queries::find_authors(**store, *q, static_cast<std::size_t>(*size));
  if (!found) return error_response(found.error());
  JsonWriter j;
  j.begin_object().field("query", *q).key("authors").begin_array();
  for (const auto& a : *found) {
    j.begin_object()
        .field("author_id", a.author_id)
        .field("name", a.name)
        .field("works", a.works)
        .field("variants", a.variants)
        .end_object();
  }
  j.end_array().end_object();
  return ok(j.take());
}

ApiResponse api_author(ReaderPool::Lease& readers, std::string_view id_text, std::string_view view,
                       const Params& params) {
  auto id = parse_id(id_text, "author");
  if (!id) return error_response(id.error());
  auto store = readers.store();
  if (!store) return unavailable(store.error());

  // An id that vanished in a re-clustering redirects to the cluster that took it over.
  auto ref = queries::resolve_author(**store, std::to_string(*id));
  if (!ref) return error_response(ref.error());
  if (ref->author_id != *id) {
    ApiResponse r;
    r.status = 308;
    r.location = "/api/authors/" + std::to_string(ref->author_id);
    if (!view.empty()) r.location += "/" + std::string(view);
    return r;
  }

  if (view.empty()) {
    auto p = queries::profile(**store, *id);
    if (!p) return error_response(p.error());
    return ok(profile_json(*p));
  }
  if (view == "collaborators") {
    auto list = queries::collaborators(**store, *id);
    if (!list) return error_response(list.error());
    JsonWriter j;
    j.begin_object()
        .field("author_id", ref->author_id)
        .field("name", ref->name)
        .key("collaborators")
        .begin_array();
    for (const auto& c : *list) write_collaborator(j, c);
    j.end_array().end_object();
    return ok(j.take());
  }
  queries::GraphOptions options;
  auto works = int_param(params, "works", 1, 200, static_cast<std::int64_t>(options.max_works));
  if (!works) return error_response(works.error());
  auto people =
      int_param(params, "people", 1, 200, static_cast<std::int64_t>(options.max_coauthors));
  if (!people) return error_response(people.error());
  options.max_works = static_cast<std::size_t>(*works);
  options.max_coauthors = static_cast<std::size_t>(*people);
  auto g = queries::author_graph(**store, *id, options);
  if (!g) return error_response(g.error());
  return ok(graph_json(*g));
}

}  // namespace bzpeer::server
