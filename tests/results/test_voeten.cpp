// Recorded votes on named resolutions, read from Voeten's roll calls for --history.
#include <catch2/catch.hpp>
#include <string>

#include "results/voeten.hpp"
#include "sim/date.hpp"
#include "sim/diagnostics.hpp"
#include "tests/test_support.hpp"

using namespace multivector;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;

namespace {

const std::string kDirectory = std::string(MULTIVECTOR_TEST_DATA_DIR) + "/voeten/";

results::VoetenData fixture() {
  return results::load_voeten(kDirectory + "un_votes.csv", kDirectory + "un_roll_calls.csv",
                              kDirectory + "un_roll_call_issues.csv");
}

// Session 70: a text with a vote on one paragraph and one on the whole; Kyrgyzstan votes on the
// paragraph only, Kazakhstan on nothing in the session.
results::VoetenData with_paragraph_vote(const std::string& whole_text_amend) {
  const std::string votes =
      "rcid,country,country_code,vote\n"
      "7,United States,US,yes\n7,Russia,RU,no\n7,Kyrgyzstan,KG,abstain\n"
      "8,United States,US,yes\n8,Russia,RU,no\n";
  const std::string roll_calls =
      "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
      "7,70,0,2015-12-01,R/70/5,NA,1,x,\"paragraph 3, retained\"\n"
      "8,70,NA,2015-12-01,R/70/5," +
      whole_text_amend + ",NA,x,whole text\n";
  return results::parse_voeten(votes, "votes.csv", roll_calls, "roll_calls.csv",
                               "rcid,short_name,issue\n", "issues.csv");
}

}  // namespace

TEST_CASE("Voeten's symbols are written the UN's way") {
  CHECK(results::voeten_resolution_symbol("R/68/274") == "A/RES/68/274");
  CHECK(results::voeten_resolution_symbol("A/RES/71/290") == "A/RES/71/290");
  CHECK(results::voeten_resolution_symbol("R/60/1A") == "A/RES/60/1A");  // parts keep their letter
}

TEST_CASE("a resolution's roll call becomes recorded votes with NV for members who sat it out") {
  const auto votes =
      results::voeten_resolution_votes(fixture(), {"60/2", "A/RES/60/2"}, "roll_calls.csv");
  // Session 60 saw the United States, Russia, Kazakhstan and Kyrgyzstan vote; Kyrgyzstan has no
  // row on roll call 2, so it did not vote.
  REQUIRE(votes.size() == 4);
  for (const auto& vote : votes) {
    CHECK(vote.resolution == "A/RES/60/2");
    CHECK(sim::format_date(vote.date) == "2005-11-02");
  }
  CHECK(votes[0].country == "KAZ");
  CHECK(votes[0].vote == "A");
  CHECK(votes[1].country == "KGZ");
  CHECK(votes[1].vote == "NV");
  CHECK(votes[2].country == "RUS");
  CHECK(votes[2].vote == "A");
  CHECK(votes[3].country == "USA");
  CHECK(votes[3].vote == "N");
}

TEST_CASE("only the vote on the whole text counts and a missing one is named") {
  const auto votes =
      results::voeten_resolution_votes(with_paragraph_vote("0"), {"A/RES/70/5"}, "rc.csv");
  REQUIRE(votes.size() == 3);  // Kazakhstan voted on nothing in session 70: left out
  CHECK(votes[0].country == "KGZ");
  CHECK(votes[0].vote == "NV");  // it voted on the paragraph, not on the text
  CHECK(votes[2].country == "USA");
  CHECK(votes[2].vote == "Y");
  try {
    (void)results::voeten_resolution_votes(with_paragraph_vote("1"), {"70/5"}, "rc.csv");
    FAIL("no error");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what())
              .starts_with("rc.csv: error: no roll call on the whole of "
                           "A/RES/70/5 in Voeten's data"));
  }
  try {
    (void)results::voeten_resolution_votes(fixture(), {"60/22"}, "rc.csv");
    FAIL("no error");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what()).find("(did you mean 'A/RES/60/2'?)") != std::string::npos);
  }
  CHECK_THROWS_WITH(with_paragraph_vote("yes"),
                    Catch::Contains("roll_calls.csv:3:1: error: amend 'yes' is not 0, 1 or NA"));
}

TEST_CASE("export-votes --voeten writes a tidy CSV that --history reads") {
  ScratchDirectory scratch;
  const auto written =
      run_command({"export-votes", "--voeten", "R/68/262", "--voeten-dir", kDirectory, "--codes",
                   "letters", "-o", scratch / "voeten.csv"});
  INFO(written.err);
  REQUIRE(written.status == 0);
  const std::string csv = multivector::testing::read_text_file(scratch.path() / "voeten.csv");
  CHECK(csv ==
        "resolution,date,iso3,vote\n"
        "A/RES/68/262,2014-05-01,KAZ,N\n"
        "A/RES/68/262,2014-05-01,KGZ,N\n"
        "A/RES/68/262,2014-05-01,RUS,N\n"
        "A/RES/68/262,2014-05-01,USA,Y\n");
  const auto missing =
      run_command({"export-votes", "--voeten", "99/1", "--voeten-dir", kDirectory});
  CHECK(missing.status == 2);
  CHECK(missing.err.find("no roll call on the whole of A/RES/99/1") != std::string::npos);
  const auto no_folder =
      run_command({"export-votes", "--voeten", "60/2", "--voeten-dir", scratch / "nowhere"});
  CHECK(no_folder.status == 2);
  CHECK(no_folder.err.find("nowhere: error: no such folder") != std::string::npos);
  const auto several = run_command({"export-votes", "--voeten", "60/2", "--history", "x.csv"});
  CHECK(several.status == 2);
  CHECK(several.err.find("not several") != std::string::npos);
}
