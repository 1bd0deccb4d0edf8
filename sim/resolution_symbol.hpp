#pragma once
// One spelling for a General Assembly resolution symbol, so that a scenario's `resolution:`, a
// recorded-vote file and a `--holdout` argument written as `77/229`, `a/res/77/229` or
// `A/RES/77/229 ` all name the same resolution.

#include <string>
#include <string_view>

namespace multivector::sim {

// Trims surrounding blanks; an `A/RES/...` symbol in any case is upper-cased, and a bare
// `SESSION/NUMBER` (77/229, es-11/1, S-27/2) gets the `A/RES/` prefix the UN writes. Anything
// else (a decision, an old `1514 (XV)` symbol, a label the user chose) comes back trimmed only,
// so two different texts never become one.
[[nodiscard]] std::string canonical_resolution_symbol(std::string_view symbol);

}  // namespace multivector::sim
