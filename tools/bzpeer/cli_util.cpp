// bzpeer — helpers shared by the read-only verbs.
#include "tools/bzpeer/cli_util.hpp"

namespace bzpeer::cli {

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
    return fail(ErrorCode::invalid_argument,
                "--year expects YEAR or FROM..TO, got \"" + text + "\"");
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

}  // namespace bzpeer::cli
