// PeopleService: trainings, their completions and the awareness figures (ISO 27001 7.2 c,
// 7.3). People, competences and evidence are in service.cpp.
#include <algorithm>
#include <map>
#include <set>

#include "core/uuid.hpp"
#include "modules/people/json.hpp"
#include "modules/people/service.hpp"
#include "storage/counters.hpp"

namespace certus::people {

namespace {

constexpr const char* kTrainingType = "training";
constexpr const char* kPersonType = "person";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this training since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool Before(const Date& a, const Date& b) {
  return std::chrono::sys_days(a) < std::chrono::sys_days(b);
}

/// `date` plus `months`; past the end of a shorter month, its last day (31 January + 1 month
/// is the last day of February).
Date AddMonths(const Date& date, std::int64_t months) {
  Date moved = date + std::chrono::months(months);
  if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
  return moved;
}

/// The progress of `training` over `people` given its completions, and its audience.
TrainingDetail Assemble(const Training& training, const std::vector<Person>& people,
                        const std::vector<Completion>& completions, const Date& today) {
  TrainingDetail detail;
  detail.training = training;
  std::map<PersonId, const Completion*> done;
  for (const auto& c : completions) {
    if (c.training_id == training.id) done[c.person_id] = &c;
  }
  std::set<PersonId> members;
  for (const auto& person : people) {
    if (!InAudience(training, person)) continue;
    members.insert(person.id);
    AudienceMember m;
    m.person_id = person.id;
    m.ref = person.ref;
    m.name = person.name;
    m.department = person.department;
    if (auto it = done.find(person.id); it != done.end()) m.completion = *it->second;
    m.overdue = training.status != TrainingStatus::kDraft && !m.completion &&
                Before(training.due_on, today);
    ++detail.progress.audience;
    if (m.completion) ++detail.progress.completed;
    if (m.overdue) ++detail.progress.overdue;
    detail.audience.push_back(std::move(m));
  }
  for (const auto& [person, completion] : done) {
    if (!members.contains(person)) detail.other_completions.push_back(*completion);
  }
  return detail;
}

}  // namespace

Expected<Page<TrainingWithProgress>> PeopleService::ListTrainings(const Actor& actor,
                                                                  const OrgId& org,
                                                                  const TrainingFilter& filter,
                                                                  const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  const Date today = Today();
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<Page<TrainingWithProgress>> {
        auto trainings = CERTUS_TRY(store_.ListTrainings(tx, org, filter, page));
        Page<TrainingWithProgress> out;
        out.next = trainings.next;
        if (trainings.items.empty()) return out;
        auto people = CERTUS_TRY(store_.AllPeople(tx, org));
        auto completions = CERTUS_TRY(store_.AllCompletions(tx, org));
        for (auto& training : trainings.items) {
          auto detail = Assemble(training, people, completions, today);
          out.items.push_back({std::move(training), detail.progress});
        }
        return out;
      });
}

Expected<TrainingDetail> PeopleService::GetTraining(const Actor& actor, const OrgId& org,
                                                    const TrainingId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  const Date today = Today();
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<TrainingDetail> {
    auto training = CERTUS_TRY(store_.FindTraining(tx, org, id));
    if (!training) return Fail(Error::NotFound("Training"));
    return Assemble(*training, CERTUS_TRY(store_.AllPeople(tx, org)),
                    CERTUS_TRY(store_.CompletionsOf(tx, id)), today);
  });
}

Expected<Training> PeopleService::CreateTraining(const Actor& actor, const OrgId& org,
                                                 const TrainingPatch& input) {
  return WriteTraining(actor, org, std::nullopt, input, 1);
}

Expected<Training> PeopleService::UpdateTraining(const Actor& actor, const OrgId& org,
                                                 const TrainingId& id, const TrainingPatch& patch,
                                                 std::int64_t expected_version) {
  return WriteTraining(actor, org, id, patch, expected_version);
}

