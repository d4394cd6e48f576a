// bzpeer — the Porter stemmer (M. F. Porter, "An algorithm for suffix stripping",
// Program 14(3), 1980), written from the published description.
//
// Used to merge keyphrase variants ("planet candidates" / "planet candidate") and for
// the keyphrase evaluation, which compares Porter-stemmed phrases by exact match.
#pragma once

#include <string>
#include <string_view>

namespace bzpeer::topics {

/// Stems one lowercase word: "caresses" -> "caress", "ponies" -> "poni",
/// "relational" -> "relat", "generalizations" -> "gener". Words of one or two letters,
/// and words with characters outside a-z, are returned unchanged except that a
/// hyphenated word is stemmed on its last part ("high-resolution" -> "high-resolut").
[[nodiscard]] std::string porter_stem(std::string_view word);

}  // namespace bzpeer::topics
