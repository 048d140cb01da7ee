#include "modules/incidents/service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "core/uuid.hpp"
#include "modules/incidents/json.hpp"
#include "storage/counters.hpp"

namespace certus::incidents {

namespace {

constexpr const char* kIncidentType = "incident";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this incident since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const std::string& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kIncidentType,   id,
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

Error ClosedRecord(const Incident& incident) {
  return {ErrorCode::kConflict,
          "ISO 27001 A.5.27, 7.5.3: " + incident.ref +
              " is closed; a closed incident is a record and stays as it is until a manager "
              "reopens it."};
}

/// The earliest recorded step of the handling, which detection must not follow.
std::optional<std::string> FirstStep(const Incident& i) {
  std::optional<std::string> first;
  for (const auto* at : {&i.triaged_at, &i.contained_at, &i.resolved_at, &i.closed_at}) {
    if (*at && (!first || **at < *first)) first = **at;
  }
  return first;
}

/// The latest recorded step of the handling, which the next step must not precede.
std::optional<std::string> LastStep(const Incident& i) {
  std::optional<std::string> last;
  for (const auto* at : {&i.triaged_at, &i.contained_at, &i.resolved_at, &i.closed_at}) {
    if (*at && (!last || **at > *last)) last = **at;
  }
  return last;
}

/// Applies the fields of `patch` other than links.
void Apply(const IncidentPatch& patch, Incident& i) {
  if (patch.title) i.title = *patch.title;
  if (patch.description) i.description = *patch.description;
  if (patch.category) i.category = *patch.category;
  if (patch.severity) i.severity = *patch.severity;
  if (patch.detected_at) i.detected_at = *patch.detected_at;
  if (patch.reported_at) i.reported_at = *patch.reported_at;
  if (patch.owner_id) i.owner_id = *patch.owner_id;
  if (patch.resolution) i.resolution = *patch.resolution;
  if (patch.lessons_learned) i.lessons_learned = *patch.lessons_learned;
  if (patch.personal_data_involved) i.personal_data_involved = *patch.personal_data_involved;
  if (patch.notification_notes) i.notification_notes = *patch.notification_notes;
}

bool Named(const IncidentPatch& patch, LinkKind kind) {
  switch (kind) {
    case LinkKind::kAsset: return patch.asset_ids.has_value();
    case LinkKind::kRisk: return patch.risk_ids.has_value();
    case LinkKind::kNonconformity: return patch.nonconformity_ids.has_value();
  }
  return false;
}

void SortLinks(std::vector<IncidentLink>& links) {
  std::sort(links.begin(), links.end(), [](const IncidentLink& a, const IncidentLink& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.label != b.label) return a.label < b.label;
    return a.id < b.id;
  });
}

/// Replaces the links of the kinds `patch` names with `resolved`.
void MergeLinks(const IncidentPatch& patch, const std::vector<IncidentLink>& resolved,
                Incident& i) {
  std::erase_if(i.links, [&](const IncidentLink& link) { return Named(patch, link.kind); });
  for (const auto& link : resolved) {
    const bool dup = std::any_of(i.links.begin(), i.links.end(), [&](const IncidentLink& l) {
      return l.kind == link.kind && l.id == link.id;
    });
    if (!dup) i.links.push_back(link);
  }
  SortLinks(i.links);
}

/// Field errors for the times of `i`: reported not before detected (A.6.8: events are
/// reported after they are observed), detection not after the first step of its handling.
void TimeProblems(const Incident& i, std::vector<FieldError>& problems) {
  if (i.reported_at < i.detected_at) {
    problems.push_back({"reported_at", "must not be before detected_at"});
  }
  if (auto first = FirstStep(i); first && i.detected_at > *first) {
    problems.push_back(
        {"detected_at", "must not be after the first step of the handling (" + *first + ")"});
  }
}

/// `loss_or_theft` as words, for the timeline people read.
std::string Words(std::string_view name) {
  std::string text(name);
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

std::string StateConflict(const Incident& i, std::string_view step, std::string_view needed) {
  return i.ref + " is " + std::string(StatusName(i.status)) + "; only an incident that is " +
         std::string(needed) + " can be " + std::string(step) + ".";
}

}  // namespace

Expected<void> IncidentService::CheckCanWrite(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only contributors, managers and admins may report or handle incidents.");
  }
  return {};
}

