// bzpeer — the web page's files (tools/server/web/), built into the binary so an
// installed `bzpeer serve` needs no data directory. The table is generated at build time
// by embed_web_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace bzpeer::server {

struct WebAsset {
  std::string_view name;          ///< file name, e.g. "app.js"
  std::string_view content_type;  ///< e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;
};

/// Every embedded asset, in file-name order.
[[nodiscard]] std::span<const WebAsset> embedded_web_assets();

/// The Content-Type for a file name by its extension (html, css, js, svg, json, txt).
[[nodiscard]] std::string_view content_type_for(std::string_view name);

}  // namespace bzpeer::server
