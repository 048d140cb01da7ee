#include "modules/objectives/store.hpp"

#include <charconv>
#include <stdexcept>

#include "storage/keyset.hpp"

namespace certus::objectives {

namespace {

/// A REAL / DOUBLE PRECISION column (SQLite may hand back an integer for a whole number).
double Real(const storage::Row& row, std::size_t i) {
  const auto& value = row.at(i);
  if (const auto* number = std::get_if<double>(&value)) return *number;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return static_cast<double>(*integer);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    double parsed = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), parsed);
    if (ec == std::errc() && ptr == text->data() + text->size()) return parsed;
  }
  throw std::logic_error("column holds no number");
}

std::optional<double> OptReal(const storage::Row& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return Real(row, i);
}

storage::Value OptValue(const std::optional<double>& value) {
  if (!value) return nullptr;
  return *value;
}

template <typename T>
storage::Value OptId(const std::optional<T>& id) {
  if (!id) return nullptr;
  return id->str();
}

Date DateColumn(const storage::Row& row, std::size_t i) {
  return ParseDate(row.Text(i)).value_or(Date{});
}

// A measurement counts unless a correction names it.
constexpr std::string_view kCounting =
    "NOT EXISTS (SELECT 1 FROM metric_measurements c WHERE c.corrects_id = m.id)";

const std::string& MetricColumns() {
  static const std::string kColumns =
      "id, org_id, ref, name, description, unit, direction, target, warning, frequency, "
      "owner_id, method, source, status, measurement_count, version, created_at, updated_at, "
      "(SELECT m.value FROM metric_measurements m WHERE m.metric_id = metrics.id AND " +
      std::string(kCounting) +
      " ORDER BY m.measured_on DESC, m.seq DESC LIMIT 1) AS latest_value, "
      "(SELECT m.measured_on FROM metric_measurements m WHERE m.metric_id = metrics.id AND " +
      std::string(kCounting) + " ORDER BY m.measured_on DESC, m.seq DESC LIMIT 1) AS latest_on";
  return kColumns;
}

Metric MetricFromRow(const storage::Row& row) {
  Metric metric;
  metric.id = MetricId(row.Text(0));
  metric.org_id = OrgId(row.Text(1));
  metric.ref = row.Text(2);
  metric.name = row.Text(3);
  metric.description = row.Text(4);
  metric.unit = row.Text(5);
  metric.direction = ParseDirection(row.Text(6)).value_or(Direction::kHigherIsBetter);
  metric.target = Real(row, 7);
  metric.warning = OptReal(row, 8);
  metric.frequency = ParseFrequency(row.Text(9)).value_or(Frequency::kMonthly);
  metric.owner_id = UserId(row.Text(10));
  metric.method = row.Text(11);
  metric.source = row.Text(12);
  metric.status = ParseMetricStatus(row.Text(13)).value_or(MetricStatus::kActive);
  metric.measurement_count = row.Int(14);
  metric.version = row.Int(15);
  metric.created_at = row.Text(16);
  metric.updated_at = row.Text(17);
  if (!row.IsNull(18) && !row.IsNull(19)) {
    metric.latest = LatestValue{Real(row, 18), DateColumn(row, 19)};
  }
  return metric;
}

constexpr std::string_view kMeasurementColumns =
    "id, org_id, metric_id, seq, value, measured_on, note, corrects_id, recorded_by, "
    "recorded_by_email, created_at, "
    "(SELECT c.id FROM metric_measurements c WHERE c.corrects_id = metric_measurements.id) AS "
    "superseded_by";

Measurement MeasurementFromRow(const storage::Row& row) {
  Measurement m;
  m.id = MeasurementId(row.Text(0));
  m.org_id = OrgId(row.Text(1));
  m.metric_id = MetricId(row.Text(2));
  m.seq = row.Int(3);
  m.value = Real(row, 4);
  m.measured_on = DateColumn(row, 5);
  m.note = row.Text(6);
  if (auto corrects = row.OptText(7)) m.corrects_id = MeasurementId(*corrects);
  m.recorded_by = UserId(row.Text(8));
  m.recorded_by_email = row.Text(9);
  m.created_at = row.Text(10);
  if (auto by = row.OptText(11)) m.superseded_by = MeasurementId(*by);
  return m;
}

