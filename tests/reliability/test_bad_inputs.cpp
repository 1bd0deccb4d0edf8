// The bad-input corpus (tests/bad_inputs/, described in its README.md): every case must be
// rejected with exactly its expected message and exit status 2, and write nothing — no output
// directory, no temporary file. Each case runs twice: in-process through run_cli, and as the
// real program in a subprocess (where a crash would show as a signal rather than kill the test).
//
// MULTIVECTOR_UPDATE_BAD_INPUTS=1 rewrites each case's `expected` from what the program prints:
// for adding a case or after changing a message on purpose; review the diff before committing.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "process.hpp"
#include "sim/cli/cli.hpp"
#include "tests/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using multivector::testing::read_text_file;
using multivector::testing::snapshot;
using multivector::testing::TemporaryDirectory;

const fs::path& corpus_root() {
  static const fs::path root = fs::path(MULTIVECTOR_SOURCE_DIR) / "tests" / "bad_inputs";
  return root;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(corpus_root())) {
    if (entry.is_directory()) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::vector<std::string> read_lines(const fs::path& path) {
  return multivector::testing::split_lines(read_text_file(path));
}

// A country-like code for the n-th repetition: AAA, AAB, ...
std::string letters(int index) {
  std::string code(3, 'A');
  code[0] = static_cast<char>('A' + (index / (26 * 26)) % 26);
  code[1] = static_cast<char>('A' + (index / 26) % 26);
  code[2] = static_cast<char>('A' + index % 26);
  return code;
}

// The `setup` verbs make inputs too big or too strange to commit (see README.md).
void run_setup(const fs::path& directory, const std::string& line) {
  std::istringstream words(line);
  std::string verb;
  std::string name;
  words >> verb >> name;
  const fs::path target = directory / name;
  if (verb == "big-file") {
    int megabytes = 0;
    words >> megabytes;
    std::ofstream out(target, std::ios::binary);
    const std::string block = "# " + std::string(1021, 'x') + "\n";  // 1 KiB of YAML comment
    for (int kilobyte = 0; kilobyte < megabytes * 1024; ++kilobyte) {
      out << block;
    }
  } else if (verb == "mkdir") {
    fs::create_directories(target);
  } else if (verb == "fifo") {
    REQUIRE(::mkfifo(target.c_str(), 0644) == 0);
  } else if (verb == "symlink") {
    std::string link;
    words >> link;
    fs::create_symlink(name, directory / link);
  } else if (verb == "append") {
    std::string rest;
    std::getline(words, rest);
    std::ofstream(target, std::ios::app) << rest.substr(1) << "\n";
  } else if (verb == "repeat") {
    int count = 0;
    words >> count;
    std::string pattern;
    std::getline(words, pattern);
    pattern = pattern.substr(1);  // the one space after the count
    std::ofstream out(target, std::ios::app);
    for (int index = 0; index < count; ++index) {
      out << replace_all(replace_all(pattern, "{n}", std::to_string(index)), "{abc}",
                         letters(index))
          << "\n";
    }
  } else {
    FAIL("unknown setup verb '" << verb << "'");
  }
}

struct PreparedCase {
  std::vector<std::string> arguments;  // after the program name
  std::string expected;
  fs::path directory;
};

// Copies the case into `scratch`/case (so nothing is ever written into the source tree) and
// runs its setup.
PreparedCase prepare(const std::string& name, const fs::path& scratch) {
  const fs::path source = corpus_root() / name;
  PreparedCase prepared;
  prepared.directory = scratch / "case";
  fs::create_directories(prepared.directory);
  for (const auto& entry : fs::directory_iterator(source)) {
    const std::string file = entry.path().filename().string();
    if (file != "args" && file != "expected" && file != "setup") {
      fs::copy(entry.path(), prepared.directory / file, fs::copy_options::recursive);
    }
  }
  if (fs::exists(source / "setup")) {
    for (const auto& line : read_lines(source / "setup")) {
      run_setup(prepared.directory, line);
    }
  }
  for (const auto& argument : read_lines(source / "args")) {
    prepared.arguments.push_back(replace_all(argument, "{case}", prepared.directory.string()));
  }
  prepared.expected =
      replace_all(read_text_file(source / "expected"), "{case}", prepared.directory.string());
  return prepared;
}

bool updating() {
  const char* flag = std::getenv("MULTIVECTOR_UPDATE_BAD_INPUTS");
  return flag != nullptr && std::string(flag) == "1";
}

}  // namespace

TEST_CASE("the bad-input corpus has the cases the reliability issue asks for",
          "[reliability][bad_inputs]") {
  const auto names = case_names();
  const auto count_prefix = [&](const std::string& prefix) {
    return std::count_if(names.begin(), names.end(),
                         [&](const std::string& name) { return name.starts_with(prefix); });
  };
  CHECK(names.size() >= 60);
  CHECK(count_prefix("scenario-") >= 30);
  for (const std::string prefix : {"set-", "drop-event-", "history-", "cli-", "limit-"}) {
    INFO(prefix);
    CHECK(count_prefix(prefix) >= 2);
  }
  for (const auto& name : names) {
    INFO(name);
    CHECK(fs::exists(corpus_root() / name / "args"));
    CHECK((updating() || fs::exists(corpus_root() / name / "expected")));
  }
}

TEST_CASE("every bad input is rejected in-process with its message, status 2 and no output",
          "[reliability][bad_inputs]") {
  for (const auto& name : case_names()) {
    INFO("case tests/bad_inputs/" << name);
    TemporaryDirectory scratch("multivector-bad-input");
    const PreparedCase prepared = prepare(name, scratch.path());
    const auto before = snapshot(scratch.path());
    std::vector<std::string> arguments = {"multivector"};
    arguments.insert(arguments.end(), prepared.arguments.begin(), prepared.arguments.end());
    std::ostringstream out;
    std::ostringstream err;
    const int status = multivector::cli::run_cli(arguments, out, err);
    if (updating()) {
      std::ofstream(corpus_root() / name / "expected", std::ios::binary)
          << replace_all(err.str(), prepared.directory.string(), "{case}");
    } else {
      CHECK(err.str() == prepared.expected);
    }
    CHECK(status == 2);
    CHECK(out.str().empty());
    CHECK(snapshot(scratch.path()) == before);
  }
}

TEST_CASE("every bad input is rejected by the program with its message, status 2, no output",
          "[reliability][bad_inputs]") {
  if (updating()) {
    return;
  }
  for (const auto& name : case_names()) {
    INFO("case tests/bad_inputs/" << name);
    TemporaryDirectory scratch("multivector-bad-input");
    const PreparedCase prepared = prepare(name, scratch.path());
    TemporaryDirectory captured("multivector-bad-input-output");
    const auto before = snapshot(scratch.path());
    const auto result = multivector::testing::run_program(prepared.arguments, captured.path());
    CHECK(result.status == 2);
    CHECK(result.err == prepared.expected);
    CHECK(result.out.empty());
    CHECK(snapshot(scratch.path()) == before);
  }
}
