#include "modules/objectives/json.hpp"

#include <cmath>

#include <boost/json.hpp>

namespace certus::objectives {

namespace {

boost::json::value OptNumber(const std::optional<double>& value) {
  if (!value) return nullptr;
  return NumberJson(*value);
}

template <typename T>
boost::json::value OptId(const std::optional<T>& id) {
  if (!id) return nullptr;
  return boost::json::value(id->str());
}

}  // namespace

boost::json::value NumberJson(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::abs(value) < 9e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

boost::json::value StoredJson(const Metric& m) {
  return boost::json::object{{"id", m.id.str()},
                             {"ref", m.ref},
                             {"name", m.name},
                             {"description", m.description},
                             {"unit", m.unit},
                             {"direction", DirectionName(m.direction)},
                             {"target", NumberJson(m.target)},
                             {"warning", OptNumber(m.warning)},
                             {"frequency", FrequencyName(m.frequency)},
                             {"owner_id", m.owner_id.str()},
                             {"method", m.method},
                             {"source", m.source},
                             {"status", MetricStatusName(m.status)},
                             {"version", m.version},
                             {"created_at", m.created_at},
                             {"updated_at", m.updated_at}};
}

boost::json::value ToJson(const Metric& m) {
  auto json = StoredJson(m).as_object();
  json["measurement_count"] = m.measurement_count;
  if (m.latest) {
    json["latest"] = boost::json::object{{"value", NumberJson(m.latest->value)},
                                         {"measured_on", FormatDate(m.latest->measured_on)}};
  } else {
    json["latest"] = nullptr;
  }
  json["due_on"] = m.due_on ? boost::json::value(FormatDate(*m.due_on)) : nullptr;
  json["overdue"] = m.overdue;
  return json;
}

boost::json::value ToJson(const Measurement& m) {
  return boost::json::object{{"id", m.id.str()},
                             {"metric_id", m.metric_id.str()},
                             {"value", NumberJson(m.value)},
                             {"measured_on", FormatDate(m.measured_on)},
                             {"note", m.note},
                             {"corrects_id", OptId(m.corrects_id)},
                             {"superseded_by", OptId(m.superseded_by)},
                             {"superseded", m.superseded_by.has_value()},
                             {"recorded_by", m.recorded_by.str()},
                             {"recorded_by_email", m.recorded_by_email},
                             {"version", m.version},
                             {"created_at", m.created_at}};
}

boost::json::value StoredJson(const Objective& o) {
  return boost::json::object{
      {"id", o.id.str()},
      {"ref", o.ref},
      {"title", o.title},
      {"description", o.description},
      {"owner_id", o.owner_id.str()},
      {"metric_id", OptId(o.metric_id)},
      {"target", OptNumber(o.target)},
      {"due_on", FormatDate(o.due_on)},
      {"plan", boost::json::object{{"what", o.plan.what},
                                   {"resources", o.plan.resources},
                                   {"responsible", o.plan.responsible},
                                   {"responsible_id", OptId(o.plan.responsible_id)},
                                   {"when", o.plan.when},
                                   {"evaluation", o.plan.evaluation}}},
      {"state", ObjectiveStateName(o.state)},
      {"version", o.version},
      {"created_at", o.created_at},
      {"updated_at", o.updated_at}};
}

boost::json::value ToJson(const Objective& o) {
  auto json = StoredJson(o).as_object();
  json["status"] = ObjectiveStatusName(o.status);
  json["status_reason"] = o.status_reason;
  if (o.metric) {
    json["metric"] = boost::json::object{{"ref", o.metric->ref},
                                         {"name", o.metric->name},
                                         {"unit", o.metric->unit},
                                         {"direction", DirectionName(o.metric->direction)},
                                         {"status", MetricStatusName(o.metric->status)}};
  } else {
    json["metric"] = nullptr;
  }
  return json;
}

}  // namespace certus::objectives