constexpr std::string_view kObjectiveColumns =
    "id, org_id, ref, title, description, owner_id, metric_id, target, due_on, plan_what, "
    "plan_resources, plan_responsible, plan_responsible_id, plan_when, plan_evaluation, state, "
    "version, created_at, updated_at";

Objective ObjectiveFromRow(const storage::Row& row) {
  Objective o;
  o.id = ObjectiveId(row.Text(0));
  o.org_id = OrgId(row.Text(1));
  o.ref = row.Text(2);
  o.title = row.Text(3);
  o.description = row.Text(4);
  o.owner_id = UserId(row.Text(5));
  if (auto metric = row.OptText(6)) o.metric_id = MetricId(*metric);
  o.target = OptReal(row, 7);
  o.due_on = DateColumn(row, 8);
  o.plan.what = row.Text(9);
  o.plan.resources = row.Text(10);
  o.plan.responsible = row.Text(11);
  if (auto who = row.OptText(12)) o.plan.responsible_id = UserId(*who);
  o.plan.when = row.Text(13);
  o.plan.evaluation = row.Text(14);
  o.state = ParseObjectiveState(row.Text(15)).value_or(ObjectiveState::kActive);
  o.version = row.Int(16);
  o.created_at = row.Text(17);
  o.updated_at = row.Text(18);
  return o;
}

const storage::SortKeys<Metric>& MetricKeys() {
  static const storage::SortKeys<Metric> kKeys = {
      {"name", {"name", [](const Metric& m) { return m.name; }}},
      {"ref", {"ref", [](const Metric& m) { return m.ref; }}},
      {"frequency",
       {"frequency", [](const Metric& m) { return std::string(FrequencyName(m.frequency)); }}},
      {"created_at", {"created_at", [](const Metric& m) { return m.created_at; }}},
      {"updated_at", {"updated_at", [](const Metric& m) { return m.updated_at; }}},
  };
  return kKeys;
}

const storage::SortKeys<Objective>& ObjectiveKeys() {
  static const storage::SortKeys<Objective> kKeys = {
      {"title", {"title", [](const Objective& o) { return o.title; }}},
      {"ref", {"ref", [](const Objective& o) { return o.ref; }}},
      {"due_on", {"due_on", [](const Objective& o) { return FormatDate(o.due_on); }}},
      {"created_at", {"created_at", [](const Objective& o) { return o.created_at; }}},
      {"updated_at", {"updated_at", [](const Objective& o) { return o.updated_at; }}},
  };
  return kKeys;
}

const storage::SortKeys<Measurement>& MeasurementKeys() {
  static const storage::SortKeys<Measurement> kKeys = {
      {"measured_on",
       {"measured_on", [](const Measurement& m) { return FormatDate(m.measured_on); }}},
  };
  return kKeys;
}

}  // namespace

const std::vector<std::string>& ObjectivesStore::MetricSortFields() {
  static const auto kFields = storage::SortFieldsOf(MetricKeys());
  return kFields;
}
const std::vector<std::string>& ObjectivesStore::ObjectiveSortFields() {
  static const auto kFields = storage::SortFieldsOf(ObjectiveKeys());
  return kFields;
}
const std::vector<std::string>& ObjectivesStore::MeasurementSortFields() {
  static const auto kFields = storage::SortFieldsOf(MeasurementKeys());
  return kFields;
}

// ------------------------------------------------------------------ metrics

Expected<void> ObjectivesStore::InsertMetric(Tx& tx, const Metric& m) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO metrics (id, org_id, ref, name, description, unit, direction, target, warning, "
      "frequency, owner_id, method, source, status, measurement_count, version, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, "
      "$16, $17)",
      {m.id.str(), m.org_id.str(), m.ref, m.name, m.description, m.unit,
       std::string(DirectionName(m.direction)), m.target, OptValue(m.warning),
       std::string(FrequencyName(m.frequency)), m.owner_id.str(), m.method, m.source,
       std::string(MetricStatusName(m.status)), m.version, m.created_at, m.updated_at}));
  return {};
}

