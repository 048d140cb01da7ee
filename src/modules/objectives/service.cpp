#include "modules/objectives/service.hpp"

#include <set>

#include "core/uuid.hpp"
#include "modules/objectives/json.hpp"
#include "modules/objectives/status.hpp"
#include "storage/counters.hpp"

namespace certus::objectives {

namespace {

constexpr const char* kMetricType = "metric";
constexpr const char* kObjectiveType = "objective";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

/// Contributors write what they own; managers and admins write anything.
Expected<void> CheckCanWrite(const Actor& actor, bool owns, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owns) return {};
  return Fail(ErrorCode::kPermissionDenied,
              *actor.role == Role::kContributor
                  ? "Contributors may change only the " + std::string(what) + " they own."
                  : "Only contributors (for what they own), managers and admins may change " +
                        std::string(what) + ".");
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed this " + std::string(what) +
                                              " since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

/// The warning threshold lies on the worse side of the target (or on it).
std::string WarningProblem(const Metric& metric) {
  if (!metric.warning) return {};
  if (metric.direction == Direction::kHigherIsBetter && *metric.warning > metric.target) {
    return "must not be above the target when higher is better";
  }
  if (metric.direction == Direction::kLowerIsBetter && *metric.warning < metric.target) {
    return "must not be below the target when lower is better";
  }
  return {};
}

}  // namespace

Date ObjectivesService::Today() const { return DateOf(clock_.Now()); }

std::string ObjectivesService::MeasuredOnProblem(const Date& measured_on) const {
  if (std::chrono::sys_days(measured_on) > std::chrono::sys_days(Today())) {
    return "must not be in the future: record a result once it is measured";
  }
  return {};
}

void ObjectivesService::Decorate(Metric& metric) const {
  metric.due_on.reset();
  metric.overdue = false;
  if (metric.status == MetricStatus::kRetired) return;
  // ISO 27001 9.1 c: measured when planned; a metric never measured is due one period after
  // it was defined.
  const Date from = metric.latest ? metric.latest->measured_on
                                  : DateOf(ParseTimestamp(metric.created_at).value_or(Timestamp{}));
  metric.due_on = NextDue(from, metric.frequency);
  metric.overdue = std::chrono::sys_days(Today()) > std::chrono::sys_days(*metric.due_on);
}

Expected<void> ObjectivesService::CheckMember(const OrgId& org, const UserId& user,
                                              const std::string& field,
                                              std::vector<FieldError>& problems) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, user));
  if (!role) problems.push_back({field, "must be a member of the organization"});
  return {};
}

// ------------------------------------------------------------------ metrics

Expected<Page<Metric>> ObjectivesService::ListMetrics(const Actor& actor, const OrgId& org,
                                                      const MetricFilter& filter,
                                                      const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto result = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListMetrics(tx, org, filter, page); }));
  for (auto& metric : result.items) Decorate(metric);
  return result;
}

Expected<Metric> ObjectivesService::GetMetric(const Actor& actor, const OrgId& org,
                                              const MetricId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto metric = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindMetric(tx, org, id); }));
  if (!metric) return Fail(Error::NotFound("Metric"));
  Decorate(*metric);
  return *metric;
}

Expected<Metric> ObjectivesService::CreateMetric(const Actor& actor, const OrgId& org,
                                                 const MetricPatch& input) {
  return WriteMetric(actor, org, std::nullopt, input, 1);
}

Expected<Metric> ObjectivesService::UpdateMetric(const Actor& actor, const OrgId& org,
                                                 const MetricId& id, const MetricPatch& patch,
                                                 std::int64_t expected_version) {
  return WriteMetric(actor, org, id, patch, expected_version);
}

