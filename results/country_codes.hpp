#pragma once
// ISO 3166-1 codes of the 193 UN members and of the historical states in Voeten's roll calls.

#include <string>
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
// By English name, as the UN Digital Library writes it where a row has no code: case, accents
// and punctuation do not matter ("CÔTE D'IVOIRE"), a parenthesised style is dropped ("IRAN
// (ISLAMIC REPUBLIC OF)"), and the UN's official long names and the earlier names of the same
// member ("UPPER VOLTA", "SWAZILAND") are known. nullptr when the name is none of these.
[[nodiscard]] const CountryCode* find_country_by_name(std::string_view name);
// The form names are compared in: upper-case ASCII words separated by one space.
[[nodiscard]] std::string folded_country_name(std::string_view name);

}  // namespace multivector::results
