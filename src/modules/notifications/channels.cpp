#include "modules/notifications/channels.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/encoding.hpp"
#include "http/url.hpp"

namespace certus::notifications {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80 || c < 0x20) return false;
  }
  return true;
}

/// Header values must not carry line breaks (no header injection through a task title).
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

Error Unavailable(std::string message, std::string detail) {
  return {ErrorCode::kUnavailable, std::move(message), std::move(detail)};
}

/// Reads one SMTP reply (all lines of a multi-line one) and returns its code.
Expected<int> ReadReply(tcp::iostream& stream) {
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() < 3) break;
    if (line.size() > 3 && line[3] == '-') continue;
    return std::atoi(line.substr(0, 3).c_str());
  }
  return Fail(Unavailable("The mail server closed the connection.", stream.error().message()));
}

Expected<void> Command(tcp::iostream& stream, const std::string& command, int expected_class) {
  stream << command << "\r\n" << std::flush;
  const int code = CERTUS_TRY(ReadReply(stream));
  if (code / 100 != expected_class) {
    // The command is logged without its arguments: addresses are personal data.
    return Fail(Unavailable("The mail server refused the message.",
                            fmt::format("SMTP {} answered {}", command.substr(0, 4), code)));
  }
  return {};
}

template <typename Stream>
Expected<PostResult> Exchange(Stream& stream, const http::OutgoingUrl& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body) {
  beast::http::request<beast::http::string_body> request{beast::http::verb::post, url.target, 11};
  request.set(beast::http::field::host, url.HostHeader());
  request.set(beast::http::field::user_agent, "Certus-Webhook/1");
  request.set(beast::http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  beast::error_code ec;
  beast::http::write(stream, request, ec);
  if (ec) return Fail(Unavailable("The webhook receiver could not be reached.", ec.message()));
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(std::uint64_t{64} * 1024);
  beast::http::read(stream, buffer, parser, ec);
  if (ec && ec != beast::http::error::body_limit) {
    return Fail(Unavailable("The webhook receiver did not answer.", ec.message()));
  }
  return PostResult{parser.get().result_int()};
}

}  // namespace

std::string EncodeHeaderText(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  // Encoded words are at most 75 characters (RFC 2047 2): split the text at UTF-8
  // character boundaries into chunks of at most 45 bytes (60 base64 characters).
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string FormatMessage(const Email& email, std::string_view from, std::string_view date,
                          std::string_view message_id) {
  std::string out;
  out += "From: " + OneLine(from) + "\r\n";
  out += "To: " + OneLine(email.to) + "\r\n";
  out += "Subject: " + EncodeHeaderText(OneLine(email.subject)) + "\r\n";
  out += "Date: " + std::string(date) + "\r\n";
  out += "Message-ID: <" + std::string(message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  // Normalize line ends to CRLF.
  for (std::size_t i = 0; i < email.body.size(); ++i) {
    const char c = email.body[i];
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

std::string DotStuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 8);
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
  return out;
}

Expected<void> SmtpMailer::Send(const Email& email) {
  if (settings_.host.empty()) {
    return Fail(Unavailable("No mail server is configured.", "--smtp-host is not set"));
  }
  if (email.to.find_first_of("\r\n<>") != std::string::npos) {
    return Fail(Error::Field("to", "is not an email address"));
  }
  tcp::iostream stream;
  stream.expires_after(settings_.timeout);
  stream.connect(settings_.host, std::to_string(settings_.port));
  if (!stream) {
    return Fail(Unavailable("The mail server could not be reached.", stream.error().message()));
  }
  const int greeting = CERTUS_TRY(ReadReply(stream));
  if (greeting != 220) {
    return Fail(Unavailable("The mail server refused the connection.",
                            fmt::format("SMTP greeting {}", greeting)));
  }
  CERTUS_CHECK(Command(stream, "EHLO " + settings_.helo, 2));
  CERTUS_CHECK(Command(stream, "MAIL FROM:<" + settings_.from + ">", 2));
  CERTUS_CHECK(Command(stream, "RCPT TO:<" + email.to + ">", 2));
  CERTUS_CHECK(Command(stream, "DATA", 3));
  const auto now = std::chrono::system_clock::now();
  const std::string date =
      fmt::format("{:%a, %d %b %Y %H:%M:%S} +0000", std::chrono::floor<std::chrono::seconds>(now));
  const std::string id =
      email.message_id.empty()
          ? fmt::format(
                "{}.{}@{}",
                std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch())
                    .count(),
                HexEncode(std::string_view(email.to).substr(0, 4)), settings_.helo)
          : OneLine(email.message_id) + "@" + settings_.helo;
  stream << DotStuff(FormatMessage(email, settings_.from, date, id)) << std::flush;
  const int accepted = CERTUS_TRY(ReadReply(stream));
  if (accepted / 100 != 2) {
    return Fail(Unavailable("The mail server refused the message.",
                            fmt::format("SMTP DATA answered {}", accepted)));
  }
  // The message is accepted; a failing QUIT changes nothing.
  stream << "QUIT\r\n" << std::flush;
  (void)ReadReply(stream);
  return {};
}

Expected<PostResult> BeastWebhookPoster::Post(
    const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body) {
  auto url = http::ParseOutgoingUrl(target);
  if (!url) return Fail(Error::Field("url", "must be an http:// or https:// URL"));
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url->host, url->port, ec);
  if (ec) return Fail(Unavailable("The webhook host could not be resolved.", ec.message()));
  if (!url->tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(timeout_);
    stream.connect(endpoints, ec);
    if (ec) return Fail(Unavailable("The webhook receiver could not be reached.", ec.message()));
    auto result = Exchange(stream, *url, headers, body);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return result;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
    return Fail(Unavailable("The webhook host name is not valid for TLS.", url->host));
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(url->host));
  beast::get_lowest_layer(stream).expires_after(timeout_);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return Fail(Unavailable("The webhook receiver could not be reached.", ec.message()));
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec)
    return Fail(Unavailable("The TLS handshake with the webhook receiver failed.", ec.message()));
  auto result = Exchange(stream, *url, headers, body);
  stream.shutdown(ec);
  return result;
}

std::string SignatureOf(const SecretString& secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.Expose().data(), static_cast<int>(secret.Expose().size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  return "sha256=" + HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace certus::notifications
