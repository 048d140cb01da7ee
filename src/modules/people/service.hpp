#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/evidence/service.hpp"
#include "modules/leadership/service.hpp"
#include "modules/people/model.hpp"
#include "modules/people/policy_acknowledgments.hpp"
#include "modules/people/store.hpp"
#include "storage/database.hpp"

namespace certus::people {

/// Competence and awareness (ISO 27001 7.2, 7.3): the register of people doing work under the
/// ISMS, the competences required of job roles and ISMS roles (read through
/// LeadershipService), evidence of competence per person with the gap analysis, trainings with
/// their audience and completion records, and awareness figures per department (policy
/// acknowledgments read through PolicyAcknowledgments, which may be absent: the rate is then
/// unknown). Members read; managers and admins write. Every change is written with its audit
/// event in one transaction. Borrows everything it is given. Thread-safe.
class PeopleService final {
 public:
  PeopleService(storage::Database& db, const Clock& clock, Random& random,
                auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                leadership::LeadershipService& leadership, evidence::EvidenceService& evidence,
                PolicyAcknowledgments* acknowledgments)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        leadership_(leadership),
        evidence_(evidence),
        acknowledgments_(acknowledgments) {}

  /// kPermissionDenied unless `actor` may write here (managers and admins), kNotFound outside
  /// the organization: for routes, before they read the body.
  static Expected<void> CheckCanWrite(const Actor& actor);

  // People.
  Expected<Page<Person>> ListPeople(const Actor& actor, const OrgId& org,
                                    const PersonFilter& filter, const PageQuery& page);
  /// The person with the gap analysis of every competence required of them.
  Expected<PersonDetail> GetPerson(const Actor& actor, const OrgId& org, const PersonId& id);
  /// `input` must carry name and email. kConflict when the email or the user is another
  /// person's; kValidation when the user is not a member.
  Expected<Person> CreatePerson(const Actor& actor, const OrgId& org, const PersonPatch& input);
  Expected<Person> UpdatePerson(const Actor& actor, const OrgId& org, const PersonId& id,
                                const PersonPatch& patch, std::int64_t expected_version);
  /// kConflict when evidence or completions name the person (7.2 d: retained; mark the person
  /// as left instead) or a training names them in its audience.
  Expected<void> DeletePerson(const Actor& actor, const OrgId& org, const PersonId& id,
                              std::int64_t expected_version);

  // Competence requirements.
  Expected<Page<Competence>> ListCompetences(const Actor& actor, const OrgId& org,
                                             const std::optional<std::string>& text,
                                             const PageQuery& page);
  Expected<Competence> GetCompetence(const Actor& actor, const OrgId& org, const CompetenceId& id);
  /// `input` must carry name and at least one evidence kind. kValidation for unknown ISMS
  /// roles; kConflict when the name is taken.
  Expected<Competence> CreateCompetence(const Actor& actor, const OrgId& org,
                                        const CompetencePatch& input);
  Expected<Competence> UpdateCompetence(const Actor& actor, const OrgId& org,
                                        const CompetenceId& id, const CompetencePatch& patch,
                                        std::int64_t expected_version);
  /// kConflict while evidence or trainings name it.
  Expected<void> DeleteCompetence(const Actor& actor, const OrgId& org, const CompetenceId& id,
                                  std::int64_t expected_version);
  /// Every active person in scope with the competences they lack, optionally of one
  /// department; people without gaps are left out.
  Expected<std::vector<PersonGaps>> CompetenceGaps(const Actor& actor, const OrgId& org,
                                                   const std::optional<std::string>& department);

  // Competence evidence.
  Expected<std::vector<CompetenceEvidence>> ListEvidence(const Actor& actor, const OrgId& org,
                                                         const PersonId& person);
  /// kValidation when the competence is unknown, does not accept the kind, the dates are out
  /// of order or in the future, or the evidence item is unknown.
  Expected<CompetenceEvidence> AddEvidence(const Actor& actor, const OrgId& org,
                                           const PersonId& person,
                                           const NewCompetenceEvidence& input);
  Expected<void> DeleteEvidence(const Actor& actor, const OrgId& org, const PersonId& person,
                                const CompetenceEvidenceId& id, std::int64_t expected_version);

  // Trainings.
  Expected<Page<TrainingWithProgress>> ListTrainings(const Actor& actor, const OrgId& org,
                                                     const TrainingFilter& filter,
                                                     const PageQuery& page);
  Expected<TrainingDetail> GetTraining(const Actor& actor, const OrgId& org, const TrainingId& id);
  /// `input` must carry title and due_on. kValidation for unknown people or competences, a
  /// competence that does not accept training as evidence, or an empty departments/people
  /// audience; kConflict for a status step back to draft once opened.
  Expected<Training> CreateTraining(const Actor& actor, const OrgId& org,
                                    const TrainingPatch& input);
  Expected<Training> UpdateTraining(const Actor& actor, const OrgId& org, const TrainingId& id,
                                    const TrainingPatch& patch, std::int64_t expected_version);
  /// Drafts only: an opened training is a record of what people were asked to do (7.3).
  Expected<void> DeleteTraining(const Actor& actor, const OrgId& org, const TrainingId& id,
                                std::int64_t expected_version);
  /// Records that an audience member completed the training; when it provides a competence,
  /// records that evidence too. kConflict for a draft or a second completion; kValidation for
  /// people outside the audience or a date in the future.
  Expected<Completion> Complete(const Actor& actor, const OrgId& org, const TrainingId& id,
                                const NewCompletion& input);

  // Awareness.
  Expected<Awareness> GetAwareness(const Actor& actor, const OrgId& org);

  /// Today (the clock's UTC day).
  Date Today() const;

 private:
  using RolesByUser = std::map<UserId, std::vector<leadership::IsmsRole>>;
  Expected<RolesByUser> HeldRoles(const Actor& actor, const OrgId& org);
  std::vector<RequiredCompetence> Requirements(const Person& person,
                                               const std::vector<Competence>& competences,
                                               const std::vector<CompetenceEvidence>& evidence,
                                               const RolesByUser& roles) const;
  Expected<void> CheckUser(const OrgId& org, const std::optional<UserId>& user);
  Expected<void> CheckIsmsRoles(const Actor& actor, const OrgId& org,
                                const std::vector<std::string>& role_ids);
  Expected<Person> WritePerson(const Actor& actor, const OrgId& org,
                               const std::optional<PersonId>& id, const PersonPatch& patch,
                               std::int64_t expected_version);
  Expected<Competence> WriteCompetence(const Actor& actor, const OrgId& org,
                                       const std::optional<CompetenceId>& id,
                                       const CompetencePatch& patch, std::int64_t expected_version);
  Expected<Training> WriteTraining(const Actor& actor, const OrgId& org,
                                   const std::optional<TrainingId>& id, const TrainingPatch& patch,
                                   std::int64_t expected_version);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  leadership::LeadershipService& leadership_;
  evidence::EvidenceService& evidence_;
  PolicyAcknowledgments* acknowledgments_;
  PeopleStore store_;
};

/// Whether `person` is in `training`'s audience: active, and in scope unless named.
bool InAudience(const Training& training, const Person& person);

}  // namespace certus::people