bool IncidentService::Involved(const Actor& actor, const Incident& incident) {
  return *actor.role >= Role::kManager || incident.reported_by == actor.user_id ||
         incident.owner_id == actor.user_id;
}

std::string IncidentService::FutureProblem(const std::string& at) const {
  if (at > FormatTimestamp(clock_.Now())) return "must not be in the future";
  return {};
}

Expected<std::vector<IncidentLink>> IncidentService::ResolveLinks(
    const Actor& actor, const OrgId& org, const IncidentPatch& patch,
    std::vector<FieldError>& problems) {
  std::vector<IncidentLink> links;
  const auto missing = [&](const char* field, std::size_t i, const std::string& id,
                           const char* what) {
    problems.push_back({std::string(field) + "[" + std::to_string(i) + "]",
                        "\"" + id + "\" is not " + what + " of the organization"});
  };
  // One lookup per id through the owning module's service; an incident names a handful.
  const auto resolve = [&](const std::optional<std::vector<std::string>>& ids, const char* field,
                           const char* what, LinkKind kind, auto&& get) -> Expected<void> {
    if (!ids) return {};
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const auto& id = (*ids)[i];
      auto found = get(id);
      if (found) {
        links.push_back({kind, id, found->ref + " " + found->title});
      } else if (found.error().code() == ErrorCode::kNotFound) {
        missing(field, i, id, what);
      } else {
        return Fail(found.error());
      }
    }
    return {};
  };
  struct Labelled {
    std::string ref;
    std::string title;
  };
  CERTUS_CHECK(resolve(patch.asset_ids, "asset_ids", "an asset", LinkKind::kAsset,
                       [&](const std::string& id) -> Expected<Labelled> {
                         auto asset = CERTUS_TRY(assets_.GetAsset(actor, org, risk::AssetId(id)));
                         return Labelled{asset.ref, asset.name};
                       }));
  CERTUS_CHECK(resolve(patch.risk_ids, "risk_ids", "a risk", LinkKind::kRisk,
                       [&](const std::string& id) -> Expected<Labelled> {
                         auto found = CERTUS_TRY(risks_.GetRisk(actor, org, risk::RiskId(id)));
                         return Labelled{found.ref, found.title};
                       }));
  CERTUS_CHECK(resolve(patch.nonconformity_ids, "nonconformity_ids", "a nonconformity",
                       LinkKind::kNonconformity, [&](const std::string& id) -> Expected<Labelled> {
                         auto nc = CERTUS_TRY(
                             nonconformities_.Get(actor, org, improvement::NonconformityId(id)));
                         return Labelled{nc.ref, nc.title};
                       }));
  return links;
}

TimelineEntry IncidentService::NewEntry(const Actor& actor, const Incident& incident,
                                        std::string at, std::string kind,
                                        std::optional<Status> status, std::string entry) {
  TimelineEntry e;
  e.id = TimelineEntryId(NewUuid(clock_, random_));
  e.org_id = incident.org_id;
  e.incident_id = incident.id;
  e.at = std::move(at);
  e.kind = std::move(kind);
  e.status = status;
  e.entry = std::move(entry);
  e.recorded_by = actor.user_id;
  e.recorded_by_email = actor.email;
  e.recorded_at = FormatTimestamp(clock_.Now());
  return e;
}

Expected<Page<Incident>> IncidentService::List(const Actor& actor, const OrgId& org,
                                               const IncidentFilter& filter,
                                               const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.List(tx, org, filter, page); });
}

Expected<Incident> IncidentService::Get(const Actor& actor, const OrgId& org,
                                        const IncidentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto incident = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.Find(tx, org, id); }));
  if (!incident) return Fail(Error::NotFound("Incident"));
  return *incident;
}

