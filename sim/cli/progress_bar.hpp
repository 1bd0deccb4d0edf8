#pragma once
// Progress of long work on stderr: a bar with rate and ETA redrawn in place when stderr is a
// terminal; nothing while running otherwise (logs stay clean), the caller prints one summary.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "results/text_format.hpp"

namespace multivector::cli {

// "[=========>          ]  45%  45,000/100,000 runs  3,210 runs/s  ETA 0:17"
[[nodiscard]] std::string format_progress_bar(std::int64_t done, std::int64_t total,
                                              double rate_per_second, int width,
                                              const std::string& unit);

// "1,234,567"
using results::format_count;

// "0:17", "12:05", "3:02:11"
[[nodiscard]] std::string format_duration(double seconds);

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool enabled, std::string unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `done` of `total`; `done_now` of them by this process in `seconds` (for the rate). Redraws at
  // most ten times a second, and always for the last update.
  void update(std::int64_t done, std::int64_t total, std::int64_t done_now, double seconds);
  // Ends the line, so what follows starts on a fresh one.
  void finish();

 private:
  std::ostream& out_;
  bool enabled_;
  bool drawn_ = false;
  std::int64_t last_done_ = -1;
  std::string unit_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace multivector::cli
