#pragma once
// Numbers and columns of the tables that commands print for people. Files use format_double
// (results/csv.hpp) instead, which round-trips exactly.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace multivector::results {

// "%.*f": 0.123 → "0.12".
[[nodiscard]] std::string fixed_text(double value, int decimals);
// "+0.50", "−0.40" (with a true minus sign); values that round to zero print as "+0.00".
[[nodiscard]] std::string signed_text(double value, int decimals);
// "%.*g" with a true minus sign: 0.6481481 → "0.6481".
[[nodiscard]] std::string significant_text(double value, int digits);
// "%+.*g" with a true minus sign, so that small moves do not print as ±0.000: "+1.27e-05".
[[nodiscard]] std::string signed_significant_text(double value, int digits);
// `text` padded with spaces to `width` characters (UTF-8 aware: "−" and "→" are one column).
[[nodiscard]] std::string pad_to(std::string text, std::size_t width);

// `argument` as a POSIX shell reads it back: unchanged when it holds only safe characters, else
// in single quotes. Headers that print a command to run again use it, so a --set value with a
// space or a file name with a quote survives being pasted into a shell.
[[nodiscard]] std::string shell_quote(const std::string& argument);
// "--params FILE", "--set PATH=VALUE" and "--drop-event ID" (values shell-quoted), in that order:
// the options that turn a scenario into a what-if, as a printed command must repeat them. An
// empty `params_file` is left out.
[[nodiscard]] std::vector<std::string> scenario_option_arguments(
    const std::string& params_file, const std::vector<std::string>& overrides,
    const std::vector<std::string>& drop_events);
// The arguments after the program's own name, each shell-quoted, after "multivector".
[[nodiscard]] std::string command_line_text(const std::vector<std::string>& arguments);

// "1,234,567"
[[nodiscard]] std::string format_count(std::int64_t count);
// "1 run", "1,000 runs": a count with its noun.
[[nodiscard]] std::string counted(std::int64_t count, std::string_view singular,
                                  std::string_view plural);

// A size as people read it: "840 KB", "3.4 MB", "34 GB" (powers of 1,000).
[[nodiscard]] std::string format_size(double bytes);

}  // namespace multivector::results
