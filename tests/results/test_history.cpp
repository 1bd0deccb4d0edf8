// Loaders of recorded votes against small fixtures, malformed rows included.
#include <catch2/catch.hpp>
#include <string>

#include "results/country_codes.hpp"
#include "results/history.hpp"
#include "sim/diagnostics.hpp"

using namespace multivector;
using namespace multivector::results;

namespace {

std::string fixture(const std::string& name) {
  return std::string(MULTIVECTOR_TEST_DATA_DIR) + "/history/" + name;
}

// The diagnostics of the InputError `load` throws, as "LINE: MESSAGE" strings.
template <typename Load>
std::vector<std::string> errors_of(Load load) {
  try {
    load();
  } catch (const sim::InputError& error) {
    std::vector<std::string> lines;
    for (const auto& diagnostic : error.diagnostics()) {
      lines.push_back(std::to_string(diagnostic.location.line) + ": " + diagnostic.message);
    }
    return lines;
  }
  FAIL("expected an InputError");
  return {};
}

bool mentions(const std::vector<std::string>& lines, const std::string& start,
              const std::string& part) {
  for (const auto& line : lines) {
    if (line.starts_with(start) && line.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("the tidy loader reads votes, tolerates extra columns and reports unknown codes") {
  const VoteHistory history = load_tidy_votes(fixture("tidy_small.csv"));
  CHECK(history.votes().size() == 6);
  REQUIRE(history.find("A/RES/ES-11/1", "TKM"));
  CHECK(history.find("A/RES/ES-11/1", "TKM")->vote == "NV");
  CHECK(sim::format_date(history.find("A/RES/ES-11/3", "KAZ")->date) == "2022-04-07");
  CHECK(history.resolutions() == std::vector<std::string>{"A/RES/ES-11/1", "A/RES/ES-11/3"});
  REQUIRE(history.unknown_codes().size() == 1);
  CHECK(history.unknown_codes()[0].code == "XKX");
  CHECK(history.unknown_codes()[0].rows == 2);
  CHECK(history.unknown_codes()[0].first_seen.line == 5);
  const auto lines = describe_unknown_codes(history);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("'XKX' (2 rows, first at ") != std::string::npos);
  CHECK(lines[0].find("tidy_small.csv:5") != std::string::npos);
}

TEST_CASE("every malformed tidy row is an error at its line, none is skipped") {
  const auto errors = errors_of([] { (void)load_tidy_votes(fixture("tidy_malformed.csv")); });
  CHECK(errors.size() == 8);
  CHECK(mentions(errors, "10: ",
                 "A/RES/ES-11/1 is dated 2022-03-03 here but 2022-03-02 at line 2; a resolution is "
                 "voted on one day"));
  CHECK(mentions(errors, "3: ", "vote 'abstain' is not one of Y, N, A, NV"));
  // Voeten's code for an abstention, as export-votes writes by default: the message says how to
  // write letters instead.
  CHECK(mentions(errors, "9: ", "vote '2' is not one of Y, N, A, NV (a Voeten code?"));
  CHECK(mentions(errors, "9: ", "--codes letters"));
  CHECK(mentions(errors, "4: ", "date '2022-02-30'"));
  CHECK(mentions(errors, "5: ", "country code 'Uz'"));
  CHECK(mentions(errors, "6: ", "expected 4 fields, found 3"));
  CHECK(mentions(errors,
                 "7: ", "a second vote of KAZ on A/RES/ES-11/1 (Y; the first, A, is at line 2)"));
  CHECK(mentions(errors, "8: ", "empty resolution"));
}

TEST_CASE("the error names the file and line") {
  try {
    (void)parse_tidy_votes("resolution,date,iso3,vote\nR,2022-01-01,KAZ,maybe\n", "votes.csv");
    FAIL("expected an InputError");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what()).starts_with("votes.csv:2:"));
    CHECK(std::string(error.what()).find("error: vote 'maybe'") != std::string::npos);
  }
}

TEST_CASE("a header that names a column it reads twice is refused") {
  try {
    (void)parse_tidy_votes("resolution,date,iso3,vote,vote\nA/RES/ES-11/1,2022-03-02,KAZ,A,Y\n",
                           "votes.csv");
    FAIL("expected an InputError");
  } catch (const sim::InputError& error) {
    CHECK(std::string(error.what()).starts_with("votes.csv:1:"));
    CHECK(std::string(error.what()).find("names the column vote twice (columns 4 and 5)") !=
          std::string::npos);
  }
  // A repeated column the loader does not read is left alone, as extra columns are.
  const auto history = parse_tidy_votes(
      "resolution,date,iso3,vote,note,note\nA/RES/ES-11/1,2022-03-02,KAZ,A,x,y\n", "votes.csv");
  CHECK(history.votes().size() == 1);
}

TEST_CASE("the UN Digital Library loader reads Y/N/A and NV, X or blank as not voting") {
  const VoteHistory history = load_undl_votes(fixture("undl_small.csv"));
  CHECK(history.votes().size() == 7);
  CHECK(history.find("A/RES/ES-11/1", "KAZ")->vote == "A");
  CHECK(history.find("A/RES/ES-11/1", "TKM")->vote == "NV");  // blank
  CHECK(history.find("A/RES/ES-11/1", "UZB")->vote == "NV");  // X
  CHECK(history.find("A/RES/ES-11/1", "CHN")->vote == "A");   // padded with spaces
  CHECK(history.find("A/RES/ES-11/3", "TKM")->vote == "NV");
  // A date with a time of day keeps its day.
  CHECK(sim::format_date(history.find("A/RES/ES-11/3", "KAZ")->date) == "2022-04-07");
  REQUIRE(history.unknown_codes().size() == 1);
  CHECK(history.unknown_codes()[0].code == "SUN");
  CHECK(history.unknown_codes()[0].first_seen.line == 8);
}

TEST_CASE("every malformed UN Digital Library row is an error at its line") {
  const auto errors = errors_of([] { (void)load_undl_votes(fixture("undl_malformed.csv")); });
  // Line 7 gives KAZ a second vote: in a Library export that is not an error (next test).
  // Lines 10 and 11 carry a time of day as the Library's exports may: accepted.
  CHECK(errors.size() == 6);
  CHECK(mentions(errors, "3: ", "vote 'Abstain'"));
  // A date followed by anything but a time of day is not read as its first ten characters.
  CHECK(mentions(errors, "8: ", "date '2022-03-02 garbage'"));
  CHECK(mentions(errors, "9: ", "date '2022-03-02T25:00:00'"));
  CHECK(mentions(errors, "4: ", "date '03/02/2022'"));
  CHECK(mentions(errors, "5: ",
                 "country code '' is not an ISO 3166-1 alpha-3 code and the row has "
                 "no country name"));
  CHECK(mentions(errors, "6: ", "expected 7 fields, found 6"));
}

TEST_CASE("a Library export's repeated vote is read once and a contradicted one is set aside") {
  const VoteHistory history = load_undl_votes(fixture("undl_repeats.csv"));
  CHECK(history.find("A/RES/ES-11/1", "KAZ")->vote == "A");
  CHECK(history.find("A/RES/ES-11/1", "TJK")->vote == "A");
  // KGZ is A, then N, then A again: whichever were chosen would be a guess, so none is read.
  CHECK(history.find("A/RES/ES-11/1", "KGZ") == nullptr);
  CHECK(history.votes().size() == 2);
  REQUIRE(history.repeated_votes().size() == 1);
  CHECK(history.repeated_votes()[0].within_file);
  CHECK(history.repeated_votes()[0].votes == 1);
  REQUIRE(history.conflicts().size() == 2);
  // The two rows that disagree with line 4 are one disagreement, named once with every line.
  const auto lines = describe_conflicts(history, 10);
  REQUIRE(lines.size() == 1);
  CHECK(
      lines[0].ends_with("undl_repeats.csv:5:1: KGZ on A/RES/ES-11/1 has different votes in "
                         "this file (line 4: A, line 5: N, line 6: A); none of them is read"));
  const auto limited = describe_conflicts(history, 0);
  REQUIRE(limited.size() == 1);
  CHECK(limited[0] ==
        "... and 1 more countries with different votes on one resolution, none of them read");
  CHECK(describe_repeated_votes(history).front().ends_with(
      "undl_repeats.csv: 1 vote appears twice in the file with the same value; read once"));
  // Merged after another file, the conflicts and repeats stay reported.
  const VoteHistory merged =
      load_histories({fixture("tidy_small.csv"), fixture("undl_repeats.csv")});
  CHECK(merged.conflicts().size() == 2);
  // The tidy format is the project's own: a second vote there stays an error.
  const auto tidy = errors_of([] { (void)load_tidy_votes(fixture("tidy_malformed.csv")); });
  CHECK(mentions(tidy, "7: ", "a second vote of KAZ"));
}

TEST_CASE("load_history recognises each format from its header") {
  CHECK(detect_history_format({"resolution", "date", "iso3", "vote"}) == HistoryFormat::Tidy);
  CHECK(detect_history_format({"undl_id", "ms_code", "ms_name", "ms_vote", "date", "resolution"}) ==
        HistoryFormat::UnDigitalLibrary);
  CHECK(detect_history_format({"rcid", "country", "country_code", "vote"}) ==
        HistoryFormat::VoetenVotes);
  CHECK(detect_history_format({"year", "state"}) == HistoryFormat::Unknown);

  CHECK(load_history(fixture("tidy_small.csv")).votes().size() == 6);
  CHECK(load_history(fixture("undl_small.csv")).votes().size() == 7);
  const auto voeten = errors_of([] { (void)load_history(fixture("voeten_votes.csv")); });
  CHECK(mentions(voeten, "1: ", "Voeten"));
  const auto unknown = errors_of([] { (void)load_history(fixture("unknown_header.csv")); });
  CHECK(mentions(unknown, "1: ", "unrecognised header"));
  const auto missing = errors_of([] { (void)load_history(fixture("no_such_file.csv")); });
  CHECK(missing.size() == 1);
}

TEST_CASE(
    "history files merge: a vote repeated across files is read once, a changed one is an "
    "error") {
  const VoteHistory merged =
      load_histories({fixture("tidy_small.csv"), fixture("tidy_second.csv")});
  CHECK(merged.votes().size() == 8);
  CHECK(merged.find("A/RES/ES-11/4", "KAZ")->vote == "A");
  REQUIRE(merged.unknown_codes().size() == 1);
  CHECK(merged.unknown_codes()[0].rows == 3);
  CHECK(merged.repeated_votes().empty());

  // The Library file repeats four of the tidy file's votes with the same values (a blank ms_vote
  // is NV, as the tidy file has it) and adds UZB and TKM's and the historical SUN's votes on
  // ES-11/3: 6 + 3 votes, each once.
  const VoteHistory overlapping =
      load_histories({fixture("tidy_small.csv"), fixture("undl_small.csv")});
  CHECK(overlapping.votes().size() == 9);
  CHECK(overlapping.find("A/RES/ES-11/3", "TKM")->vote == "NV");
  CHECK(overlapping.find("A/RES/ES-11/1", "TKM")->vote == "NV");
  CHECK(overlapping.find("A/RES/ES-11/1", "UZB")->vote == "NV");
  REQUIRE(overlapping.repeated_votes().size() == 1);
  CHECK(overlapping.repeated_votes()[0].votes == 4);
  CHECK(overlapping.repeated_votes()[0].file == fixture("undl_small.csv"));
  const auto notes = describe_repeated_votes(overlapping);
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("4 votes repeat an earlier --history file"));

