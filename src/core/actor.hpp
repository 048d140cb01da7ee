#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/strong_id.hpp"

namespace certus {

/// A membership role, from least to most powerful. Persisted as its lowercase name.
/// Viewer reads. Auditor reads everything and writes audits and findings. Contributor
/// writes what it owns. Manager writes everything in the ISMS. Admin also manages members
/// and settings.
enum class Role { kViewer, kAuditor, kContributor, kManager, kAdmin };

constexpr std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kAuditor: return "auditor";
    case Role::kContributor: return "contributor";
    case Role::kManager: return "manager";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}

constexpr std::optional<Role> ParseRole(std::string_view name) {
  for (Role role :
       {Role::kViewer, Role::kAuditor, Role::kContributor, Role::kManager, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

/// Who performs an operation, as services see it: never an HTTP request, so the CLI and
/// the API go through the same rules. `role` is the actor's role in the organization the
/// operation touches (nullopt outside one).
struct Actor {
  UserId user_id;  ///< empty for the system itself (`certus init`, migrations)
  std::string email;
  std::optional<Role> role;
  bool installation_admin = false;
  std::string request_id;

  static Actor System() { return {UserId(), "system", std::nullopt, true, {}}; }
};

}  // namespace certus
