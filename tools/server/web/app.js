// bzpeer — the search and profile page. Reads the JSON API of the server that sent it;
// fetches nothing from anywhere else. Addresses: /, /search?q=…, /authors/{id}, /works/{id}.
"use strict";

const main = document.getElementById("main");
const form = document.getElementById("search-form");
const box = document.getElementById("q");
const SVG_NS = "http://www.w3.org/2000/svg";
const PAGE_SIZE = 10;

// ---- small DOM helpers (text is always set as text, never parsed as HTML) ------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/// An address inside this page; `content` is text, a node or a list of them.
const link = (href, content, attrs) => h("a", { href, "data-nav": true, ...attrs }, content);
const plural = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many || one + "s"}`;

/// A snippet with [matched] words as <mark>; brackets that do not pair stay as text.
function snippet(text) {
  const p = h("p", { class: "snippet" });
  const re = /\[([^\[\]]{1,80})\]/g;
  let last = 0;
  for (let m; (m = re.exec(text)); ) {
    p.append(text.slice(last, m.index), h("mark", { text: m[1] }));
    last = m.index + m[0].length;
  }
  p.append(text.slice(last));
  return p;
}

// ---- the API -------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path) {
  let res;
  try {
    res = await fetch(path, { headers: { Accept: "application/json" } });
  } catch (e) {
    throw new ApiError(0, "network", "The server could not be reached.");
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const err = body && body.error;
    throw new ApiError(res.status, err ? err.code : "http",
                       err ? err.message : `The server answered ${res.status}.`);
  }
  return body;
}

// ---- rendering frame -----------------------------------------------------------------

let renderToken = 0;

/// Replaces the view. main[data-state] is "loading" while a view is fetched, then "ready"
/// or "error"; main[data-page] is the address (path and query) the view shows.
function show(title, ...content) {
  document.title = title ? `${title} — bzpeer` : "bzpeer";
  main.replaceChildren(...content.flat().filter(Boolean));
  main.removeAttribute("aria-busy");
  main.dataset.state = "ready";
  main.dataset.page = location.pathname + location.search;
}

function showError(err) {
  const what = err.status === 404 ? "Not found"
             : err.status === 400 ? "That request is not valid"
             : err.status === 503 ? "No data to show yet"
             : "Something went wrong";
  show(what, h("div", { class: "notice error", role: "alert" },
                h("h1", { text: what }),
                h("p", { "data-testid": "error-message", text: err.message })));
  main.dataset.state = "error";
}

async function render() {
  const token = ++renderToken;
  const url = new URL(location.href);
  const path = url.pathname;
  main.setAttribute("aria-busy", "true");
  main.dataset.state = "loading";
  box.value = path === "/search" ? url.searchParams.get("q") || "" : box.value;
  const stale = () => token !== renderToken;
  try {
    let m;
    if (path === "/" || path === "") await renderHome(stale);
    else if (path === "/search") await renderSearch(url.searchParams, stale);
    else if ((m = path.match(/^\/authors\/(\d+)$/))) await renderAuthor(m[1], stale);
    else if ((m = path.match(/^\/works\/(\d+)$/))) await renderWork(m[1], stale);
    else showError(new ApiError(404, "not_found", `There is no page at ${path}.`));
  } catch (err) {
    if (stale()) return;
    if (err instanceof ApiError) showError(err);
    else showError(new ApiError(0, "script", String(err)));
  }
}

function navigate(href, replace) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  window.scrollTo(0, 0);
  render().then(() => main.focus({ preventScroll: true }));
}

document.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest("a[data-nav]");
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey ||
      e.altKey || a.getAttribute("target")) return;
  // getAttribute: on an SVG <a> (the graph's nodes) .href and .target are not strings.
  const to = new URL(a.getAttribute("href"), location.href);
  if (to.origin !== location.origin) return;
  e.preventDefault();
  navigate(to.pathname + to.search);
});

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const q = box.value.trim();
  navigate(q ? `/search?q=${encodeURIComponent(q)}` : "/search");
});

window.addEventListener("popstate", () => render());

// ---- home ----------------------------------------------------------------------------

async function renderHome(stale) {
  let stats = null;
  try {
    stats = await api("/api/stats");
  } catch (e) {
    /* the home page works without numbers */
  }
  if (stale()) return;
  const examples = ["kepler planet", "author:borucki", 'title:"transit timing"',
                    "category:hep-th year:2011", "galax*"];
  show("", h("section", { class: "hero" },
    h("h1", { text: "Find works and the people behind them" }),
    h("p", { text: "Search titles, abstracts and authors. Fields such as author:, title:, " +
                   "category: and year:2010..2011, phrases in quotes, AND, OR and NOT work." }),
    h("ul", { class: "examples", "aria-label": "Example searches" },
      examples.map((q) => h("li", {}, link(`/search?q=${encodeURIComponent(q)}`, q, { class: "chip" })))),
    stats && h("dl", { class: "counts stats-row" },
      countBox("works", stats.works, "stat-works"),
      countBox("authors", stats.authors, "stat-authors"),
      countBox("collaborations", stats.collaborations, "stat-collaborations"))));
  box.focus();
}

function countBox(label, n, testid) {
  return h("div", {}, h("dt", { text: label }),
    h("dd", { "data-testid": testid, "data-value": n, text: Number(n).toLocaleString() }));
}

// ---- search --------------------------------------------------------------------------

const FILTERS = ["category", "year", "topic", "type", "sort"];

function searchHref(params, changes) {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === "") p.delete(k);
    else p.set(k, v);
  }
  if (!("page" in changes)) p.delete("page");
  const s = p.toString();
  return s ? `/search?${s}` : "/search";
}

async function renderSearch(params, stale) {
  const q = params.get("q") || "";
  const page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  const query = new URLSearchParams();
  query.set("q", q);
  for (const k of FILTERS) if (params.get(k)) query.set(k, params.get(k));
  query.set("page", page);
  query.set("size", PAGE_SIZE);
  const data = await api(`/api/search?${query}`);
  if (stale()) return;

  const total = data.total_estimate;
  const first = (page - 1) * PAGE_SIZE + 1;
  // The total is exact (the page asks for facets, which count every match) unless the
  // server's time limit stopped the count: then it and the facet counts are estimates.
  const count = data.truncated ? `About ${total.toLocaleString()} works`
              : total === 1 ? "1 work" : `${total.toLocaleString()} works`;
  const summary = total === 0 ? `No works match ${q ? `“${q}”` : "these filters"}.`
      : count +
        (data.hits.length ? `, showing ${first}–${first + data.hits.length - 1}` : "") +
        (data.truncated ? " (counting stopped at the time limit; counts are estimates)" : "");

  const active = FILTERS.filter((k) => params.get(k)).map((k) =>
    h("li", {}, link(searchHref(params, { [k]: null }), `${k}: ${params.get(k)} ✕`,
                     { class: "chip", "aria-label": `Remove filter ${k} ${params.get(k)}` })));

  const results = h("section", { "aria-labelledby": "results-title" },
    h("h1", { id: "results-title", class: "visually-hidden", text: q ? `Results for ${q}` : "All works" }),
    data.suggestion ? h("p", { class: "suggestion" }, "Did you mean ",
      link(searchHref(params, { q: data.suggestion }), data.suggestion), "?") : null,
    h("p", { class: "summary", role: "status", "data-testid": "search-summary", "data-total": total,
             text: summary }),
    active.length ? h("ul", { class: "chips", "aria-label": "Active filters" }, active) : null,
    h("ol", { class: "hits", start: first, "data-testid": "hits" }, data.hits.map(hitItem)),
    pager(params, page, total));

  show(q ? `${q}` : "Search", h("div", { class: "results-layout" },
    facetPanel(params, data.facets), results));
}

function hitItem(hit) {
  const shown = hit.authors.slice(0, 8).map((name, i) =>
    hit.author_ids[i] ? link(`/authors/${hit.author_ids[i]}`, name) : document.createTextNode(name));
  const authors = h("p", { class: "authors" });
  shown.forEach((a, i) => append(authors, [i ? ", " : "", a]));
  if (hit.authors.length > 8) authors.append(`, and ${hit.authors.length - 8} more`);
  return h("li", { class: "hit", "data-testid": "hit" },
    h("h3", {}, link(`/works/${hit.work_id}`, hit.title, { "data-testid": "hit-title" })),
    authors,
    h("p", { class: "meta" }, h("span", { text: hit.year || "" }), h("span", { text: hit.type }),
      h("span", { text: hit.venue }), hit.arxiv_id ? h("span", { text: `arXiv:${hit.arxiv_id}` }) : null,
      hit.categories.length ? h("span", { text: hit.categories.join(" ") }) : null,
      hit.withdrawn ? h("span", {}, h("span", { class: "badge warn", text: "withdrawn" })) : null),
    hit.snippet ? snippet(hit.snippet) : null);
}

/// Facets from the API (when it reports them) plus sort and year controls.
function facetPanel(params, facets) {
  const panel = h("nav", { class: "facets card", "aria-label": "Refine results" });
  const sort = h("select", { id: "sort" },
    ["relevance", "newest", "oldest"].map((s) =>
      h("option", { value: s, selected: (params.get("sort") || "relevance") === s }, s)));
  sort.addEventListener("change", () => navigate(searchHref(params, { sort: sort.value === "relevance" ? null : sort.value })));
  panel.append(h("h2", {}, h("label", { for: "sort", text: "Sort by" })), sort);
  for (const [name, values] of Object.entries(facets || {})) {
    const list = Array.isArray(values) ? values : [];
    if (!list.length) continue;
    const key = name;  // facet names are the filter parameters: year, category, topic, type
    panel.append(h("h2", { text: key }), h("ul", {}, list.slice(0, 12).map((f) => {
      const value = String(f.value ?? f.term ?? f.name ?? "");
      const current = params.get(key) === value;
      return h("li", {}, link(searchHref(params, { [key]: current ? null : value }),
        [h("span", { text: value }), h("span", { class: "count", text: f.count ?? "" })],
        { "aria-current": current ? "true" : null, "data-testid": `facet-${key}`,
          "data-value": value, "data-count": f.count ?? "" }));
    })));
  }
  return panel;
}

function pager(params, page, total) {
  const pages = Math.min(Math.ceil(total / PAGE_SIZE), 1000);
  if (pages <= 1) return null;
  const nav = h("nav", { class: "pager", "aria-label": "Pages" });
  const go = (n, text, label) => n < 1 || n > pages
      ? h("span", { class: "disabled", "aria-hidden": "true", text })
      : link(searchHref(params, { page: n === 1 ? null : n }), text, { "aria-label": label });
  nav.append(go(page - 1, "‹ Previous", "Previous page"));
  const from = Math.max(1, page - 3), to = Math.min(pages, page + 3);
  for (let n = from; n <= to; n++) {
    nav.append(n === page ? h("span", { "aria-current": "page", text: n })
                          : go(n, String(n), `Page ${n}`));
  }
  nav.append(go(page + 1, "Next ›", "Next page"));
  return nav;
}

// ---- author --------------------------------------------------------------------------

async function renderAuthor(id, stale) {
  const [p, graph] = await Promise.all([
    api(`/api/authors/${id}`),
    api(`/api/authors/${id}/graph?works=12&people=14`).catch(() => null),
  ]);
  if (stale()) return;
  if (String(p.author_id) !== id) history.replaceState(null, "", `/authors/${p.author_id}`);

  const head = h("section", { class: "card profile-head", "aria-labelledby": "name" },
    h("div", {},
      h("h1", { id: "name", text: p.name }),
      p.variants.length > 1 ? h("p", { class: "muted", text: `Also printed as ${p.variants.filter((v) => v !== p.name).join("; ")}` }) : null,
      p.orcid ? h("p", {}, "ORCID ", h("a", { href: `https://orcid.org/${p.orcid}`, rel: "noopener" }, p.orcid)) : null),
    h("dl", { class: "counts" },
      countBox(p.counts.works === 1 ? "work" : "works", p.counts.works, "count-works"),
      countBox(p.counts.topics === 1 ? "topic" : "topics", p.counts.topics, "count-topics"),
      countBox(p.counts.close_collaborators === 1 ? "close collaborator" : "close collaborators",
               p.counts.close_collaborators, "count-close-collaborators")));

  const topicLink = (t) => {
    const filter = t.kind === "category" ? `category=${encodeURIComponent(t.topic)}`
                                         : `topic=${encodeURIComponent(t.label || t.topic)}`;
    const text = t.kind === "category" && t.label ? `${t.label} (${t.topic})` : t.label || t.topic;
    return h("li", {}, link(`/search?q=${encodeURIComponent(`authorid:${p.author_id}`)}&${filter}`,
      [text, h("span", { class: "count", text: t.works })],
      { class: "chip", title: `${plural(t.works, "work")} by ${p.name}` }));
  };
  const fields = p.topics.filter((t) => t.kind === "category");
  const phrases = p.topics.filter((t) => t.kind !== "category");
  const topics = h("section", { class: "card", "aria-labelledby": "topics-title" },
    h("h2", { id: "topics-title", text: "Topics" }),
    !p.topics.length ? h("p", { class: "muted", text: "No topics yet." }) : null,
    fields.length ? [h("h3", { class: "topic-kind", text: "Fields" }), h("ul", { class: "chips" }, fields.map(topicLink))] : null,
    phrases.length ? [h("h3", { class: "topic-kind", text: "Key phrases" }), h("ul", { class: "chips" }, phrases.map(topicLink))] : null);

  const people = h("section", { class: "card", "aria-labelledby": "people-title" },
    h("h2", { id: "people-title",
              text: `Collaborators (${p.counts.collaborators}, ${p.counts.close_collaborators} close)` }),
    p.collaborators.length ? collaboratorTable(p.collaborators.slice(0, 20))
                           : h("p", { class: "muted", text: "No co-authors in the store." }),
    p.collaborators.length > 20 ? h("p", { class: "more muted", text: `and ${p.collaborators.length - 20} more` }) : null);

  const works = h("section", { class: "card", "aria-labelledby": "works-title" },
    h("h2", { id: "works-title", text: `Works (${p.counts.works})` }),
    h("ol", { class: "works", reversed: true, "data-testid": "works" }, p.works.map(workItem)));

  show(p.name, head,
    h("div", { class: "grid-2 stack" },
      h("div", { class: "stack" }, topics, graph ? graphCard(graph) : null), people),
    works);
}

