#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/actor.hpp"
#include "core/secret.hpp"
#include "core/strong_id.hpp"

namespace certus::identity {

struct User {
  UserId id;
  std::string email;
  std::string display_name;
  bool installation_admin = false;
  bool disabled = false;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  /// Set when repeated failed sign-ins locked the account (until an admin unlocks it).
  std::optional<std::string> locked_at;
};

struct Organization {
  OrgId id;
  std::string name;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// An organization as one member sees it: with their role.
struct OrgWithRole {
  Organization org;
  Role role = Role::kViewer;
};

struct Member {
  OrgId org_id;
  UserId user_id;
  std::string email;
  std::string display_name;
  Role role = Role::kViewer;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct ApiToken {
  std::string id;
  std::string name;
  UserId user_id;
  OrgId org_id;
  Role role = Role::kViewer;
  std::string created_at;
  std::optional<std::string> last_used_at;
};

/// A signed-in session as the server keeps it; the token itself is only ever in the
/// client's cookie (we store its SHA-256).
struct SessionInfo {
  User user;
  std::string csrf_token;
  std::string last_seen_at;
};

/// What a successful sign-in hands back: the cookie token, shown once.
struct SignIn {
  User user;
  SecretString session_token;
  std::string csrf_token;
  std::int64_t max_age_seconds = 0;
};

}  // namespace certus::identity
