// Voeten loading and the priors formula on a fixture small enough to compute by hand.
#include <catch2/catch.hpp>
#include <string>

#include "results/priors.hpp"
#include "sim/diagnostics.hpp"
#include "sim/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace multivector;

namespace {

const std::string kDirectory = std::string(MULTIVECTOR_TEST_DATA_DIR) + "/voeten/";

results::VoetenData fixture() {
  return results::load_voeten(kDirectory + "un_votes.csv", kDirectory + "un_roll_calls.csv",
                              kDirectory + "un_roll_call_issues.csv");
}

}  // namespace

TEST_CASE("Voeten's files load, with NA importance and alpha-2 codes mapped to ISO3") {
  const auto data = fixture();
  CHECK(data.roll_calls.size() == 4);
  CHECK(data.votes.size() == 15);
  CHECK_FALSE(data.find(2)->important);
  CHECK(data.find(1)->issues == std::vector<std::string>{"hr"});
}

TEST_CASE("an unknown country code is an error at its line") {
  try {
    (void)results::load_voeten(kDirectory + "bad_votes.csv", kDirectory + "un_roll_calls.csv",
                               kDirectory + "un_roll_call_issues.csv");
    FAIL("no error");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what()) ==
          kDirectory + "bad_votes.csv:3:1: error: unknown country code 'XX'");
  }
}

TEST_CASE("priors follow the documented formula") {
  const auto data = fixture();
  results::PriorSettings settings;
  settings.before = sim::date_from_civil(2014, 3, 1);
  settings.min_orientation_roll_calls = 1;
  settings.voeten_weight = 5.0;
  const auto priors = results::derive_priors(data, nullptr, settings, {"KAZ", "KGZ"});
  REQUIRE(priors.size() == 2);
  const auto& kazakhstan = priors[0].iso3 == "KAZ" ? priors[0] : priors[1];
  const auto& kyrgyzstan = priors[0].iso3 == "KAZ" ? priors[1] : priors[0];
  // Human-rights roll calls before 2014 where the USA and Russia differ: 1 (US yes, RU no) and
  // 2 (US no, RU abstain). Position on the line RU(−1)…US(+1): (2v − us − ru) / (us − ru).
  // KAZ: rc1 abstain → (0 − 1 + 1)/2 = 0; rc2 abstain → (0 + 1 − 0)/(−1) = −1 → mean −0.5.
  CHECK(kazakhstan.human_rights_roll_calls == 2);
  CHECK(kazakhstan.human_rights_line == Approx(-0.5));
  CHECK(kazakhstan.voeten_orientation == Approx(0.0));  // clamp(2·(−0.5) + 1)
  // KGZ: rc1 yes → (2 − 1 + 1)/2 = 1; absent from rc2 → mean 1 → orientation 1.
  CHECK(kyrgyzstan.human_rights_line == Approx(1.0));
  CHECK(kyrgyzstan.orientation_prior == Approx(1.0));  // no recorded votes: Voeten alone
  // Absence over the window (all three pre-2014 roll calls, sessions 60 and 61, both members):
  // KAZ voted on all three; KGZ missed roll call 2.
  CHECK(kazakhstan.absence_rate == Approx(0.0));
  CHECK(kyrgyzstan.absence_rate == Approx(1.0 / 3.0));
  CHECK(kyrgyzstan.stay_out == Approx(1.0 / 3.0));
}

TEST_CASE("recorded votes before the date join the orientation and the participation") {
  const auto data = fixture();
  results::VoteHistory history;
  history.add({"A/RES/1", sim::date_from_civil(2010, 1, 1), "KAZ", "N"});
  history.add({"A/RES/2", sim::date_from_civil(2011, 1, 1), "KAZ", "NV"});
  history.add({"A/RES/3", sim::date_from_civil(2015, 1, 1), "KAZ", "Y"});  // after: ignored
  results::PriorSettings settings;
  settings.before = sim::date_from_civil(2014, 3, 1);
  settings.min_orientation_roll_calls = 1;
  const auto priors = results::derive_priors(data, &history, settings, {"KAZ"});
  REQUIRE(priors.size() == 1);
  // (sum −1 + 5 · 0) / (1 cast + 5) = −1/6; stay_out = ½·0 + ½·(1 NV of 2 rows)
  CHECK(priors[0].orientation_prior == Approx(-1.0 / 6.0));
  CHECK(priors[0].stay_out == Approx(0.25));
}

