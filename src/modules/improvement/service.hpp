#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/improvement/model.hpp"
#include "modules/improvement/store.hpp"
#include "storage/database.hpp"

namespace certus::improvement {

/// Nonconformity and corrective action (ISO 27001 10.2): the nonconformity with its
/// correction (a), root cause and the check for similar ones (b), corrective actions (c),
/// reviews of their effectiveness (d) and closure, linked to the ISMS changes it caused (e).
///
/// Who may do what: every member reads. Contributors report nonconformities and change the
/// ones they own or reported, with their corrective actions, and the actions they own;
/// managers and admins change any. Effectiveness reviews and closure are for managers and
/// admins: they verify on behalf of the ISMS that the cause is gone, and a reviewer must not
/// own any of the nonconformity's corrective actions (10.2 d, checked with 409).
///
/// Every change is written with its audit event in one transaction; the nonconformity's
/// derived status is stored (for filtering) and recomputed in the same transaction whenever
/// it or one of its actions or reviews changes. Borrows everything it is given. Thread-safe.
class NonconformityService final {
 public:
  NonconformityService(storage::Database& db, const Clock& clock, Random& random,
                       auditlog::AuditLog& audit_log, identity::IdentityService& identity)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), identity_(identity) {}

  /// kPermissionDenied below contributor, kNotFound outside the organization: for routes,
  /// so that a reader learns that they may not write before anything about their body.
  static Expected<void> CheckCanWrite(const Actor& actor);
  /// The same for effectiveness reviews and closure (managers and admins).
  static Expected<void> CheckCanVerify(const Actor& actor);

  Expected<Page<Nonconformity>> List(const Actor& actor, const OrgId& org,
                                     const NonconformityFilter& filter, const PageQuery& page);
  Expected<Nonconformity> Get(const Actor& actor, const OrgId& org, const NonconformityId& id);

  /// Records a nonconformity found by `source`, e.g. by the internal audit (9.2) or the
  /// management review (9.3) with `source_ref` naming the finding or decision. `details`
  /// must carry a title (and may carry everything else of a nonconformity; its source and
  /// source_ref are ignored). The reporter is `actor`; the owner defaults to them.
  /// kPermissionDenied below contributor; kValidation for a bad owner, a date in the future,
  /// a requirement ref or change id of the wrong shape.
  Expected<Nonconformity> Create(const Actor& actor, const OrgId& org, Source source,
                                 const std::optional<std::string>& source_ref,
                                 const NonconformityPatch& details);
  /// The same in the caller's transaction (a module that writes its own record and the
  /// nonconformity it raises together). No role check: the caller has made its own.
  Expected<Nonconformity> CreateIn(storage::Transaction& tx, const Actor& actor, const OrgId& org,
                                   Source source, const std::optional<std::string>& source_ref,
                                   const NonconformityPatch& details);
  /// kConflict when the nonconformity is closed (closed ones are records).
  Expected<Nonconformity> Update(const Actor& actor, const OrgId& org, const NonconformityId& id,
                                 const NonconformityPatch& patch, std::int64_t expected_version);
  /// Closes it. kConflict, naming everything missing, unless the correction, root cause and
  /// check for similar nonconformities are recorded, every corrective action (at least one)
  /// is done and the latest effectiveness review found them effective. `expected_version`
  /// (from an optional If-Match) guards against closing what someone just changed.
  Expected<Nonconformity> Close(const Actor& actor, const OrgId& org, const NonconformityId& id,
                                std::optional<std::int64_t> expected_version);

  Expected<std::vector<CorrectiveAction>> ListActionsOf(const Actor& actor, const OrgId& org,
                                                        const NonconformityId& id);
  /// Across nonconformities: `overdue` keeps actions due before today and not finished.
  Expected<Page<CorrectiveAction>> ListActions(const Actor& actor, const OrgId& org,
                                               ActionFilter filter, bool overdue,
                                               const PageQuery& page);
  Expected<CorrectiveAction> GetAction(const Actor& actor, const OrgId& org, const ActionId& id);
  /// `input` must carry title and owner_id. kConflict when the nonconformity is closed.
  Expected<CorrectiveAction> CreateAction(const Actor& actor, const OrgId& org,
                                          const NonconformityId& id, const ActionPatch& input);
  Expected<CorrectiveAction> UpdateAction(const Actor& actor, const OrgId& org, const ActionId& id,
                                          const ActionPatch& patch, std::int64_t expected_version);

  Expected<std::vector<EffectivenessReview>> ListReviews(const Actor& actor, const OrgId& org,
                                                         const NonconformityId& id);
  /// Records a review by `actor`. kConflict when the nonconformity is closed, when `actor`
  /// owns one of its corrective actions, or when its actions are not all done; a review that
  /// finds them not effective sends it back to `actions` until a further action is added.
  Expected<EffectivenessReview> Review(const Actor& actor, const OrgId& org,
                                       const NonconformityId& id, bool effective,
                                       const std::string& note);

  /// The problems of `patch` that need no database (shape of refs and ids), as field errors.
  std::vector<FieldError> PatchProblems(const NonconformityPatch& patch) const;

 private:
  /// Sets the derived fields of `nc` (status, counts, blockers) and of `actions` (overdue).
  void Derive(Nonconformity& nc, std::vector<CorrectiveAction>& actions) const;
  Expected<Nonconformity> Load(storage::Transaction& tx, const OrgId& org,
                               const NonconformityId& id);
  /// Recomputes the stored status of `nc` (whose flags the caller may have changed from
  /// `before`) and writes it with an audit event when anything stored changed.
  Expected<Nonconformity> Sync(storage::Transaction& tx, const Actor& actor,
                               const Nonconformity& before, Nonconformity after);
  Expected<void> CheckMember(const OrgId& org, const UserId& user, const std::string& field);
  std::string Today() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  ImprovementStore store_;
};

/// Continual improvement (ISO 27001 10.1): opportunities for improvement from any source,
/// the decision on each and its outcome. Contributors raise opportunities and change the
/// ones they raised or own; the decision (accept, reject, defer, with a rationale) is for
/// managers and admins. Borrows everything it is given. Thread-safe.
class ImprovementService final {
 public:
  ImprovementService(storage::Database& db, const Clock& clock, Random& random,
                     auditlog::AuditLog& audit_log, identity::IdentityService& identity)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), identity_(identity) {}

  static Expected<void> CheckCanWrite(const Actor& actor);

  Expected<Page<Improvement>> List(const Actor& actor, const OrgId& org,
                                   const ImprovementFilter& filter, const PageQuery& page);
  Expected<Improvement> Get(const Actor& actor, const OrgId& org, const ImprovementId& id);
  /// `input` must carry a title. kValidation for a non-member owner or a nonconformity of
  /// another organization.
  Expected<Improvement> Create(const Actor& actor, const OrgId& org, const ImprovementPatch& input);
  /// kPermissionDenied when a contributor decides; kConflict when the status does not fit
  /// the decision (only accepted opportunities are worked on; the outcome is recorded
  /// before one is implemented or closed).
  Expected<Improvement> Update(const Actor& actor, const OrgId& org, const ImprovementId& id,
                               const ImprovementPatch& patch, std::int64_t expected_version);

 private:
  Expected<Improvement> Write(const Actor& actor, const OrgId& org,
                              const std::optional<ImprovementId>& id, const ImprovementPatch& patch,
                              std::int64_t expected_version);
  std::string Today() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  ImprovementStore store_;
};

}  // namespace certus::improvement
