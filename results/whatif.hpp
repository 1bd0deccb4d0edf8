#pragma once
// The what-if page of `multivector serve`, without sockets: every request is a method, a path and
// a body in, a status, a content type and a body out, so tests call it directly and the HTTP
// server in sim/cli/command_serve.cpp is a thin adapter.
//
// The page sends the values its sliders changed as --set-style paths and the events it switched
// off as --drop-event ids. Both are applied to the loaded YAML tree exactly as `multivector run`
// applies the command line, and the result is validated like a scenario file; a bad value is a
// 400 reply with a message for the page, never a crash.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "results/history.hpp"
#include "sim/scenario.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/source_tree.hpp"

namespace multivector::results {

struct HttpReply {
  int status = 200;
  // With the charset parameter, cpp-httplib 0.11 (which compresses exactly "application/json")
  // sends the reply uncompressed: Brotli took 25–120 ms per what-if update on loopback, against
  // 2 ms for the model itself.
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::string filename;  // when set, offered as a download (Content-Disposition)
  std::string allow;     // on a 405, the methods the path takes (the Allow header HTTP requires)
};

// What the page asks for on top of the loaded scenario.
struct WhatIfChanges {
  std::vector<std::pair<std::string, double>> values;  // path → value, in request order
  std::vector<std::string> dropped_events;
};

struct WhatIfProblem {
  std::string path;  // the slider or event it concerns, or "" for the whole request
  std::string message;
};

// Largest request body the server accepts; a page that changes every input stays far below.
inline constexpr std::size_t kMaxWhatIfRequestBytes = 1U << 20;

class WhatIfModel {
 public:
  // Loads the scenario (a path or builtin:NAME) with the command line's options; throws InputError.
  WhatIfModel(std::string scenario_path, sim::LoadOptions options);

  [[nodiscard]] const sim::Scenario& base() const { return base_; }
  // Why the scenario's compare_with file could not be read ("" when it was, or when there is
  // none): the page then shows no recorded votes.
  [[nodiscard]] const std::string& recorded_votes_problem() const { return recorded_problem_; }

  // Dispatches one request: GET / (the page), GET /api/controls, POST /api/simulate,
  // POST /api/scenario.yaml. Unknown routes are 404; nothing throws.
  [[nodiscard]] HttpReply handle(const std::string& method, const std::string& path,
                                 const std::string& body) const;

  // The sliders and switches: every country's exposures and norm sensitivities, every event's
  // magnitude (and credibility, for threats), with their valid ranges and current values.
  [[nodiscard]] nlohmann::ordered_json controls() const;

  // Reads a request body {"set": {PATH: NUMBER, ...}, "drop": [EVENT_ID, ...]}; problems are
  // appended to `problems` (unknown paths, non-numbers, values out of range, unknown events).
  [[nodiscard]] WhatIfChanges parse_changes(const std::string& body,
                                            std::vector<WhatIfProblem>& problems) const;

  // Runs the changed scenario: votes, probabilities and explanations, beside the unchanged run.
  // Throws InputError when the changed scenario does not validate.
  [[nodiscard]] nlohmann::ordered_json simulate(const WhatIfChanges& changes) const;

  // The changed scenario as YAML that `multivector run` accepts: the loaded tree with the changes
  // applied. Throws InputError when it does not validate.
  [[nodiscard]] std::string scenario_yaml(const WhatIfChanges& changes) const;

 private:
  std::string scenario_path_;
  sim::LoadOptions options_;
  sim::LoadedTree tree_;
  sim::Scenario base_;
  VoteHistory recorded_;
  std::string recorded_problem_;
  nlohmann::ordered_json base_decisions_;
  std::string page_;  // GET /: whatif.html with the scenario's name, the style and the script

  [[nodiscard]] sim::LoadedTree changed_tree(const WhatIfChanges& changes,
                                             sim::LoadOptions& options) const;
  [[nodiscard]] nlohmann::ordered_json decisions_json(const sim::Scenario& scenario) const;
};

// A scenario tree as YAML text (block style, short scalar lists and maps in flow style; quoted
// scalars stay quoted so "190" remains a string). `header` lines become comments at the top.
[[nodiscard]] std::string scenario_tree_yaml(const sim::SourceNode& root,
                                             const std::vector<std::string>& header);

}  // namespace multivector::results
