// The YAML reader's messages for mistakes that yaml-cpp either accepts or reports without the
// cause: a quote left open, which swallows the keys after it, and a tab in the indentation.
#include <catch2/catch.hpp>
#include <string>

#include "sim/diagnostics.hpp"
#include "sim/source_tree.hpp"

using namespace multivector;

namespace {

// Every message parse_yaml gives for `text`, one a line.
std::string messages_of(const std::string& text) {
  sim::Diagnostics diagnostics;
  (void)sim::parse_yaml(text, "file.yaml", diagnostics);
  std::string messages;
  for (const auto& diagnostic : diagnostics.errors()) {
    messages += diagnostic.to_string() + "\n";
  }
  return messages;
}

}  // namespace

TEST_CASE("a quote left open over what look like keys is an error at the opening quote") {
  // yaml-cpp lets a quoted scalar span lines: without its closing quote, a note ran on to the
  // next quote in the file and the agenda in between became its text, and the file loaded.
  const std::string unclosed = R"(countries:
  GEO:
    name: Georgia
    note: "Abkhazia and South Ossetia occupied since 2008
agenda:
  - id: ES-11/1
    name: "Aggression against Ukraine"
)";
  CHECK(messages_of(unclosed) ==
        "file.yaml:4:11: error: this quoted text runs on to line 7, over what look like keys "
        "(line 5: 'agenda:'); is its closing quote missing? Add it where the text ends\n");

  // The same with single quotes, and with a sibling key of a list entry swallowed.
  const std::string single = R"(events:
  - id: a
    note: 'left open
    date: 2022-01-01
  - id: 'b'
)";
  CHECK_THAT(messages_of(single),
             Catch::Contains("file.yaml:3:11: error: this quoted text runs on to line 5") &&
                 Catch::Contains("(line 4: 'date: 2022-01-01')"));
}

TEST_CASE("quoted text that rightly spans lines is read as text") {
  // Continuation lines are indented deeper than the key, even one that looks like a key; '' and
  // \" are quotes inside the text, not its end; block scalars span lines by design.
  const std::string text = R"(countries:
  GEO:
    note: "Abkhazia and
      South Ossetia: occupied since 2008, \"frozen\""
    name: 'Georgia''s
      name: in full'
    description: |
      first: line
    other: >
      second: line
)";
  sim::Diagnostics diagnostics;
  const sim::SourceNode root = sim::parse_yaml(text, "file.yaml", diagnostics);
  REQUIRE(diagnostics.empty());
  const sim::SourceNode& georgia = *root.find("countries")->find("GEO");
  CHECK(georgia.find("note")->text ==
        "Abkhazia and South Ossetia: occupied since 2008, \"frozen\"");
  CHECK(georgia.find("name")->text == "Georgia's name: in full");
  CHECK(georgia.find("description")->text == "first: line\n");
}

TEST_CASE("a syntax error near a tab in the indentation says YAML indents with spaces only") {
  const std::string tabbed = "powers:\n  RUS:\n\tposition: -1\n  WEST:\n    position: 1\n";
  CHECK_THAT(messages_of(tabbed),
             Catch::EndsWith("; line 3 is indented with a tab, and YAML indents with spaces "
                             "only\n"));
  // Without a tab, the syntax error is as yaml-cpp gives it.
  CHECK_THAT(messages_of("powers: [RUS\n"), !Catch::Contains("tab"));
}