function collaboratorTable(list) {
  return h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Name" }),
      h("th", { scope: "col", class: "num", text: "Shared works" }), h("th", { scope: "col", text: "Years" }))),
    h("tbody", {}, list.map((c) => h("tr", {},
      h("td", {}, link(`/authors/${c.author_id}`, c.name, { "data-testid": "collaborator" })),
      h("td", { class: "num", text: c.shared_works }),
      h("td", { text: c.first_year === c.last_year ? `${c.first_year}` : `${c.first_year}–${c.last_year}` })))));
}

function workItem(w) {
  return h("li", { class: "work", "data-testid": "work", "data-date": w.date },
    h("h3", {}, link(`/works/${w.work_id}`, w.title, { "data-testid": "work-title" })),
    h("p", { class: "meta" },
      h("span", { class: "badge", "data-testid": "work-type", text: w.type }),
      h("span", { "data-testid": "work-year", text: w.year || "" }), h("span", { text: w.venue }),
      w.arxiv_id ? h("span", { text: `arXiv:${w.arxiv_id}` }) : null,
      w.journal_ref ? h("span", { text: w.journal_ref }) : null,
      w.withdrawn ? h("span", {}, h("span", { class: "badge warn", text: "withdrawn" })) : null),
    w.abstract ? abstractBlock(w.abstract) : null);
}

