// Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so the targets
// are also built by the ordinary compiler, run by ctest on their seed corpus in every build
// (release and ASan + UBSan), and checked by clang-tidy from build/'s compilation database. An
// input that once crashed a fuzzer, saved in tests/fuzz/seeds/TARGET/, stays a regression test.
//
//   fuzz_replay_TARGET [--suffix S | --any-name] PATH...
//
// A file is replayed as it is. A directory is walked recursively in name order, and only the
// files whose names end in the most recent --suffix before it are replayed (every file when none
// was given, or after --any-name). A crash or an exception other than the rejection the target
// expects ends the process abnormally or with status 1, which fails the test; replaying no input at
// all is also a failure, since a replay of nothing checks nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// The larger of scripts/fuzz.sh's ceilings on seeds (256 KiB of YAML, 512 KiB of CSV): bigger
// files (the full vote history) would only slow the replay, and the loaders' real limits are the
// bad-input corpus's business.
constexpr std::uintmax_t kMaxInputBytes = std::uintmax_t{512} * 1024U;

bool replay_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    std::cerr << path.string() << ": error: cannot open the input to replay\n";
    return false;
  }
  const std::vector<char> bytes{std::istreambuf_iterator<char>(stream),
                                std::istreambuf_iterator<char>()};
  // A copy in unsigned bytes of exactly the input's size, as libFuzzer allocates it, so that under
  // AddressSanitizer a read one byte past the end is caught here too (an empty input still gets
  // a valid pointer).
  const auto input = std::make_unique<std::uint8_t[]>(bytes.size());
  std::transform(bytes.begin(), bytes.end(), input.get(),
                 [](char byte) { return static_cast<std::uint8_t>(byte); });
  // The name first, flushed: after a crash the last name printed is the input that caused it.
  std::cout << path.string() << '\n' << std::flush;
  try {
    LLVMFuzzerTestOneInput(input.get(), bytes.size());
  } catch (const std::exception& unexpected) {
    std::cerr << path.string()
              << ": error: an exception escaped the fuzz target: " << unexpected.what() << '\n';
    return false;
  }
  return true;
}

std::vector<fs::path> files_under(const fs::path& directory, std::string_view suffix) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (!entry.is_regular_file() || entry.file_size() > kMaxInputBytes) {
      continue;
    }
    if (entry.path().filename().string().ends_with(suffix)) {
      files.push_back(entry.path());
    }
  }
  // Name order, so that a failure is reproduced by the same sequence of inputs on every machine.
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char*> arguments(argv, static_cast<std::size_t>(argc));
  std::string suffix;
  std::size_t replayed = 0;
  for (std::size_t index = 1; index < arguments.size(); ++index) {
    const std::string_view argument(arguments[index]);
    if (argument == "--suffix") {
      // A value with a slash is a path the option swallowed (an empty value lost on the way,
      // as CMake drops empty list items): refuse it rather than skip that directory silently.
      if (index + 1 == arguments.size() ||
          std::string_view(arguments[index + 1]).find('/') != std::string_view::npos) {
        std::cerr << "fuzz replay: error: --suffix needs a file-name ending such as .yaml "
                     "(--any-name takes every file)\n";
        return 2;
      }
      suffix = arguments[++index];
      continue;
    }
    if (argument == "--any-name") {
      suffix.clear();
      continue;
    }
    const fs::path path(argument);
    std::error_code error;
    if (fs::is_directory(path, error)) {
      for (const auto& file : files_under(path, suffix)) {
        if (!replay_file(file)) {
          return 1;
        }
        ++replayed;
      }
    } else if (fs::is_regular_file(path, error)) {
      if (!replay_file(path)) {
        return 1;
      }
      ++replayed;
    } else {
      std::cerr << path.string() << ": error: no such file or directory to replay\n";
      return 2;
    }
  }
  if (replayed == 0) {
    std::cerr << "fuzz replay: error: no input replayed; give files or directories that hold "
                 "some (see tests/fuzz/CMakeLists.txt)\n";
    return 1;
  }
  std::cout << "replayed " << replayed << " inputs without a crash or an unexpected exception\n";
  return 0;
}
