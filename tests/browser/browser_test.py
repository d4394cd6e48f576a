#!/usr/bin/env python3
"""The bzpeer web page in headless Chromium, driven over the W3C WebDriver protocol.

Builds a store from the bundled arXiv sample (bzpeer-replay on 127.0.0.1, then
`bzpeer harvest` and `bzpeer rebuild`), starts `bzpeer serve` on a free loopback port and
chromedriver with headless Chromium, and checks what a reader sees against the JSON API:
a profile (counts, works newest first, collaborator links, the co-authorship graph), a
search from the search box with a facet, a work page, and every shareable address loaded
directly. Saves screenshots (PNG) into --out.

Standard library only (no npm, no Selenium): WebDriver is plain HTTP and JSON.

    python3 tests/browser/browser_test.py --bzpeer BUILD/tools/bzpeer \\
        --replay BUILD/tools/bzpeer-replay --out BUILD/tests/browser

Exits 0 when every check passes, 1 naming the failed step otherwise; every process it
started is stopped on every exit path (also on SIGINT and SIGTERM).
"""

import argparse
import base64
import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")
SAMPLE = os.path.join(FIXTURES, "oai", "arxivraw-sample")
FIXTURE_AUTHOR = "William J. Borucki"
SEARCH_TERMS = "star"
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"  # W3C WebDriver element reference
WAIT_S = 20.0  # longest wait for one page state


class Failure(Exception):
    """A failed check; the message names the step."""


_step = "start-up"


@contextlib.contextmanager
def step(name):
    """Names the step that is running, for failure messages and the progress log."""
    global _step
    _step = name
    started = time.monotonic()
    print(f"[browser] {name} ...", flush=True)
    yield
    print(f"[browser] {name}: ok ({time.monotonic() - started:.1f}s)", flush=True)


def fail(message):
    raise Failure(f"step '{_step}': {message}")


def check(condition, message):
    if not condition:
        fail(message)


def check_eq(actual, expected, what):
    if actual != expected:
        fail(f"{what}: expected {expected!r}, got {actual!r}")


def wait_for(probe, what, timeout=WAIT_S, interval=0.05):
    """Polls `probe` until it returns something truthy; returns that."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() > deadline:
            fail(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")
        time.sleep(interval)


# ---- processes ------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child: get SIGTERM when this script dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
    except (OSError, AttributeError):
        pass


class Processes:
    """The processes this script started; stop_all() ends each (and its group)."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.running = []  # (name, Popen, log path)

    def start(self, name, argv, **kwargs):
        log = os.path.join(self.log_dir, f"{name}.log")
        out = open(log, "wb")
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=_die_with_parent, **kwargs)
        finally:
            out.close()
        self.running.append((name, proc, log))
        return proc

    def log_tail(self, name, lines=30):
        for n, _, log in self.running:
            if n == name:
                with open(log, "rb") as f:
                    return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        return ""

    def stop(self, proc):
        """SIGTERM to the process group (chromedriver's includes Chromium), then SIGKILL."""
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left in the group (Chromium's helpers outlive a killed driver).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)

    def stop_all(self):
        for _, proc, _ in reversed(self.running):
            self.stop(proc)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(argv, what, timeout=120):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=timeout, preexec_fn=_die_with_parent)
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode != 0:
        fail(f"{what} exited with {r.returncode}:\n{out}")
    return out


# ---- HTTP ------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_plain = urllib.request.build_opener(_NoRedirect)


