#pragma once
// What both benchmark programs do around their work: read the options with CLI11 as the program
// does, and end any failure (a missing data file, a full disk) with a message, not abort().

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <functional>

namespace multivector::bench {

// Builds the program's CLI11 options with `declare_options`, parses them, then calls `work`.
// Exit status: 0 after --help, 2 for a mistyped option or value (instead of running the
// minutes-long default set), 1 when the work fails, otherwise what `work` returns.
inline int run_benchmark_program(const char* program, const char* description, int argc,
                                 char** argv, const std::function<void(CLI::App&)>& declare_options,
                                 const std::function<int()>& work) {
  try {
    CLI::App app{description, program};
    declare_options(app);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
      const int status = app.exit(error);
      return status == 0 ? 0 : 2;
    }
    return work();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: error: %s\n", program, error.what());
  } catch (...) {
    std::fprintf(stderr, "%s: error: an unexpected failure\n", program);
  }
  return 1;
}

}  // namespace multivector::bench
