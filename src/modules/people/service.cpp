#include "modules/people/service.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/uuid.hpp"
#include "modules/people/json.hpp"
#include "storage/counters.hpp"

namespace certus::people {

namespace {

constexpr const char* kPersonType = "person";
constexpr const char* kCompetenceType = "competence";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Expected<void> CheckWriter(const Actor& actor, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may change " + std::string(what) + ".");
  }
  return {};
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed " + std::string(what) +
                                              " since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

std::string Folded(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out.push_back(static_cast<char>(std::tolower(c)));
  const auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t") - first + 1);
}

bool After(const Date& a, const Date& b) {
  return std::chrono::sys_days(a) > std::chrono::sys_days(b);
}

}  // namespace

Expected<void> PeopleService::CheckCanWrite(const Actor& actor) {
  return CheckWriter(actor, "people, competences or trainings");
}

Date PeopleService::Today() const { return DateOf(clock_.Now()); }

bool InAudience(const Training& training, const Person& person) {
  if (person.status != PersonStatus::kActive) return false;
  switch (training.audience) {
    case AudienceKind::kAll: return person.in_scope;
    case AudienceKind::kDepartments:
      return person.in_scope && std::find(training.departments.begin(), training.departments.end(),
                                          person.department) != training.departments.end();
    case AudienceKind::kPeople:
      return std::find(training.person_ids.begin(), training.person_ids.end(), person.id) !=
             training.person_ids.end();
  }
  return false;
}

// ------------------------------------------------------------------ gap analysis

Expected<PeopleService::RolesByUser> PeopleService::HeldRoles(const Actor& actor,
                                                              const OrgId& org) {
  RolesByUser held;
  PageQuery page{.sort = "name", .descending = false, .limit = 500, .after = std::nullopt};
  while (true) {
    auto roles = CERTUS_TRY(leadership_.ListRoles(actor, org, {}, page));
    for (const auto& role : roles.items) {
      for (const auto& user : role.assignee_ids) held[user].push_back(role);
    }
    if (!roles.next) break;
    page.after = roles.next;
  }
  return held;
}

std::vector<RequiredCompetence> PeopleService::Requirements(
    const Person& person, const std::vector<Competence>& competences,
    const std::vector<CompetenceEvidence>& evidence, const RolesByUser& roles) const {
  const Date today = Today();
  const std::string job_role = Folded(person.job_role);
  const std::vector<leadership::IsmsRole>* held = nullptr;
  if (person.user_id) {
    if (auto it = roles.find(*person.user_id); it != roles.end()) held = &it->second;
  }
  std::vector<RequiredCompetence> out;
  for (const auto& competence : competences) {
    RequiredCompetence r;
    r.competence_id = competence.id;
    r.ref = competence.ref;
    r.name = competence.name;
    // ISO 27001 7.2 a: the competence needed by the people whose work affects the ISMS,
    // determined per job role and per ISMS role (5.3).
    if (!job_role.empty() &&
        std::any_of(competence.job_roles.begin(), competence.job_roles.end(),
                    [&](const std::string& role) { return Folded(role) == job_role; })) {
      r.required_by.emplace_back("job_role");
    }
    if (held != nullptr) {
      for (const auto& role : *held) {
        if (std::find(competence.isms_role_ids.begin(), competence.isms_role_ids.end(),
                      role.id.str()) != competence.isms_role_ids.end()) {
          r.required_by.push_back(role.ref);
        }
      }
    }
    if (r.required_by.empty()) continue;
    bool any = false;
    bool met = false;
    bool forever = false;
    std::optional<Date> until;
    for (const auto& e : evidence) {
      if (e.person_id != person.id || e.competence_id != competence.id) continue;
      // Only the kinds of evidence the competence accepts count (7.2 b).
      if (std::find(competence.evidence_kinds.begin(), competence.evidence_kinds.end(), e.kind) ==
          competence.evidence_kinds.end()) {
        continue;
      }
      any = true;
      if (!e.expires_on) {
        met = true;
        forever = true;
      } else if (!After(today, *e.expires_on)) {
        met = true;
        if (!until || After(*e.expires_on, *until)) until = e.expires_on;
      }
    }
    r.state = met ? GapState::kMet : any ? GapState::kExpired : GapState::kMissing;
    if (met && !forever) r.valid_until = until;
    out.push_back(std::move(r));
  }
  return out;
}

// ------------------------------------------------------------------ people

Expected<void> PeopleService::CheckUser(const OrgId& org, const std::optional<UserId>& user) {
  if (!user) return {};
  auto role = CERTUS_TRY(identity_.RoleOf(org, *user));
  if (!role) return Fail(Error::Field("user_id", "must be a member of the organization"));
  return {};
}

Expected<Page<Person>> PeopleService::ListPeople(const Actor& actor, const OrgId& org,
                                                 const PersonFilter& filter,
                                                 const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListPeople(tx, org, filter, page); });
}

