#include "http/engine/server.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "http/problem.hpp"

namespace certus::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
namespace ssl = asio::ssl;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

/// The TCP connection under a stream, for timeouts and the remote address.
beast::tcp_stream& Tcp(beast::tcp_stream& stream) { return stream; }
beast::tcp_stream& Tcp(TlsStream& stream) { return stream.next_layer(); }

/// Ends a connection: a TLS close_notify first (bounded in time), then the TCP half-close.
asio::awaitable<void> Close(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  co_return;
}
asio::awaitable<void> Close(TlsStream& stream) {
  stream.next_layer().expires_after(std::chrono::seconds(5));
  co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  beast::error_code ignored;
  stream.next_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
}

Method ToMethod(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get: return Method::kGet;
    case bhttp::verb::head: return Method::kHead;
    case bhttp::verb::post: return Method::kPost;
    case bhttp::verb::put: return Method::kPut;
    case bhttp::verb::patch: return Method::kPatch;
    case bhttp::verb::delete_: return Method::kDelete;
    case bhttp::verb::options: return Method::kOptions;
    default: return Method::kOther;
  }
}

/// Fills path and query from the request target; false when the target is not a valid
/// origin-form URL or decodes to something a path must never hold.
bool ParseTarget(std::string_view target, Request& request) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  request.path = std::string(url->path());
  if (request.path.empty()) request.path = "/";
  if (!IsValidUtf8(request.path) || request.path.find('\0') != std::string::npos) return false;
  for (auto param : url->params()) {
    if (!IsValidUtf8(param.key) || !IsValidUtf8(param.value)) return false;
    request.query.emplace_back(param.key, param.value);
  }
  return true;
}

Response ErrorResponse(unsigned status, std::string message) {
  ErrorCode code = status == 413 ? ErrorCode::kPayloadTooLarge : ErrorCode::kMalformed;
  Response response = ProblemResponse(Error(code, std::move(message)));
  response.status = status;
  return response;
}

bhttp::response<bhttp::string_body> ToBeast(Response&& response, unsigned version, bool keep_alive,
                                            bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status), version};
  out.set(bhttp::field::server, "certus");
  for (auto& [name, value] : response.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  if (head) {
    out.content_length(response.body.size());
  } else {
    out.body() = std::move(response.body);
    out.prepare_payload();
  }
  return out;
}

}  // namespace

struct Server::Impl {
  Impl(ServerSettings s, Handler h) : settings(std::move(s)), handler(std::move(h)), acceptor(io) {}

