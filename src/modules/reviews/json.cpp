#include "modules/reviews/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::reviews {

namespace {

boost::json::value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

}  // namespace

boost::json::value ToJson(const ManagementReview& r) {
  boost::json::array blockers;
  for (const auto& blocker : r.closure_blockers) {
    blockers.push_back(boost::json::object{{"code", blocker.code}, {"message", blocker.message}});
  }
  boost::json::object notes;
  for (const auto& [key, text] : r.notes) notes[key] = text;
  return boost::json::object{{"id", r.id.str()},
                             {"ref", r.ref},
                             {"title", r.title},
                             {"planned_on", FormatDate(r.planned_on)},
                             {"held_on", OptDate(r.held_on)},
                             {"status", ReviewStatusName(r.status)},
                             {"attendee_ids", http::StringArray(r.attendee_ids)},
                             {"input_notes", notes},
                             {"closed_by", r.closed_by ? boost::json::value(r.closed_by->str())
                                                       : boost::json::value(nullptr)},
                             {"closed_on", OptDate(r.closed_on)},
                             {"decision_count", r.decision_count},
                             {"action_count", r.action_count},
                             {"closure_blockers", blockers},
                             {"version", r.version},
                             {"created_at", r.created_at},
                             {"updated_at", r.updated_at}};
}

boost::json::value ToJson(const ReviewDecision& d) {
  return boost::json::object{{"id", d.id.str()},
                             {"review_id", d.review_id.str()},
                             {"ref", d.ref},
                             {"text", d.text},
                             {"category", CategoryName(d.category)},
                             {"recorded_by", d.recorded_by.str()},
                             {"version", d.version},
                             {"created_at", d.created_at},
                             {"updated_at", d.created_at}};
}

boost::json::value ToJson(const ReviewAction& a) {
  return boost::json::object{{"id", a.id.str()},
                             {"review_id", a.review_id.str()},
                             {"review_ref", a.review_ref},
                             {"ref", a.ref},
                             {"title", a.title},
                             {"owner_id", a.owner_id.str()},
                             {"due_on", OptDate(a.due_on)},
                             {"status", ActionStatusName(a.status)},
                             {"done_on", OptDate(a.done_on)},
                             {"overdue", a.overdue},
                             {"version", a.version},
                             {"created_at", a.created_at},
                             {"updated_at", a.updated_at}};
}

boost::json::value ToJson(const InputPack& pack) {
  boost::json::array inputs;
  for (const auto& input : pack.inputs) {
    inputs.push_back(boost::json::object{{"key", input.key},
                                         {"title", input.title},
                                         {"data", input.data},
                                         {"summary", http::StringArray(input.summary)},
                                         {"notes", input.notes}});
  }
  return boost::json::object{
      {"as_of", FormatDate(pack.as_of)},
      {"since", FormatDate(pack.since)},
      {"previous_review_ref", pack.previous_review_ref
                                  ? boost::json::value(*pack.previous_review_ref)
                                  : boost::json::value(nullptr)},
      {"inputs", inputs}};
}

}  // namespace certus::reviews
