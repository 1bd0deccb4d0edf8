#include <atomic>
#include <csignal>
#include <thread>

#include "results/whatif.hpp"
#include "sim/cli/cli.hpp"
#include "sim/input_files.hpp"

#ifdef MULTIVECTOR_HAVE_HTTPLIB
#include <httplib.h>
#include <netdb.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#endif

namespace multivector::cli {

#ifdef MULTIVECTOR_HAVE_HTTPLIB
namespace {

// Worker threads. A browser keeps its connection open for cpp-httplib's keep-alive timeout (5 s)
// after each request, and each open connection holds a worker all that time: with cpp-httplib's
// default of 8 workers, a class of 30 students moving sliders once a second waited up to 11 s
// for a redraw (p90 7.3 s; measured with 30 keep-alive clients on loopback). The workers mostly
// wait on their sockets, so this many costs little; past it, connections queue.
constexpr std::size_t kServeWorkers = 256;
// Connections the kernel queues before a worker accepts them (it caps this at somaxconn, 4096 on
// Debian 12): a class opening the page at the same moment, not only one at a time.
constexpr int kServeListenBacklog = 1024;

// Why `host`:`port` cannot be listened on, found by trying it ourselves: cpp-httplib only says
// that it failed. A host that is no address, or not one of this machine's, is bad input (exit
// status 2); a port in use or refused is a failure of the moment (1).
struct ListenProblem {
  std::string message;
  int status = kExitFailure;
};

ListenProblem listen_problem(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int lookup = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (lookup != 0 || found == nullptr) {
    return {"--host " + host + ": not an address or a name of this machine (" +
                ::gai_strerror(lookup) + "); use 127.0.0.1 for this machine only, or 0.0.0.0 " +
                "for every network it is on",
            kExitBadInput};
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  const int socket_id = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (socket_id < 0) {
    return {"cannot open a socket: " + std::string(std::strerror(errno)), kExitFailure};
  }
  int yes = 1;
  ::setsockopt(socket_id, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  const int bound = ::bind(socket_id, found->ai_addr, found->ai_addrlen);
  const int reason = errno;
  ::close(socket_id);
  const std::string where = "cannot listen on " + host + ":" + service + ": ";
  if (bound == 0) {
    return {where +
                "the address can be bound now, yet the server could not listen there; "
                "start again",
            kExitFailure};
  }
  switch (reason) {
    case EADDRINUSE:
      return {where + "another program listens on that port; pick another with --port, or " +
                  "--port 0 for any free one",
              kExitFailure};
    case EADDRNOTAVAIL:
      return {where + "not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its " +
                  "own addresses (ip -brief address)",
              kExitBadInput};
    case EACCES:
      return {where + "ports below 1024 need root; pick a port from 1024 up", kExitFailure};
    default:
      return {where + std::strerror(reason), kExitFailure};
  }
}

// Serves `model` until SIGINT or SIGTERM. The signals are blocked in every thread and taken by
// one waiting thread with sigwait, so shutting down is ordinary code (Server::stop) rather than
// work inside a signal handler; in-flight requests finish before listen returns.
int serve_until_signal(const results::WhatIfModel& model, const std::string& host, int port,
                       CliContext& context) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  httplib::Server server;
  // cpp-httplib takes ownership of the queue it is handed (Server deletes it when done).
  server.new_task_queue = [] { return new httplib::ThreadPool(kServeWorkers); };
  server.set_payload_max_length(results::kMaxWhatIfRequestBytes);
  // Replies are small and written in pieces; without TCP_NODELAY, delayed ACKs add ~40 ms each.
  server.set_tcp_nodelay(true);
  // cpp-httplib's default sets SO_REUSEPORT, with which a second `serve` on the same port starts
  // without a word and the kernel splits the requests between two scenarios. SO_REUSEADDR alone
  // still lets a restarted server take over a port left in TIME_WAIT.
  socket_t listening_socket = INVALID_SOCKET;
  server.set_socket_options([&listening_socket](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listening_socket = socket;  // the last one tried is the one bound
  });
  const auto route = [&model](const httplib::Request& request, httplib::Response& response) {
    const results::HttpReply reply = model.handle(request.method, request.path, request.body);
    response.status = reply.status;
    response.set_header("Cache-Control", "no-store");
    if (!reply.allow.empty()) {
      response.set_header("Allow", reply.allow);
    }
    if (!reply.filename.empty()) {
      response.set_header("Content-Disposition", "attachment; filename=\"" + reply.filename + "\"");
    }
    if (reply.status != 204) {  // a 204 has no body, so no Content-Type either
      response.set_content(reply.body, reply.content_type.c_str());
    }
  };
  server.Get(".*", route);
  // A POST body is read here rather than by cpp-httplib's own reading, which refuses a body sent
  // as a form (`curl -d` sends JSON so unless told otherwise) past 8 KiB, a limit compiled into
  // Debian's library, with the same 413 as a body over the server's 1 MiB: the error would name a
  // limit the request never reached. Read this way, every body has the one limit
  // (set_payload_max_length above).
  server.Post(".*", [route](const httplib::Request& request, httplib::Response& response,
                            const httplib::ContentReader& content_reader) {
    if (request.is_multipart_form_data()) {
      // Read as one body, its parts' boundaries would reach the model as JSON that is not.
      response.status = 415;
      return;
    }
    httplib::Request with_body = request;
    if (!content_reader([&with_body](const char* data, std::size_t length) {
          with_body.body.append(data, length);
          return true;
        })) {
      // Over the limit (cpp-httplib has set 413) or cut short: a part of the body must not be
      // taken for the whole what-if. The error handler below writes the message.
      response.status = response.status >= 400 ? response.status : 400;
      return;
    }
    route(with_body, response);
  });
  // Other methods reach the model too, which answers 405 with the method to use, rather than
  // cpp-httplib's bare 404.
  server.Put(".*", route);
  server.Delete(".*", route);
  server.Patch(".*", route);
  server.Options(".*", route);
  // A POST, PUT or PATCH with neither Content-Length nor chunked encoding (`curl -X POST URL`)
  // has no body, yet cpp-httplib refuses it with a bare 400 before any route sees it. The
  // pre-routing handler runs before the body is read, so such a request reaches the model with an
  // empty body: a POST gets the base simulation (an empty body is no change), the other methods
  // the 405 that names the method to use.
  server.set_pre_routing_handler(
      [route](const httplib::Request& request, httplib::Response& response) {
        const bool body_method =
            request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
        if (!body_method || request.has_header("Content-Length") ||
            request.has_header("Transfer-Encoding")) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        route(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });
  // Errors cpp-httplib answers itself (a body over the limit, a malformed request) come with an
  // empty body, which the page would fail to read as JSON: give them the model's error shape.
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                   httplib::Response& response) {
    if (!response.body.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::string message =
        response.status == 413 ? "the request body is over " +
                                     std::to_string(results::kMaxWhatIfRequestBytes) + " bytes"
        : response.status == 415
            ? "send the what-if as one JSON body (Content-Type: application/json), not as a "
              "multipart form"
            : "the server could not take this request (HTTP status " +
                  std::to_string(response.status) + ")";
    nlohmann::json body;
    body["errors"] = nlohmann::json::array({nlohmann::json{{"path", ""}, {"message", message}}});
    response.set_content(body.dump(), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, const std::exception_ptr&) {
        response.status = 500;
        response.set_content(R"({"errors":[{"path":"","message":"internal error"}]})",
                             "application/json");
      });
  server.set_logger([&context](const httplib::Request& request, const httplib::Response& reply) {
    context.log->debug("{} {} -> {}", request.method, request.path, reply.status);
  });

  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    const ListenProblem problem = listen_problem(host, port);
    context.err << "multivector: error: " << problem.message << "\n";
    return problem.status;
  }
  // Debian's cpp-httplib listens with a backlog of 5 (compiled into the library), and the kernel
  // resets connections beyond it: a class opening the page at once lost a third of its requests.
  // Listening again on the bound socket sets the queue the kernel keeps for it.
  if (listening_socket != INVALID_SOCKET) {
    ::listen(listening_socket, kServeListenBacklog);
  }
  if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
    context.log->warn("listening on {}: the what-if page is reachable from other machines", host);
  }
  context.out << "serving the what-if page of " << model.base().info.id << " at http://"
              << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":" << bound
              << "/ (Ctrl-C to stop)" << std::endl;

  std::atomic<bool> finished{false};
  std::thread waiter([&] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    if (!finished) {
      context.log->info("received {}, shutting down",
                        signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    }
    server.stop();
  });
  const bool listened = server.listen_after_bind();
  finished = true;
  // Wakes the waiter if listen ended by itself. SIGTERM is blocked in every thread, so it ends in
  // the waiter's sigwait() and terminates nothing.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  // Take any signal still pending, so restoring the mask cannot kill the process on the way out.
  const timespec no_wait{0, 0};
  while (sigtimedwait(&signals, nullptr, &no_wait) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  context.out << "stopped" << std::endl;
  return listened ? kExitSuccess : kExitFailure;
}

}  // namespace
#endif

void add_serve_command(CLI::App& app, CliContext& context) {
  struct Options {
    std::string scenario;
    int port = 8080;
    std::string host = "127.0.0.1";
    ScenarioOptions scenario_options;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "serve", "Serve the interactive what-if page: sliders, switches, votes and explanations");
  command->footer(
      "Open the printed address in a browser. Move a slider (a country's exposure to a power on a\n"
      "channel, its attachment to a norm, an event's magnitude or credibility) or switch an event\n"
      "off, and the votes, probabilities and explanations are recomputed. 'Download YAML' saves\n"
      "the changed scenario for `multivector run`. Bound to 127.0.0.1 unless --host says\n"
      "otherwise (--host 0.0.0.0: a whole class on the room's network; there are no passwords,\n"
      "so not on the internet); --port 0 picks a free port. Stops cleanly on Ctrl-C (SIGINT)\n"
      "or SIGTERM.\n"
      "A port another server listens on is refused (exit status 1); a --host that is not an\n"
      "address of this machine is bad input (exit status 2).\n"
      "\n"
      "Examples:\n"
      "  multivector serve                                the built-in Central Asia 2022 scenario\n"
      "  multivector serve scenarios/world_2022.yaml --params scenarios/world_2022_params.yaml\n"
      "                                                   all 193 members, fitted parameters\n"
      "  multivector serve --port 0 --drop-event rus_note_hrc_2022_04_06\n"
      "                                                   start from a what-if, on a free port\n"
      "The page's \"same run\" command repeats --params, --set and --drop-event given here.\n"
      "\n"
      "Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 the port is in use or the server failed,\n"
      "2 bad input (scenario, --set, --drop-event, --params, --host) or usage.");
  command->add_option("scenario", options->scenario,
                      "Scenario YAML (default: the built-in central_asia_2022.yaml)");
  command->add_option("--port", options->port, "TCP port (default 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--host", options->host, "Address to listen on (default 127.0.0.1)");
  options->scenario_options.add_to(*command);

  command->callback([&context, options] {
    context.action = [&context, options]() -> int {
      const std::string path =
          options->scenario.empty() ? std::string(sim::kDefaultScenario) : options->scenario;
      const results::WhatIfModel model(path, options->scenario_options.load_options());
      if (!model.recorded_votes_problem().empty()) {
        context.log->warn("the page shows no recorded votes: cannot read compare_with ({})",
                          model.recorded_votes_problem());
      }
#ifdef MULTIVECTOR_HAVE_HTTPLIB
      return serve_until_signal(model, options->host, options->port, context);
#else
      context.err << "multivector: error: this build has no HTTP server: install "
                     "libcpp-httplib-dev (scripts/setup.sh --web) and rebuild\n";
      return kExitFailure;
#endif
    };
  });
}

}  // namespace multivector::cli
