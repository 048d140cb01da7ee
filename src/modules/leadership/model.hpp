#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::leadership {

using RoleId = StrongId<struct IsmsRoleTag>;
using RecordId = StrongId<struct LeadershipRecordTag>;

// ------------------------------------------------------------------ roles (5.3)

/// A role in the ISMS (ISO 27001 5.3): its responsibilities and authorities, who holds it,
/// whether it belongs to top management and whether it is the one role that owns the ISMS
/// (5.3 a and b: conformity of the ISMS, reporting on its performance to top management).
/// Not a membership role (admin, manager, …): those say what someone may do in Certus.
struct IsmsRole {
  RoleId id;
  OrgId org_id;
  std::string ref;  ///< ROLE-0001, …
  std::string name;
  std::string description;
  std::string responsibilities;
  std::string authorities;
  std::vector<UserId> assignee_ids;  ///< members of the organization, sorted
  bool top_management = false;
  bool isms_owner = false;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// Create and update alike: an absent field stays as it is (create: takes its default).
struct RolePatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> responsibilities;
  std::optional<std::string> authorities;
  std::optional<std::vector<UserId>> assignee_ids;
  std::optional<bool> top_management;
  std::optional<bool> isms_owner;
};

struct RoleFilter {
  std::optional<bool> top_management;
  std::optional<UserId> assignee_id;
  std::optional<std::string> text;  ///< in name, responsibilities or authorities
};

// ------------------------------------------------------------------ RACI (5.3)

/// R, A, C, I: who does the work, who answers for it (at most one role per process), who is
/// consulted, who is informed.
enum class Responsibility { kResponsible, kAccountable, kConsulted, kInformed };

std::string_view ResponsibilityLetter(Responsibility responsibility);
std::optional<Responsibility> ParseResponsibility(std::string_view letter);

/// One of the fixed ISMS processes the RACI matrix covers, with the clause it belongs to.
struct IsmsProcess {
  std::string_view key;  ///< stable, stored: `risk_assessment`
  std::string_view name;
  std::string_view clause;
};

/// Every process of the matrix in clause order.
const std::vector<IsmsProcess>& IsmsProcesses();
const IsmsProcess* FindProcess(std::string_view key);

struct RaciCell {
  std::string process;
  RoleId role_id;
  Responsibility responsibility = Responsibility::kResponsible;
};

/// The RACI matrix of an organization. A matrix nobody has saved is empty at version 1.
struct RaciMatrix {
  OrgId org_id;
  std::int64_t version = 1;
  std::vector<RaciCell> cells;  ///< in process order, then role id
  std::vector<IsmsRole> roles;  ///< the matrix's columns: every role, by name (not stored here)
  std::string updated_by_email;
  std::optional<std::string> updated_at;
};

// ------------------------------------------------------------------ records (5.1)

/// ISO 27001 5.1: top management demonstrates leadership and commitment, among others by
/// ensuring the resources the ISMS needs (5.1 c) and by committing to it.
enum class RecordKind { kCommitment, kResourceDecision, kOther };

std::string_view RecordKindName(RecordKind kind);
std::optional<RecordKind> ParseRecordKind(std::string_view name);
const std::vector<std::string>& RecordKindNames();

/// An amount of money in minor units (cents) and its ISO 4217 currency.
struct Budget {
  std::int64_t amount_minor = 0;
  std::string currency;  ///< three capital letters: EUR, USD, …
};

/// A commitment or resource decision of top management (ISO 27001 5.1).
struct LeadershipRecord {
  RecordId id;
  OrgId org_id;
  std::string ref;  ///< LR-0001, …
  RecordKind kind = RecordKind::kCommitment;
  Date date;
  std::string decision;
  std::optional<Budget> budget;
  UserId decided_by;
  /// The management review (9.3) the decision was taken in. Management reviews are not a
  /// module yet: the id is stored as given and not checked.
  std::optional<std::string> management_review_id;
  std::string notes;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct RecordPatch {
  std::optional<RecordKind> kind;
  std::optional<Date> date;
  std::optional<std::string> decision;
  std::optional<std::optional<Budget>> budget;  ///< inner nullopt clears it
  std::optional<UserId> decided_by;
  std::optional<std::optional<std::string>> management_review_id;
  std::optional<std::string> notes;
};

struct RecordFilter {
  std::optional<RecordKind> kind;
  std::optional<UserId> decided_by;
  std::optional<std::string> text;  ///< in decision or notes
};

}  // namespace certus::leadership