def http_get(url, timeout=30):
    """(status, content type, body bytes); redirects are not followed."""
    try:
        with _plain.open(url, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


class Api:
    def __init__(self, base):
        self.base = base

    def get(self, path, expected=200):
        status, ctype, body = http_get(self.base + path)
        if status != expected:
            fail(f"GET {path}: expected HTTP {expected}, got {status}: {body[:300]!r}")
        check(ctype.startswith("application/json"), f"GET {path}: content type {ctype!r}")
        return json.loads(body)


# ---- WebDriver -------------------------------------------------------------------------


class WebDriver:
    """The few W3C WebDriver commands this test needs, over chromedriver's HTTP port."""

    def __init__(self, base):
        self.base = base
        self.session = None

    def command(self, method, path, body=None, timeout=60):
        url = self.base + (f"/session/{self.session}" if self.session else "") + path
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                reply = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                value = json.load(e).get("value", {})
            except ValueError:
                value = {}
            fail(f"WebDriver {method} {path}: {e.code} {value.get('error', '')}: "
                 f"{str(value.get('message', '')).splitlines()[0] if value.get('message') else ''}")
        return reply.get("value")

    def new_session(self, chromium, user_data_dir):
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={user_data_dir}", "--window-size=1280,1000",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--lang=en-US"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {"pageLoad": 30000, "script": 30000, "implicit": 0},
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}
        value = self.command("POST", "/session", caps, timeout=120)
        self.session = value["sessionId"]

    def quit(self):
        if self.session:
            with contextlib.suppress(Exception):
                self.command("DELETE", "", timeout=20)
            self.session = None

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def url(self):
        return self.command("GET", "/url")

    def js(self, script, *args):
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.command("POST", "/element", {"using": "css selector", "value": css})

    def click(self, element):
        self.command("POST", f"/element/{element[ELEMENT_KEY]}/click")

    def type(self, element, text):
        self.command("POST", f"/element/{element[ELEMENT_KEY]}/clear")
        self.command("POST", f"/element/{element[ELEMENT_KEY]}/value", {"text": text})

    def screenshot(self, path):
        png = base64.b64decode(self.command("GET", "/screenshot"))
        check(png.startswith(b"\x89PNG\r\n\x1a\n"), f"screenshot {path} is not a PNG")
        with open(path, "wb") as f:
            f.write(png)
        return len(png)

    def console_errors(self):
        """SEVERE browser console entries since the last call (chromedriver's log)."""
        entries = self.command("POST", "/se/log", {"type": "browser"})
        return [e.get("message", "") for e in entries or [] if e.get("level") == "SEVERE"]


# ---- page helpers ----------------------------------------------------------------------

# The page marks main[data-state] "loading", then "ready" or "error", and main[data-page]
# with the address the view shows.
_VIEW = """
const m = document.getElementById('main');
if (!m) return null;
return {state: m.dataset.state || '', page: m.dataset.page || '',
        error: m.dataset.state === 'error' ? m.innerText : ''};
"""


def wait_view(wd, page, what):
    """Waits until the page shows the view of `page` (path and query); fails on an error view."""

    def probe():
        v = wd.js(_VIEW)
        if v and v["state"] == "error" and v["page"] == page:
            fail(f"{what}: the page shows an error: {v['error']!r}")
        return v if v and v["state"] == "ready" and v["page"] == page else None

    return wait_for(probe, f"{what} ({page}) to be shown")


def texts(wd, css):
    return wd.js("return [...document.querySelectorAll(arguments[0])]"
                 ".map((e) => e.textContent.trim());", css)


def attrs(wd, css, name):
    return wd.js("return [...document.querySelectorAll(arguments[0])]"
                 ".map((e) => e.getAttribute(arguments[1]));", css, name)


def path_of(url):
    u = urllib.parse.urlsplit(url)
    return u.path + (f"?{u.query}" if u.query else "")


# ---- the checks ------------------------------------------------------------------------


