// Generated arXiv-like works for the index benchmarks (bench_rebuild, bench_query).
//
// Words are drawn from the titles and abstracts of the bundled arXiv sample
// (tests/fixtures/oai/arxivraw-sample), with about 3% altered into rare ones so the
// vocabulary has a long tail like a real corpus. A work has 9-15 title words, 160-219
// abstract words and 6 authors: about 430 words indexed (each also under its field
// prefix), as in DESIGN.md's measurements. The same seed gives the same works.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "index/search/index_document.hpp"

namespace bzpeer::bench {

/// Words (as printed) from every <title> and <abstract> of the sample pages.
inline std::vector<std::string> sample_words(const std::filesystem::path& pages) {
  std::vector<std::filesystem::path> files;  // sorted: the same words on every machine
  std::error_code ec;
  for (std::filesystem::directory_iterator it(pages, ec), end; !ec && it != end; it.increment(ec)) {
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> words;
  for (const auto& file : files) {
    std::ifstream in(file);
    const std::string xml{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    for (const std::string tag : {"title", "abstract"}) {
      const std::string open = "<" + tag + ">";
      const std::string close = "</" + tag + ">";
      for (std::size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
        at += open.size();
        const std::size_t stop = xml.find(close, at);
        if (stop == std::string::npos) break;
        std::string word;
        for (std::size_t i = at; i <= stop; ++i) {
          const char c = i < stop ? xml[i] : ' ';
          const bool part = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-';
          if (part) {
            word.push_back(c);
          } else if (!word.empty()) {
            words.push_back(word);
            word.clear();
          }
        }
        at = stop;
      }
    }
  }
  return words;
}

inline std::vector<search::IndexDocument> make_corpus(std::size_t n,
                                                      const std::vector<std::string>& words,
                                                      std::uint64_t seed) {
  static const char* given[] = {"William J.", "Jack", "Daniel C.", "Eric B.", "Geoffrey W.",
                                "Wei",        "Li",   "Maria",     "Anna",    "Samuel S.",
                                "Juan",       "Amit", "Pedro",     "Hyun",    "Fu"};
  static const char* family[] = {"Borucki",   "Lissauer", "Fabrycky", "Ford",  "Marcy",
                                 "Zhang",     "Wang",     "Garcia",   "Rossi", "Schoenholz",
                                 "Maldacena", "Sever",    "Vieira",   "Kim",   "Tang"};
  static const char* categories[] = {
      "astro-ph.EP", "astro-ph.CO",       "hep-th", "hep-ph", "cs.LG", "cs.CV", "math.CO",
      "quant-ph",    "cond-mat.mes-hall", "stat.ML"};
  static const char* topics[] = {"Exoplanet Detection and Characterization",
                                 "Dark Matter and Cosmic Phenomena", "Graph Neural Networks",
                                 "Quantum Error Correction", "Scattering Amplitudes"};
  std::mt19937_64 rng(seed);
  const auto pick = [&](std::size_t size) { return static_cast<std::size_t>(rng() % size); };
  // About 3% of words become rare ones (a real vocabulary has a long tail).
  const auto word = [&] {
    std::string w = words[pick(words.size())];
    if (pick(100) < 3) {
      w += 'x';
      w += std::to_string(pick(200000));
    }
    return w;
  };
  const auto text = [&](std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
      if (i != 0) out += ' ';
      out += word();
    }
    return out;
  };
  std::vector<search::IndexDocument> docs(n);
  for (std::size_t i = 0; i < n; ++i) {
    search::IndexDocument& d = docs[i];
    d.work_id = static_cast<std::int64_t>(i + 1);
    d.arxiv_id = std::to_string(1000 + i / 10000) + "." + std::to_string(10000 + i % 10000);
    d.dois = {std::string("10.1234/bench.") + std::to_string(i)};
    d.title = text(9 + pick(7));
    d.abstract = text(160 + pick(60));
    for (int a = 0; a < 6; ++a) {
      d.author_names.push_back(std::string(given[pick(std::size(given))]) + " " +
                               family[pick(std::size(family))]);
      d.author_ids.push_back(static_cast<std::int64_t>(pick(50000)));
    }
    d.categories = {categories[pick(std::size(categories))],
                    categories[pick(std::size(categories))]};
    d.topics = {topics[pick(std::size(topics))]};
    d.type = pick(4) == 0 ? "article" : "preprint";
    d.sources = {"arxiv"};
    d.year = 2000 + static_cast<int>(pick(25));
    d.date = std::to_string(d.year) + "-0" + std::to_string(1 + pick(9)) + "-1" +
             std::to_string(pick(10));
  }
  return docs;
}

}  // namespace bzpeer::bench