TEST_CASE("roll calls on excluded resolutions never reach a prior") {
  const auto data = fixture();
  results::PriorSettings settings;
  settings.before = sim::date_from_civil(2020, 1, 1);
  settings.min_orientation_roll_calls = 1;
  const auto with_crimea = results::derive_priors(data, nullptr, settings, {"KAZ"});
  settings.excluded_resolutions = {results::voeten_resolution_symbol("68/262")};
  const auto without_crimea = results::derive_priors(data, nullptr, settings, {"KAZ"});
  CHECK(with_crimea[0].human_rights_roll_calls == 3);
  CHECK(without_crimea[0].human_rights_roll_calls == 2);
  CHECK(results::voeten_resolution_symbol("R/68/262") == "A/RES/68/262");
}

TEST_CASE("the default scenario's priors are the ones derive-priors writes") {
  const auto data = results::load_voeten(
      std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/data/voeten/un_votes.csv.gz",
      std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/data/voeten/un_roll_calls.csv.gz",
      std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/data/voeten/un_roll_call_issues.csv");
  const auto history = results::load_tidy_votes(std::string(MULTIVECTOR_SOURCE_DIR) +
                                                "/scenarios/data/unga/votes.csv");
  results::PriorSettings settings;
  settings.before = sim::date_from_civil(2022, 2, 20);
  const auto priors =
      results::derive_priors(data, &history, settings, {"KAZ", "KGZ", "TJK", "UZB", "TKM"});
  const sim::Scenario scenario =
      sim::load_scenario(std::string(MULTIVECTOR_SOURCE_DIR) + "/scenarios/central_asia_2022.yaml");
  for (const auto& prior : priors) {
    const auto& country =
        scenario.countries[static_cast<size_t>(scenario.find_country(prior.iso3))];
    INFO(prior.iso3);
    CHECK(country.orientation_prior == Approx(prior.orientation_prior).margin(0.005));
    CHECK(country.stay_out == Approx(prior.stay_out).margin(0.005));
  }
}

TEST_CASE("derive-priors reads several --history files of either format and names unknown codes") {
  using multivector::testing::run_command;
  using multivector::testing::test_data;
  multivector::testing::ScratchDirectory scratch;
  const auto derived = run_command({"derive-priors", "--voeten-dir", kDirectory, "--before",
                                    "2023-01-01", "--history", test_data("history/tidy_small.csv"),
                                    "--history", test_data("history/undl_small.csv"), "--countries",
                                    "KAZ", "-o", scratch / "priors.yaml"});
  INFO(derived.err);
  REQUIRE(derived.status == 0);
  CHECK(derived.err.find("unknown country code 'XKX'") != std::string::npos);
  CHECK(derived.err.find("unknown country code 'SUN'") != std::string::npos);
  const std::string written = multivector::testing::read_text_file(scratch / "priors.yaml");
  CHECK(written.find(", " + test_data("history/tidy_small.csv") + ", " +
                     test_data("history/undl_small.csv")) != std::string::npos);

  // A mistyped --countries code fails before anything is read or written.
  const auto refused =
      run_command({"derive-priors", "--voeten-dir", scratch / "no_such_folder", "--before",
                   "2023-01-01", "--countries", "KAZ,KZA", "-o", scratch / "refused.yaml"});
  CHECK(refused.status == 2);
  CHECK(refused.err.find("unknown country code 'KZA'") != std::string::npos);
  CHECK(!std::filesystem::exists(scratch.path() / "refused.yaml"));
}
