// Every `multivector` command that README.md, docs/*.md or a subcommand's --help shows is checked
// against the program, so that the documentation cannot drift away from it:
//
// - a concrete command is run as the real program, from a copy of scenarios/, in the order its
//   page gives (so a page's `run` feeds its `compare`), and must exit 0;
// - a synopsis — a command with placeholders such as RUN_DIR, FILE or [--history FILE]... — and
//   a concrete command whose input the page only imagines (my_scenario.yaml, new_votes.yaml) must
//   name a real subcommand and only options that subcommand has — unless the input is one or two
//   edits from a file or folder beside it, which makes it a typo and a failure;
// - `serve` is never started; its options are checked.
//
// It runs the world calibration several times, so it is its own ctest entry (docs.commands),
// left out of the sanitizer run, which would take minutes over it and find nothing the unit
// tests do not already drive: `build/tests/multivector_tests '[docs]'`.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "process.hpp"
#include "sim/diagnostics.hpp"
#include "tests/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using multivector::testing::run_command;
using multivector::testing::run_program;
using multivector::testing::ScratchDirectory;
using multivector::testing::split_lines;

struct DocumentedCommand {
  std::string where;               // page:line, or the --help it came from
  std::string text;                // as written, after `multivector`
  std::vector<std::string> words;  // the arguments
};

struct Page {
  std::string name;
  std::vector<DocumentedCommand> commands;
  // Files the page spells out in full: a code block whose first line is `# PATH.yaml` (or .csv).
  std::map<std::string, std::string> files;
};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The command that starts at lines[index], with its `\` continuations joined; leaves `index` on
// its last line.
std::string join_continuations(const std::vector<std::string>& lines, std::size_t& index) {
  std::string joined = trim(lines[index]);
  while (!joined.empty() && joined.back() == '\\' && index + 1 < lines.size()) {
    joined = trim(joined.substr(0, joined.size() - 1)) + " " + trim(lines[++index]);
  }
  return joined;
}

// What a page writes after a command that is not part of it: a `# comment`, a description set
// off by three or more spaces, or a redirection of its output.
std::string strip_annotations(std::string text) {
  for (const std::string& marker : {std::string(" #"), std::string("   "), std::string(" > "),
                                    std::string(" 2> "), std::string(" | ")}) {
    const auto at = text.find(marker);
    if (at != std::string::npos) {
      text = text.substr(0, at);
    }
  }
  return trim(text);
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  for (std::string word; stream >> word;) {
    if (word.size() >= 2 && (word.front() == '\'' || word.front() == '"') &&
        word.back() == word.front()) {
      word = word.substr(1, word.size() - 2);
    }
    words.push_back(word);
  }
  return words;
}

// Adds each `multivector ...` of a line that may hold several joined by `&&`.
void add_commands(const std::string& where, const std::string& line,
                  std::vector<DocumentedCommand>& commands) {
  std::string rest = line;
  while (!rest.empty()) {
    const auto join = rest.find("&&");
    std::string part = trim(rest.substr(0, join));
    rest = join == std::string::npos ? "" : rest.substr(join + 2);
    for (const std::string& prefix : {std::string("build/sim/cli/"), std::string("./")}) {
      if (part.starts_with(prefix)) {
        part = part.substr(prefix.size());
      }
    }
    if (!part.starts_with("multivector ") && part != "multivector") {
      continue;
    }
    const std::string text = strip_annotations(part.substr(std::string("multivector").size()));
    commands.push_back(DocumentedCommand{where, text, split_words(text)});
  }
}