Expected<Incident> IncidentService::Create(const Actor& actor, const OrgId& org,
                                           const IncidentPatch& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  const std::string now = FormatTimestamp(clock_.Now());
  std::vector<FieldError> problems;
  if (!input.title || Blank(*input.title)) problems.push_back({"title", "is required"});
  if (!input.severity) problems.push_back({"severity", "is required"});
  if (!input.detected_at) problems.push_back({"detected_at", "is required"});
  for (auto [field, at] : {std::pair{"detected_at", &input.detected_at},
                           std::pair{"reported_at", &input.reported_at}}) {
    if (*at) {
      if (auto problem = FutureProblem(**at); !problem.empty())
        problems.push_back({field, problem});
    }
  }
  if (input.owner_id && !CERTUS_TRY(identity_.RoleOf(org, *input.owner_id))) {
    problems.push_back({"owner_id", "must be a member of the organization"});
  }
  auto links = CERTUS_TRY(ResolveLinks(actor, org, input, problems));
  Incident i;
  i.org_id = org;
  i.reported_by = actor.user_id;
  i.reported_by_email = actor.email;
  i.owner_id = actor.user_id;
  i.reported_at = now;
  i.created_at = now;
  i.updated_at = now;
  Apply(input, i);
  if (input.detected_at && problems.empty()) TimeProblems(i, problems);
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  MergeLinks(input, links, i);
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Incident> {
    Incident c = i;
    c.id = IncidentId(NewUuid(clock_, random_));
    c.ref =
        storage::FormatRef("INC", CERTUS_TRY(storage::NextCounter(tx, org.str(), kIncidentType)));
    CERTUS_CHECK(store_.Insert(tx, c));
    CERTUS_CHECK(store_.InsertEntry(
        tx, NewEntry(actor, c, c.reported_at, "status", Status::kNew,
                     "Reported by " + actor.email + " (" + Words(SeverityName(c.severity)) + ", " +
                         Words(CategoryName(c.category)) + ")")));
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, c.id.str(), "create", nullptr, ToJson(c))));
    return c;
  });
}

