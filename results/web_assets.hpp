#pragma once
// Files of the report and the what-if page compiled into the program (cmake/embed_files.cpp):
// the page templates from web/src and the Vega, Vega-Lite and Vega-Embed builds pinned by
// web/package-lock.json.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace multivector::results {

// Every embedded asset by key (generated at build time).
[[nodiscard]] const std::map<std::string, std::string_view, std::less<>>& web_asset_files();

// The asset named `key` ("report.html", "vega.min.js", ...), or nullopt when the build did not
// find it (the chart libraries are absent until `npm ci` has run in web/).
[[nodiscard]] std::optional<std::string_view> web_asset(std::string_view key);

// The asset, or an OutputError that tells how to install it.
[[nodiscard]] std::string_view required_web_asset(std::string_view key);

}  // namespace multivector::results
