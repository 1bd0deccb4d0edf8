#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv, argv + argc);
  return multivector::cli::run_cli(arguments, std::cout, std::cerr);
}
