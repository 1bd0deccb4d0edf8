// Recorded votes on named resolutions, read from Voeten's roll calls for --history.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
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

// Votes and roll calls given as text, with no issue tags.
results::VoetenData parse_votes(const std::string& votes, const std::string& roll_calls) {
  return results::parse_voeten(votes, "votes.csv", roll_calls, "roll_calls.csv",
                               "rcid,short_name,issue\n", "issues.csv");
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
  return parse_votes(votes, roll_calls);
}

// "KAZ=NV USA=Y ": each state's vote on one resolution, in the order of country_codes().
std::string votes_as_text(const results::VoetenData& voeten, const std::string& symbol) {
  std::string text;
  for (const auto& vote : results::voeten_resolution_votes(voeten, {symbol}, "rc.csv")) {
    text += vote.country + "=" + vote.vote + " ";
  }
  return text;
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

TEST_CASE(
    "a member that sat out a whole session is NV; one not yet or no longer seen is left out") {
  // Kazakhstan votes in sessions 60 and 62 and on nothing in 61: it held its seat, so it did not
  // vote there. Kyrgyzstan votes in 60 and 61 only: in 62 it may no longer be a member. Syria
  // votes in 12 and 16 and nothing between, when it was part of the United Arab Republic; so does
  // Indonesia around its withdrawal (1965-66), and Indonesia's row in session 21 comes after it
  // was seated again.
  const std::string votes =
      "rcid,country,country_code,vote\n"
      "1,United States,US,yes\n1,Kazakhstan,KZ,no\n1,Kyrgyzstan,KG,no\n"
      "2,United States,US,yes\n2,Kyrgyzstan,KG,abstain\n"
      "3,United States,US,no\n3,Kazakhstan,KZ,yes\n"
      "4,United States,US,yes\n4,Syria,SY,no\n"
      "5,United States,US,yes\n"
      "6,United States,US,yes\n6,Syria,SY,abstain\n"
      "7,United States,US,yes\n7,Indonesia,ID,yes\n"
      "8,United States,US,no\n"
      "9,United States,US,yes\n9,Indonesia,ID,no\n";
  const std::string roll_calls =
      "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
      "1,60,0,2005-11-01,R/60/1,0,0,x,x\n"
      "2,61,0,2006-11-01,R/61/1,0,0,x,x\n"
      "3,62,0,2007-11-01,R/62/1,0,0,x,x\n"
      "4,12,0,1957-11-01,R/12/1,0,0,x,x\n"
      "5,14,0,1959-11-01,R/14/1,0,0,x,x\n"
      "6,16,0,1961-12-01,R/16/1,0,0,x,x\n"
      "7,18,0,1963-11-01,R/18/1,0,0,x,x\n"
      "8,20,0,1965-11-01,R/20/1,0,0,x,x\n"
      "9,21,0,1966-12-01,R/21/1,0,0,x,x\n";
  const results::VoetenData voeten = parse_votes(votes, roll_calls);
  const auto votes_on = [&](const std::string& symbol) { return votes_as_text(voeten, symbol); };
  CHECK(votes_on("61/1") == "KAZ=NV KGZ=A USA=Y ");
  CHECK(votes_on("62/1") == "KAZ=Y USA=N ");
  CHECK(votes_on("14/1") == "USA=Y ");  // Syria was not a member in 1959
  CHECK(votes_on("20/1") == "USA=N ");  // nor Indonesia in 1965
  CHECK(votes_on("21/1") == "IDN=N USA=Y ");
}

TEST_CASE("a row whose code is NA is read by its name: Namibia's code is also R's missing value") {
  const std::string roll_calls =
      "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
      "1,44,0,1989-11-01,R/44/1,0,0,x,x\n";
  const std::string votes =
      "rcid,country,country_code,vote\n"
      "1,Namibia,NA,yes\n"
      "1,\"Federal Republic of Germany\",NA,no\n"
      "1,Yemen Arab Republic,NA,abstain\n"
      "1,Zanzibar,NA,abstain\n"
      "1,Zanzibar,NA,yes\n";
  const results::VoetenData voeten = parse_votes(votes, roll_calls);
  CHECK(votes_as_text(voeten, "44/1") == "DEU=N NAM=Y YEM=A ");
  REQUIRE(voeten.unknown_countries.size() == 1);
  const auto messages = results::describe_unknown_codes(voeten.unknown_countries);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] ==
        "unknown country 'Zanzibar' without a country code (2 rows, first at votes.csv:5:1); its "
        "votes are left out, as they cannot be joined");
  // Two rows read as one state on one roll call are an error, not a silent second vote.
  CHECK_THROWS_WITH(parse_votes(votes + "1,Germany,DE,yes\n", roll_calls),
                    Catch::Contains("roll call 1 has two votes of DEU"));
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
  // A session after the data ends is named so, with where later votes are read from; not
  // answered by a symbol one digit away in an earlier session.
  CHECK_THAT(missing.err, Catch::Contains("A/RES/99/1 is from session 99, after Voeten's data "
                                          "ends") &&
                              Catch::Contains("--history") && !Catch::Contains("did you mean"));
  const auto no_folder =
      run_command({"export-votes", "--voeten", "60/2", "--voeten-dir", scratch / "nowhere"});
  CHECK(no_folder.status == 2);
  CHECK(no_folder.err.find("nowhere: error: no such folder") != std::string::npos);
  const auto several = run_command({"export-votes", "--voeten", "60/2", "--history", "x.csv"});
  CHECK(several.status == 2);
  CHECK(several.err.find("not several") != std::string::npos);
}