Expected<Metric> ObjectivesService::WriteMetric(const Actor& actor, const OrgId& org,
                                                const std::optional<MetricId>& id,
                                                const MetricPatch& patch,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  std::vector<FieldError> problems;
  if (!id) {
    for (auto [present, name] : {std::pair{patch.name.has_value(), "name"},
                                 std::pair{patch.direction.has_value(), "direction"},
                                 std::pair{patch.target.has_value(), "target"},
                                 std::pair{patch.frequency.has_value(), "frequency"},
                                 std::pair{patch.owner_id.has_value(), "owner_id"}}) {
      if (!present) problems.push_back({name, "is required"});
    }
  }
  if (patch.owner_id) {
    // A contributor cannot hand a metric to someone else: they could not take it back.
    CERTUS_CHECK(CheckCanWrite(actor, *patch.owner_id == actor.user_id, "metrics"));
    CERTUS_CHECK(CheckMember(org, *patch.owner_id, "owner_id", problems));
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  auto written =
      storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Metric> {
        std::optional<Metric> before;
        Metric after;
        if (id) {
          before = CERTUS_TRY(store_.FindMetric(tx, org, *id));
          if (!before) return Fail(Error::NotFound("Metric"));
          CERTUS_CHECK(CheckCanWrite(actor, before->owner_id == actor.user_id, "metrics"));
          if (before->version != expected_version) return Fail(Stale("metric"));
          after = *before;
        } else {
          after.id = MetricId(NewUuid(clock_, random_));
          after.org_id = org;
          after.created_at = FormatTimestamp(clock_.Now());
        }
        if (patch.name) after.name = *patch.name;
        if (patch.description) after.description = *patch.description;
        if (patch.unit) after.unit = *patch.unit;
        if (patch.direction) after.direction = *patch.direction;
        if (patch.target) after.target = *patch.target;
        if (patch.warning) after.warning = *patch.warning;
        if (patch.frequency) after.frequency = *patch.frequency;
        if (patch.owner_id) after.owner_id = *patch.owner_id;
        if (patch.method) after.method = *patch.method;
        if (patch.source) after.source = *patch.source;
        if (patch.status) after.status = *patch.status;
        if (auto problem = WarningProblem(after); !problem.empty()) {
          return Fail(Error::Field("warning", problem));
        }
        after.updated_at = FormatTimestamp(clock_.Now());
        if (before) {
          after.version = before->version + 1;
          if (!CERTUS_TRY(store_.UpdateMetric(tx, after, expected_version))) {
            return Fail(Stale("metric"));
          }
        } else {
          after.ref = storage::FormatRef(
              "MET", CERTUS_TRY(storage::NextCounter(tx, org.str(), kMetricType)));
          CERTUS_CHECK(store_.InsertMetric(tx, after));
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, kMetricType, after.id.str(), before ? "update" : "create",
                          before ? StoredJson(*before) : boost::json::value(nullptr),
                          StoredJson(after))));
        return after;
      });
  if (written) Decorate(*written);
  return written;
}

Expected<void> ObjectivesService::DeleteMetric(const Actor& actor, const OrgId& org,
                                               const MetricId& id, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindMetric(tx, org, id));
    if (!before) return Fail(Error::NotFound("Metric"));
    CERTUS_CHECK(CheckCanWrite(actor, before->owner_id == actor.user_id, "metrics"));
    if (before->version != expected_version) return Fail(Stale("metric"));
    if (before->measurement_count > 0) {
      // ISO 27001 9.1: the results of monitoring and measurement are retained as evidence.
      return Fail(ErrorCode::kConflict, "The metric " + before->ref +
                                            " has measurements, which ISO 27001 9.1 keeps as "
                                            "evidence; retire the metric instead of deleting it.");
    }
    if (auto objectives = CERTUS_TRY(store_.CountObjectivesOf(tx, org, id)); objectives > 0) {
      return Fail(ErrorCode::kConflict,
                  "The metric " + before->ref + " measures " + std::to_string(objectives) +
                      " objective(s) (ISO 27001 6.2); unlink them first or retire the metric.");
    }
    if (!CERTUS_TRY(store_.DeleteMetric(tx, org, id, expected_version))) {
      return Fail(Stale("metric"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kMetricType, id.str(), "delete", StoredJson(*before), nullptr)));
    return {};
  });
}

// ------------------------------------------------------------------ measurements

Expected<Page<Measurement>> ObjectivesService::ListMeasurements(const Actor& actor,
                                                                const OrgId& org,
                                                                const MetricId& metric,
                                                                const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_,
                                    [&](storage::Transaction& tx) -> Expected<Page<Measurement>> {
                                      if (!CERTUS_TRY(store_.FindMetric(tx, org, metric))) {
                                        return Fail(Error::NotFound("Metric"));
                                      }
                                      return store_.ListMeasurements(tx, org, metric, page);
                                    });
}

Expected<Measurement> ObjectivesService::GetMeasurement(const Actor& actor, const OrgId& org,
                                                        const MetricId& metric,
                                                        const MeasurementId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindMeasurement(tx, org, metric, id); }));
  if (!found) return Fail(Error::NotFound("Measurement"));
  return *found;
}