// Code (indented four spaces, or inside a ``` fence): a line that starts with the program, with
// `\` continuations joined. Prose: each `multivector ...` code span, which may wrap lines.
Page page_from_markdown(const fs::path& file, const std::string& label) {
  const std::vector<std::string> lines = split_lines(multivector::testing::read_text_file(file));
  Page page{label, {}, {}};
  std::vector<DocumentedCommand>& commands = page.commands;
  bool in_fence = false;
  std::string prose;  // the current paragraph, for code spans that wrap
  std::size_t prose_line = 0;
  const auto flush_prose = [&] {
    for (auto at = prose.find("`multivector"); at != std::string::npos;
         at = prose.find("`multivector", at + 1)) {
      const auto end = prose.find('`', at + 1);
      if (end == std::string::npos) {
        break;
      }
      add_commands(label + ":" + std::to_string(prose_line), prose.substr(at + 1, end - at - 1),
                   commands);
      at = end;
    }
    prose.clear();
  };
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const std::string& line = lines[index];
    const std::string header = trim(line);
    if (header.starts_with("```")) {
      flush_prose();
      in_fence = !in_fence;
      continue;
    }
    const bool code = in_fence || line.starts_with("    ") || line.starts_with("\t");
    if (code && !in_fence && header.starts_with("# ") && header.find(' ', 2) == std::string::npos &&
        (header.ends_with(".yaml") || header.ends_with(".csv"))) {
      std::string content;
      while (index + 1 < lines.size() && lines[index + 1].starts_with("    ")) {
        content += lines[++index].substr(4) + "\n";
      }
      page.files[header.substr(2)] = content;
      continue;
    }
    if (code && (header.starts_with("multivector") || header.starts_with("build/sim/cli/"))) {
      const std::size_t first_line = index + 1;
      add_commands(label + ":" + std::to_string(first_line), join_continuations(lines, index),
                   commands);
      continue;
    }
    if (header.empty()) {
      flush_prose();
      continue;
    }
    if (prose.empty()) {
      prose_line = index + 1;
    }
    prose += " " + header;
  }
  flush_prose();
  return page;
}

// The examples of `multivector SUBCOMMAND --help`, written the same way as code in a page.
std::vector<DocumentedCommand> commands_in_help(const std::string& help, const std::string& label) {
  const std::vector<std::string> lines = split_lines(help);
  std::vector<DocumentedCommand> commands;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    if (trim(lines[index]).starts_with("multivector ")) {
      add_commands(label, join_continuations(lines, index), commands);
    }
  }
  return commands;
}

// Words that stand for something the reader supplies.
bool is_placeholder(const std::string& word) {
  static const std::set<std::string> placeholders = {
      "SCENARIO", "SUBCOMMAND", "RUN_DIR", "RUN_A", "RUN_B", "FILE",    "ISO3",       "ID", "DATE",
      "PATH",     "VALUE",      "DB",      "DIR",   "SEED",  "COMMAND", "RESOLUTION", "N",  "K",
      "D",        "E",          "R",       "T",     "F",     "X",       "LO",         "HI", "STEP"};
  if (word.find_first_of("[]()|") != std::string::npos || word.find("...") != std::string::npos ||
      word.find("\u2026") != std::string::npos) {
    return true;
  }
  std::string part;
  for (const char character : word + ".") {
    if (character == '=' || character == ':' || character == '/' || character == '.' ||
        character == ',') {
      if (placeholders.count(part) > 0) {
        return true;
      }
      part.clear();
    } else {
      part += character;
    }
  }
  return false;
}

// The option values that name something the command writes, not reads.
bool is_output_option(const std::string& option) {
  return option == "-o" || option == "--out" || option == "--db" || option == "--predictions" ||
         option == "--csv" || option == "--output";
}

// A word that names an input file or a run folder the page expects to exist.
bool looks_like_input_path(const std::string& word) {
  if (word.empty() || word.front() == '-' || word.starts_with("builtin:") ||
      word.find('=') != std::string::npos) {
    return false;
  }
  for (const std::string_view extension : {".yaml", ".yml", ".csv", ".db", ".json", ".gz"}) {
    if (word.size() > extension.size() && word.ends_with(extension)) {
      return true;
    }
  }
  return word.starts_with("out/") || word.starts_with("scenarios/");
}

std::string subcommand_of(const std::vector<std::string>& words) {
  for (const auto& word : words) {
    if (!word.starts_with("-")) {
      return word;
    }
  }
  return "";
}

// Whether `help` lists `option` (as `--name`, `-o` or `-o,--output`).
bool help_lists(const std::string& help, const std::string& option) {
  for (auto at = help.find(option); at != std::string::npos; at = help.find(option, at + 1)) {
    const char before = at == 0 ? ' ' : help[at - 1];
    const std::size_t after_index = at + option.size();
    const char after = after_index < help.size() ? help[after_index] : ' ';
    const bool starts_word = before == ' ' || before == ',' || before == '\n';
    const bool ends_word =
        !(std::isalnum(static_cast<unsigned char>(after)) != 0 || after == '-' || after == '_');
    if (starts_word && ends_word) {
      return true;
    }
  }
  return false;
}

class DocumentedCommandChecker {
 public:
  explicit DocumentedCommandChecker(fs::path logs) : logs_(std::move(logs)) {}

