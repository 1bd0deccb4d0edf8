#include "results/country_codes.hpp"

#include <string>
#include <unordered_map>

namespace multivector::results {

const std::vector<CountryCode>& country_codes() {
  // alpha-2, alpha-3, short name, UN member in 2022. Sources: ISO 3166-1; names and the 193
  // members from data/unga/votes.csv; historical codes (CSK, DDR, YMD, YUG, TWN) as used by
  // Voeten's roll calls, where RU also covers the Soviet Union and YU the Federal Republic of
  // Yugoslavia and Serbia and Montenegro, whose seat Serbia continues.
  static const std::vector<CountryCode> codes = {
      {"AF", "AFG", "Afghanistan", true},
      {"AO", "AGO", "Angola", true},
      {"AL", "ALB", "Albania", true},
      {"AD", "AND", "Andorra", true},
      {"AE", "ARE", "United Arab Emirates", true},
      {"AR", "ARG", "Argentina", true},
      {"AM", "ARM", "Armenia", true},
      {"AG", "ATG", "Antigua and Barbuda", true},
      {"AU", "AUS", "Australia", true},
      {"AT", "AUT", "Austria", true},
      {"AZ", "AZE", "Azerbaijan", true},
      {"BI", "BDI", "Burundi", true},
      {"BE", "BEL", "Belgium", true},
      {"BJ", "BEN", "Benin", true},
      {"BF", "BFA", "Burkina Faso", true},
      {"BD", "BGD", "Bangladesh", true},
      {"BG", "BGR", "Bulgaria", true},
      {"BH", "BHR", "Bahrain", true},
      {"BS", "BHS", "Bahamas", true},
      {"BA", "BIH", "Bosnia and Herzegovina", true},
      {"BY", "BLR", "Belarus", true},
      {"BZ", "BLZ", "Belize", true},
      {"BO", "BOL", "Bolivia", true},
      {"BR", "BRA", "Brazil", true},
      {"BB", "BRB", "Barbados", true},
      {"BN", "BRN", "Brunei Darussalam", true},
      {"BT", "BTN", "Bhutan", true},
      {"BW", "BWA", "Botswana", true},
      {"CF", "CAF", "Central African Republic", true},
      {"CA", "CAN", "Canada", true},
      {"CH", "CHE", "Switzerland", true},
      {"CL", "CHL", "Chile", true},
      {"CN", "CHN", "China", true},
      {"CI", "CIV", "Cote d'Ivoire", true},
      {"CM", "CMR", "Cameroon", true},
      {"CD", "COD", "Democratic Republic of the Congo", true},
      {"CG", "COG", "Congo", true},
      {"CO", "COL", "Colombia", true},
      {"KM", "COM", "Comoros", true},
      {"CV", "CPV", "Cabo Verde", true},
      {"CR", "CRI", "Costa Rica", true},
      {"CU", "CUB", "Cuba", true},
      {"CY", "CYP", "Cyprus", true},
      {"CZ", "CZE", "Czechia", true},
      {"DE", "DEU", "Germany", true},
      {"DJ", "DJI", "Djibouti", true},
      {"DM", "DMA", "Dominica", true},
      {"DK", "DNK", "Denmark", true},
      {"DO", "DOM", "Dominican Republic", true},
      {"DZ", "DZA", "Algeria", true},
      {"EC", "ECU", "Ecuador", true},
      {"EG", "EGY", "Egypt", true},
      {"ER", "ERI", "Eritrea", true},
      {"ES", "ESP", "Spain", true},
      {"EE", "EST", "Estonia", true},
      {"ET", "ETH", "Ethiopia", true},
      {"FI", "FIN", "Finland", true},
      {"FJ", "FJI", "Fiji", true},
      {"FR", "FRA", "France", true},
      {"FM", "FSM", "Micronesia", true},
      {"GA", "GAB", "Gabon", true},
      {"GB", "GBR", "United Kingdom", true},
      {"GE", "GEO", "Georgia", true},
      {"GH", "GHA", "Ghana", true},
      {"GN", "GIN", "Guinea", true},
      {"GM", "GMB", "Gambia", true},
      {"GW", "GNB", "Guinea-Bissau", true},
      {"GQ", "GNQ", "Equatorial Guinea", true},
      {"GR", "GRC", "Greece", true},
      {"GD", "GRD", "Grenada", true},
      {"GT", "GTM", "Guatemala", true},
      {"GY", "GUY", "Guyana", true},
      {"HN", "HND", "Honduras", true},
      {"HR", "HRV", "Croatia", true},
      {"HT", "HTI", "Haiti", true},
      {"HU", "HUN", "Hungary", true},
      {"ID", "IDN", "Indonesia", true},
      {"IN", "IND", "India", true},
      {"IE", "IRL", "Ireland", true},
      {"IR", "IRN", "Iran", true},
      {"IQ", "IRQ", "Iraq", true},
      {"IS", "ISL", "Iceland", true},
      {"IL", "ISR", "Israel", true},
      {"IT", "ITA", "Italy", true},
      {"JM", "JAM", "Jamaica", true},
      {"JO", "JOR", "Jordan", true},
      {"JP", "JPN", "Japan", true},
      {"KZ", "KAZ", "Kazakhstan", true},
      {"KE", "KEN", "Kenya", true},
      {"KG", "KGZ", "Kyrgyzstan", true},
      {"KH", "KHM", "Cambodia", true},
      {"KI", "KIR", "Kiribati", true},
      {"KN", "KNA", "Saint Kitts and Nevis", true},
      {"KR", "KOR", "Republic of Korea", true},
      {"KW", "KWT", "Kuwait", true},
      {"LA", "LAO", "Lao PDR", true},
      {"LB", "LBN", "Lebanon", true},
      {"LR", "LBR", "Liberia", true},
      {"LY", "LBY", "Libya", true},
      {"LC", "LCA", "Saint Lucia", true},
      {"LI", "LIE", "Liechtenstein", true},
      {"LK", "LKA", "Sri Lanka", true},
      {"LS", "LSO", "Lesotho", true},
      {"LT", "LTU", "Lithuania", true},
      {"LU", "LUX", "Luxembourg", true},
      {"LV", "LVA", "Latvia", true},
      {"MA", "MAR", "Morocco", true},
      {"MC", "MCO", "Monaco", true},
      {"MD", "MDA", "Republic of Moldova", true},
      {"MG", "MDG", "Madagascar", true},
      {"MV", "MDV", "Maldives", true},
      {"MX", "MEX", "Mexico", true},
      {"MH", "MHL", "Marshall Islands", true},
      {"MK", "MKD", "North Macedonia", true},
      {"ML", "MLI", "Mali", true},
      {"MT", "MLT", "Malta", true},
      {"MM", "MMR", "Myanmar", true},
      {"ME", "MNE", "Montenegro", true},
      {"MN", "MNG", "Mongolia", true},
      {"MZ", "MOZ", "Mozambique", true},
      {"MR", "MRT", "Mauritania", true},
      {"MU", "MUS", "Mauritius", true},
      {"MW", "MWI", "Malawi", true},
      {"MY", "MYS", "Malaysia", true},
      {"NA", "NAM", "Namibia", true},
      {"NE", "NER", "Niger", true},
      {"NG", "NGA", "Nigeria", true},
      {"NI", "NIC", "Nicaragua", true},
      {"NL", "NLD", "Netherlands", true},
      {"NO", "NOR", "Norway", true},
      {"NP", "NPL", "Nepal", true},
      {"NR", "NRU", "Nauru", true},
      {"NZ", "NZL", "New Zealand", true},
      {"OM", "OMN", "Oman", true},
      {"PK", "PAK", "Pakistan", true},
      {"PA", "PAN", "Panama", true},
      {"PE", "PER", "Peru", true},
      {"PH", "PHL", "Philippines", true},
      {"PW", "PLW", "Palau", true},
      {"PG", "PNG", "Papua New Guinea", true},
      {"PL", "POL", "Poland", true},
      {"KP", "PRK", "Democratic People's Republic of Korea", true},
      {"PT", "PRT", "Portugal", true},
      {"PY", "PRY", "Paraguay", true},
      {"QA", "QAT", "Qatar", true},
      {"RO", "ROU", "Romania", true},
      {"RU", "RUS", "Russian Federation", true},
      {"RW", "RWA", "Rwanda", true},
      {"SA", "SAU", "Saudi Arabia", true},
      {"SD", "SDN", "Sudan", true},
      {"SN", "SEN", "Senegal", true},
      {"SG", "SGP", "Singapore", true},
      {"SB", "SLB", "Solomon Islands", true},
      {"SL", "SLE", "Sierra Leone", true},
      {"SV", "SLV", "El Salvador", true},
      {"SM", "SMR", "San Marino", true},
      {"SO", "SOM", "Somalia", true},
      {"RS", "SRB", "Serbia", true},
      {"SS", "SSD", "South Sudan", true},
      {"ST", "STP", "Sao Tome and Principe", true},
      {"SR", "SUR", "Suriname", true},
      {"SK", "SVK", "Slovakia", true},
      {"SI", "SVN", "Slovenia", true},
      {"SE", "SWE", "Sweden", true},
      {"SZ", "SWZ", "Eswatini", true},
      {"SC", "SYC", "Seychelles", true},
      {"SY", "SYR", "Syrian Arab Republic", true},
      {"TD", "TCD", "Chad", true},
      {"TG", "TGO", "Togo", true},
      {"TH", "THA", "Thailand", true},
      {"TJ", "TJK", "Tajikistan", true},
      {"TM", "TKM", "Turkmenistan", true},
      {"TL", "TLS", "Timor-Leste", true},
      {"TO", "TON", "Tonga", true},
      {"TT", "TTO", "Trinidad and Tobago", true},
      {"TN", "TUN", "Tunisia", true},
      {"TR", "TUR", "Turkiye", true},
      {"TV", "TUV", "Tuvalu", true},
      {"TZ", "TZA", "United Republic of Tanzania", true},
      {"UG", "UGA", "Uganda", true},
      {"UA", "UKR", "Ukraine", true},
      {"UY", "URY", "Uruguay", true},
      {"US", "USA", "United States", true},
      {"UZ", "UZB", "Uzbekistan", true},
      {"VC", "VCT", "Saint Vincent and the Grenadines", true},
      {"VE", "VEN", "Venezuela", true},
      {"VN", "VNM", "Viet Nam", true},
      {"VU", "VUT", "Vanuatu", true},
      {"WS", "WSM", "Samoa", true},
      {"YE", "YEM", "Yemen", true},
      {"ZA", "ZAF", "South Africa", true},
      {"ZM", "ZMB", "Zambia", true},
      {"ZW", "ZWE", "Zimbabwe", true},
      {"TW", "TWN", "Taiwan", false},
      {"CS", "CSK", "Czechoslovakia", false},
      {"DD", "DDR", "German Democratic Republic", false},
      {"YD", "YMD", "Yemen People's Republic", false},
      {"YU", "SRB", "Yugoslavia (Serbia continues its UN seat)", false},
  };
  return codes;
}

std::string folded_country_name(std::string_view name) {
  // Latin-1 letters (U+00C0 to U+00FF, two bytes in UTF-8) without their accents, by code point.
  constexpr std::string_view kLatin1 =
      "AAAAAAACEEEEIIIIDNOOOOO OUUUUY SAAAAAAACEEEEIIIIDNOOOOO OUUUUY Y";
  std::string folded;
  bool pending_space = false;
  const auto append = [&](char letter) {
    if (pending_space && !folded.empty()) {
      folded += ' ';
    }
    pending_space = false;
    folded += letter;
  };
  for (std::size_t index = 0; index < name.size(); ++index) {
    const auto byte = static_cast<unsigned char>(name[index]);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9')) {
      append(static_cast<char>(byte));
    } else if (byte >= 'a' && byte <= 'z') {
      append(static_cast<char>(byte - 'a' + 'A'));
    } else if ((byte == 0xC3) && index + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[index + 1]);
      const int code_point = 0xC0 + (next & 0x3F);
      ++index;
      const char letter = kLatin1[static_cast<std::size_t>(code_point - 0xC0)];
      if (letter == ' ') {
        pending_space = true;
      } else {
        append(letter);
      }
    } else {
      pending_space = true;  // punctuation, blanks and any other character separate words
    }
  }
  return folded;
}

