// bzpeer — a small CSV reader for labelled evaluation sets (pure: bytes in, cells out).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bzpeer::dedupe {

/// Returns the text as UTF-8: a UTF-8 byte-order mark is dropped; text that is valid
/// UTF-8 is returned unchanged; anything else is read as Windows-1252/Latin-1 (the
/// Leipzig DBLP2.csv is Latin-1: "Ugur \xC7etintemel" → "Ugur Çetintemel").
[[nodiscard]] std::string to_utf8(std::string_view bytes);

/// A parsed CSV file: the first record is the header.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< short rows are padded with ""

  /// Index of a header column (exact, case-sensitive), or -1.
  [[nodiscard]] int column(std::string_view name) const;
  /// The cell of a row in a column index; "" for -1.
  [[nodiscard]] const std::string& cell(const std::vector<std::string>& row, int column) const;
};

/// Parses RFC 4180 CSV: fields separated by commas, records by LF or CRLF; a field in
/// double quotes may hold commas, quotes (doubled) and line breaks. A stray quote inside
/// an unquoted field is kept as a character. Blank lines are skipped. With `has_header`
/// false every record is a row and the header stays empty. Never throws.
[[nodiscard]] CsvTable parse_csv(std::string_view text, bool has_header = true);

}  // namespace bzpeer::dedupe