/// An abstract cut to three lines, with a button that shows the rest.
function abstractBlock(text) {
  const p = h("p", { class: "abstract", text });
  if (text.length < 360) return p;
  p.classList.add("clamped");
  p.id = `abstract-${++abstractCount}`;
  const button = h("button", { type: "button", class: "toggle", "aria-expanded": "false",
                               "aria-controls": p.id, text: "Show full abstract" });
  button.addEventListener("click", () => {
    const open = p.classList.toggle("clamped") === false;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Show less" : "Show full abstract";
  });
  return h("div", {}, p, button);
}
let abstractCount = 0;

/// The co-authorship graph: the author in the middle, co-authors around by shared works;
/// lines between co-authors who also wrote together.
function graphCard(g) {
  const people = g.nodes.filter((n) => n.kind === "author");
  const centre = people.find((n) => n.center);
  const others = people.filter((n) => !n.center).sort((a, b) => b.weight - a.weight);
  const card = h("section", { class: "card graph", "aria-labelledby": "graph-title" },
    h("h2", { id: "graph-title", text: "Co-authorship" }));
  if (!centre || !others.length) {
    card.append(h("p", { class: "muted", text: "No co-authors to draw." }));
    return card;
  }
  const W = 520, H = 360, cx = W / 2, cy = H / 2;
  const pos = new Map([[centre.id, [cx, cy]]]);
  const ring = (i, n, r) => [cx + r * 1.35 * Math.cos(-Math.PI / 2 + (2 * Math.PI * i) / n),
                             cy + r * Math.sin(-Math.PI / 2 + (2 * Math.PI * i) / n)];
  others.forEach((n, i) => pos.set(n.id, ring(i, others.length, others.length > 10 && i % 2 ? 100 : 140)));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "data-testid": "coauthor-graph",
    "aria-label": `${centre.label} and ${others.length} co-authors` });
  root.append(svg("title", {}, `${centre.label} and co-authors`));
  for (const e of g.edges) {
    if (e.kind !== "coauthor" || !pos.has(e.source) || !pos.has(e.target)) continue;
    const [x1, y1] = pos.get(e.source), [x2, y2] = pos.get(e.target);
    const touchesCentre = e.source === centre.id || e.target === centre.id;
    root.append(svg("line", { x1, y1, x2, y2, class: touchesCentre ? "edge centre" : "edge",
                              "stroke-width": Math.min(1 + e.weight, 6) }));
  }
  for (const n of [...others, centre]) {
    const [x, y] = pos.get(n.id);
    const r = n.center ? 16 : 5 + 2.5 * Math.sqrt(n.weight);
    const words = n.label.split(/\s+/).filter((x) => !/^(jr\.?|sr\.?|[ivx]+)$/i.test(x));
    const family = words.length ? words[words.length - 1] : n.label;
    const a = svg("a", { href: `/authors/${n.ref_id}`, class: n.center ? "node centre" : "node",
                         "data-nav": "", "data-testid": "graph-node" },
      svg("title", {}, n.center ? n.label : `${n.label}: ${plural(n.weight, "shared work")}`),
      svg("circle", { cx: x, cy: y, r }),
      svg("text", { x, y: y + r + 12, "text-anchor": "middle" }, n.center ? n.label : family));
    root.append(a);
  }
  card.append(h("figure", {}, root, h("figcaption", {
    text: `Circle size: shared works. ${g.truncated ? "The most frequent co-authors are shown." : ""}` })));
  return card;
}

