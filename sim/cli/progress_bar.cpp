#include "sim/cli/progress_bar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace multivector::cli {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    return "?";
  }
  const auto total = static_cast<std::int64_t>(std::llround(seconds));
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  }
  return buffer;
}

std::string format_progress_bar(std::int64_t done, std::int64_t total, double rate_per_second,
                                int width, const std::string& unit) {
  const double fraction =
      total > 0 ? std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0)
                : 1.0;
  const int filled = static_cast<int>(fraction * width);
  std::string bar = "[";
  for (int cell = 0; cell < width; ++cell) {
    bar += cell < filled ? '=' : (cell == filled ? '>' : ' ');
  }
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(fraction * 100.0));
  bar += "] " + std::string(percent) + "  " + format_count(done) + "/" + format_count(total) + " " +
         unit;
  if (rate_per_second > 0) {
    bar += "  " + format_count(std::llround(rate_per_second)) + " " + unit + "/s  ETA " +
           format_duration(static_cast<double>(total - done) / rate_per_second);
  }
  return bar;
}

ProgressBar::ProgressBar(std::ostream& out, bool enabled, std::string unit)
    : out_(out), enabled_(enabled), unit_(std::move(unit)) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::int64_t done, std::int64_t total, std::int64_t done_now,
                         double seconds) {
  if (!enabled_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ &&
      (done == last_done_ || (done < total && now - last_draw_ < std::chrono::milliseconds(100)))) {
    return;
  }
  last_draw_ = now;
  last_done_ = done;
  drawn_ = true;
  const double rate = seconds > 0 ? static_cast<double>(done_now) / seconds : 0.0;
  // \r returns to the start of the line; \033[K clears what a longer previous line left.
  out_ << '\r' << format_progress_bar(done, total, rate, 30, unit_) << "\033[K" << std::flush;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    out_ << '\n' << std::flush;
    drawn_ = false;
  }
}

}  // namespace multivector::cli
