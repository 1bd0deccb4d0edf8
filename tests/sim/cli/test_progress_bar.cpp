// Progress display: counts, durations, the bar, and silence when stderr is not a terminal.
#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "sim/cli/progress_bar.hpp"

using namespace multivector::cli;

TEST_CASE("counts are grouped by thousands and durations read as clocks") {
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
  CHECK(format_count(1234567) == "1,234,567");
  CHECK(format_count(-4200) == "-4,200");
  CHECK(format_duration(7.4) == "0:07");
  CHECK(format_duration(725) == "12:05");
  CHECK(format_duration(3 * 3600 + 131) == "3:02:11");
  CHECK(format_duration(-1) == "?");
}

TEST_CASE("the bar shows share, counts, rate and time left") {
  const std::string bar = format_progress_bar(45000, 100000, 3000.0, 20, "runs");
  CHECK_THAT(bar, Catch::StartsWith("[=========>          ]  45%"));
  CHECK_THAT(bar, Catch::Contains("45,000/100,000 runs"));
  CHECK_THAT(bar, Catch::Contains("3,000 runs/s"));
  CHECK_THAT(bar, Catch::EndsWith("ETA 0:18"));  // 55,000 runs at 3,000 a second
  CHECK_THAT(format_progress_bar(10, 10, 0.0, 4, "runs"), Catch::StartsWith("[====] 100%"));
}

TEST_CASE("a progress bar draws in place on a terminal and stays silent otherwise") {
  std::ostringstream terminal;
  {
    ProgressBar bar(terminal, true, "runs");
    bar.update(5, 10, 5, 1.0);
    bar.update(10, 10, 10, 2.0);
    bar.update(10, 10, 10, 2.5);  // nothing new: not drawn again
  }
  CHECK_THAT(terminal.str(), Catch::StartsWith("\r["));
  CHECK_THAT(terminal.str(), Catch::EndsWith("\n"));
  CHECK_THAT(terminal.str(), Catch::Contains("10/10 runs"));
  const std::string drawn = terminal.str();
  CHECK(std::count(drawn.begin(), drawn.end(), '\r') == 2);

  std::ostringstream log;
  {
    ProgressBar bar(log, false, "runs");
    bar.update(5, 10, 5, 1.0);
    bar.update(10, 10, 10, 2.0);
  }
  CHECK(log.str().empty());
}