Expected<PersonDetail> PeopleService::GetPerson(const Actor& actor, const OrgId& org,
                                                const PersonId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  struct Read {
    Person person;
    std::vector<Competence> competences;
    std::vector<CompetenceEvidence> evidence;
  };
  auto loaded = storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Read> {
    auto person = CERTUS_TRY(store_.FindPerson(tx, org, id));
    if (!person) return Fail(Error::NotFound("Person"));
    return Read{*person, CERTUS_TRY(store_.AllCompetences(tx, org)),
                CERTUS_TRY(store_.EvidenceOf(tx, org, id))};
  });
  if (!loaded) return Fail(loaded.error());
  auto& read = *loaded;
  RolesByUser roles;
  PersonDetail detail;
  if (read.person.user_id) {
    leadership::RoleFilter filter;
    filter.assignee_id = read.person.user_id;
    auto held = CERTUS_TRY(leadership_.ListRoles(
        actor, org, filter,
        PageQuery{.sort = "name", .descending = false, .limit = 500, .after = std::nullopt}));
    for (const auto& role : held.items) detail.isms_role_ids.push_back(role.id.str());
    roles[*read.person.user_id] = std::move(held.items);
  }
  detail.competences = Requirements(read.person, read.competences, read.evidence, roles);
  detail.person = std::move(read.person);
  return detail;
}

Expected<Person> PeopleService::CreatePerson(const Actor& actor, const OrgId& org,
                                             const PersonPatch& input) {
  return WritePerson(actor, org, std::nullopt, input, 1);
}

Expected<Person> PeopleService::UpdatePerson(const Actor& actor, const OrgId& org,
                                             const PersonId& id, const PersonPatch& patch,
                                             std::int64_t expected_version) {
  return WritePerson(actor, org, id, patch, expected_version);
}

