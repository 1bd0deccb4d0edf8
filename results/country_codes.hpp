#pragma once
// ISO 3166-1 codes of the 193 UN members and of the historical states in Voeten's roll calls.

#include <string_view>
#include <vector>

namespace multivector::results {

struct CountryCode {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view name;
  bool un_member_2022;
};

[[nodiscard]] const std::vector<CountryCode>& country_codes();
// By alpha-3 or alpha-2 code; nullptr when unknown.
[[nodiscard]] const CountryCode* find_country_code(std::string_view code);

}  // namespace multivector::results