Expected<Measurement> ObjectivesService::RecordMeasurement(const Actor& actor, const OrgId& org,
                                                           const MetricId& metric_id,
                                                           const NewMeasurement& input) {
  CERTUS_CHECK(CheckCanRead(actor));
  std::vector<FieldError> problems;
  if (auto problem = MeasuredOnProblem(input.measured_on); !problem.empty()) {
    problems.push_back({"measured_on", problem});
  }
  if (input.corrects_id && input.note.find_first_not_of(" \t\r\n") == std::string::npos) {
    problems.push_back({"note", "must say what the correction corrects and why"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Measurement> {
    auto metric = CERTUS_TRY(store_.FindMetric(tx, org, metric_id));
    if (!metric) return Fail(Error::NotFound("Metric"));
    CERTUS_CHECK(CheckCanWrite(actor, metric->owner_id == actor.user_id,
                               "metrics (and record measurements of metrics)"));
    if (metric->status == MetricStatus::kRetired) {
      return Fail(ErrorCode::kConflict, "The metric " + metric->ref +
                                            " is retired: it is no longer measured (ISO 27001 "
                                            "9.1 c). Make it active again to record results.");
    }
    if (input.corrects_id) {
      auto corrected = CERTUS_TRY(store_.FindMeasurement(tx, org, metric_id, *input.corrects_id));
      if (!corrected) {
        return Fail(Error::Field("corrects_id", "is not a measurement of this metric"));
      }
      if (corrected->superseded_by) {
        return Fail(ErrorCode::kConflict,
                    "That measurement was corrected already by " + corrected->superseded_by->str() +
                        "; correct the correction instead, so that the record stays one chain.");
      }
    }
    Measurement measurement;
    measurement.id = MeasurementId(NewUuid(clock_, random_));
    measurement.org_id = org;
    measurement.metric_id = metric_id;
    measurement.seq = CERTUS_TRY(store_.NextMeasurementSeq(tx, org, metric_id));
    measurement.value = input.value;
    measurement.measured_on = input.measured_on;
    measurement.note = input.note;
    measurement.corrects_id = input.corrects_id;
    measurement.recorded_by = actor.user_id;
    measurement.recorded_by_email = actor.email;
    measurement.created_at = FormatTimestamp(clock_.Now());
    CERTUS_CHECK(store_.InsertMeasurement(tx, measurement));
    // On the metric's history, so that its record shows every result next to its changes.
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kMetricType, metric_id.str(),
                      input.corrects_id ? "correct_measurement" : "record_measurement", nullptr,
                      ToJson(measurement))));
    return measurement;
  });
}

// ------------------------------------------------------------------ objectives

Expected<void> ObjectivesService::Evaluate(storage::Transaction& tx, const OrgId& org,
                                           std::vector<Objective>& objectives) {
  std::set<MetricId> ids;
  for (const auto& objective : objectives) {
    if (objective.metric_id) ids.insert(*objective.metric_id);
  }
  std::map<MetricId, Metric> metrics;
  for (const auto& id : ids) {
    if (auto metric = CERTUS_TRY(store_.FindMetric(tx, org, id))) metrics.emplace(id, *metric);
  }
  const auto points = CERTUS_TRY(
      store_.CountingMeasurements(tx, org, std::vector<MetricId>(ids.begin(), ids.end())));
  const Date today = Today();
  for (auto& objective : objectives) {
    StatusInput input;
    input.due_on = objective.due_on;
    input.today = today;
    input.target = objective.target;
    objective.metric.reset();
    if (objective.metric_id) {
      if (auto it = metrics.find(*objective.metric_id); it != metrics.end()) {
        const Metric& metric = it->second;
        input.has_metric = true;
        input.direction = metric.direction;
        input.warning = metric.warning;
        input.frequency = metric.frequency;
        input.unit = metric.unit;
        objective.metric =
            MetricSummary{metric.ref, metric.name, metric.unit, metric.direction, metric.status};
        if (auto found = points.find(metric.id); found != points.end()) {
          for (const auto& m : found->second) input.points.push_back({m.measured_on, m.value});
        }
      }
    }
    auto result = ComputeStatus(input);
    objective.status = result.status;
    objective.status_reason = std::move(result.reason);
  }
  return {};
}

Expected<Page<Objective>> ObjectivesService::ListObjectives(const Actor& actor, const OrgId& org,
                                                            const ObjectiveFilter& filter,
                                                            const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<Page<Objective>> {
        auto result = CERTUS_TRY(store_.ListObjectives(tx, org, filter, page));
        CERTUS_CHECK(Evaluate(tx, org, result.items));
        return result;
      });
}

