#include "sim/diagnostics.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace multivector::sim {

std::string SourceLocation::to_string() const {
  if (line <= 0) {
    return file;
  }
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::to_string() const {
  return location.to_string() + ": error: " + message;
}

void Diagnostics::error(const SourceLocation& location, std::string message) {
  if (errors_.size() >= kMaxReported) {
    ++not_reported_;
    return;
  }
  errors_.push_back(Diagnostic{location, std::move(message)});
}

void Diagnostics::throw_if_any() const {
  if (errors_.empty()) {
    return;
  }
  if (not_reported_ == 0) {
    throw InputError(errors_);
  }
  std::vector<Diagnostic> reported = errors_;
  reported.push_back(Diagnostic{SourceLocation{errors_.back().location.file, 0, 0},
                                std::to_string(not_reported_) +
                                    (not_reported_ == 1 ? " more error" : " more errors") +
                                    " not shown; fix these first"});
  throw InputError(std::move(reported));
}

namespace {
std::string join_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics) {
    if (!text.empty()) {
      text += '\n';
    }
    text += diagnostic.to_string();
  }
  return text;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(const SourceLocation& location, const std::string& message)
    : InputError(std::vector<Diagnostic>{Diagnostic{location, message}}) {}

std::string InputError::first_problem() const {
  return diagnostics_.empty() ? std::string(what()) : diagnostics_.front().to_string();
}

std::size_t edit_distance(const std::string& left, const std::string& right) {
  // Optimal string alignment: two swapped neighbours ("76/197" for "76/179") are one typo, not
  // two, so a swap is preferred to an unrelated symbol two substitutions away ("72/190").
  std::vector<std::size_t> before_previous(right.size() + 1);
  std::vector<std::size_t> previous(right.size() + 1);
  std::vector<std::size_t> current(right.size() + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= left.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= right.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[right.size()];
}

std::string suggestion_any_case(const std::string& wrong,
                                const std::vector<std::string>& candidates) {
  // Written in the other case (kaz for KAZ): the edit distance counts every letter, yet it is the
  // one name meant.
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
    return text;
  };
  for (const auto& candidate : candidates) {
    if (candidate != wrong && lower(candidate) == lower(wrong)) {
      return " (did you mean '" + candidate + "'?)";
    }
  }
  return suggestion(wrong, candidates);
}

std::string suggestion(const std::string& wrong, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(wrong, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // Only suggest when the candidate is plausibly a typo of what was written.
  const std::size_t limit = std::max<std::size_t>(2, wrong.size() / 3);
  if (best.empty() || best_distance > limit) {
    return "";
  }
  return " (did you mean '" + best + "'?)";
}

}  // namespace multivector::sim
