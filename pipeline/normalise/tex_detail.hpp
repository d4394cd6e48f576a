// bzpeer — name-mode TeX conversion (internal header).
#pragma once

#include <string>
#include <string_view>

namespace bzpeer::normalise::detail {

/// tex_to_unicode for author names: additionally reads letter macros glued to the following
/// letters (`J\orgensen` → Jørgensen, `Y\ild\iz` → Yıldız) and `\c`/`\v`/`\k` glued to their
/// letter (`Lefran\ccois` → Lefrançois, `K\kedra` → Kędra), which TeX would reject but real
/// arXiv author strings contain. Common TeX commands (`\it`, `\ldots`, …) are not split.
[[nodiscard]] std::string tex_to_unicode_name(std::string_view text);

}  // namespace bzpeer::normalise::detail
