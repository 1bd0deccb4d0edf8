// `multivector serve` as a browser or curl meets it: the real program on a free port, spoken to
// over a socket, so that what cpp-httplib does before a request reaches the what-if model
// (tests/results/test_whatif.cpp calls the model directly) is covered too.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <regex>
#include <string>
#include <thread>

#include "tests/reliability/process.hpp"
#include "tests/test_support.hpp"

namespace {

using multivector::testing::TemporaryDirectory;

// The port `serve --port 0` announced on standard output, or 0 if it has not yet.
int announced_port(const std::filesystem::path& out_file) {
  static const std::regex address(R"(at http://127\.0\.0\.1:([0-9]+)/)");
  std::smatch match;
  const std::string text = multivector::testing::read_text_file(out_file);
  return std::regex_search(text, match, address) ? std::stoi(match[1]) : 0;
}

// The server process, stopped however the test ends: a failed REQUIRE leaves no server behind.
class ServerProcess {
 public:
  explicit ServerProcess(pid_t pid) : pid_(pid) {}
  ~ServerProcess() {
    if (!stopped_) {
      ::kill(pid_, SIGKILL);
      multivector::testing::wait_for(pid_);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // Asks the server to stop as Ctrl-C would, and returns its exit status.
  int stop() {
    stopped_ = true;
    ::kill(pid_, SIGTERM);
    return multivector::testing::wait_for(pid_);
  }

 private:
  pid_t pid_;
  bool stopped_ = false;
};

// Sends `request` as it is and returns the whole reply (the request asks to close after it).
std::string exchange(int port, const std::string& request) {
  const int connection = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(connection >= 0);
  // A server that kept the connection open would otherwise hang the test, not fail it.
  const timeval patience{10, 0};
  ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof(patience));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::connect(connection, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
  REQUIRE(::send(connection, request.data(), request.size(), 0) ==
          static_cast<ssize_t>(request.size()));
  std::string reply;
  std::array<char, 4096> buffer{};
  for (ssize_t got = 0; (got = ::recv(connection, buffer.data(), buffer.size(), 0)) > 0;) {
    reply.append(buffer.data(), static_cast<size_t>(got));
  }
  ::close(connection);
  return reply;
}

std::string status_line(const std::string& reply) {
  return reply.substr(0, reply.find("\r\n"));
}

}  // namespace

TEST_CASE("serve: a request without a body reaches the what-if model, not a bare 400") {
  const TemporaryDirectory scratch("multivector-serve");
  const auto out_file = scratch.path() / "out.txt";
  const auto err_file = scratch.path() / "err.txt";
  ServerProcess server(multivector::testing::spawn(multivector::testing::program_path(),
                                                   {"serve", "--port", "0"}, out_file, err_file));
  int port = 0;
  for (int attempt = 0; attempt < 300 && port == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    port = announced_port(out_file);
    if (multivector::testing::read_text_file(err_file).find("no HTTP server") !=
        std::string::npos) {
      break;
    }
  }
  if (port == 0) {
    const int status = server.stop();
    const std::string err = multivector::testing::read_text_file(err_file);
    if (err.find("no HTTP server") != std::string::npos) {
      WARN("this build has no HTTP server; nothing to check");
      return;
    }
    FAIL("serve announced no port in 15 s (exit " << status << "): " << err);
  }

  // `curl -X POST URL` sends neither Content-Length nor a chunked body: an empty body is no
  // change, so the reply is the base scenario's simulation.
  const std::string post =
      exchange(port, "POST /api/simulate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_line(post) == "HTTP/1.1 200 OK");
  CHECK(post.find("\"decisions\"") != std::string::npos);

  // The same without a body for a method the page does not take: the 405 that names the method.
  const std::string put =
      exchange(port, "PUT /api/simulate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_line(put) == "HTTP/1.1 405 Method Not Allowed");
  CHECK(put.find("Allow: POST, OPTIONS") != std::string::npos);
  CHECK(put.find("use POST") != std::string::npos);

  // A request with a body still goes through cpp-httplib's own reading of it.
  const std::string with_body = exchange(port,
                                         "POST /api/simulate HTTP/1.1\r\nHost: localhost\r\n"
                                         "Connection: close\r\nContent-Length: 7\r\n\r\n{\"x\":1}");
  CHECK(status_line(with_body) == "HTTP/1.1 400 Bad Request");
  CHECK(with_body.find("unknown field 'x'") != std::string::npos);

  // `curl -d` sends a body as a form unless told otherwise; cpp-httplib's own 8 KiB limit for
  // forms must not refuse what the server's 1 MiB limit allows.
  const std::string padded = "{\"set\": {}" + std::string(9000, ' ') + "}";
  const std::string form_request =
      "POST /api/simulate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(padded.size()) + "\r\n\r\n" + padded;
  // In parentheses: a std::string argument would otherwise let lookup find std::exchange.
  const std::string form = (exchange)(port, form_request);
  CHECK(status_line(form) == "HTTP/1.1 200 OK");
  // A multipart form would reach the model as its parts' boundaries: refused, saying what to send.
  const std::string multipart_body =
      "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n{}\r\n--b--\r\n";
  const std::string multipart =
      (exchange)(port,
                 "POST /api/simulate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                 "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " +
                     std::to_string(multipart_body.size()) + "\r\n\r\n" + multipart_body);
  CHECK(status_line(multipart) == "HTTP/1.1 415 Unsupported Media Type");
  CHECK(multipart.find("Content-Type: application/json") != std::string::npos);

  CHECK(server.stop() == 0);
  CHECK(multivector::testing::read_text_file(out_file).find("stopped") != std::string::npos);
}