  // KAZ abstained on ES-11/1 in the first file and votes Yes in the second: nothing is merged.
  const auto changed = errors_of([] {
    (void)load_histories({fixture("tidy_small.csv"), fixture("undl_conflict.csv")});
  });
  REQUIRE(changed.size() == 1);
  CHECK(mentions(changed, "0: ", "KAZ on A/RES/ES-11/1 is Y here but A in an earlier"));
}

TEST_CASE(
    "a resolution dated differently in two files is an error, in one Library export set "
    "aside") {
  // The second file repeats KAZ's abstention on ES-11/1 (same value) and adds KGZ's, both dated
  // a day late: neither is "read once"; the error names both dates and both places, once.
  try {
    (void)load_histories({fixture("tidy_small.csv"), fixture("tidy_misdated.csv")});
    FAIL("expected an InputError");
  } catch (const sim::InputError& error) {
    REQUIRE(error.diagnostics().size() == 1);
    CHECK(error.diagnostics()[0].to_string() ==
          fixture("tidy_misdated.csv") +
              ":3:1: error: A/RES/ES-11/1 is dated 2022-03-03 here but 2022-03-02 at " +
              fixture("tidy_small.csv") +
              ":2:1 in an earlier --history file; a resolution is voted on one day, so correct "
              "the date in one of the files");
  }
  // Inside one Library export (a time of day does not count): a whole 1946- export must stay
  // usable, so the resolution's votes are set aside with a warning, as conflicting votes are,
  // and the file's other votes are read.
  const VoteHistory library = load_history(fixture("undl_misdated.csv"));
  CHECK(library.find("A/RES/ES-11/1", "KAZ") == nullptr);
  CHECK(library.find("A/RES/ES-11/3", "KAZ") != nullptr);
  CHECK(std::none_of(library.votes().begin(), library.votes().end(),
                     [](const auto& vote) { return vote.resolution == "A/RES/ES-11/1"; }));
  REQUIRE(describe_misdated(library).size() == 1);
  CHECK(describe_misdated(library)[0] ==
        fixture("undl_misdated.csv") +
            ":4:1: A/RES/ES-11/1 is dated 2022-03-09 here but 2022-03-02 at line 2; a resolution "
            "is voted on one day, so none of its votes in this file is read");
  // The same date written with a time of day, in another file, is the same day.
  CHECK(load_histories({fixture("tidy_small.csv"), fixture("undl_small.csv")}).votes().size() == 9);
}

