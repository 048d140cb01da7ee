#pragma once

#include <string>
#include <string_view>

#include "core/secret.hpp"

namespace certus::identity {

/// Why `password` may not be the password of the account `email`, for people; empty when it
/// may. Besides 12 to 1024 characters (PasswordProblem), and after NIST SP 800-63B 5.1.1.2:
/// - not a common password (the bundled list, src/identity/common-passwords.txt), nor one
///   with digits or symbols added before or after it, nor one written twice or more;
/// - not a run of the alphabet, the digits or a keyboard row, nor fewer than five different
///   characters;
/// - not containing the name of the email address or the name of this service.
std::string PasswordPolicyProblem(const SecretString& password, std::string_view email);

}  // namespace certus::identity