Expected<Incident> IncidentService::Update(const Actor& actor, const OrgId& org,
                                           const IncidentId& id, const IncidentPatch& patch,
                                           std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems;
  if (patch.title && Blank(*patch.title)) problems.push_back({"title", "must not be empty"});
  for (auto [field, at] : {std::pair{"detected_at", &patch.detected_at},
                           std::pair{"reported_at", &patch.reported_at}}) {
    if (*at) {
      if (auto problem = FutureProblem(**at); !problem.empty())
        problems.push_back({field, problem});
    }
  }
  if (patch.owner_id && !CERTUS_TRY(identity_.RoleOf(org, *patch.owner_id))) {
    problems.push_back({"owner_id", "must be a member of the organization"});
  }
  auto links = CERTUS_TRY(ResolveLinks(actor, org, patch, problems));
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Incident> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Incident"));
    if (!Involved(actor, *before)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Contributors may change only the incidents they reported or handle.");
    }
    if (before->version != expected_version) return Fail(Stale());
    if (before->status == Status::kClosed) return Fail(ClosedRecord(*before));
    Incident after = *before;
    Apply(patch, after);
    MergeLinks(patch, links, after);
    std::vector<FieldError> time_problems;
    TimeProblems(after, time_problems);
    if (!time_problems.empty()) return Fail(Error::Validation(std::move(time_problems)));
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, after, expected_version))) return Fail(Stale());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, id.str(), "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<Incident> IncidentService::Transition(const Actor& actor, const OrgId& org,
                                               const IncidentId& id, Step step,
                                               const StepInput& input,
                                               std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (step == Step::kReopen && *actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied, "Only managers and admins may reopen an incident.");
  }
  std::vector<FieldError> problems;
  if (input.at) {
    if (auto problem = FutureProblem(*input.at); !problem.empty()) {
      problems.push_back({"at", problem});
    }
  }
  if (step == Step::kReopen && Blank(input.note)) {
    problems.push_back({"note", "must say why the incident is reopened"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));

  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Incident> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Incident"));
    if (!Involved(actor, *before)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Only the reporter, the handler, a manager or an admin may " +
                      std::string(StepName(step)) + " this incident.");
    }
    if (expected_version && before->version != *expected_version) return Fail(Stale());
    const std::string now = FormatTimestamp(clock_.Now());
    const std::string at = input.at.value_or(now);
    if (at < before->detected_at) {
      return Fail(Error::Field(
          "at", "must not be before the incident was detected (" + before->detected_at + ")"));
    }
    // The handling moves forward in time: a step is not dated before the one it follows.
    if (auto last = LastStep(*before); step != Step::kReopen && last && at < *last) {
      return Fail(Error::Field(
          "at", "must not be before the previous step of the handling (" + *last + ")"));
    }
    Incident after = *before;
    std::string what;
    switch (step) {
      case Step::kTriage:
        if (before->status != Status::kNew) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "triaged", "new"));
        }
        after.status = Status::kTriaged;
        after.triaged_at = at;
        what = "Triaged (A.5.25): assessed as " + Words(SeverityName(before->severity)) + ", " +
               Words(CategoryName(before->category));
        break;
      case Step::kContain:
        if (before->status != Status::kTriaged) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "contained", "triaged"));
        }
        after.status = Status::kContained;
        after.contained_at = at;
        what = "Contained (A.5.26)";
        break;
      case Step::kResolve:
        if (before->status != Status::kContained) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "resolved", "contained"));
        }
        after.status = Status::kResolved;
        after.resolved_at = at;
        what = "Resolved (A.5.26)";
        break;
      case Step::kClose: {
        if (before->status != Status::kResolved) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "closed", "resolved"));
        }
        // ISO 27001 8.1 and A.5.27: an incident closes with what caused it, how it was
        // resolved and what was learned from it, so that the knowledge reduces the likelihood
        // or consequences of future incidents.
        std::vector<std::string> missing;
        if (Blank(before->resolution)) {
          missing.emplace_back("the root cause and resolution (resolution, ISO 27001 8.1)");
        }
        if (Blank(before->lessons_learned)) {
          missing.emplace_back("the lessons learned (lessons_learned, ISO 27001 A.5.27)");
        }
        // A.5.34: personal data involved calls for a recorded notification decision.
        if (before->personal_data_involved && Blank(before->notification_notes)) {
          missing.emplace_back(
              "who was notified, or why no one was, as personal data was involved "
              "(notification_notes, ISO 27001 A.5.34)");
        }
        if (!missing.empty()) {
          std::string list;
          for (const auto& m : missing) list += (list.empty() ? "" : "; ") + m;
          return Fail(ErrorCode::kConflict, "ISO 27001 A.5.27, 8.1: " + before->ref +
                                                " cannot be closed until it records " + list + ".");
        }
        after.status = Status::kClosed;
        after.closed_at = at;
        after.closed_by = actor.user_id;
        what = "Closed (A.5.27): lessons learned recorded";
        break;
      }
      case Step::kReopen:
        if (before->status != Status::kResolved && before->status != Status::kClosed) {
          return Fail(ErrorCode::kConflict,
                      StateConflict(*before, "reopened", "resolved or closed"));
        }
        // Back to triage: the handling is done again and its times are those of the redo;
        // the timeline keeps the first ones.
        after.status = Status::kTriaged;
        after.triaged_at = at;
        after.contained_at.reset();
        after.resolved_at.reset();
        after.closed_at.reset();
        after.closed_by.reset();
        after.reopen_count = before->reopen_count + 1;
        what = "Reopened";
        break;
    }
    if (!Blank(input.note)) what += ": " + input.note;
    after.version = before->version + 1;
    after.updated_at = now;
    if (!CERTUS_TRY(store_.Update(tx, after, before->version))) return Fail(Stale());
    CERTUS_CHECK(store_.InsertEntry(tx, NewEntry(actor, after, at, "status", after.status, what)));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, id.str(), std::string(StepName(step)),
                                                 ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<std::vector<TimelineEntry>> IncidentService::Timeline(const Actor& actor, const OrgId& org,
                                                               const IncidentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<TimelineEntry>> {
        if (!CERTUS_TRY(store_.Find(tx, org, id))) return Fail(Error::NotFound("Incident"));
        return store_.ListEntries(tx, org, id);
      });
}