Expected<std::optional<Metric>> ObjectivesStore::FindMetric(Tx& tx, const OrgId& org,
                                                            const MetricId& id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT " + MetricColumns() + " FROM metrics WHERE org_id = $1 AND id = $2",
                 {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return MetricFromRow(result.rows[0]);
}

Expected<Page<Metric>> ObjectivesStore::ListMetrics(Tx& tx, const OrgId& org,
                                                    const MetricFilter& filter,
                                                    const PageQuery& page) {
  storage::Query query{"SELECT " + MetricColumns() + " FROM metrics WHERE org_id = $1",
                       {org.str()}};
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(MetricStatusName(*filter.status)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.frequency) {
    query.sql += " AND frequency = " + query.Bind(std::string(FrequencyName(*filter.frequency)));
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"ref", "name", "description", "unit"});
  return storage::RunKeysetPage(tx, std::move(query), MetricKeys(), page, MetricFromRow);
}

Expected<bool> ObjectivesStore::UpdateMetric(Tx& tx, const Metric& m,
                                             std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE metrics SET name = $3, description = $4, unit = $5, direction = $6, target = $7, "
      "warning = $8, frequency = $9, owner_id = $10, method = $11, source = $12, status = $13, "
      "version = $14, updated_at = $15 WHERE org_id = $1 AND id = $2 AND version = $16",
      {m.org_id.str(), m.id.str(), m.name, m.description, m.unit,
       std::string(DirectionName(m.direction)), m.target, OptValue(m.warning),
       std::string(FrequencyName(m.frequency)), m.owner_id.str(), m.method, m.source,
       std::string(MetricStatusName(m.status)), m.version, m.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<bool> ObjectivesStore::DeleteMetric(Tx& tx, const OrgId& org, const MetricId& id,
                                             std::int64_t expected_version) {
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM metrics WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::int64_t> ObjectivesStore::CountObjectivesOf(Tx& tx, const OrgId& org,
                                                          const MetricId& id) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT COUNT(*) FROM objectives WHERE org_id = $1 AND metric_id = $2",
                            {org.str(), id.str()}));
  return result.rows.at(0).Int(0);
}

// ------------------------------------------------------------------ measurements

Expected<std::int64_t> ObjectivesStore::NextMeasurementSeq(Tx& tx, const OrgId& org,
                                                           const MetricId& metric) {
  auto result =
      CERTUS_TRY(tx.Execute("UPDATE metrics SET measurement_count = measurement_count + 1 "
                            "WHERE org_id = $1 AND id = $2 RETURNING measurement_count",
                            {org.str(), metric.str()}));
  if (result.rows.empty()) return Fail(Error::NotFound("Metric"));
  return result.rows[0].Int(0);
}

Expected<void> ObjectivesStore::InsertMeasurement(Tx& tx, const Measurement& m) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO metric_measurements (id, org_id, metric_id, seq, value, measured_on, note, "
      "corrects_id, recorded_by, recorded_by_email, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {m.id.str(), m.org_id.str(), m.metric_id.str(), m.seq, m.value, FormatDate(m.measured_on),
       m.note, OptId(m.corrects_id), m.recorded_by.str(), m.recorded_by_email, m.created_at}));
  return {};
}

