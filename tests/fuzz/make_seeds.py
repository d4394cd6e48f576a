#!/usr/bin/env python3
"""Builds the fuzz seed corpora from tests/fixtures (nothing is copied into git).

make_seeds.py FIXTURES OUT writes OUT/<target>/<n> for every fuzz target:
  fuzz_oai_page      OAI-PMH pages, big ListRecords pages cut into one-record pages
  fuzz_authors       <authors> of arXivRaw records and "authors" of snapshot lines
  fuzz_tex           titles and abstracts (arXivRaw, snapshot)
  fuzz_crossref      single works: message, or each of message.items
  fuzz_openalex      single works: the file, or each of results
  fuzz_snapshot      lines of the snapshot JSON Lines files
  fuzz_config        config/*.toml (from the repository root next to FIXTURES)
  fuzz_query_parser  tests/fuzz/queries.txt, one query per line
Each corpus holds at most MAX_SEEDS inputs of at most MAX_BYTES bytes.
"""
import glob
import html
import json
import os
import re
import sys

MAX_SEEDS = 300
MAX_BYTES = 16384


def main():
    fixtures, out = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.abspath(fixtures)))
    seeds = {t: [] for t in ("fuzz_oai_page", "fuzz_authors", "fuzz_tex", "fuzz_crossref",
                             "fuzz_openalex", "fuzz_snapshot", "fuzz_config",
                             "fuzz_query_parser")}

    def add(target, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if 0 < len(data) <= MAX_BYTES and len(seeds[target]) < MAX_SEEDS:
            seeds[target].append(data)

    record = re.compile(rb"<record>.*?</record>", re.S)
    for path in sorted(glob.glob(os.path.join(fixtures, "oai", "**", "*.xml"), recursive=True)):
        body = open(path, "rb").read()
        records = record.findall(body)
        if len(body) <= MAX_BYTES or not records:
            add("fuzz_oai_page", body[:MAX_BYTES])
        else:  # keep the envelope, one record per seed
            start = body.find(records[0])
            end = body.rfind(records[-1]) + len(records[-1])
            for r in records[:12]:
                add("fuzz_oai_page", body[:start] + r + body[end:])
        for tag, target in ((rb"authors", "fuzz_authors"), (rb"title", "fuzz_tex"),
                            (rb"abstract", "fuzz_tex")):
            for m in re.findall(rb"<" + tag + rb">(.*?)</" + tag + rb">", body, re.S)[:60]:
                add(target, html.unescape(m.decode("utf-8", "replace")))

    for path in sorted(glob.glob(os.path.join(fixtures, "snapshot", "*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            add("fuzz_snapshot", line.strip())
            doc = json.loads(line)
            add("fuzz_authors", doc.get("authors", ""))
            add("fuzz_tex", doc.get("title", ""))

    for path in sorted(glob.glob(os.path.join(fixtures, "crossref", "*.json"))):
        try:
            message = json.load(open(path, encoding="utf-8")).get("message", {})
        except (ValueError, AttributeError):
            continue
        works = message.get("items", [message]) if isinstance(message, dict) else []
        for work in works:
            add("fuzz_crossref", json.dumps(work, ensure_ascii=False))

    for path in sorted(glob.glob(os.path.join(fixtures, "openalex", "*.json"))):
        doc = json.load(open(path, encoding="utf-8"))
        for work in doc.get("results", [doc]):
            add("fuzz_openalex", json.dumps(work, ensure_ascii=False))

    for path in sorted(glob.glob(os.path.join(root, "config", "*.toml"))):
        add("fuzz_config", open(path, "rb").read())
    queries = os.path.join(root, "tests", "fuzz", "queries.txt")
    for line in open(queries, encoding="utf-8"):
        add("fuzz_query_parser", line.rstrip("\n"))

    for target, inputs in seeds.items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        for i, data in enumerate(inputs):
            with open(os.path.join(folder, "seed-%03d" % i), "wb") as f:
                f.write(data)
        print("%-18s %4d seeds" % (target, len(inputs)))


if __name__ == "__main__":
    main()