Expected<Person> PeopleService::WritePerson(const Actor& actor, const OrgId& org,
                                            const std::optional<PersonId>& id,
                                            const PersonPatch& patch,
                                            std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "people"));
  if (!id) {
    std::vector<FieldError> problems;
    if (!patch.name) problems.push_back({"name", "is required"});
    if (!patch.email) problems.push_back({"email", "is required"});
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  }
  if (patch.user_id) CERTUS_CHECK(CheckUser(org, *patch.user_id));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Person> {
    std::optional<Person> before;
    Person after;
    if (id) {
      before = CERTUS_TRY(store_.FindPerson(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Person"));
      if (before->version != expected_version) return Fail(Stale("this person"));
      after = *before;
    } else {
      after.id = PersonId(NewUuid(clock_, random_));
      after.org_id = org;
      after.created_at = FormatTimestamp(clock_.Now());
    }
    if (patch.name) after.name = *patch.name;
    if (patch.email) after.email = *patch.email;
    if (patch.job_role) after.job_role = *patch.job_role;
    if (patch.department) after.department = *patch.department;
    if (patch.in_scope) after.in_scope = *patch.in_scope;
    if (patch.user_id) after.user_id = *patch.user_id;
    if (patch.status) after.status = *patch.status;
    if (patch.start_date) after.start_date = *patch.start_date;
    if (patch.left_on) after.left_on = *patch.left_on;
    if (after.status == PersonStatus::kLeft && !after.left_on) after.left_on = Today();
    if (after.status == PersonStatus::kActive) after.left_on = std::nullopt;
    if (after.start_date && after.left_on && After(*after.start_date, *after.left_on)) {
      return Fail(Error::Field("left_on", "must not be before start_date"));
    }

    if (!before || Folded(before->email) != Folded(after.email)) {
      if (auto same = CERTUS_TRY(store_.FindPersonByEmail(tx, org, after.email, after.id))) {
        return Fail(ErrorCode::kConflict, same->ref + " (" + same->name +
                                              ") already has the email " + after.email +
                                              "; each person is registered once.");
      }
    }
    if (after.user_id && (!before || before->user_id != after.user_id)) {
      if (auto same = CERTUS_TRY(store_.FindPersonByUser(tx, org, *after.user_id, after.id))) {
        return Fail(ErrorCode::kConflict, "The user account is already linked to " + same->ref +
                                              " (" + same->name + ").");
      }
    }

    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdatePerson(tx, after, expected_version))) {
        return Fail(Stale("this person"));
      }
    } else {
      after.ref =
          storage::FormatRef("PER", CERTUS_TRY(storage::NextCounter(tx, org.str(), kPersonType)));
      CERTUS_CHECK(store_.InsertPerson(tx, after));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kPersonType, after.id.str(), before ? "update" : "create",
                      before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
    return after;
  });
}

Expected<void> PeopleService::DeletePerson(const Actor& actor, const OrgId& org, const PersonId& id,
                                           std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "people"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindPerson(tx, org, id));
    if (!before) return Fail(Error::NotFound("Person"));
    if (before->version != expected_version) return Fail(Stale("this person"));
    if (CERTUS_TRY(store_.PersonRecordCount(tx, id)) > 0) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 7.2 d: " + before->ref +
                      " has evidence of competence or training records, which are retained; "
                      "set the status to left instead.");
    }
    auto trainings = CERTUS_TRY(store_.TrainingsNaming(tx, org, id));
    if (!trainings.empty()) {
      return Fail(ErrorCode::kConflict, before->ref + " is in the audience of " + trainings[0] +
                                            "; remove them from it first.");
    }
    if (!CERTUS_TRY(store_.DeletePerson(tx, org, id, expected_version))) {
      return Fail(Stale("this person"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kPersonType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

// ------------------------------------------------------------------ competences

Expected<void> PeopleService::CheckIsmsRoles(const Actor& actor, const OrgId& org,
                                             const std::vector<std::string>& role_ids) {
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < role_ids.size(); ++i) {
    auto role = leadership_.GetRole(actor, org, leadership::RoleId(role_ids[i]));
    if (!role) {
      if (role.error().code() != ErrorCode::kNotFound) return Fail(role.error());
      problems.push_back({"isms_role_ids[" + std::to_string(i) + "]",
                          "\"" + role_ids[i] + "\" is not an ISMS role of the organization"});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return {};
}

Expected<Page<Competence>> PeopleService::ListCompetences(const Actor& actor, const OrgId& org,
                                                          const std::optional<std::string>& text,
                                                          const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListCompetences(tx, org, text, page); });
}

Expected<Competence> PeopleService::GetCompetence(const Actor& actor, const OrgId& org,
                                                  const CompetenceId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindCompetence(tx, org, id); }));
  if (!found) return Fail(Error::NotFound("Competence"));
  return *found;
}

Expected<Competence> PeopleService::CreateCompetence(const Actor& actor, const OrgId& org,
                                                     const CompetencePatch& input) {
  return WriteCompetence(actor, org, std::nullopt, input, 1);
}

Expected<Competence> PeopleService::UpdateCompetence(const Actor& actor, const OrgId& org,
                                                     const CompetenceId& id,
                                                     const CompetencePatch& patch,
                                                     std::int64_t expected_version) {
  return WriteCompetence(actor, org, id, patch, expected_version);
}

