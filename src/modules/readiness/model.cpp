#include "modules/readiness/model.hpp"

#include <algorithm>
#include <iterator>

#include <boost/json.hpp>

namespace certus::readiness {

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kPass: return "pass";
    case Status::kWarn: return "warn";
    case Status::kFail: return "fail";
    case Status::kNotEvaluable: return "not_evaluable";
  }
  return "not_evaluable";
}

namespace {
int Rank(Status s) {
  switch (s) {
    case Status::kPass: return 0;
    case Status::kNotEvaluable: return 1;
    case Status::kWarn: return 2;
    case Status::kFail: return 3;
  }
  return 1;
}
}  // namespace

Status Worse(Status a, Status b) { return Rank(a) >= Rank(b) ? a : b; }

namespace {

/// Every key a rule reads, top-level in a record's or an event's JSON, sorted.
constexpr std::string_view kKeysRead[] = {
    "acceptance",
    "acceptance_threshold",
    "applicable",
    "approval",
    "assignee_ids",
    "audit_id",
    "awareness_percent",
    "clause_refs",
    "competence_id",
    "completion_note",
    "conflicts",
    "control_ids",
    "correction",
    "date",
    "detected_at",
    "due_on",
    "effective_review_id",
    "expires_on",
    "frequency",
    "held_on",
    "id",
    "impact",
    "implemented_on",
    "in_scope",
    "inherent_score",
    "input_notes",
    "is_security_policy",
    "isms_role_ids",
    "justification",
    "kind",
    "left_on",
    "lessons_learned",
    "likelihood",
    "measured_on",
    "metric_id",
    "name",
    "next_review_on",
    "nonconformity_id",
    "number",
    "overdue_tolerance_days",
    "owner_id",
    "person_id",
    "planned_end",
    "planned_on",
    "planned_start",
    "policy_ack_percent",
    "published_at",
    "published_version",
    "raised_on",
    "reassessment_interval_months",
    "recent_months",
    "ref",
    "ref_id",
    "reported_on",
    "requirements",
    "review_id",
    "review_interval_months",
    "reviewed_on",
    "risk_id",
    "root_cause",
    "state",
    "status",
    "target",
    "title",
    "treatment",
    "type",
    "updated_at",
    "user_id",
    "version",
    "version_number",
    "waiver",
};

}  // namespace

bool IsKeyRead(std::string_view key) {
  static_assert(std::is_sorted(std::begin(kKeysRead), std::end(kKeysRead)));
  return std::binary_search(std::begin(kKeysRead), std::end(kKeysRead), key);
}

std::optional<boost::json::object> ParseRecordJson(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  auto& parsed = value.as_object();
  // Boost.JSON searches an object of up to 18 slots key by key and hashes larger ones; rules
  // look keys up in every record, so a kept object always gets a hash table.
  constexpr std::size_t kHashedSlots = 19;
  boost::json::object kept(parsed.storage());
  kept.reserve(std::max(parsed.size(), kHashedSlots));
  for (auto& entry : parsed) {
    if (IsKeyRead(entry.key())) kept.emplace(entry.key(), std::move(entry.value()));
  }
  return kept;
}

const std::vector<Record>& Snapshot::Of(std::string_view object_type) const {
  static const std::vector<Record> kNone;
  auto it = records.find(object_type);
  return it == records.end() ? kNone : it->second;
}

const Record* Snapshot::Find(std::string_view object_type, std::string_view id) const {
  for (const auto& r : Of(object_type)) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string Str(const boost::json::object& json, std::string_view key) {
  auto it = json.find(key);
  if (it == json.end() || !it->value().is_string()) return {};
  return std::string(it->value().as_string());
}

std::string_view StrView(const boost::json::value& value) {
  const auto& text = value.as_string();
  return {text.data(), text.size()};
}

std::string_view StrView(const boost::json::object& json, std::string_view key) {
  const auto* value = json.if_contains(key);
  return value != nullptr && value->is_string() ? StrView(*value) : std::string_view();
}

const boost::json::array& ArrayOf(const boost::json::object& json, std::string_view key) {
  static const boost::json::array kNone;
  const auto* value = json.if_contains(key);
  return value != nullptr && value->is_array() ? value->as_array() : kNone;
}

std::int64_t Int(const boost::json::object& json, std::string_view key) {
  auto it = json.find(key);
  if (it == json.end()) return 0;
  const auto& v = it->value();
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.as_uint64());
  if (v.is_double()) return static_cast<std::int64_t>(v.as_double());
  return 0;
}

bool Bool(const boost::json::object& json, std::string_view key) {
  auto it = json.find(key);
  return it != json.end() && it->value().is_bool() && it->value().as_bool();
}

bool IsNull(const boost::json::object& json, std::string_view key) {
  auto it = json.find(key);
  return it == json.end() || it->value().is_null();
}

std::vector<std::string> Strings(const boost::json::object& json, std::string_view key) {
  std::vector<std::string> out;
  auto it = json.find(key);
  if (it == json.end() || !it->value().is_array()) return out;
  for (const auto& v : it->value().as_array()) {
    if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

std::optional<Date> DateOfText(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  return ParseDate(text.substr(0, 10));
}

std::optional<Date> DateField(const boost::json::object& json, std::string_view key) {
  return DateOfText(Str(json, key));
}

std::int64_t DaysBetween(Date from, Date to) {
  return (std::chrono::sys_days(to) - std::chrono::sys_days(from)).count();
}

Date AddMonths(Date date, std::int64_t months) {
  Date next = date + std::chrono::months(months);
  if (!next.ok()) next = next.year() / next.month() / std::chrono::last;
  return next;
}

Link LinkTo(std::string type, const Record& record) {
  std::string ref = Str(record.json, "ref");
  if (ref.empty()) ref = Str(record.json, "title");
  if (ref.empty()) ref = Str(record.json, "name");
  return {std::move(type), record.id, std::move(ref)};
}

}  // namespace certus::readiness