  std::string help_of(const std::string& subcommand) {
    const auto found = help_.find(subcommand);
    if (found != help_.end()) {
      return found->second;
    }
    std::vector<std::string> arguments;
    if (!subcommand.empty()) {
      arguments.push_back(subcommand);
    }
    arguments.emplace_back("--help");
    const auto result = run_program(arguments, logs_);
    // An empty help stands for "no such subcommand".
    return help_.emplace(subcommand, result.status == 0 ? result.out : "").first->second;
  }

  // The subcommand exists and knows every option written; empty when so, else what is wrong.
  std::string check_options(const DocumentedCommand& command) {
    const std::string subcommand = subcommand_of(command.words);
    if (subcommand.empty() || is_placeholder(subcommand)) {
      return "";  // `multivector COMMAND --help`, `multivector --version`
    }
    const std::string help = help_of(subcommand);
    if (help.empty()) {
      return "'" + subcommand + "' is not a subcommand";
    }
    bool before_subcommand = true;
    for (const auto& word : command.words) {
      if (word == subcommand) {
        before_subcommand = false;
        continue;
      }
      if (!word.starts_with("-") || word == "-" || word.find_first_of("[]") != std::string::npos ||
          (word.size() > 1 && std::isdigit(static_cast<unsigned char>(word[1])) != 0)) {
        continue;
      }
      const std::string option = word.substr(0, word.find('='));
      const std::string& listing = before_subcommand ? help_of("") : help;
      if (!help_lists(listing, option)) {
        return "'" + option + "' is not an option of `multivector " +
               (before_subcommand ? std::string() : subcommand + " ") + "--help`";
      }
    }
    return "";
  }

  // Inputs the command reads that do not exist (yet) in `directory`.
  static std::vector<std::string> missing_inputs(const DocumentedCommand& command,
                                                 const fs::path& directory) {
    std::vector<std::string> missing;
    for (std::size_t index = 0; index < command.words.size(); ++index) {
      const auto& word = command.words[index];
      const bool output = index > 0 && is_output_option(command.words[index - 1]);
      if (!output && looks_like_input_path(word) && !fs::exists(directory / word)) {
        missing.push_back(word);
      }
    }
    return missing;
  }

  // What a missing input is a typo of: an entry beside it (same folder) one or two edits away,
  // for names long enough that two edits cannot turn one made-up name into another (my.yaml and
  // p.yaml are both imagined; out/central_asia_202 is out/central_asia_2022 misspelt). Empty when
  // nothing is that close, and the input is taken as one the page only imagines.
  static std::string typo_of(const std::string& input, const fs::path& directory) {
    constexpr std::size_t kShortestName = 8;
    constexpr std::size_t kMostEdits = 2;
    const fs::path written(input);
    const std::string name = written.filename().string();
    const fs::path folder = directory / written.parent_path();
    std::error_code error;
    if (name.size() < kShortestName || !fs::is_directory(folder, error)) {
      return "";
    }
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      const std::string candidate = entry.path().filename().string();
      if (candidate.size() >= kShortestName &&
          multivector::sim::edit_distance(name, candidate) <= kMostEdits) {
        return (written.parent_path() / candidate).string();
      }
    }
    return "";
  }

  // Checks one page's commands in `directory`; returns one line per failure.
  std::vector<std::string> check_page(const Page& page, const fs::path& directory) {
    std::vector<std::string> failures;
    std::vector<const DocumentedCommand*> waiting;  // inputs made later on the page, perhaps
    std::set<std::string> done;
    const auto run = [&](const DocumentedCommand& command, bool from_page = true) {
      const fs::path previous = fs::current_path();
      fs::current_path(directory);
      const auto result = run_program(command.words, logs_);
      fs::current_path(previous);
      if (result.status != 0) {
        failures.push_back(command.where + ": `multivector " + command.text + "` exited " +
                           std::to_string(result.status) + ": " + trim(result.err));
      }
      runs_ += from_page ? 1 : 0;
    };
    // Every page may assume the Quick start has been followed: the default run is in
    // out/central_asia_2022. And the files it spells out are where it says.
    run(DocumentedCommand{page.name + " (the Quick start's run, before the page)", "run", {"run"}},
        false);
    for (const auto& [path, content] : page.files) {
      fs::create_directories((directory / path).parent_path());
      std::ofstream(directory / path, std::ios::binary) << content;
    }
    for (const auto& command : page.commands) {
      const std::string problem = check_options(command);
      if (!problem.empty()) {
        failures.push_back(command.where + ": `multivector " + command.text + "`: " + problem);
        continue;
      }
      const bool synopsis = std::any_of(command.words.begin(), command.words.end(), is_placeholder);
      const std::string subcommand = subcommand_of(command.words);
      // A bare `multivector calibrate` in prose names the command; it is not an invocation.
      const bool name_only = command.words.size() <= 1 && subcommand != "run";
      if (synopsis || name_only || subcommand == "serve" || !done.insert(command.text).second) {
        continue;
      }
      if (!missing_inputs(command, directory).empty()) {
        waiting.push_back(&command);
        continue;
      }
      run(command);
    }
    for (const auto* command : waiting) {
      const std::vector<std::string> missing = missing_inputs(*command, directory);
      if (missing.empty()) {
        run(*command);
        continue;
      }
      std::string typos;
      for (const auto& input : missing) {
        const std::string meant = typo_of(input, directory);
        typos += meant.empty() ? "" : " '" + input + "' (did you mean '" + meant + "'?)";
      }
      if (!typos.empty()) {
        failures.push_back(command->where + ": `multivector " + command->text +
                           "` reads what no command on the page makes:" + typos);
      } else {
        imagined_.push_back(command->where + ": " + command->text);  // options checked above
      }
    }
    return failures;
  }

  [[nodiscard]] int runs() const { return runs_; }
  // Commands not run because they read a file the page only imagines (my_scenario.yaml).
  [[nodiscard]] const std::vector<std::string>& imagined() const { return imagined_; }

 private:
  fs::path logs_;
  std::map<std::string, std::string> help_;
  int runs_ = 0;
  std::vector<std::string> imagined_;
};

