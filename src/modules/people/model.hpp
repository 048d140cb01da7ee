#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::people {

using PersonId = StrongId<struct PersonTag>;
using CompetenceId = StrongId<struct CompetenceTag>;
using CompetenceEvidenceId = StrongId<struct CompetenceEvidenceTag>;
using TrainingId = StrongId<struct TrainingTag>;

// ------------------------------------------------------------------ people (7.2)

/// Whether someone still works for the organization. People who left keep their records
/// (7.2 d) and drop out of gaps and awareness figures.
enum class PersonStatus { kActive, kLeft };

std::string_view PersonStatusName(PersonStatus status);
std::optional<PersonStatus> ParsePersonStatus(std::string_view name);
const std::vector<std::string>& PersonStatusNames();

/// A person doing work under the organization's control that affects its information
/// security performance (ISO 27001 7.2 a). Not necessarily a Certus user: `user_id` links
/// the one member account that is this person, if any.
struct Person {
  PersonId id;
  OrgId org_id;
  std::string ref;  ///< PER-0001, …
  std::string name;
  std::string email;  ///< unique per organization, compared case-insensitively
  std::string job_role;
  std::string department;
  bool in_scope = true;  ///< works under the ISMS
  std::optional<UserId> user_id;
  PersonStatus status = PersonStatus::kActive;
  std::optional<Date> start_date;
  std::optional<Date> left_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// Create input and partial update: an absent field stays (create: takes its default).
struct PersonPatch {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> job_role;
  std::optional<std::string> department;
  std::optional<bool> in_scope;
  std::optional<std::optional<UserId>> user_id;  ///< inner nullopt unlinks
  std::optional<PersonStatus> status;
  std::optional<std::optional<Date>> start_date;
  std::optional<std::optional<Date>> left_on;
};

struct PersonFilter {
  std::optional<std::string> department;
  std::optional<bool> in_scope;
  std::optional<PersonStatus> status;
  std::optional<std::string> job_role;
  std::optional<std::string> text;  ///< in ref, name, email, job role or department
};

// ------------------------------------------------------------------ competences (7.2)

/// The kinds of evidence of competence (7.2 b: education, training or experience).
enum class EvidenceKind { kTraining, kCertification, kExperience, kEducation };

std::string_view EvidenceKindName(EvidenceKind kind);
std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name);
const std::vector<std::string>& EvidenceKindNames();

/// A competence the organization has determined as necessary (7.2 a), for the people of
/// some job roles and the holders of some ISMS roles (5.3), and which kinds of evidence
/// show it.
struct Competence {
  CompetenceId id;
  OrgId org_id;
  std::string ref;  ///< CMP-0001, …
  std::string name;
  std::string description;
  std::vector<std::string> job_roles;      ///< matched case-insensitively
  std::vector<std::string> isms_role_ids;  ///< roles of the leadership module
  std::vector<EvidenceKind> evidence_kinds;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct CompetencePatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> job_roles;
  std::optional<std::vector<std::string>> isms_role_ids;
  std::optional<std::vector<EvidenceKind>> evidence_kinds;
};

