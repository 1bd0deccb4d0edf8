// `multivector generate`: the files it writes load, and the files it would replace.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/test_support.hpp"

using multivector::testing::read_text_file;
using multivector::testing::run_command;
using multivector::testing::ScratchDirectory;

TEST_CASE("generate with one power writes a scenario that validates") {
  ScratchDirectory scratch;
  const std::string output = scratch / "g1.yaml";
  const auto generated = run_command({"generate", "--countries", "2", "--days", "10", "--events",
                                      "5", "--items", "10", "--powers", "1", "-o", output});
  INFO(generated.err);
  REQUIRE(generated.status == 0);
  const auto validated = run_command({"validate", output});
  INFO(validated.err);
  CHECK(validated.status == 0);
}

TEST_CASE("generate -o replaces a file generate wrote and no other") {
  ScratchDirectory scratch;
  const std::string output = scratch / "scenario.yaml";
  const std::vector<std::string> small = {"generate", "--countries", "2",       "--days", "10",
                                          "--events", "2",           "--items", "2"};
  const auto with_output = [&small](const std::vector<std::string>& extra) {
    std::vector<std::string> arguments = small;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return arguments;
  };
  // A hand-written scenario is kept, and the message says what to do instead.
  const std::string hand_written = "# My own scenario\nscenario:\n  id: mine\n";
  std::ofstream(output) << hand_written;
  const auto refused = run_command(with_output({"-o", output}));
  CHECK(refused.status == 2);
  CHECK(refused.err == "multivector: error: cannot write '" + output +
                           "': it is an existing file that `multivector generate` did not write, "
                           "and would be replaced; choose another name, or remove that file "
                           "first\n");
  CHECK(read_text_file(output) == hand_written);

  // A file generate wrote is replaced, as a second generate with other sizes would.
  std::filesystem::remove(output);
  REQUIRE(run_command(with_output({"-o", output})).status == 0);
  REQUIRE(run_command(with_output({"--seed", "2", "-o", output})).status == 0);
  CHECK_THAT(read_text_file(output), Catch::Contains("seed: 2"));
}
