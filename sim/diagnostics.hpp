#pragma once
// Errors in user input, reported as FILE:LINE:COLUMN: error: MESSAGE (the compiler convention that
// editors and CI logs already understand).

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace multivector::sim {

// Where a value came from: a file position (1-based), or a command-line argument with no position.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  [[nodiscard]] std::string to_string() const;
};

struct Diagnostic {
  SourceLocation location;
  std::string message;

  [[nodiscard]] std::string to_string() const;  // "file:line:column: error: message"
};

// Collects every problem found in one pass, so the user can fix them all at once. Past
// kMaxReported problems only a count is kept, reported as one last line: a file with a million
// bad lines gets a readable report, not a million lines of it, and past a screenful more errors
// of the same kind only bury the first ones, which are usually the cause of the rest.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxReported = 20;

  void error(const SourceLocation& location, std::string message);
  [[nodiscard]] bool empty() const { return errors_.empty(); }
  [[nodiscard]] const std::vector<Diagnostic>& errors() const { return errors_; }
  // Throws InputError when any error was collected.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> errors_;
  std::size_t not_reported_ = 0;
};

// Bad input: the command line maps it to exit status 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  InputError(const SourceLocation& location, const std::string& message);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // The first problem as "file:line:column: error: message", for a one-line warning where the
  // error does not stop the command.
  [[nodiscard]] std::string first_problem() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Levenshtein distance, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(const std::string& left, const std::string& right);
// " (did you mean 'x'?)" for the closest candidate within a sensible distance, else "".
[[nodiscard]] std::string suggestion(const std::string& wrong,
                                     const std::vector<std::string>& candidates);
// The same, but a candidate that differs only in case is the suggestion (a name typed on the
// command line: --country kaz for KAZ). Not for names in a scenario, where the other spelling
// may itself be the error.
[[nodiscard]] std::string suggestion_any_case(const std::string& wrong,
                                              const std::vector<std::string>& candidates);

}  // namespace multivector::sim
