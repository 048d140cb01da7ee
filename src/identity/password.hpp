#pragma once

#include <string>

#include "core/error.hpp"
#include "core/secret.hpp"

namespace certus::identity {

/// argon2id cost. Production uses libsodium's "interactive" limits; tests use the
/// minimum so that hashing takes microseconds.
enum class HashCost { kInteractive, kMinimum };

/// Hashes with argon2id (libsodium crypto_pwhash_str); the result embeds salt and cost.
Expected<std::string> HashPassword(const SecretString& password, HashCost cost);
/// Constant-time verification against a stored hash.
bool VerifyPassword(const std::string& hash, const SecretString& password);
/// The password rule: 12 to 1024 characters. Returns the message for people, or empty.
std::string PasswordProblem(const SecretString& password);

}  // namespace certus::identity
