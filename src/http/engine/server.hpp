#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "http/request.hpp"

namespace certus::http {

/// I/O threads when ServerSettings::threads is 0.
inline constexpr int kDefaultThreads = 32;

struct ServerSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0 picks a free port
  /// 0: kDefaultThreads, or one per core if there are more cores. Handlers run on these
  /// threads and block on the database, a commit included (it waits for the WAL sync it
  /// shares with the commits of other threads, ADR 0025): threads beyond the cores let
  /// those waits overlap.
  int threads = 0;
  std::size_t body_limit = std::size_t{10} * 1024 * 1024;
  std::size_t header_limit = std::size_t{16} * 1024;
  /// When set: the body limit of a request given its method, path and headers (no body), for
  /// the few routes that take larger bodies (file uploads). A value below body_limit counts
  /// as body_limit. Called on the I/O threads; must be thread-safe.
  std::function<std::size_t(const Request& head)> body_limit_for;
  std::chrono::seconds request_timeout{30};  ///< to receive one whole request
  std::chrono::seconds idle_timeout{60};     ///< between requests on a kept-alive connection
  std::chrono::seconds drain_timeout{30};    ///< how long Stop waits for in-flight requests
  /// TLS in the process: a PEM certificate chain and its private key. Both empty: plain
  /// HTTP (behind a reverse proxy that terminates TLS, or on loopback). TLS 1.2 and 1.3 only.
  std::string tls_cert_file;
  std::string tls_key_file;
};

/// The HTTP/1.1 engine: Boost.Beast and Asio with C++20 coroutines. This is the only code
/// that sees Beast. Handlers run on the I/O threads and must be thread-safe.
class Server final {
 public:
  using Handler = std::function<Response(Request&)>;

  Server(ServerSettings settings, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Loads the TLS certificate and key when set, binds and listens. Fails with kUnavailable
  /// when the address cannot be bound or the certificate or key cannot be used.
  Expected<void> Listen();
  /// The bound port (after Listen).
  std::uint16_t port() const;
  /// Serves until Stop; returns once every I/O thread has finished.
  void Run();
  /// Stops accepting, lets in-flight requests finish (up to drain_timeout), then ends Run.
  /// Safe to call from any thread or a signal handler's strand, more than once.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace certus::http