  asio::awaitable<void> Accept() {
    while (!stopping) {
      auto [error, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (error) {
        if (stopping || error == asio::error::operation_aborted) break;
        spdlog::warn("accept failed: {}", error.message());
        continue;
      }
      if (tls) {
        asio::co_spawn(io, Handshake(TlsStream(beast::tcp_stream(std::move(socket)), *tls)),
                       asio::detached);
      } else {
        asio::co_spawn(io, Session(beast::tcp_stream(std::move(socket))), asio::detached);
      }
    }
  }

  /// The TLS handshake, under the request timeout (a client that never finishes it is cut
  /// off like one that never finishes its request), then the HTTP session.
  asio::awaitable<void> Handshake(TlsStream stream) {
    stream.next_layer().expires_after(settings.request_timeout);
    auto [error] = co_await stream.async_handshake(ssl::stream_base::server,
                                                   asio::as_tuple(asio::use_awaitable));
    if (error) co_return;
    co_await Session(std::move(stream));
  }

  template <typename Stream>
  asio::awaitable<void> Session(Stream stream) {
    beast::flat_buffer buffer;
    std::string remote;
    {
      beast::error_code ec;
      auto endpoint = Tcp(stream).socket().remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }
    for (;;) {
      // Wait for the first byte of the next request under the idle timeout, then read the
      // whole request under the request timeout, so a slow client cannot hold a
      // connection open by trickling bytes.
      if (buffer.size() == 0) {
        Tcp(stream).expires_after(settings.idle_timeout);
        auto [error, n] = co_await stream.async_read_some(buffer.prepare(4096),
                                                          asio::as_tuple(asio::use_awaitable));
        if (error) co_return;
        buffer.commit(n);
      }
      if (stopping) co_return;
      Tcp(stream).expires_after(settings.request_timeout);
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(settings.header_limit));
      // The header first, with no body limit yet (Beast checks Content-Length against the
      // limit when the header ends): the limit depends on the route the header names.
      parser.body_limit(boost::none);
      auto [error, n] = co_await bhttp::async_read_header(stream, buffer, parser,
                                                          asio::as_tuple(asio::use_awaitable));
      if (!error) {
        // Only a body over the default limit, or of a length not yet known (chunked), needs
        // the route's own limit: the others are not matched against the routes twice.
        const auto declared = parser.content_length();
        const bool within_default = declared ? *declared <= settings.body_limit : !parser.chunked();
        const std::size_t limit = within_default ? settings.body_limit : BodyLimitFor(parser.get());
        if (parser.content_length() && *parser.content_length() > limit) {
          error = bhttp::error::body_limit;
        } else {
          parser.body_limit(limit);
          // A client that asked to wait (curl does for bodies over 1 MiB) may send the body
          // now; without this it waits a second before sending it anyway.
          if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
            bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
            std::tie(error, n) =
                co_await bhttp::async_write(stream, proceed, asio::as_tuple(asio::use_awaitable));
          }
        }
        if (!error && !parser.is_done()) {
          std::tie(error, n) = co_await bhttp::async_read(stream, buffer, parser,
                                                          asio::as_tuple(asio::use_awaitable));
        }
      }
      if (error) {
        Response response;
        if (error == bhttp::error::body_limit) {
          response = ErrorResponse(413, "The request body is larger than the limit.");
        } else if (error == bhttp::error::header_limit) {
          response = ErrorResponse(431, "The request headers are larger than the limit.");
        } else if (error == beast::error::timeout || error == asio::error::eof ||
                   error == asio::error::connection_reset || error == bhttp::error::end_of_stream) {
          co_return;
        } else {
          response = ErrorResponse(400, "The request is not valid HTTP.");
        }
        auto out = ToBeast(std::move(response), 11, false, false);
        Tcp(stream).expires_after(std::chrono::seconds(5));
        co_await bhttp::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
        co_await Close(stream);
        co_return;
      }

      ++in_flight;
      auto& message = parser.get();
      Request request;
      request.method = ToMethod(message.method());
      request.target = std::string(message.target());
      request.remote_address = remote;
      for (const auto& field : message) {
        request.headers.emplace_back(AsciiLower(field.name_string()), std::string(field.value()));
      }
      request.body = std::move(message.body());
      bool keep_alive = message.keep_alive() && !stopping;
      bool head = request.method == Method::kHead;
      Response response = ParseTarget(request.target, request)
                              ? handler(request)
                              : ErrorResponse(400, "The request target is not a valid URL path.");
      auto out = ToBeast(std::move(response), message.version(), keep_alive, head);
      Tcp(stream).expires_after(settings.request_timeout);
      auto [write_error, written] =
          co_await bhttp::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
      --in_flight;
      if (write_error || !keep_alive) break;
    }
    co_await Close(stream);
  }

  /// The body limit of a request whose header has been read: settings.body_limit, or more
  /// for a route that allows more (settings.body_limit_for).
  std::size_t BodyLimitFor(const bhttp::request<bhttp::string_body>& message) const {
    if (!settings.body_limit_for) return settings.body_limit;
    Request head;
    head.method = ToMethod(message.method());
    head.target = std::string(message.target());
    if (!ParseTarget(head.target, head)) return settings.body_limit;
    for (const auto& field : message) {
      head.headers.emplace_back(AsciiLower(field.name_string()), std::string(field.value()));
    }
    return std::max(settings.body_limit, settings.body_limit_for(head));
  }

  asio::awaitable<void> Drain() {
    asio::steady_timer timer(io);
    auto deadline = std::chrono::steady_clock::now() + settings.drain_timeout;
    while (in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::use_awaitable);
    }
    io.stop();
  }

  ServerSettings settings;
  Handler handler;
  asio::io_context io;
  std::optional<ssl::context> tls;  ///< set by Listen when the settings name a certificate
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
};

Server::Server(ServerSettings settings, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler))) {}

Server::~Server() = default;

Expected<void> Server::Listen() {
  const auto& settings = impl_->settings;
  if (!settings.tls_cert_file.empty() || !settings.tls_key_file.empty()) {
    if (settings.tls_cert_file.empty() || settings.tls_key_file.empty()) {
      return Fail(ErrorCode::kUnavailable, "TLS needs both a certificate and its key.");
    }
    auto& context = impl_->tls.emplace(ssl::context::tls_server);
    beast::error_code tls_error;
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                        tls_error);
    if (!tls_error) context.use_certificate_chain_file(settings.tls_cert_file, tls_error);
    if (!tls_error)
      context.use_private_key_file(settings.tls_key_file, ssl::context::pem, tls_error);
    if (tls_error) {
      impl_->tls.reset();
      return Fail(ErrorCode::kUnavailable, "Cannot use the TLS certificate " +
                                               settings.tls_cert_file + " and key " +
                                               settings.tls_key_file + ": " + tls_error.message());
    }
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->settings.host, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "Not an IP address: " + impl_->settings.host);
  tcp::endpoint endpoint(address, impl_->settings.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "Cannot listen on " + impl_->settings.host + ":" +
                                             std::to_string(impl_->settings.port) + ": " +
                                             ec.message());
  }
  return {};
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  int threads =
      impl_->settings.threads > 0
          ? impl_->settings.threads
          : std::max(kDefaultThreads, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::thread> workers;
  for (int i = 1; i < threads; ++i) workers.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& worker : workers) worker.join();
}

void Server::Stop() {
  if (impl_->stopping.exchange(true)) return;
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    asio::co_spawn(impl_->io, impl_->Drain(), asio::detached);
  });
}

}  // namespace certus::http