// The subcommands, as the top-level --help lists them.
std::vector<std::string> subcommand_names(const std::string& top_help) {
  std::vector<std::string> names;
  std::istringstream lines(top_help);
  bool in_list = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Subcommands:")) {
      in_list = true;
      continue;
    }
    if (in_list && !line.starts_with("  ")) {
      break;
    }
    const auto words = split_words(line);
    if (in_list && !words.empty()) {
      names.push_back(words.front());
    }
  }
  return names;
}

std::vector<Page> documented_pages(DocumentedCommandChecker& checker) {
  const fs::path source(MULTIVECTOR_SOURCE_DIR);
  std::vector<Page> pages;
  std::vector<fs::path> files = {source / "README.md"};
  for (const auto& entry : fs::directory_iterator(source / "docs")) {
    if (entry.path().extension() == ".md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin() + 1, files.end());
  for (const auto& file : files) {
    const std::string label = fs::relative(file, source).string();
    pages.push_back(page_from_markdown(file, label));
  }
  for (const auto& subcommand : subcommand_names(checker.help_of(""))) {
    const std::string label = "`multivector " + subcommand + " --help`";
    pages.push_back(Page{label, commands_in_help(checker.help_of(subcommand), label), {}});
  }
  pages.push_back(Page{
      "`multivector --help`", commands_in_help(checker.help_of(""), "`multivector --help`"), {}});
  return pages;
}

}  // namespace

TEST_CASE("the command-line reader finds commands, placeholders and inputs", "[docs]") {
  std::vector<DocumentedCommand> commands;
  add_commands("page:1",
               "multivector run && multivector compare out/central_asia_2022   # score it",
               commands);
  REQUIRE(commands.size() == 2);
  CHECK(commands[0].words == std::vector<std::string>{"run"});
  CHECK(commands[1].words == std::vector<std::string>{"compare", "out/central_asia_2022"});
  CHECK(is_placeholder("RUN_DIR"));
  CHECK(is_placeholder("[--history"));
  CHECK(is_placeholder("PATH=LO:HI[:STEP]..."));
  CHECK(is_placeholder("N/100"));
  CHECK_FALSE(is_placeholder("KAZ,KGZ,TJK,UZB,TKM"));
  CHECK_FALSE(is_placeholder("countries.KAZ.exposure.RUS.transit=0.3"));
  CHECK_FALSE(is_placeholder("ES-11/3"));
  CHECK(help_lists("  -o,--output TEXT  where", "-o"));
  CHECK(help_lists("  -o,--output TEXT  where", "--output"));
  CHECK_FALSE(help_lists("  --output-dir TEXT", "--output"));
  const DocumentedCommand calibrate{
      "page:2", "", {"calibrate", "new.yaml", "--predictions", "held.csv", "-o", "p.yaml"}};
  CHECK(DocumentedCommandChecker::missing_inputs(calibrate, fs::temp_directory_path()) ==
        std::vector<std::string>{"new.yaml"});
  // A misspelt run folder is a failure; a made-up name beside real ones is imagined.
  const multivector::testing::TemporaryDirectory page("multivector-docs-typo");
  fs::create_directories(page.path() / "out" / "central_asia_2022");
  std::ofstream(page.path() / "p.yaml") << "{}";
  CHECK(DocumentedCommandChecker::typo_of("out/central_asia_202", page.path()) ==
        "out/central_asia_2022");
  CHECK(DocumentedCommandChecker::typo_of("out/centralasia_2022", page.path()) ==
        "out/central_asia_2022");
  CHECK(DocumentedCommandChecker::typo_of("out/world_2022", page.path()).empty());
  CHECK(DocumentedCommandChecker::typo_of("my.yaml", page.path()).empty());
  CHECK(DocumentedCommandChecker::typo_of("out/nowhere/central_asia_2022", page.path()).empty());
}

TEST_CASE("every command the documentation and --help show runs", "[.][docs]") {
  ScratchDirectory scratch;
  fs::create_directories(scratch / "logs");
  DocumentedCommandChecker checker(scratch / "logs");
  const auto pages = documented_pages(checker);
  std::vector<std::string> failures;
  std::size_t commands = 0;
  for (const auto& page : pages) {
    commands += page.commands.size();
    // Each page starts from a fresh copy of the project's scenarios, where its relative paths
    // (scenarios/world_2022.yaml, out/...) lead, and writes nothing into the source tree.
    const fs::path directory = scratch / ("page-" + std::to_string(&page - pages.data()));
    fs::create_directories(directory);
    fs::copy(fs::path(MULTIVECTOR_SOURCE_DIR) / "scenarios", directory / "scenarios",
             fs::copy_options::recursive);
    const auto page_failures = checker.check_page(page, directory);
    failures.insert(failures.end(), page_failures.begin(), page_failures.end());
  }
  std::string report = "failures:\n";
  for (const auto& failure : failures) {
    report += "  " + failure + "\n";
  }
  report += "not run (an imagined input), options checked:\n";
  for (const auto& command : checker.imagined()) {
    report += "  " + command + "\n";
  }
  INFO(commands << " commands on " << pages.size() << " pages; " << checker.runs() << " run, "
                << checker.imagined().size() << " with inputs the page only imagines\n"
                << report);
  CHECK(commands > 100);
  CHECK(checker.runs() > 40);
  CHECK(failures.empty());
}

TEST_CASE("every subcommand's --help shows an example and its exit statuses", "[docs]") {
  const auto top = run_command({"--help"});
  REQUIRE(top.status == 0);
  const auto subcommands = subcommand_names(top.out);
  CHECK(subcommands.size() >= 13);
  for (const auto& subcommand : subcommands) {
    const auto help = run_command({subcommand, "--help"});
    INFO("multivector " << subcommand << " --help");
    CHECK(help.status == 0);
    CHECK(help.out.find("multivector " + subcommand) != std::string::npos);
    CHECK(help.out.find("Exit status: 0 ") != std::string::npos);
  }
}

TEST_CASE("README's quick start shows what the default run prints", "[docs]") {
  ScratchDirectory scratch;
  const auto ran = run_command({"run", "--out", (scratch / "run").string()});
  REQUIRE(ran.status == 0);
  // The printed table and statements, from the vote table's header to the last statement.
  const std::vector<std::string> printed = split_lines(ran.out);
  const auto first = std::find_if(printed.begin(), printed.end(), [](const std::string& line) {
    return line.rfind("vote ", 0) == 0;
  });
  const auto last = std::find_if(
      first, printed.end(), [](const std::string& line) { return line.rfind("wrote ", 0) == 0; });
  REQUIRE(first != printed.end());
  std::vector<std::string> expected(first, last);
  while (!expected.empty() && expected.back().empty()) {
    expected.pop_back();
  }
  // README shows the same lines indented by four spaces, as a code block.
  const std::vector<std::string> readme = split_lines(
      multivector::testing::read_text_file(fs::path(MULTIVECTOR_SOURCE_DIR) / "README.md"));
  const auto shown = std::find(readme.begin(), readme.end(), "    " + expected.front());
  REQUIRE(shown != readme.end());
  for (std::size_t line = 0; line < expected.size(); ++line) {
    const std::size_t at = static_cast<std::size_t>(shown - readme.begin()) + line;
    REQUIRE(at < readme.size());
    const std::string want = expected[line].empty() ? "" : "    " + expected[line];
    INFO("README.md:" << at + 1);
    CHECK(readme[at] == want);
  }
}
