#include "tests/support/http_client.hpp"

#include <stdexcept>

#include <arpa/inet.h>
#include <boost/json.hpp>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/encoding.hpp"

namespace certus::testing {

std::string Reply::Header(const std::string& lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return value;
  }
  return {};
}

boost::json::value Reply::Json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : value;
}

Reply ParseReply(const std::string& raw) {
  Reply reply;
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.size() < 12) return reply;
  reply.status = static_cast<unsigned>(std::stoi(raw.substr(9, 3)));
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    auto end = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      reply.headers.emplace_back(AsciiLower(line.substr(0, colon)), value);
    }
    pos = end + 2;
  }
  reply.body = raw.substr(head_end + 4);
  if (auto length = reply.Header("content-length"); !length.empty()) {
    reply.body.resize(std::min<std::size_t>(reply.body.size(), std::stoul(length)));
  }
  return reply;
}

std::string HttpClient::SendRaw(const std::string& raw, int timeout_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  std::size_t sent = 0;
  while (sent < raw.size()) {
    auto n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading everything (413)
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) break;
    auto n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

Reply HttpClient::Send(const std::string& method, const std::string& target,
                       const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!cookie_.empty()) raw += "Cookie: " + cookie_ + "\r\n";
  if (!bearer_.empty()) raw += "Authorization: Bearer " + bearer_ + "\r\n";
  if (!csrf_.empty() && !skip_csrf_ && method != "GET") raw += "X-CSRF-Token: " + csrf_ + "\r\n";
  for (const auto& [name, value] : headers)
    raw.append(name).append(": ").append(value).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PATCH") {
    raw +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw += "\r\n";
  raw += body;
  return ParseReply(SendRaw(raw));
}

Reply HttpClient::Get(const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
  return Send("GET", target, "", headers);
}
Reply HttpClient::Post(const std::string& target, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
  return Send("POST", target, body, headers);
}
Reply HttpClient::Patch(const std::string& target, const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  return Send("PATCH", target, body, headers);
}
Reply HttpClient::Delete(const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  return Send("DELETE", target, "", headers);
}

Reply HttpClient::Login(const std::string& email, const std::string& password) {
  boost::json::object body{{"email", email}, {"password", password}};
  Reply reply = Post("/api/v1/auth/login", boost::json::serialize(body));
  if (reply.status == 200) {
    std::string cookie = reply.Header("set-cookie");
    cookie_ = cookie.substr(0, cookie.find(';'));
    csrf_ = std::string(reply.Json().at("csrf_token").as_string());
  }
  return reply;
}

}  // namespace certus::testing