Expected<Competence> PeopleService::WriteCompetence(const Actor& actor, const OrgId& org,
                                                    const std::optional<CompetenceId>& id,
                                                    const CompetencePatch& patch,
                                                    std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "competences"));
  if (!id && !patch.name) return Fail(Error::Field("name", "is required"));
  if (patch.evidence_kinds && patch.evidence_kinds->empty()) {
    // 7.2 d: a competence that no evidence can show could never be demonstrated.
    return Fail(Error::Field("evidence_kinds", "must accept at least one kind of evidence"));
  }
  if (patch.isms_role_ids) CERTUS_CHECK(CheckIsmsRoles(actor, org, *patch.isms_role_ids));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Competence> {
    std::optional<Competence> before;
    Competence after;
    if (id) {
      before = CERTUS_TRY(store_.FindCompetence(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Competence"));
      if (before->version != expected_version) return Fail(Stale("this competence"));
      after = *before;
    } else {
      after.id = CompetenceId(NewUuid(clock_, random_));
      after.org_id = org;
      after.created_at = FormatTimestamp(clock_.Now());
      after.evidence_kinds = {EvidenceKind::kTraining, EvidenceKind::kCertification,
                              EvidenceKind::kExperience, EvidenceKind::kEducation};
    }
    if (patch.name) after.name = *patch.name;
    if (patch.description) after.description = *patch.description;
    if (patch.job_roles) after.job_roles = *patch.job_roles;
    if (patch.isms_role_ids) after.isms_role_ids = *patch.isms_role_ids;
    if (patch.evidence_kinds) after.evidence_kinds = *patch.evidence_kinds;
    if (!before || before->name != after.name) {
      if (auto same = CERTUS_TRY(store_.FindCompetenceByName(tx, org, after.name))) {
        return Fail(ErrorCode::kConflict,
                    "The competence " + same->ref + " is already named \"" + after.name + "\".");
      }
    }
    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdateCompetence(tx, after, expected_version))) {
        return Fail(Stale("this competence"));
      }
    } else {
      after.ref = storage::FormatRef(
          "CMP", CERTUS_TRY(storage::NextCounter(tx, org.str(), kCompetenceType)));
      CERTUS_CHECK(store_.InsertCompetence(tx, after));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kCompetenceType, after.id.str(), before ? "update" : "create",
                      before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
    return after;
  });
}

Expected<void> PeopleService::DeleteCompetence(const Actor& actor, const OrgId& org,
                                               const CompetenceId& id,
                                               std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "competences"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindCompetence(tx, org, id));
    if (!before) return Fail(Error::NotFound("Competence"));
    if (before->version != expected_version) return Fail(Stale("this competence"));
    if (CERTUS_TRY(store_.CompetenceUseCount(tx, id)) > 0) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 7.2 d: evidence of competence or trainings name " + before->ref +
                      "; that documented information is retained, so the competence stays.");
    }
    if (!CERTUS_TRY(store_.DeleteCompetence(tx, org, id, expected_version))) {
      return Fail(Stale("this competence"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kCompetenceType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<std::vector<PersonGaps>> PeopleService::CompetenceGaps(
    const Actor& actor, const OrgId& org, const std::optional<std::string>& department) {
  CERTUS_CHECK(CheckCanRead(actor));
  struct Read {
    std::vector<Person> people;
    std::vector<Competence> competences;
    std::vector<CompetenceEvidence> evidence;
  };
  auto loaded = storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Read> {
    return Read{CERTUS_TRY(store_.AllPeople(tx, org)), CERTUS_TRY(store_.AllCompetences(tx, org)),
                CERTUS_TRY(store_.AllEvidence(tx, org))};
  });
  if (!loaded) return Fail(loaded.error());
  auto& read = *loaded;
  auto roles = CERTUS_TRY(HeldRoles(actor, org));
  std::vector<PersonGaps> out;
  for (const auto& person : read.people) {
    if (person.status != PersonStatus::kActive || !person.in_scope) continue;
    if (department && person.department != *department) continue;
    PersonGaps row;
    for (auto& r : Requirements(person, read.competences, read.evidence, roles)) {
      if (r.state != GapState::kMet) row.gaps.push_back(std::move(r));
    }
    if (row.gaps.empty()) continue;
    row.person = person;
    out.push_back(std::move(row));
  }
  return out;
}

// ------------------------------------------------------------------ competence evidence

Expected<std::vector<CompetenceEvidence>> PeopleService::ListEvidence(const Actor& actor,
                                                                      const OrgId& org,
                                                                      const PersonId& person) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<CompetenceEvidence>> {
        if (!CERTUS_TRY(store_.FindPerson(tx, org, person))) {
          return Fail(Error::NotFound("Person"));
        }
        return store_.EvidenceOf(tx, org, person);
      });
}