// ---- work ----------------------------------------------------------------------------

async function renderWork(id, stale) {
  const w = await api(`/api/works/${id}`);
  if (stale()) return;
  const authors = h("p", { class: "author-list", "data-testid": "work-authors" });
  w.authors.forEach((a, i) => append(authors, [i ? ", " : "",
    a.author_id ? link(`/authors/${a.author_id}`, a.name) : a.name]));
  const ids = h("dl", { class: "ids" });
  const row = (k, v) => v && ids.append(h("dt", { text: k }), h("dd", {}, v));
  row("arXiv", w.arxiv_id && h("a", { href: `https://arxiv.org/abs/${w.arxiv_id}`, rel: "noopener" }, `arXiv:${w.arxiv_id}`));
  row("DOI", w.dois.length && w.dois.map((d, i) => [i ? ", " : "", h("a", { href: `https://doi.org/${d}`, rel: "noopener" }, d)]));
  row("Journal", w.journal_ref);
  row("Categories", w.categories.length && w.categories.map((c, i) => [i ? " " : "",
    link(`/search?category=${encodeURIComponent(c)}`, c, { class: "chip" })]));
  row("Versions", w.versions > 0 && `${w.versions} (first ${w.date}${w.last_date && w.last_date !== w.date ? `, latest ${w.last_date}` : ""})`);
  row("Comments", w.comments);
  row("License", w.license);
  const related = Array.isArray(w.related) && w.related.length
    ? h("section", { class: "card", "aria-labelledby": "related-title" },
        h("h2", { id: "related-title", text: "Related works" }),
        h("ol", { class: "hits" }, w.related.map(hitItem)))
    : null;
  show(w.title, h("article", { class: "card work-page", "aria-labelledby": "title",
                               "data-testid": "work-page" },
    h("p", { class: "meta" }, h("span", { class: "badge", text: w.type }), h("span", { text: w.year || "" }),
      h("span", { text: w.venue }),
      w.withdrawn ? h("span", {}, h("span", { class: "badge warn", text: "withdrawn" })) : null,
      w.deleted ? h("span", {}, h("span", { class: "badge warn", text: "removed at the source" })) : null),
    h("h1", { id: "title", text: w.title }),
    authors,
    w.abstract ? h("p", { class: "abstract", text: w.abstract }) : null,
    ids), related);
}

render();
