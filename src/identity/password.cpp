#include "identity/password.hpp"

#include <sodium.h>

namespace certus::identity {

Expected<std::string> HashPassword(const SecretString& password, HashCost cost) {
  unsigned long long ops =
      cost == HashCost::kMinimum ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  std::size_t mem =
      cost == HashCost::kMinimum ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  char out[crypto_pwhash_STRBYTES];
  const auto& text = password.Expose();
  if (crypto_pwhash_str_alg(out, text.data(), text.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Error::Internal("crypto_pwhash_str_alg failed (out of memory?)"));
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const SecretString& password) {
  const auto& text = password.Expose();
  return crypto_pwhash_str_verify(hash.c_str(), text.data(), text.size()) == 0;
}

std::string PasswordProblem(const SecretString& password) {
  const auto& text = password.Expose();
  if (text.size() < 12) return "must be at least 12 characters";
  if (text.size() > 1024) return "must be at most 1024 characters";
  return {};
}

}  // namespace certus::identity