TEST_CASE("a file's bare or lower-case symbols join the UN spelling, and a missing one is named") {
  const VoteHistory history = parse_tidy_votes(
      "resolution,date,iso3,vote\n"
      "77/229,2022-12-14,KAZ,A\n"
      "a/res/es-11/5,2022-11-14,KAZ,NV\n"
      "A/RES/ES-11/5,2022-11-14,KGZ,N\n",
      "short.csv");
  REQUIRE(history.find("A/RES/77/229", "KAZ") != nullptr);
  CHECK(history.find("A/RES/77/229", "KAZ")->vote == "A");
  CHECK(history.find("A/RES/ES-11/5", "KAZ")->vote == "NV");
  CHECK(history.find("A/RES/ES-11/5", "KGZ")->vote == "N");
  CHECK(history.resolutions().size() == 2);
  // Two spellings of one resolution are one resolution: a second vote of KAZ is still an error.
  const auto errors = errors_of([] {
    (void)parse_tidy_votes(
        "resolution,date,iso3,vote\n77/229,2022-12-14,KAZ,A\nA/RES/77/229,2022-12-14,KAZ,Y\n",
        "twice.csv");
  });
  CHECK(mentions(errors, "3: ", "a second vote of KAZ on A/RES/77/229"));

  const auto lines = describe_unrecorded_resolutions(history, {"A/RES/77/299", "A/RES/60/1"},
                                                     {"A/RES/77/299", "A/RES/60/1"});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "A/RES/77/299: no recorded vote in the --history files (did you mean "
        "'A/RES/77/229'?)");
  CHECK(lines[1] == "A/RES/60/1: no recorded vote in the --history files");
  // A recorded symbol already in use names another text: it is not offered as the spelling.
  const auto in_use = describe_unrecorded_resolutions(history, {"A/RES/77/229", "A/RES/77/299"},
                                                      {"A/RES/77/229", "A/RES/77/299"});
  REQUIRE(in_use.size() == 1);
  CHECK(in_use[0] == "A/RES/77/299: no recorded vote in the --history files");
}

