#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/time.hpp"

namespace certus::readiness {

/// The answer of one check, and of a requirement or clause (the worst of its parts).
enum class Status { kPass, kWarn, kFail, kNotEvaluable };

std::string_view StatusName(Status status);
/// The worse of two statuses: fail > warn > not_evaluable > pass.
Status Worse(Status a, Status b);

/// A record a check found wanting: its object type, id and human reference.
struct Link {
  std::string type;
  std::string id;
  std::string ref;
};

/// What one rule found.
struct Check {
  std::string id;
  std::string requirement_ref;
  Status status = Status::kPass;
  std::string message;
  std::string remedy;
  std::vector<Link> links;
};

/// The thresholds of an organization (`readiness_settings`), with their defaults.
struct Settings {
  std::int64_t policy_ack_percent = 80;      ///< 5.2: share of people in scope who acknowledged
  std::int64_t awareness_percent = 80;       ///< 7.3: share of people in scope trained
  std::int64_t overdue_tolerance_days = 30;  ///< 8.1, 10.2: days past due that are tolerated
  std::int64_t recent_months = 12;           ///< 4.1, 9.2, 9.3, 10.1: what counts as recent
  std::int64_t version = 0;                  ///< 0 while the defaults apply
  std::string updated_at;
};

/// The verdict and score of one day, for readiness over time.
struct Sample {
  std::string day;  ///< YYYY-MM-DD
  std::string verdict;
  std::int64_t score = 0;
};

/// An event of a record that is not the record itself (a document version's approval, a
/// metric's measurement, a training's completion, a person's competence evidence).
struct SubEvent {
  std::string action;
  boost::json::object after;
  std::string at;
};

/// A record as of the snapshot's moment: the `after` of its latest event carrying the
/// record itself (the JSON of its module's API), when it was created and last changed, and
/// the other events of the record in order.
struct Record {
  std::string id;
  boost::json::object json;
  std::string created_at;
  std::string updated_at;
  std::vector<SubEvent> events;
};

/// The ISMS of one organization as of the end of one day, rebuilt from the audit log.
struct Snapshot {
  Date as_of;
  std::string until;  ///< the first instant after the day, RFC 3339 text
  std::map<std::string, std::vector<Record>, std::less<>> records;  ///< by object type

  const std::vector<Record>& Of(std::string_view object_type) const;
  const Record* Find(std::string_view object_type, std::string_view id) const;
};

/// The full answer of GET …/readiness.
struct RequirementResult {
  std::string ref;
  std::string title;
  Status status = Status::kNotEvaluable;
  std::vector<Check> checks;
};
struct ClauseResult {
  std::string ref;
  std::string title;
  Status status = Status::kNotEvaluable;
  std::vector<RequirementResult> requirements;
};
struct Report {
  std::string verdict;
  std::int64_t score = 0;
  std::string as_of;
  std::vector<ClauseResult> clauses;
};

/// Whether some rule reads the key `key` of a record or event (kKeysRead in model.cpp). A test
/// reads the rules' sources and fails on a key read there and missing from the list.
bool IsKeyRead(std::string_view key);
/// Parses the JSON text of an event's `after` as snapshots hold it: an object with only the
/// keys some rule reads (a risk keeps 14 of its 29), for memory and for fast lookups; empty
/// when the text is not a JSON object.
std::optional<boost::json::object> ParseRecordJson(std::string_view text);

// ---- small readers of record JSON, shared by the rules (absent or null → the default)
std::string Str(const boost::json::object& json, std::string_view key);
/// Str without a copy: a view into `json`, valid while it lives.
std::string_view StrView(const boost::json::object& json, std::string_view key);
/// The text of a string value, as a view into it.
std::string_view StrView(const boost::json::value& value);
/// The array at `key`, or an empty one.
const boost::json::array& ArrayOf(const boost::json::object& json, std::string_view key);
std::int64_t Int(const boost::json::object& json, std::string_view key);
bool Bool(const boost::json::object& json, std::string_view key);
bool IsNull(const boost::json::object& json, std::string_view key);
std::vector<std::string> Strings(const boost::json::object& json, std::string_view key);
/// `YYYY-MM-DD` or the date part of an RFC 3339 timestamp.
std::optional<Date> DateField(const boost::json::object& json, std::string_view key);
std::optional<Date> DateOfText(std::string_view text);
/// Whole days from `from` to `to` (negative when `to` is earlier).
std::int64_t DaysBetween(Date from, Date to);
Date AddMonths(Date date, std::int64_t months);
Link LinkTo(std::string type, const Record& record);

}  // namespace certus::readiness
