#include "identity/password_policy.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "core/embedded_file.hpp"
#include "core/encoding.hpp"
#include "identity/password.hpp"

namespace certus::identity {

std::vector<EmbeddedFile> CommonPasswordFiles();

namespace {

/// The bundled list, lowercase, read once.
const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> passwords = [] {
    std::unordered_set<std::string> out;
    for (const EmbeddedFile& file : CommonPasswordFiles()) {
      std::string_view rest = file.content;
      while (!rest.empty()) {
        const auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && line.front() != '#') out.emplace(line);
      }
    }
    return out;
  }();
  return passwords;
}

bool IsLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

/// `text` without the digits and symbols around its letters: "Password123!" → "password".
std::string_view Core(std::string_view text) {
  const auto first = std::find_if(text.begin(), text.end(), IsLetter);
  const auto last = std::find_if(text.rbegin(), text.rend(), IsLetter).base();
  if (first >= last) return {};
  return text.substr(static_cast<std::size_t>(first - text.begin()),
                     static_cast<std::size_t>(last - first));
}

/// The block that `text` repeats ("passwordpassword" → "password"), or `text` itself.
std::string_view Block(std::string_view text) {
  for (std::size_t size = 1; size <= text.size() / 2; ++size) {
    if (text.size() % size != 0) continue;
    bool repeats = true;
    for (std::size_t i = size; i < text.size() && repeats; ++i) repeats = text[i] == text[i % size];
    if (repeats) return text.substr(0, size);
  }
  return text;
}

/// Whether `text` runs along the alphabet, the digits or a keyboard row, either way.
bool IsRun(std::string_view text) {
  static constexpr std::string_view kRuns[] = {
      "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
      "0123456789012345678901234567890123456789",
      "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
      "qwertzuiopasdfghjklyxcvbnmqwertzuiopasdfghjklyxcvbnm",
      "azertyuiopqsdfghjklmwxcvbnazertyuiopqsdfghjklmwxcvbn",
      "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p1qaz2wsx3edc4rfv",
  };
  std::string reversed(text.rbegin(), text.rend());
  return std::any_of(std::begin(kRuns), std::end(kRuns), [&](std::string_view run) {
    return run.find(text) != std::string_view::npos || run.find(reversed) != std::string_view::npos;
  });
}

bool IsCommon(std::string_view text) {
  return text.size() >= 4 && CommonPasswords().count(std::string(text)) > 0;
}

}  // namespace

std::string PasswordPolicyProblem(const SecretString& password, std::string_view email) {
  if (auto problem = PasswordProblem(password); !problem.empty()) return problem;
  const std::string lower = AsciiLower(password.Expose());
  if (std::set<char>(lower.begin(), lower.end()).size() < 5) {
    return "must use at least five different characters";
  }
  const std::string_view core = Core(lower);
  if (IsCommon(lower) || IsCommon(core) || IsCommon(Block(lower)) || IsCommon(Block(core))) {
    return "is a common password, or one with digits or symbols added: choose another "
           "(a few unrelated words make a strong one)";
  }
  if (IsRun(lower) || IsRun(Block(lower))) {
    return "runs along the alphabet, the digits or the keyboard: choose another";
  }
  const std::string name = AsciiLower(email.substr(0, email.find('@')));
  if (name.size() >= 3 && lower.find(name) != std::string::npos) {
    return "must not contain the name of your email address";
  }
  if (lower.find("certus") != std::string::npos) return "must not contain the name of this service";
  return {};
}

}  // namespace certus::identity