Expected<Training> PeopleService::WriteTraining(const Actor& actor, const OrgId& org,
                                                const std::optional<TrainingId>& id,
                                                const TrainingPatch& patch,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (!id) {
    std::vector<FieldError> problems;
    if (!patch.title) problems.push_back({"title", "is required"});
    if (!patch.due_on) problems.push_back({"due_on", "is required"});
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Training> {
    std::optional<Training> before;
    Training after;
    if (id) {
      before = CERTUS_TRY(store_.FindTraining(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Training"));
      if (before->version != expected_version) return Fail(Stale());
      after = *before;
    } else {
      after.id = TrainingId(NewUuid(clock_, random_));
      after.org_id = org;
      after.created_at = FormatTimestamp(clock_.Now());
    }
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.audience) after.audience = *patch.audience;
    if (patch.departments) after.departments = *patch.departments;
    if (patch.person_ids) after.person_ids = *patch.person_ids;
    if (patch.due_on) after.due_on = *patch.due_on;
    if (patch.status) after.status = *patch.status;
    if (patch.competence_id) after.competence_id = *patch.competence_id;
    if (patch.validity_months) after.validity_months = *patch.validity_months;

    std::vector<FieldError> problems;
    if (after.audience == AudienceKind::kDepartments && after.departments.empty()) {
      problems.push_back({"departments", "must name at least one department for this audience"});
    }
    if (after.audience == AudienceKind::kPeople && after.person_ids.empty()) {
      problems.push_back({"person_ids", "must name at least one person for this audience"});
    }
    if (patch.person_ids) {
      for (std::size_t i = 0; i < after.person_ids.size(); ++i) {
        if (!CERTUS_TRY(store_.FindPerson(tx, org, after.person_ids[i]))) {
          problems.push_back(
              {"person_ids[" + std::to_string(i) + "]", "is not a person of the organization"});
        }
      }
    }
    if (patch.competence_id && after.competence_id) {
      auto competence = CERTUS_TRY(store_.FindCompetence(tx, org, *after.competence_id));
      if (!competence) {
        problems.push_back({"competence_id", "is not a competence of the organization"});
      } else if (std::find(competence->evidence_kinds.begin(), competence->evidence_kinds.end(),
                           EvidenceKind::kTraining) == competence->evidence_kinds.end()) {
        problems.push_back(
            {"competence_id", competence->ref + " does not accept training as evidence"});
      }
    }
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
    if (before && before->status != TrainingStatus::kDraft &&
        after.status == TrainingStatus::kDraft) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 7.3: " + before->ref +
                      " was opened to its audience and is a record of what they were asked to "
                      "do; it cannot go back to draft (close it instead).");
    }

    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdateTraining(tx, after, expected_version))) return Fail(Stale());
    } else {
      after.ref =
          storage::FormatRef("TRN", CERTUS_TRY(storage::NextCounter(tx, org.str(), kTrainingType)));
      CERTUS_CHECK(store_.InsertTraining(tx, after));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kTrainingType, after.id.str(), before ? "update" : "create",
                      before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
    return after;
  });
}

Expected<void> PeopleService::DeleteTraining(const Actor& actor, const OrgId& org,
                                             const TrainingId& id, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindTraining(tx, org, id));
    if (!before) return Fail(Error::NotFound("Training"));
    if (before->version != expected_version) return Fail(Stale());
    if (before->status != TrainingStatus::kDraft) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 7.3: " + before->ref +
                      " was opened to its audience and is retained; only drafts can be deleted.");
    }
    if (!CERTUS_TRY(store_.DeleteTraining(tx, org, id, expected_version))) return Fail(Stale());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kTrainingType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<Completion> PeopleService::Complete(const Actor& actor, const OrgId& org,
                                             const TrainingId& id, const NewCompletion& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (Before(Today(), input.completed_on)) {
    return Fail(Error::Field("completed_on", "must not be in the future"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Completion> {
    auto training = CERTUS_TRY(store_.FindTraining(tx, org, id));
    if (!training) return Fail(Error::NotFound("Training"));
    if (training->status == TrainingStatus::kDraft) {
      return Fail(ErrorCode::kConflict, "ISO 27001 7.3: " + training->ref +
                                            " is a draft; open it to its audience before "
                                            "recording completions.");
    }
    auto person = CERTUS_TRY(store_.FindPerson(tx, org, input.person_id));
    if (!person) return Fail(Error::Field("person_id", "is not a person of the organization"));
    if (!InAudience(*training, *person)) {
      return Fail(Error::Field("person_id", "is not in the audience of " + training->ref));
    }
    Completion completion;
    completion.training_id = id;
    completion.person_id = input.person_id;
    completion.completed_on = input.completed_on;
    completion.note = input.note;
    completion.recorded_by = actor.email;
    completion.created_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.InsertCompletion(tx, org, completion))) {
      return Fail(ErrorCode::kConflict, person->ref + " has already completed " + training->ref +
                                            "; a completion is recorded once.");
    }
    boost::json::object after = ToJson(completion).as_object();
    after["person_ref"] = person->ref;
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kTrainingType, id.str(), "complete", nullptr, after)));
    if (training->competence_id) {
      // 7.2 c, d: the training was the action taken to acquire the competence; its
      // completion is the documented evidence of it.
      auto competence = CERTUS_TRY(store_.FindCompetence(tx, org, *training->competence_id));
      if (competence &&
          std::find(competence->evidence_kinds.begin(), competence->evidence_kinds.end(),
                    EvidenceKind::kTraining) != competence->evidence_kinds.end()) {
        CompetenceEvidence e;
        e.id = CompetenceEvidenceId(NewUuid(clock_, random_));
        e.org_id = org;
        e.person_id = person->id;
        e.competence_id = competence->id;
        e.kind = EvidenceKind::kTraining;
        e.title = training->ref + " " + training->title;
        e.obtained_on = input.completed_on;
        if (training->validity_months) {
          e.expires_on = AddMonths(input.completed_on, *training->validity_months);
        }
        e.training_id = id;
        e.recorded_by = actor.email;
        e.created_at = e.updated_at = completion.created_at;
        CERTUS_CHECK(store_.InsertEvidence(tx, e));
        CERTUS_CHECK(
            audit_log_.Append(tx, MakeEvent(actor, org, kPersonType, person->id.str(),
                                            "add_competence_evidence", nullptr, ToJson(e))));
      }
    }
    return completion;
  });
}

