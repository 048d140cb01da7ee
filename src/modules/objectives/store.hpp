#pragma once

#include <map>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/objectives/model.hpp"
#include "storage/database.hpp"

namespace certus::objectives {

/// SQL for metrics, their measurements and objectives. Every function runs in the caller's
/// transaction. Measurements are only ever inserted (database triggers refuse the rest).
class ObjectivesStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& MetricSortFields();
  static const std::vector<std::string>& ObjectiveSortFields();
  static const std::vector<std::string>& MeasurementSortFields();

  // Metrics, with their measurement count and latest value (not due_on, which needs today).
  Expected<void> InsertMetric(Tx& tx, const Metric& metric);
  Expected<std::optional<Metric>> FindMetric(Tx& tx, const OrgId& org, const MetricId& id);
  Expected<Page<Metric>> ListMetrics(Tx& tx, const OrgId& org, const MetricFilter& filter,
                                     const PageQuery& page);
  /// Writes `metric` if the stored version is `expected_version`; false when stale.
  Expected<bool> UpdateMetric(Tx& tx, const Metric& metric, std::int64_t expected_version);
  Expected<bool> DeleteMetric(Tx& tx, const OrgId& org, const MetricId& id,
                              std::int64_t expected_version);
  /// How many objectives name the metric.
  Expected<std::int64_t> CountObjectivesOf(Tx& tx, const OrgId& org, const MetricId& id);

  // Measurements.
  /// Counts one more measurement of the metric and answers its number; locks the metric row
  /// so that concurrent recorders are numbered one after the other.
  Expected<std::int64_t> NextMeasurementSeq(Tx& tx, const OrgId& org, const MetricId& metric);
  Expected<void> InsertMeasurement(Tx& tx, const Measurement& measurement);
  Expected<std::optional<Measurement>> FindMeasurement(Tx& tx, const OrgId& org,
                                                       const MetricId& metric,
                                                       const MeasurementId& id);
  /// By measured_on (then id), with `superseded_by` filled in.
  Expected<Page<Measurement>> ListMeasurements(Tx& tx, const OrgId& org, const MetricId& metric,
                                               const PageQuery& page);
  /// The measurements of each metric that are not superseded, oldest first (measured_on,
  /// then the order recorded).
  Expected<std::map<MetricId, std::vector<Measurement>>> CountingMeasurements(
      Tx& tx, const OrgId& org, const std::vector<MetricId>& metrics);

  // Objectives.
  Expected<void> InsertObjective(Tx& tx, const Objective& objective);
  Expected<std::optional<Objective>> FindObjective(Tx& tx, const OrgId& org, const ObjectiveId& id);
  Expected<Page<Objective>> ListObjectives(Tx& tx, const OrgId& org, const ObjectiveFilter& filter,
                                           const PageQuery& page);
  Expected<bool> UpdateObjective(Tx& tx, const Objective& objective, std::int64_t expected_version);
};

}  // namespace certus::objectives