def check_profile(wd, api, author_id):
    """The profile view of `author_id` (already shown) against /api/authors/{id}."""
    p = api.get(f"/api/authors/{author_id}")
    check_eq(texts(wd, "h1#name"), [p["name"]], "the name on the profile")
    for testid, key in [("count-works", "works"), ("count-topics", "topics"),
                        ("count-close-collaborators", "close_collaborators")]:
        shown = attrs(wd, f'[data-testid="{testid}"]', "data-value")
        check_eq(shown, [str(p["counts"][key])], f"the {key} count shown")
        check_eq(texts(wd, f'[data-testid="{testid}"]'), [f"{p['counts'][key]:,}"],
                 f"the {key} count's text")
    check_eq(p["counts"]["works"], len(p["works"]), "API works count vs works listed")

    # Works: every one, in the API's order, which is newest first; each with its type,
    # year and title.
    works = wd.js("""return [...document.querySelectorAll('[data-testid="work"]')].map((li) => ({
        date: li.dataset.date,
        type: li.querySelector('[data-testid="work-type"]')?.textContent,
        year: li.querySelector('[data-testid="work-year"]')?.textContent,
        title: li.querySelector('[data-testid="work-title"]')?.textContent,
        href: li.querySelector('[data-testid="work-title"]')?.getAttribute('href')}));""")
    check_eq(len(works), len(p["works"]), "works listed on the profile")
    check(len(works) > 0, "the fixture author has no works")
    dates = [w["date"] for w in works]
    check_eq(dates, sorted(dates, reverse=True), "work dates (newest first)")
    for shown, w in zip(works, p["works"]):
        check_eq(shown["title"], w["title"], "a work's title")
        check_eq(shown["type"], w["type"], f"the type of {w['title']!r}")
        check(shown["type"], f"{w['title']!r} shows no type")
        check_eq(shown["year"], str(w["year"]) if w["year"] else "", f"the year of {w['title']!r}")
        check(shown["year"], f"{w['title']!r} shows no year")
        check_eq(shown["date"], w["date"], f"the date of {w['title']!r}")
        check_eq(shown["href"], f"/works/{w['work_id']}", f"the link of {w['title']!r}")

    # Collaborators: each links /authors/{id} of a real author, under that author's name.
    links = wd.js("""return [...document.querySelectorAll('[data-testid="collaborator"]')]
        .map((a) => ({href: a.getAttribute('href'), name: a.textContent}));""")
    expected = p["collaborators"][:20]
    check_eq([l["href"] for l in links], [f"/authors/{c['author_id']}" for c in expected],
             "collaborator links (the first 20, most shared works first)")
    for link in links:
        other = api.get(link["href"].replace("/authors/", "/api/authors/", 1))
        check_eq(other["name"], link["name"], f"the name behind {link['href']}")

    # The co-authorship graph: one node per person in the API's graph.
    graph = api.get(f"/api/authors/{author_id}/graph?works=12&people=14")
    people = [n for n in graph["nodes"] if n["kind"] == "author"]
    nodes = wait_for(lambda: attrs(wd, '[data-testid="coauthor-graph"] [data-testid="graph-node"]',
                                   "href"), "the co-authorship graph's nodes")
    check_eq(sorted(nodes), sorted(f"/authors/{n['ref_id']}" for n in people), "graph nodes")
    check(len(nodes) > 1, "the graph shows no co-authors")
    check_eq(wd.js("return document.querySelectorAll("
                   "'[data-testid=\"coauthor-graph\"] circle').length;"), len(people),
             "circles in the graph")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bzpeer", required=True, help="the bzpeer executable")
    ap.add_argument("--replay", required=True, help="the bzpeer-replay executable")
    ap.add_argument("--out", required=True, help="directory for the screenshots")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--chromedriver",
                    default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--web-root", help="serve the page from this directory instead of the copy "
                    "built into bzpeer (bzpeer serve --web-root), to try page changes")
    args = ap.parse_args()

    # SIGTERM (ctest's timeout, a CI cancel) and SIGINT unwind through the cleanup below.
    def on_signal(signum, _frame):
        raise Failure(f"step '{_step}': interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    for exe in (args.bzpeer, args.replay, args.chromium, args.chromedriver):
        if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
            print(f"[browser] FAILED: not an executable: {exe}", file=sys.stderr)
            return 1
    os.makedirs(args.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="bzpeer-browser-")
    procs = Processes(tmp)
    try:
        run_checks(args, tmp, procs)
        return 0
    except Failure as e:
        print(f"[browser] FAILED: {e}", file=sys.stderr)
        for name in ("serve", "chromedriver"):
            tail = procs.log_tail(name)
            if tail:
                print(f"[browser] last lines of {name}.log:\n{tail}", file=sys.stderr)
        return 1
    finally:
        procs.stop_all()
        if args.keep:
            print(f"[browser] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_checks(args, tmp, procs):
    with step("build the fixture store (replay, harvest, rebuild)"):
        port_file = os.path.join(tmp, "replay.port")
        replay = procs.start("replay", [args.replay, "--dir", SAMPLE, "--port", "0",
                                        "--port-file", port_file, "--page-size", "100"])

        def replay_port():
            check(replay.poll() is None, f"bzpeer-replay exited with {replay.returncode}: "
                  + procs.log_tail("replay"))
            with contextlib.suppress(OSError, ValueError):
                with open(port_file) as f:
                    return int(f.read().strip())
            return None

        rport = wait_for(replay_port, "bzpeer-replay's port file")
        config = os.path.join(tmp, "bzpeer.toml")
        with open(config, "w") as f:
            f.write(f'[storage]\ndir = "{os.path.join(tmp, "var")}"\n'
                    '[harvest]\ncontact = "browser-test@localhost"\ninitial_backoff_s = 0.05\n'
                    '[log]\nlevel = "info"\n'
                    '[[source]]\nname = "arxiv"\nkind = "oai-pmh"\n'
                    f'url = "http://127.0.0.1:{rport}/oai"\nmetadata_prefix = "arXivRaw"\n'
                    'min_interval_s = 0\n')
        out = run([args.bzpeer, "--config", config, "harvest"], "bzpeer harvest")
        check("added=509" in out, f"harvest did not add the 509 sample records:\n{out}")
        run([args.bzpeer, "--config", config, "rebuild"], "bzpeer rebuild")
        procs.stop(replay)

    with step("start bzpeer serve"):
        for attempt in range(3):  # a free port can be taken between probing and binding
            port = free_port()
            web_root = ["--web-root", args.web_root] if args.web_root else []
            serve = procs.start("serve", [args.bzpeer, "--config", config, "serve",
                                          "--listen", f"127.0.0.1:{port}"] + web_root)
            base = f"http://127.0.0.1:{port}"

            def healthy():
                if serve.poll() is not None:
                    return "exited"
                with contextlib.suppress(OSError):
                    return "up" if http_get(base + "/healthz", timeout=2)[0] == 200 else None
                return None

            if wait_for(healthy, "bzpeer serve to answer /healthz") == "up":
                break
            if attempt == 2:
                fail(f"bzpeer serve exited with {serve.returncode}:\n{procs.log_tail('serve')}")
        api = Api(base)

    with step("start chromedriver and headless Chromium"):
        for attempt in range(3):
            dport = free_port()
            driver = procs.start("chromedriver", [args.chromedriver, f"--port={dport}"])

            def ready():
                if driver.poll() is not None:
                    return "exited"
                with contextlib.suppress(OSError, ValueError):
                    with urllib.request.urlopen(f"http://127.0.0.1:{dport}/status", timeout=2) as r:
                        return "up" if json.load(r)["value"]["ready"] else None
                return None

            if wait_for(ready, "chromedriver's /status") == "up":
                break
            if attempt == 2:
                fail(f"chromedriver exited:\n{procs.log_tail('chromedriver')}")
        wd = WebDriver(f"http://127.0.0.1:{dport}")
        profile_dir = os.path.join(tmp, "chromium-profile")
        os.makedirs(profile_dir)
        wd.new_session(args.chromium, profile_dir)

    try:
        browse(wd, api, base, args.out)
    finally:
        wd.quit()


def browse(wd, api, base, out):
    shots = {}

    with step(f"open the profile of {FIXTURE_AUTHOR} at its address"):
        found = api.get("/api/authors?q=" + urllib.parse.quote(FIXTURE_AUTHOR))["authors"]
        ids = [a["author_id"] for a in found if a["name"] == FIXTURE_AUTHOR]
        check_eq(len(ids), 1, f"authors named {FIXTURE_AUTHOR} in /api/authors")
        author_id = ids[0]
        wd.open(f"{base}/authors/{author_id}")
        wait_view(wd, f"/authors/{author_id}", "the profile")

    with step("profile: counts, works, collaborator links and graph match the API"):
        profile = check_profile(wd, api, author_id)
        shots["profile"] = wd.screenshot(os.path.join(out, "profile.png"))

    with step("follow a collaborator link"):
        target = profile["collaborators"][0]
        wd.js("window.__sameDocument = true;")
        wd.click(wd.find(f'[data-testid="collaborator"][href="/authors/{target["author_id"]}"]'))
        wait_view(wd, f"/authors/{target['author_id']}", "the collaborator's profile")
        check_eq(path_of(wd.url()), f"/authors/{target['author_id']}", "the address bar")
        check(wd.js("return window.__sameDocument === true;"),
              "following a link reloaded the page instead of showing the new view in place")
        check_profile(wd, api, target["author_id"])

    with step("follow a node of the co-authorship graph"):
        wd.click(wd.find(f'[data-testid="graph-node"][href="/authors/{author_id}"]'))
        wait_view(wd, f"/authors/{author_id}", "the profile from the graph")
        check(wd.js("return window.__sameDocument === true;"),
              "a graph node reloaded the page instead of showing the profile in place")
        check_eq(texts(wd, "h1#name"), [FIXTURE_AUTHOR], "the name after following the graph")

    with step("a topic on the profile lists the author's works on it"):
        topic = profile["topics"][0]
        chip = wd.find('section[aria-labelledby="topics-title"] a.chip')
        href = wd.command("GET", f"/element/{chip[ELEMENT_KEY]}/attribute/href")
        wd.click(chip)
        wait_view(wd, href, "the author's works on a topic")
        query = urllib.parse.urlsplit(href).query
        listed = api.get(f"/api/search?{query}&size=10")
        check_eq(listed["total_estimate"], topic["works"],
                 f"works of {FIXTURE_AUTHOR} on {topic['topic']!r} (search vs profile)")
        check_eq(attrs(wd, '[data-testid="search-summary"]', "data-total"),
                 [str(topic["works"])], "the total shown for the topic")
        wd.command("POST", "/back")
        wait_view(wd, f"/authors/{author_id}", "the profile after going back")

    with step(f"search for {SEARCH_TERMS!r} from the search box"):
        box = wd.find("#q")
        wd.type(box, SEARCH_TERMS)
        wd.click(wd.find('#search-form button[type="submit"]'))
        page = "/search?q=" + urllib.parse.quote(SEARCH_TERMS)
        wait_view(wd, page, "the search results")
        check_eq(path_of(wd.url()), page, "the address after searching")
        expected = api.get(f"/api/search?q={urllib.parse.quote(SEARCH_TERMS)}&size=10")
        check(expected["total_estimate"] > 10, "the search should fill more than one page")
        check_eq(attrs(wd, '[data-testid="search-summary"]', "data-total"),
                 [str(expected["total_estimate"])], "the total shown")
        check_eq(texts(wd, '[data-testid="hit-title"]'), [h["title"] for h in expected["hits"]],
                 "the hits shown")
        summary = texts(wd, '[data-testid="search-summary"]')[0]
        check(summary.startswith(f"{expected['total_estimate']:,} works"),
              f"the summary does not state the total: {summary!r}")

    with step("narrow the search with a year facet"):
        facets = wd.js("""return [...document.querySelectorAll('[data-testid="facet-year"]')]
            .map((a) => ({href: a.getAttribute('href'), value: a.dataset.value,
                          count: Number(a.dataset.count)}));""")
        check(len(facets) > 1, f"expected several year facets, got {facets}")
        api_years = {f["value"]: f["count"] for f in expected["facets"]["year"]}
        for f in facets:
            check_eq(f["count"], api_years.get(f["value"]), f"the count of year {f['value']}")
        # A value that narrows the results but keeps some.
        facet = next((f for f in facets if 0 < f["count"] < expected["total_estimate"]), None)
        check(facet is not None, f"no year facet narrows the results: {facets}")
        wd.click(wd.find(f'[data-testid="facet-year"][data-value="{facet["value"]}"]'))
        wanted = f"/search?q={urllib.parse.quote(SEARCH_TERMS)}&year={facet['value']}"
        check_eq(facet["href"], wanted, "the facet's address")
        wait_view(wd, wanted, "the narrowed results")
        check_eq(path_of(wd.url()), wanted, "the address after the facet")
        narrowed = api.get(f"/api/search?q={urllib.parse.quote(SEARCH_TERMS)}"
                           f"&year={facet['value']}&size=10")
        check_eq(narrowed["total_estimate"], facet["count"], "API total vs the facet's count")
        check_eq(attrs(wd, '[data-testid="search-summary"]', "data-total"),
                 [str(facet["count"])], "the total shown after the facet")
        check_eq(len(texts(wd, '[data-testid="hit"]')), min(10, facet["count"]), "hits shown")
        check_eq(texts(wd, '[data-testid="hit-title"]'), [h["title"] for h in narrowed["hits"]],
                 "the narrowed hits")
        check_eq(attrs(wd, '[data-testid="facet-year"][aria-current="true"]', "data-value"),
                 [facet["value"]], "the selected facet")

    with step("narrow further with a category facet (both filters apply)"):
        facets = wd.js("""return [...document.querySelectorAll('[data-testid="facet-category"]')]
            .map((a) => ({value: a.dataset.value, count: Number(a.dataset.count)}));""")
        api_categories = {f["value"]: f["count"] for f in narrowed["facets"]["category"]}
        check_eq({f["value"]: f["count"] for f in facets}, api_categories, "category facets")
        category = next((f for f in facets if 0 < f["count"] < facet["count"]), None)
        check(category is not None, f"no category facet narrows the results: {facets}")
        wd.click(wd.find(f'[data-testid="facet-category"][data-value="{category["value"]}"]'))
        wanted = (f"/search?q={urllib.parse.quote(SEARCH_TERMS)}&year={facet['value']}"
                  f"&category={urllib.parse.quote(category['value'])}")
        wait_view(wd, wanted, "the results with two filters")
        check_eq(path_of(wd.url()), wanted, "the address with two filters")
        narrowed = api.get(f"/api/search?q={urllib.parse.quote(SEARCH_TERMS)}"
                           f"&year={facet['value']}&category={category['value']}&size=10")
        check_eq(narrowed["total_estimate"], category["count"], "API total vs the category's count")
        check_eq(attrs(wd, '[data-testid="search-summary"]', "data-total"),
                 [str(category["count"])], "the total shown with two filters")
        check_eq(texts(wd, '[data-testid="hit-title"]'), [h["title"] for h in narrowed["hits"]],
                 "the hits with two filters")
        shots["search"] = wd.screenshot(os.path.join(out, "search.png"))

    with step("open a work from the results"):
        hit = narrowed["hits"][0]
        wd.click(wd.find(f'[data-testid="hit-title"][href="/works/{hit["work_id"]}"]'))
        wait_view(wd, f"/works/{hit['work_id']}", "the work page")
        work = api.get(f"/api/works/{hit['work_id']}")
        check_eq(texts(wd, '[data-testid="work-page"] h1'), [work["title"]], "the work's title")
        shown = wd.js("""return [...document.querySelectorAll('[data-testid="work-authors"] a')]
            .map((a) => ({href: a.getAttribute('href'), name: a.textContent}));""")
        check_eq(shown, [{"href": f"/authors/{a['author_id']}", "name": a["name"]}
                         for a in work["authors"] if a["author_id"]], "the work's author links")
        shots["work"] = wd.screenshot(os.path.join(out, "work.png"))

    with step("a work's category lists that category's works"):
        category = work["categories"][0]
        wd.click(wd.find(f'[data-testid="work-page"] a.chip[href="/search?category={category}"]'))
        wait_view(wd, f"/search?category={category}", "the category's works")
        listed = api.get(f"/api/search?category={category}&size=10")
        check(listed["total_estimate"] >= 1, f"no works in {category}")
        check_eq(attrs(wd, '[data-testid="search-summary"]', "data-total"),
                 [str(listed["total_estimate"])], f"the works in {category}")
        wd.command("POST", "/back")
        wait_view(wd, f"/works/{hit['work_id']}", "the work page after going back")

    with step("the browser's back button returns to the narrowed results"):
        wd.command("POST", "/back")
        wait_view(wd, wanted, "the results after going back")

    with step("every shareable address loads directly"):
        stats = api.get("/api/stats")
        wd.open(base + "/")
        wait_view(wd, "/", "the home page")
        check_eq(attrs(wd, '[data-testid="stat-works"]', "data-value"), [str(stats["works"])],
                 "the works count on the home page")
        shots["home"] = wd.screenshot(os.path.join(out, "home.png"))
        direct = "/search?q=" + urllib.parse.quote("planet") + "&category=astro-ph&sort=newest"
        wd.open(base + direct)
        wait_view(wd, direct, "a bookmarked search")
        check_eq(wd.js("return document.getElementById('q').value;"), "planet", "the search box")
        listed = api.get("/api/search?q=planet&category=astro-ph&sort=newest&size=10")
        check_eq(texts(wd, '[data-testid="hit-title"]'), [h["title"] for h in listed["hits"]],
                 "the bookmarked search's hits")
        check_eq(attrs(wd, '[data-testid="facet-category"][aria-current="true"]', "data-value"),
                 ["astro-ph"] if any(f["value"] == "astro-ph" for f in
                                     listed["facets"]["category"]) else [],
                 "the selected category")
        wd.open(f"{base}/works/{hit['work_id']}")
        wait_view(wd, f"/works/{hit['work_id']}", "a bookmarked work")
        check_eq(texts(wd, '[data-testid="work-page"] h1'), [work["title"]], "the work's title")
        wd.open(f"{base}/authors/{author_id}")
        wait_view(wd, f"/authors/{author_id}", "a bookmarked profile")
        check_profile(wd, api, author_id)

    with step("an unknown author shows 'Not found'"):
        wd.open(f"{base}/authors/987654321")
        v = wait_for(lambda: (lambda v: v if v and v["state"] == "error" else None)(wd.js(_VIEW)),
                     "the error view")
        check_eq(v["page"], "/authors/987654321", "the error view's address")
        check_eq(texts(wd, "#main h1"), ["Not found"], "the error heading")

    with step("a malformed query shows the server's message"):
        bad = "/search?q=" + urllib.parse.quote("planet AND")
        wd.open(base + bad)
        v = wait_for(lambda: (lambda v: v if v and v["state"] == "error" else None)(wd.js(_VIEW)),
                     "the error view")
        check_eq(v["page"], bad, "the error view's address")
        expected = api.get("/api/search?q=" + urllib.parse.quote("planet AND"), 400)
        check_eq(texts(wd, "#main h1"), ["That request is not valid"], "the error heading")
        check_eq(texts(wd, '[data-testid="error-message"]'), [expected["error"]["message"]],
                 "the message shown")

    with step("no script errors in the browser console"):
        logged = wd.console_errors()
        # The one expected entry (Chromium logs the 404 of the unknown author's fetch)
        # shows that the console log is read at all.
        check(any("/api/authors/987654321" in e for e in logged),
              f"the console log does not show the expected 404: {logged}")
        errors = [e for e in logged
                  if "/api/authors/987654321" not in e and "/api/search?q=planet" not in e]
        check(not errors, "console errors:\n" + "\n".join(errors))

    print("[browser] screenshots: " + ", ".join(
        f"{os.path.join(out, name + '.png')} ({size:,} bytes)" for name, size in shots.items()))


if __name__ == "__main__":
    sys.exit(main())
