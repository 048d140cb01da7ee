#include "modules/improvement/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::improvement {

namespace {

boost::json::value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

template <typename Id>
boost::json::value OptId(const std::optional<Id>& id) {
  if (!id) return nullptr;
  return boost::json::value(id->str());
}

}  // namespace

boost::json::value ToJson(const Nonconformity& nc) {
  boost::json::array blockers;
  for (const auto& blocker : nc.closure_blockers) {
    blockers.push_back(boost::json::object{{"code", blocker.code}, {"message", blocker.message}});
  }
  boost::json::object json{{"id", nc.id.str()},
                           {"ref", nc.ref},
                           {"title", nc.title},
                           {"description", nc.description},
                           {"source", SourceName(nc.source)},
                           {"source_ref", nc.source_ref},
                           {"requirement_ref", nc.requirement_ref},
                           {"severity", SeverityName(nc.severity)},
                           {"reported_by", nc.reported_by.str()},
                           {"reported_on", FormatDate(nc.reported_on)},
                           {"owner_id", nc.owner_id.str()},
                           {"correction", nc.correction},
                           {"correction_on", OptDate(nc.correction_on)},
                           {"root_cause", nc.root_cause},
                           {"similar_check", nc.similar_check},
                           {"change_ids", http::StringArray(nc.change_ids)},
                           {"status", NcStatusName(nc.status)},
                           {"reopened", nc.needs_new_action},
                           {"reopen_count", nc.reopen_count},
                           {"effective_review_id", OptId(nc.effective_review_id)},
                           {"closed_by", OptId(nc.closed_by)},
                           {"closed_on", OptDate(nc.closed_on)},
                           {"actions_total", nc.actions_total},
                           {"actions_done", nc.actions_done},
                           {"actions_overdue", nc.actions_overdue},
                           {"closure_blockers", std::move(blockers)},
                           {"version", nc.version},
                           {"created_at", nc.created_at},
                           {"updated_at", nc.updated_at}};
  if (nc.root_cause_method)
    json["root_cause_method"] = MethodName(*nc.root_cause_method);
  else
    json["root_cause_method"] = nullptr;
  return json;
}

boost::json::value ToJson(const CorrectiveAction& a) {
  return boost::json::object{{"id", a.id.str()},
                             {"ref", a.ref},
                             {"nonconformity_id", a.nonconformity_id.str()},
                             {"nonconformity_ref", a.nonconformity_ref},
                             {"title", a.title},
                             {"owner_id", a.owner_id.str()},
                             {"due_on", OptDate(a.due_on)},
                             {"status", ActionStatusName(a.status)},
                             {"completion_note", a.completion_note},
                             {"done_on", OptDate(a.done_on)},
                             {"overdue", a.overdue},
                             {"version", a.version},
                             {"created_at", a.created_at},
                             {"updated_at", a.updated_at}};
}

boost::json::value ToJson(const EffectivenessReview& r) {
  return boost::json::object{{"id", r.id.str()},
                             {"nonconformity_id", r.nonconformity_id.str()},
                             {"effective", r.effective},
                             {"note", r.note},
                             {"reviewed_by", r.reviewed_by.str()},
                             {"reviewed_on", FormatDate(r.reviewed_on)},
                             {"version", r.version},
                             {"created_at", r.created_at}};
}

boost::json::value ToJson(const Improvement& i) {
  return boost::json::object{{"id", i.id.str()},
                             {"ref", i.ref},
                             {"title", i.title},
                             {"description", i.description},
                             {"source", SourceName(i.source)},
                             {"raised_by", i.raised_by.str()},
                             {"raised_on", FormatDate(i.raised_on)},
                             {"decision", DecisionName(i.decision)},
                             {"decision_rationale", i.decision_rationale},
                             {"decided_by", OptId(i.decided_by)},
                             {"decided_on", OptDate(i.decided_on)},
                             {"outcome", i.outcome},
                             {"owner_id", OptId(i.owner_id)},
                             {"due_on", OptDate(i.due_on)},
                             {"status", ImprovementStatusName(i.status)},
                             {"nonconformity_id", OptId(i.nonconformity_id)},
                             {"overdue", i.overdue},
                             {"version", i.version},
                             {"created_at", i.created_at},
                             {"updated_at", i.updated_at}};
}

}  // namespace certus::improvement