/// Documented evidence of a person's competence (7.2 d).
struct CompetenceEvidence {
  CompetenceEvidenceId id;
  OrgId org_id;
  PersonId person_id;
  CompetenceId competence_id;
  EvidenceKind kind = EvidenceKind::kTraining;
  std::string title;
  Date obtained_on;
  std::optional<Date> expires_on;
  std::optional<std::string> evidence_id;  ///< an item of the evidence register
  std::optional<TrainingId> training_id;   ///< set when a training completion recorded it
  std::string recorded_by;                 ///< email
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct NewCompetenceEvidence {
  CompetenceId competence_id;
  EvidenceKind kind = EvidenceKind::kTraining;
  std::string title;
  Date obtained_on;
  std::optional<Date> expires_on;
  std::optional<std::string> evidence_id;
};

/// Where a person stands on one competence they need.
enum class GapState { kMet, kExpired, kMissing };
std::string_view GapStateName(GapState state);

struct RequiredCompetence {
  CompetenceId competence_id;
  std::string ref;
  std::string name;
  /// Why it is required: `job_role` and/or the refs of ISMS roles (ROLE-0001).
  std::vector<std::string> required_by;
  GapState state = GapState::kMissing;
  /// The latest expiry of valid evidence (nullopt: does not expire, or not met).
  std::optional<Date> valid_until;
};

/// A person with the gap analysis of 7.2 a–c: every competence required of them.
struct PersonDetail {
  Person person;
  std::vector<std::string> isms_role_ids;  ///< roles held by the person's user
  std::vector<RequiredCompetence> competences;
};

// ------------------------------------------------------------------ trainings (7.2 c, 7.3)

enum class TrainingStatus { kDraft, kOpen, kClosed };
std::string_view TrainingStatusName(TrainingStatus status);
std::optional<TrainingStatus> ParseTrainingStatus(std::string_view name);
const std::vector<std::string>& TrainingStatusNames();

/// Who must take a training: every active person in scope, the active people in scope of
/// some departments, or named active people.
enum class AudienceKind { kAll, kDepartments, kPeople };
std::string_view AudienceKindName(AudienceKind kind);
std::optional<AudienceKind> ParseAudienceKind(std::string_view name);
const std::vector<std::string>& AudienceKindNames();

struct Training {
  TrainingId id;
  OrgId org_id;
  std::string ref;  ///< TRN-0001, …
  std::string title;
  std::string description;
  AudienceKind audience = AudienceKind::kAll;
  std::vector<std::string> departments;
  std::vector<PersonId> person_ids;
  Date due_on;
  TrainingStatus status = TrainingStatus::kDraft;
  std::optional<CompetenceId> competence_id;    ///< the competence a completion shows
  std::optional<std::int64_t> validity_months;  ///< how long that evidence stays valid
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct TrainingPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<AudienceKind> audience;
  std::optional<std::vector<std::string>> departments;
  std::optional<std::vector<PersonId>> person_ids;
  std::optional<Date> due_on;
  std::optional<TrainingStatus> status;
  std::optional<std::optional<CompetenceId>> competence_id;
  std::optional<std::optional<std::int64_t>> validity_months;
};

struct TrainingFilter {
  std::optional<TrainingStatus> status;
  std::optional<std::string> text;  ///< in ref or title
};

/// A person completed a training (7.2 c, 7.3): once per person and training.
struct Completion {
  TrainingId training_id;
  PersonId person_id;
  Date completed_on;
  std::string note;
  std::string recorded_by;  ///< email
  std::string created_at;
};

struct NewCompletion {
  PersonId person_id;
  Date completed_on;
  std::string note;
};

/// How far a training got: its audience, who completed it, who is overdue.
struct TrainingProgress {
  std::int64_t audience = 0;
  std::int64_t completed = 0;
  std::int64_t overdue = 0;
};

struct AudienceMember {
  PersonId person_id;
  std::string ref;
  std::string name;
  std::string department;
  std::optional<Completion> completion;
  bool overdue = false;
};

struct TrainingWithProgress {
  Training training;
  TrainingProgress progress;
};

struct TrainingDetail {
  Training training;
  TrainingProgress progress;
  std::vector<AudienceMember> audience;  ///< by name
  /// Completions by people no longer in the audience (left, moved, out of scope): kept.
  std::vector<Completion> other_completions;
};

// ------------------------------------------------------------------ awareness (7.3)

struct OverdueTraining {
  TrainingId id;
  std::string ref;
  std::string title;
  Date due_on;
};

struct OverduePerson {
  PersonId id;
  std::string ref;
  std::string name;
  std::vector<OverdueTraining> trainings;
};

/// The awareness figures of one department's active people in scope (7.3).
struct DepartmentAwareness {
  std::string department;
  std::int64_t people = 0;
  std::int64_t assigned = 0;   ///< training assignments in open and closed trainings
  std::int64_t completed = 0;  ///< of those, completed
  std::int64_t overdue = 0;    ///< of those, past due and not completed
  /// People linked to a user who must read at least one published document, and those of
  /// them who acknowledged every one in its current version.
  std::int64_t policy_readers = 0;
  std::int64_t policy_acknowledged = 0;
  std::vector<OverduePerson> overdue_people;
};

struct Awareness {
  Date as_of;
  bool policy_known = false;                     ///< whether acknowledgments could be read
  std::vector<DepartmentAwareness> departments;  ///< by name
  DepartmentAwareness total;
};

/// One person in scope with the competences they lack (the competence-gaps report).
struct PersonGaps {
  Person person;
  std::vector<RequiredCompetence> gaps;  ///< expired or missing only
};

}  // namespace certus::people