Expected<CompetenceEvidence> PeopleService::AddEvidence(const Actor& actor, const OrgId& org,
                                                        const PersonId& person,
                                                        const NewCompetenceEvidence& input) {
  CERTUS_CHECK(CheckWriter(actor, "evidence of competence"));
  std::vector<FieldError> problems;
  if (After(input.obtained_on, Today())) {
    problems.push_back({"obtained_on", "must not be in the future"});
  }
  if (input.expires_on && After(input.obtained_on, *input.expires_on)) {
    problems.push_back({"expires_on", "must not be before obtained_on"});
  }
  if (input.evidence_id) {
    auto item = evidence_.Get(actor, org, evidence::EvidenceId(*input.evidence_id));
    if (!item) {
      if (item.error().code() != ErrorCode::kNotFound) return Fail(item.error());
      problems.push_back({"evidence_id", "is not an item of the evidence register"});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<CompetenceEvidence> {
        if (!CERTUS_TRY(store_.FindPerson(tx, org, person))) {
          return Fail(Error::NotFound("Person"));
        }
        auto competence = CERTUS_TRY(store_.FindCompetence(tx, org, input.competence_id));
        if (!competence) {
          return Fail(Error::Field("competence_id", "is not a competence of the organization"));
        }
        if (std::find(competence->evidence_kinds.begin(), competence->evidence_kinds.end(),
                      input.kind) == competence->evidence_kinds.end()) {
          std::string accepted;
          for (auto kind : competence->evidence_kinds) {
            if (!accepted.empty()) accepted += ", ";
            accepted += EvidenceKindName(kind);
          }
          return Fail(Error::Field("kind", "is not accepted as evidence of " + competence->ref +
                                               " (accepted: " + accepted + ")"));
        }
        CompetenceEvidence e;
        e.id = CompetenceEvidenceId(NewUuid(clock_, random_));
        e.org_id = org;
        e.person_id = person;
        e.competence_id = input.competence_id;
        e.kind = input.kind;
        e.title = input.title;
        e.obtained_on = input.obtained_on;
        e.expires_on = input.expires_on;
        e.evidence_id = input.evidence_id;
        e.recorded_by = actor.email;
        e.created_at = e.updated_at = FormatTimestamp(clock_.Now());
        CERTUS_CHECK(store_.InsertEvidence(tx, e));
        CERTUS_CHECK(
            audit_log_.Append(tx, MakeEvent(actor, org, kPersonType, person.str(),
                                            "add_competence_evidence", nullptr, ToJson(e))));
        return e;
      });
}

Expected<void> PeopleService::DeleteEvidence(const Actor& actor, const OrgId& org,
                                             const PersonId& person, const CompetenceEvidenceId& id,
                                             std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "evidence of competence"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindEvidence(tx, org, person, id));
    if (!before) return Fail(Error::NotFound("Competence evidence"));
    if (before->version != expected_version) return Fail(Stale("this evidence"));
    if (before->training_id) {
      // The completion it came from stays; so does what it shows (7.2 d).
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 7.2 d: this evidence was recorded by a training completion, which "
                  "is retained; it cannot be removed on its own.");
    }
    if (!CERTUS_TRY(store_.DeleteEvidence(tx, org, id, expected_version))) {
      return Fail(Stale("this evidence"));
    }
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, kPersonType, person.str(),
                                        "remove_competence_evidence", ToJson(*before), nullptr)));
    return {};
  });
}

}  // namespace certus::people
