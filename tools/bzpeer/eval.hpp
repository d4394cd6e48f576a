// bzpeer — evaluation against labelled sets (`bzpeer eval works|authors|topics`).
// Each prints its metrics and ends with one line "<metric> <value>" for scripts.
#pragma once

#include <filesystem>
#include <string>

namespace bzpeer::cli {

/// Work deduplication: pair precision, recall, F1 ("f1 <value>").
/// `format`: "dblp-acm" or "bib-dedupe". Returns the exit code.
int eval_works(const std::string& format, const std::filesystem::path& dir);

/// Author disambiguation: B3 precision, recall, F1 ("f1 <value>").
/// `format`: "andez", "inspire" or "s2and". Returns the exit code.
int eval_authors(const std::string& format, const std::filesystem::path& dir);

/// Keyphrases: F1@5 and F1@10, Porter-stemmed exact match ("f1@10 <value>").
/// `format`: "inspec" or "caragea". Returns the exit code.
int eval_topics(const std::string& format, const std::filesystem::path& dir);

}  // namespace bzpeer::cli