TEST_CASE("a Library row without a country code is read by its name, or reported and left out") {
  const VoteHistory history = load_undl_votes(fixture("undl_names.csv"));
  // Accents, the UN's parenthesised style and its long official names are matched; a code that
  // is not one ('?') is read by name too.
  CHECK(history.find("A/RES/ES-11/1", "CIV")->vote == "Y");
  CHECK(history.find("A/RES/ES-11/1", "IRN")->vote == "A");
  CHECK(history.find("A/RES/ES-11/1", "TUR")->vote == "Y");
  CHECK(history.find("A/RES/ES-11/1", "LAO")->vote == "A");
  CHECK(history.votes().size() == 5);  // the two Zanzibar votes cannot be joined: left out
  REQUIRE(history.countries_by_name().size() == 1);
  CHECK(history.countries_by_name()[0].rows == 4);
  REQUIRE(history.unknown_codes().size() == 1);
  CHECK(history.unknown_codes()[0].by_name);
  CHECK(history.unknown_codes()[0].code == "ZANZIBAR");
  CHECK(history.unknown_codes()[0].rows == 2);
  const auto unknown = describe_unknown_codes(history);
  REQUIRE(unknown.size() == 1);
  CHECK(
      unknown[0].starts_with("unknown country 'ZANZIBAR' without a country code (2 rows, first "
                             "at "));
  CHECK(unknown[0].find("undl_names.csv:7:1") != std::string::npos);
  const auto named = describe_countries_by_name(history);
  REQUIRE(named.size() == 1);
  CHECK(named[0].ends_with(
      ": 4 rows have no usable ms_code (blank, or not an upper-case ISO 3166-1 alpha-3 code such "
      "as KAZ); the country was read from ms_name"));
}

TEST_CASE("country names fold case accents and punctuation and know earlier names") {
  CHECK(folded_country_name("  Côte d'Ivoire ") == "COTE D IVOIRE");
  CHECK(folded_country_name("Guinea-Bissau") == "GUINEA BISSAU");
  CHECK(find_country_by_name("GUINEA-BISSAU")->alpha3 == "GNB");
  CHECK(find_country_by_name("Bolivia (Plurinational State of)")->alpha3 == "BOL");
  CHECK(find_country_by_name("NETHERLANDS (KINGDOM OF THE)")->alpha3 == "NLD");
  CHECK(find_country_by_name("UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND")->alpha3 ==
        "GBR");
  CHECK(find_country_by_name("Upper Volta")->alpha3 == "BFA");
  CHECK(find_country_by_name("Yugoslavia")->alpha3 == "SRB");
  // The Soviet Union is not read as Russia by name, as its code SUN is not.
  CHECK(find_country_by_name("UNION OF SOVIET SOCIALIST REPUBLICS") == nullptr);
  CHECK(find_country_by_name("Atlantis") == nullptr);
  CHECK(find_country_by_name("(of)") == nullptr);
  CHECK(find_country_by_name("") == nullptr);
}