TEST_CASE("a gzip file cut short is an error, not a shorter file") {
  // Cut on a line break, the rows before the cut read as a whole file: derive-priors read a
  // quarter of Voeten's votes, and wrote priors from them with exit status 0.
  ScratchDirectory directory;
  const std::string path = (directory.path() / "votes.csv.gz").string();
  std::string content = "rcid,ccode,member,vote\n";
  for (int row = 0; row < 20000; ++row) {
    content += std::to_string(row) + ",2,1," + std::to_string(1 + row % 3) + "\n";
  }
  {
    gzFile file = gzopen(path.c_str(), "wb");
    REQUIRE(file != nullptr);
    REQUIRE(gzwrite(file, content.data(), static_cast<unsigned>(content.size())) ==
            static_cast<int>(content.size()));
    REQUIRE(gzclose(file) == Z_OK);
  }
  CHECK(results::read_possibly_compressed(path) == content);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  CHECK_THROWS_WITH(results::read_possibly_compressed(path),
                    Catch::Contains("cut short") && Catch::Contains("votes.csv.gz"));
}

TEST_CASE("an emergency special session after the last one Voeten holds is named so") {
  // ES-11/1 (2022) used to be answered with the nearest symbol, another text of ES-10.
  const results::VoetenData voeten =
      parse_votes("rcid,country,country_code,vote\n9,United States,US,yes\n9,Russia,RU,no\n",
                  "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
                  "9,72,0,2017-12-21,A/RES/ES-10/19,0,0,x,Jerusalem\n");
  CHECK_THROWS_WITH(results::voeten_resolution_votes(voeten, {"ES-11/1"}, "rc.csv"),
                    "rc.csv: error: A/RES/ES-11/1 is from emergency special session 11, after "
                    "Voeten's data ends (its last emergency special session is 10); read later "
                    "votes from the UN Digital Library's export with --history (docs/history.md)");
  // An earlier emergency special session is still answered with the nearest symbol.
  CHECK_THROWS_WITH(results::voeten_resolution_votes(voeten, {"A/RES/ES-10/18"}, "rc.csv"),
                    Catch::Contains("no roll call on the whole of A/RES/ES-10/18") &&
                        Catch::Contains("did you mean 'A/RES/ES-10/19'?"));
  CHECK(votes_as_text(voeten, "A/RES/ES-10/19").find("USA=Y") != std::string::npos);
}