Expected<std::optional<Measurement>> ObjectivesStore::FindMeasurement(Tx& tx, const OrgId& org,
                                                                      const MetricId& metric,
                                                                      const MeasurementId& id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT " + std::string(kMeasurementColumns) +
                     " FROM metric_measurements WHERE org_id = $1 AND metric_id = $2 AND id = $3",
                 {org.str(), metric.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return MeasurementFromRow(result.rows[0]);
}

Expected<Page<Measurement>> ObjectivesStore::ListMeasurements(Tx& tx, const OrgId& org,
                                                              const MetricId& metric,
                                                              const PageQuery& page) {
  storage::Query query{"SELECT " + std::string(kMeasurementColumns) +
                           " FROM metric_measurements WHERE org_id = $1 AND metric_id = $2",
                       {org.str(), metric.str()}};
  return storage::RunKeysetPage(tx, std::move(query), MeasurementKeys(), page, MeasurementFromRow);
}

Expected<std::map<MetricId, std::vector<Measurement>>> ObjectivesStore::CountingMeasurements(
    Tx& tx, const OrgId& org, const std::vector<MetricId>& metrics) {
  std::map<MetricId, std::vector<Measurement>> out;
  if (metrics.empty()) return out;
  storage::Query query{"SELECT " + std::string(kMeasurementColumns) +
                           " FROM metric_measurements WHERE org_id = $1 AND NOT EXISTS (SELECT 1 "
                           "FROM metric_measurements c WHERE c.corrects_id = "
                           "metric_measurements.id) AND metric_id IN (",
                       {org.str()}};
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (i > 0) query.sql += ", ";
    query.sql += query.Bind(metrics[i].str());
  }
  query.sql += ") ORDER BY metric_id, measured_on, seq";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    auto measurement = MeasurementFromRow(row);
    out[measurement.metric_id].push_back(std::move(measurement));
  }
  return out;
}

// ------------------------------------------------------------------ objectives

Expected<void> ObjectivesStore::InsertObjective(Tx& tx, const Objective& o) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO objectives (id, org_id, ref, title, description, owner_id, metric_id, target, "
      "due_on, plan_what, plan_resources, plan_responsible, plan_responsible_id, plan_when, "
      "plan_evaluation, state, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
      "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
      {o.id.str(), o.org_id.str(), o.ref, o.title, o.description, o.owner_id.str(),
       OptId(o.metric_id), OptValue(o.target), FormatDate(o.due_on), o.plan.what, o.plan.resources,
       o.plan.responsible, OptId(o.plan.responsible_id), o.plan.when, o.plan.evaluation,
       std::string(ObjectiveStateName(o.state)), o.version, o.created_at, o.updated_at}));
  return {};
}

Expected<std::optional<Objective>> ObjectivesStore::FindObjective(Tx& tx, const OrgId& org,
                                                                  const ObjectiveId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT " + std::string(kObjectiveColumns) + " FROM objectives WHERE org_id = $1 AND id = $2",
      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ObjectiveFromRow(result.rows[0]);
}

Expected<Page<Objective>> ObjectivesStore::ListObjectives(Tx& tx, const OrgId& org,
                                                          const ObjectiveFilter& filter,
                                                          const PageQuery& page) {
  storage::Query query{
      "SELECT " + std::string(kObjectiveColumns) + " FROM objectives WHERE org_id = $1",
      {org.str()}};
  if (filter.state) {
    query.sql += " AND state = " + query.Bind(std::string(ObjectiveStateName(*filter.state)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.metric_id) query.sql += " AND metric_id = " + query.Bind(filter.metric_id->str());
  if (filter.text) query.AddTextSearch(*filter.text, {"ref", "title", "description"});
  return storage::RunKeysetPage(tx, std::move(query), ObjectiveKeys(), page, ObjectiveFromRow);
}

Expected<bool> ObjectivesStore::UpdateObjective(Tx& tx, const Objective& o,
                                                std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE objectives SET title = $3, description = $4, owner_id = $5, metric_id = $6, "
      "target = $7, due_on = $8, plan_what = $9, plan_resources = $10, plan_responsible = $11, "
      "plan_responsible_id = $12, plan_when = $13, plan_evaluation = $14, state = $15, "
      "version = $16, updated_at = $17 WHERE org_id = $1 AND id = $2 AND version = $18",
      {o.org_id.str(), o.id.str(), o.title, o.description, o.owner_id.str(), OptId(o.metric_id),
       OptValue(o.target), FormatDate(o.due_on), o.plan.what, o.plan.resources, o.plan.responsible,
       OptId(o.plan.responsible_id), o.plan.when, o.plan.evaluation,
       std::string(ObjectiveStateName(o.state)), o.version, o.updated_at, expected_version}));
  return result.affected == 1;
}

}  // namespace certus::objectives