namespace {

// Names the Library uses that are not the short names above: the UN's official long names and
// the earlier names of members whose seat continues (the same conventions as the codes above:
// Yugoslavia's seat is Serbia's; the Soviet Union is not folded into Russia by name, as its code
// SUN is not). Keys are folded_country_name forms.
struct NameAlias {
  std::string_view name;
  std::string_view alpha3;
};
constexpr NameAlias kNameAliases[] = {
    {"LAO PEOPLE S DEMOCRATIC REPUBLIC", "LAO"},
    {"LAOS", "LAO"},
    {"UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "GBR"},
    {"UNITED STATES OF AMERICA", "USA"},
    {"RUSSIA", "RUS"},
    {"TURKEY", "TUR"},
    {"CZECH REPUBLIC", "CZE"},
    {"THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA", "MKD"},
    {"MACEDONIA", "MKD"},
    {"SWAZILAND", "SWZ"},
    {"CAPE VERDE", "CPV"},
    {"IVORY COAST", "CIV"},
    {"ZAIRE", "COD"},
    {"BURMA", "MMR"},
    {"BYELORUSSIAN SOVIET SOCIALIST REPUBLIC", "BLR"},
    {"BYELORUSSIAN SSR", "BLR"},
    {"UKRAINIAN SOVIET SOCIALIST REPUBLIC", "UKR"},
    {"UKRAINIAN SSR", "UKR"},
    {"UPPER VOLTA", "BFA"},
    {"DAHOMEY", "BEN"},
    {"CEYLON", "LKA"},
    {"SIAM", "THA"},
    {"KAMPUCHEA", "KHM"},
    {"DEMOCRATIC KAMPUCHEA", "KHM"},
    {"KHMER REPUBLIC", "KHM"},
    {"LIBYAN ARAB JAMAHIRIYA", "LBY"},
    {"LIBYAN ARAB REPUBLIC", "LBY"},
    {"SERBIA AND MONTENEGRO", "SRB"},
    {"YUGOSLAVIA", "SRB"},
    {"FEDERAL REPUBLIC OF GERMANY", "DEU"},
    {"GERMANY FEDERAL REPUBLIC OF", "DEU"},
    {"DEMOCRATIC YEMEN", "YMD"},
    {"YEMEN ARAB REPUBLIC", "YEM"},
    {"UNITED ARAB REPUBLIC", "EGY"},
    {"TANGANYIKA", "TZA"},
    {"TANZANIA", "TZA"},
    {"EAST TIMOR", "TLS"},
    {"WESTERN SAMOA", "WSM"},
    {"MOLDOVA", "MDA"},
    {"SYRIA", "SYR"},
    {"VIETNAM", "VNM"},
    {"BRUNEI", "BRN"},
    {"SURINAM", "SUR"},
    {"MALDIVE ISLANDS", "MDV"},
    {"SOUTH KOREA", "KOR"},
    {"KOREA REPUBLIC OF", "KOR"},
    {"NORTH KOREA", "PRK"},
    {"KOREA DEMOCRATIC PEOPLE S REPUBLIC OF", "PRK"},
    {"CONGO DEMOCRATIC REPUBLIC OF THE", "COD"},
    {"DEMOCRATIC REPUBLIC OF CONGO", "COD"},
    {"SAINT CHRISTOPHER AND NEVIS", "KNA"},
};

const CountryCode* find_folded_name(const std::string& folded) {
  // Built once: a file whose rows all lack codes looks up close to a million names.
  static const std::unordered_map<std::string, const CountryCode*> by_name = [] {
    std::unordered_map<std::string, const CountryCode*> names;
    for (const auto& entry : country_codes()) {
      names.emplace(folded_country_name(entry.name), &entry);
    }
    for (const auto& alias : kNameAliases) {
      names.emplace(std::string(alias.name), find_country_code(alias.alpha3));
    }
    return names;
  }();
  const auto found = by_name.find(folded);
  return found == by_name.end() ? nullptr : found->second;
}

}  // namespace

const CountryCode* find_country_by_name(std::string_view name) {
  if (const CountryCode* whole = find_folded_name(folded_country_name(name)); whole != nullptr) {
    return whole;
  }
  // "BOLIVIA (PLURINATIONAL STATE OF)", "NETHERLANDS (KINGDOM OF THE)": the name before the style.
  if (const std::size_t parenthesis = name.find('('); parenthesis != std::string_view::npos) {
    const std::string before = folded_country_name(name.substr(0, parenthesis));
    if (!before.empty()) {
      return find_folded_name(before);
    }
  }
  return nullptr;
}

const CountryCode* find_country_code(std::string_view code) {
  for (const auto& entry : country_codes()) {
    if (entry.alpha3 == code || entry.alpha2 == code) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace multivector::results