Expected<TimelineEntry> IncidentService::AddEntry(const Actor& actor, const OrgId& org,
                                                  const IncidentId& id,
                                                  const std::optional<std::string>& at,
                                                  const std::string& entry) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems;
  if (Blank(entry)) problems.push_back({"entry", "is required"});
  if (at) {
    if (auto problem = FutureProblem(*at); !problem.empty()) problems.push_back({"at", problem});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<TimelineEntry> {
    auto incident = CERTUS_TRY(store_.Find(tx, org, id));
    if (!incident) return Fail(Error::NotFound("Incident"));
    if (incident->status == Status::kClosed) return Fail(ClosedRecord(*incident));
    auto e = NewEntry(actor, *incident, at.value_or(FormatTimestamp(clock_.Now())), "note",
                      std::nullopt, entry);
    CERTUS_CHECK(store_.InsertEntry(tx, e));
    // On the incident's own history: the timeline is part of its record.
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id.str(), "add_timeline_entry", nullptr,
                                        boost::json::object{{"timeline_entry", ToJson(e)}})));
    return e;
  });
}

Expected<Incident> IncidentService::RaiseNonconformity(
    const Actor& actor, const OrgId& org, const IncidentId& id,
    const improvement::NonconformityPatch& details, std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Incident> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Incident"));
    if (!Involved(actor, *before)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Only the reporter, the handler, a manager or an admin may raise a "
                  "nonconformity from this incident.");
    }
    if (expected_version && before->version != *expected_version) return Fail(Stale());
    if (before->status == Status::kClosed) return Fail(ClosedRecord(*before));
    // ISO 27001 10.2: the nonconformity the incident revealed, traced back to it.
    auto nc = CERTUS_TRY(nonconformities_.CreateIn(tx, actor, org, improvement::Source::kIncident,
                                                   before->ref, details));
    Incident after = *before;
    after.links.push_back({LinkKind::kNonconformity, nc.id.str(), nc.ref + " " + nc.title});
    SortLinks(after.links);
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, after, before->version))) return Fail(Stale());
    CERTUS_CHECK(
        store_.InsertEntry(tx, NewEntry(actor, after, after.updated_at, "note", std::nullopt,
                                        "Nonconformity " + nc.ref + " raised: " + nc.title)));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, id.str(), "raise_nonconformity",
                                                 ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<IncidentSummary> IncidentService::Summary(const Actor& actor, const OrgId& org,
                                                   std::optional<Date> from,
                                                   std::optional<Date> to) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (!to) to = DateOf(clock_.Now());
  if (!from) from = Date{std::chrono::sys_days(*to) - std::chrono::days(364)};
  if (std::chrono::sys_days(*from) > std::chrono::sys_days(*to)) {
    return Fail(Error::Field("from", "must not be after to"));
  }
  const Date until{std::chrono::sys_days(*to) + std::chrono::days(1)};
  auto incidents = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return store_.DetectedBetween(tx, org, FormatDate(*from), FormatDate(until));
  }));
  IncidentSummary s;
  s.from = FormatDate(*from);
  s.to = FormatDate(*to);
  for (const auto& name : StatusNames()) s.by_status[name] = 0;
  for (const auto& name : SeverityNames()) s.by_severity[name] = 0;
  for (const auto& name : CategoryNames()) s.by_category[name] = 0;
  double contain_sum = 0, resolve_sum = 0;
  std::int64_t contained = 0, resolved = 0;
  for (const auto& i : incidents) {
    ++s.total;
    if (i.status != Status::kClosed) ++s.open;
    ++s.by_status[std::string(StatusName(i.status))];
    ++s.by_severity[std::string(SeverityName(i.severity))];
    ++s.by_category[std::string(CategoryName(i.category))];
    if (i.personal_data_involved) ++s.personal_data_involved;
    if (auto hours = HoursBetween(i.detected_at, i.contained_at)) {
      contain_sum += *hours;
      ++contained;
    }
    if (auto hours = HoursBetween(i.detected_at, i.resolved_at)) {
      resolve_sum += *hours;
      ++resolved;
    }
  }
  const auto mean = [](double sum, std::int64_t n) -> std::optional<double> {
    if (n == 0) return std::nullopt;
    return std::round(sum / static_cast<double>(n) * 10.0) / 10.0;
  };
  s.mean_hours_to_contain = mean(contain_sum, contained);
  s.mean_hours_to_resolve = mean(resolve_sum, resolved);
  return s;
}

}  // namespace certus::incidents
