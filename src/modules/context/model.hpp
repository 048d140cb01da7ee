#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::context {

using ContextIssueId = StrongId<struct ContextIssueTag>;

/// ISO 27001 4.1: issues are external (legal, market, threat landscape, …) or internal
/// (culture, capabilities, structure, …).
enum class IssueKind { kInternal, kExternal };

std::string_view KindName(IssueKind kind);
std::optional<IssueKind> ParseKind(std::string_view name);

/// An internal or external issue relevant to the ISMS's purpose (ISO 27001 4.1).
struct ContextIssue {
  ContextIssueId id;
  OrgId org_id;
  std::string ref;  ///< CTX-0001, …
  IssueKind kind = IssueKind::kInternal;
  std::string title;
  std::string description;
  std::string effect;  ///< how it affects the ISMS's ability to achieve its intended outcomes
  std::optional<Date> reviewed_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// The fields a client sets on creation.
struct NewContextIssue {
  IssueKind kind = IssueKind::kInternal;
  std::string title;
  std::string description;
  std::string effect;
  std::optional<Date> reviewed_on;
};

/// A partial update: an absent field stays as it is.
struct ContextIssuePatch {
  std::optional<IssueKind> kind;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> effect;
  std::optional<std::optional<Date>> reviewed_on;  ///< inner nullopt clears the date
};

struct ContextIssueFilter {
  std::optional<IssueKind> kind;
  std::optional<std::string> text;  ///< in title or description, case-insensitive
};

}  // namespace certus::context
