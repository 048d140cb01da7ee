#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret.hpp"

namespace certus::notifications {

/// One email: a plain-text UTF-8 message to one recipient.
struct Email {
  std::string to;
  std::string subject;
  std::string body;
  /// The local part of the Message-ID. The outbox row's id, so that an email sent again after
  /// a crash between sending and recording it is the same message, which mail systems
  /// recognise (ADR 0022); empty: a fresh one.
  std::string message_id{};
};

/// Sends email. Implementations are thread-safe. Errors: kUnavailable when the server
/// cannot be reached or refuses the message (the outbox retries later).
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Expected<void> Send(const Email& email) = 0;
};

/// Installation settings of the SMTP relay (`certus serve --smtp-host …`). No
/// authentication: Certus hands mail to a relay on a trusted network.
struct SmtpSettings {
  std::string host;  ///< empty: no email is sent (reminders stay in-app)
  std::uint16_t port = 25;
  std::string from = "certus@localhost";
  std::string helo = "certus";
  std::chrono::seconds timeout{30};
};

/// A minimal SMTP client (RFC 5321) over Boost.Asio, one connection per message: EHLO,
/// MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. Plain TCP only.
class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpSettings settings) : settings_(std::move(settings)) {}
  Expected<void> Send(const Email& email) override;

 private:
  SmtpSettings settings_;
};

/// The RFC 5322 message of `email`: headers (Subject RFC 2047 encoded when it is not
/// ASCII, MIME UTF-8 text) and the body with CRLF line ends, not yet dot-stuffed.
std::string FormatMessage(const Email& email, std::string_view from, std::string_view date,
                          std::string_view message_id);
/// An RFC 2047 encoded word (`=?UTF-8?B?…?=`) for non-ASCII text; ASCII text unchanged.
std::string EncodeHeaderText(std::string_view text);
/// Doubles a leading dot on every line (RFC 5321 4.5.2) and ends the data with CRLF.CRLF.
std::string DotStuff(std::string_view message);

/// What a webhook receiver answered.
struct PostResult {
  unsigned status = 0;
};

/// POSTs webhook deliveries. Implementations are thread-safe. A connection or protocol
/// failure is kUnavailable; any HTTP answer, even 500, is a PostResult.
class WebhookPoster {
 public:
  virtual ~WebhookPoster() = default;
  virtual Expected<PostResult> Post(const std::string& url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& body) = 0;
};

/// HTTP/1.1 and HTTPS (certificate verified against the system's trust store) over
/// Boost.Beast, one connection per delivery, with a timeout.
class BeastWebhookPoster final : public WebhookPoster {
 public:
  explicit BeastWebhookPoster(std::chrono::seconds timeout = std::chrono::seconds(10))
      : timeout_(timeout) {}
  Expected<PostResult> Post(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body) override;

 private:
  std::chrono::seconds timeout_;
};

/// `sha256=<hex HMAC-SHA256 of body keyed with secret>`: the X-Certus-Signature header.
std::string SignatureOf(const SecretString& secret, std::string_view body);

}  // namespace certus::notifications
