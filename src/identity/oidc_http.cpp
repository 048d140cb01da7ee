#include "identity/oidc_http.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "http/url.hpp"

namespace certus::identity::oidc {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kBodyLimit = std::uint64_t{1024} * 1024;

bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

Error Unavailable(std::string detail) {
  return {ErrorCode::kUnavailable, "The identity provider could not be reached.",
          std::move(detail)};
}

template <typename Stream>
Expected<HttpAnswer> Exchange(Stream& stream, const http::OutgoingUrl& url,
                              const HttpExchange& exchange) {
  const auto verb = exchange.method == "POST" ? beast::http::verb::post : beast::http::verb::get;
  beast::http::request<beast::http::string_body> request{verb, url.target, 11};
  // The port too when it is not the scheme's: providers build their URLs from Host.
  request.set(beast::http::field::host, url.HostHeader());
  request.set(beast::http::field::user_agent, "Certus-OIDC/1");
  request.set(beast::http::field::accept, "application/json");
  if (verb == beast::http::verb::post) {
    request.set(beast::http::field::content_type, "application/x-www-form-urlencoded");
  }
  for (const auto& [name, value] : exchange.headers) request.set(name, value);
  request.body() = exchange.body;
  request.prepare_payload();
  beast::error_code ec;
  beast::http::write(stream, request, ec);
  if (ec) return Fail(Unavailable("write: " + ec.message()));
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(kBodyLimit);
  beast::http::read(stream, buffer, parser, ec);
  if (ec) return Fail(Unavailable("read: " + ec.message()));
  return HttpAnswer{parser.get().result_int(), std::move(parser.get().body())};
}

}  // namespace

bool AcceptableUrl(const std::string& url) {
  auto parsed = http::ParseOutgoingUrl(url);
  return parsed && (parsed->tls || IsLoopback(parsed->host));
}

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Expected<HttpAnswer> BeastTransport::Send(const HttpExchange& exchange) {
  auto url = http::ParseOutgoingUrl(exchange.url);
  if (!url || (!url->tls && !IsLoopback(url->host))) {
    return Fail(Error(ErrorCode::kUnavailable, "The identity provider's URL is not acceptable.",
                      "only https:// (or http:// on loopback) is allowed"));
  }
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url->host, url->port, ec);
  if (ec) return Fail(Unavailable("resolve " + url->host + ": " + ec.message()));
  if (!url->tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(timeout_);
    stream.connect(endpoints, ec);
    if (ec) return Fail(Unavailable("connect: " + ec.message()));
    auto result = Exchange(stream, *url, exchange);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return result;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
    return Fail(Unavailable("invalid TLS host name " + url->host));
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(url->host));
  beast::get_lowest_layer(stream).expires_after(timeout_);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return Fail(Unavailable("connect: " + ec.message()));
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return Fail(Unavailable("TLS handshake: " + ec.message()));
  auto result = Exchange(stream, *url, exchange);
  stream.shutdown(ec);
  return result;
}

}  // namespace certus::identity::oidc