// ------------------------------------------------------------------ awareness

Expected<Awareness> PeopleService::GetAwareness(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  struct Read {
    std::vector<Person> people;
    std::vector<Training> trainings;
    std::vector<Completion> completions;
  };
  auto loaded = storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Read> {
    return Read{CERTUS_TRY(store_.AllPeople(tx, org)),
                CERTUS_TRY(store_.AssignedTrainings(tx, org)),
                CERTUS_TRY(store_.AllCompletions(tx, org))};
  });
  if (!loaded) return Fail(loaded.error());
  auto& read = *loaded;
  Awareness awareness;
  awareness.as_of = Today();
  std::optional<PolicyReading> reading;
  if (acknowledgments_ != nullptr) {
    reading = CERTUS_TRY(acknowledgments_->Reading(actor, org));
    awareness.policy_known = true;
  }
  std::set<std::pair<TrainingId, PersonId>> done;
  for (const auto& c : read.completions) done.insert({c.training_id, c.person_id});

  std::map<std::string, DepartmentAwareness> departments;
  for (const auto& person : read.people) {
    // 7.3: the persons doing work under the organization's control.
    if (person.status != PersonStatus::kActive || !person.in_scope) continue;
    auto& d = departments[person.department];
    d.department = person.department;
    ++d.people;
    OverduePerson overdue{person.id, person.ref, person.name, {}};
    for (const auto& training : read.trainings) {
      if (!InAudience(training, person)) continue;
      ++d.assigned;
      if (done.contains({training.id, person.id})) {
        ++d.completed;
      } else if (Before(training.due_on, awareness.as_of)) {
        ++d.overdue;
        overdue.trainings.push_back({training.id, training.ref, training.title, training.due_on});
      }
    }
    if (!overdue.trainings.empty()) d.overdue_people.push_back(std::move(overdue));
    if (reading && person.user_id && reading->readers.contains(*person.user_id)) {
      ++d.policy_readers;
      if (!reading->pending.contains(*person.user_id)) ++d.policy_acknowledged;
    }
  }
  for (auto& [name, d] : departments) {
    auto& t = awareness.total;
    t.people += d.people;
    t.assigned += d.assigned;
    t.completed += d.completed;
    t.overdue += d.overdue;
    t.policy_readers += d.policy_readers;
    t.policy_acknowledged += d.policy_acknowledged;
    for (const auto& p : d.overdue_people) t.overdue_people.push_back(p);
    awareness.departments.push_back(std::move(d));
  }
  std::sort(awareness.total.overdue_people.begin(), awareness.total.overdue_people.end(),
            [](const OverduePerson& a, const OverduePerson& b) {
              return a.name != b.name ? a.name < b.name : a.id < b.id;
            });
  return awareness;
}

}  // namespace certus::people
