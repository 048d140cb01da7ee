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
#include "modules/objectives/model.hpp"
#include "modules/objectives/store.hpp"
#include "storage/database.hpp"

namespace certus::objectives {

/// Information security objectives (ISO 27001 6.2) and the metrics that monitor and measure
/// them (9.1). Members read. Managers and admins write everything; contributors write the
/// metrics and objectives they own and record measurements of their metrics. Measurements
/// are appended, never changed: a correction is a new measurement naming the one it
/// corrects. Every change is written with its audit event in one transaction. Borrows the
/// database, clock, randomness, audit log and identity service. Thread-safe.
class ObjectivesService final {
 public:
  ObjectivesService(storage::Database& db, const Clock& clock, Random& random,
                    auditlog::AuditLog& audit_log, identity::IdentityService& identity)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), identity_(identity) {}

  // Metrics (9.1).
  Expected<Page<Metric>> ListMetrics(const Actor& actor, const OrgId& org,
                                     const MetricFilter& filter, const PageQuery& page);
  Expected<Metric> GetMetric(const Actor& actor, const OrgId& org, const MetricId& id);
  /// `input` must carry name, direction, target, frequency and owner_id. kValidation when the
  /// owner is not a member or the warning threshold is on the wrong side of the target.
  Expected<Metric> CreateMetric(const Actor& actor, const OrgId& org, const MetricPatch& input);
  Expected<Metric> UpdateMetric(const Actor& actor, const OrgId& org, const MetricId& id,
                                const MetricPatch& patch, std::int64_t expected_version);
  /// Only a metric without measurements and objectives: kConflict otherwise (retire it).
  Expected<void> DeleteMetric(const Actor& actor, const OrgId& org, const MetricId& id,
                              std::int64_t expected_version);

  // Measurements.
  Expected<Page<Measurement>> ListMeasurements(const Actor& actor, const OrgId& org,
                                               const MetricId& metric, const PageQuery& page);
  Expected<Measurement> GetMeasurement(const Actor& actor, const OrgId& org, const MetricId& metric,
                                       const MeasurementId& id);
  /// Appends a measurement. kValidation for a date in the future, a correction without a
  /// note or of a measurement of another metric; kConflict when the metric is retired or the
  /// corrected measurement was corrected already.
  Expected<Measurement> RecordMeasurement(const Actor& actor, const OrgId& org,
                                          const MetricId& metric, const NewMeasurement& input);

  // Objectives (6.2).
  Expected<Page<Objective>> ListObjectives(const Actor& actor, const OrgId& org,
                                           const ObjectiveFilter& filter, const PageQuery& page);
  Expected<Objective> GetObjective(const Actor& actor, const OrgId& org, const ObjectiveId& id);
  /// `input` must carry title, owner_id and due_on; the target defaults to the metric's.
  Expected<Objective> CreateObjective(const Actor& actor, const OrgId& org,
                                      const ObjectivePatch& input);
  Expected<Objective> UpdateObjective(const Actor& actor, const OrgId& org, const ObjectiveId& id,
                                      const ObjectivePatch& patch, std::int64_t expected_version);

  /// The rule for measured_on (results are recorded once measured), for routes that report
  /// it with their own field errors. Empty when the date is fine.
  std::string MeasuredOnProblem(const Date& measured_on) const;

 private:
  Date Today() const;
  void Decorate(Metric& metric) const;
  /// Fills status, status_reason and metric of each objective, in the caller's transaction.
  Expected<void> Evaluate(storage::Transaction& tx, const OrgId& org,
                          std::vector<Objective>& objectives);
  Expected<void> CheckMember(const OrgId& org, const UserId& user, const std::string& field,
                             std::vector<FieldError>& problems);
  Expected<Metric> WriteMetric(const Actor& actor, const OrgId& org,
                               const std::optional<MetricId>& id, const MetricPatch& patch,
                               std::int64_t expected_version);
  Expected<Objective> WriteObjective(const Actor& actor, const OrgId& org,
                                     const std::optional<ObjectiveId>& id,
                                     const ObjectivePatch& patch, std::int64_t expected_version);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  ObjectivesStore store_;
};

}  // namespace certus::objectives