Expected<Objective> ObjectivesService::GetObjective(const Actor& actor, const OrgId& org,
                                                    const ObjectiveId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Objective> {
    auto found = CERTUS_TRY(store_.FindObjective(tx, org, id));
    if (!found) return Fail(Error::NotFound("Objective"));
    std::vector<Objective> one{std::move(*found)};
    CERTUS_CHECK(Evaluate(tx, org, one));
    return std::move(one.front());
  });
}

Expected<Objective> ObjectivesService::CreateObjective(const Actor& actor, const OrgId& org,
                                                       const ObjectivePatch& input) {
  return WriteObjective(actor, org, std::nullopt, input, 1);
}

Expected<Objective> ObjectivesService::UpdateObjective(const Actor& actor, const OrgId& org,
                                                       const ObjectiveId& id,
                                                       const ObjectivePatch& patch,
                                                       std::int64_t expected_version) {
  return WriteObjective(actor, org, id, patch, expected_version);
}

Expected<Objective> ObjectivesService::WriteObjective(const Actor& actor, const OrgId& org,
                                                      const std::optional<ObjectiveId>& id,
                                                      const ObjectivePatch& patch,
                                                      std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  std::vector<FieldError> problems;
  if (!id) {
    for (auto [present, name] : {std::pair{patch.title.has_value(), "title"},
                                 std::pair{patch.owner_id.has_value(), "owner_id"},
                                 std::pair{patch.due_on.has_value(), "due_on"}}) {
      if (!present) problems.push_back({name, "is required"});
    }
  }
  if (patch.owner_id) {
    // A contributor cannot hand an objective to someone else: they could not take it back.
    CERTUS_CHECK(CheckCanWrite(actor, *patch.owner_id == actor.user_id, "objectives"));
    CERTUS_CHECK(CheckMember(org, *patch.owner_id, "owner_id", problems));
  }
  if (patch.plan_responsible_id && *patch.plan_responsible_id) {
    CERTUS_CHECK(CheckMember(org, **patch.plan_responsible_id, "plan.responsible_id", problems));
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Objective> {
    std::optional<Objective> before;
    Objective after;
    if (id) {
      before = CERTUS_TRY(store_.FindObjective(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Objective"));
      CERTUS_CHECK(CheckCanWrite(actor, before->owner_id == actor.user_id, "objectives"));
      if (before->version != expected_version) return Fail(Stale("objective"));
      after = *before;
    } else {
      after.id = ObjectiveId(NewUuid(clock_, random_));
      after.org_id = org;
      after.created_at = FormatTimestamp(clock_.Now());
    }
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.due_on) after.due_on = *patch.due_on;
    if (patch.plan_what) after.plan.what = *patch.plan_what;
    if (patch.plan_resources) after.plan.resources = *patch.plan_resources;
    if (patch.plan_responsible) after.plan.responsible = *patch.plan_responsible;
    if (patch.plan_responsible_id) after.plan.responsible_id = *patch.plan_responsible_id;
    if (patch.plan_when) after.plan.when = *patch.plan_when;
    if (patch.plan_evaluation) after.plan.evaluation = *patch.plan_evaluation;
    if (patch.state) after.state = *patch.state;
    if (patch.target) after.target = *patch.target;
    if (patch.metric_id) {
      after.metric_id = *patch.metric_id;
      if (*patch.metric_id && (!before || before->metric_id != *patch.metric_id)) {
        auto metric = CERTUS_TRY(store_.FindMetric(tx, org, **patch.metric_id));
        if (!metric) return Fail(Error::Field("metric_id", "is not a metric of the organization"));
        if (metric->status == MetricStatus::kRetired) {
          return Fail(Error::Field("metric_id", "is retired: link an active metric"));
        }
        // ISO 27001 6.2 b: measurable; without a target of its own the metric's target holds.
        if (!patch.target) after.target = metric->target;
      }
    }
    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdateObjective(tx, after, expected_version))) {
        return Fail(Stale("objective"));
      }
    } else {
      after.ref = storage::FormatRef(
          "OBJ", CERTUS_TRY(storage::NextCounter(tx, org.str(), kObjectiveType)));
      CERTUS_CHECK(store_.InsertObjective(tx, after));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx,
        MakeEvent(actor, org, kObjectiveType, after.id.str(), before ? "update" : "create",
                  before ? StoredJson(*before) : boost::json::value(nullptr), StoredJson(after))));
    std::vector<Objective> one{std::move(after)};
    CERTUS_CHECK(Evaluate(tx, org, one));
    return std::move(one.front());
  });
}

}  // namespace certus::objectives
