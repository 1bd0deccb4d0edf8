#pragma once
// SHA-256, so manifests can name the exact scenario bytes a run used without an extra dependency.

#include <string>
#include <string_view>

namespace multivector::sim {

[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace multivector::sim
