#include "modules/audits/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::audits {

namespace {

boost::json::value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

}  // namespace

boost::json::value ToJson(const Conflict& c) {
  return boost::json::object{{"type", c.type}, {"id", c.id}, {"ref", c.ref}, {"reason", c.reason}};
}

boost::json::value ToJson(const Auditor& a) {
  boost::json::value waiver = nullptr;
  if (a.waiver) {
    boost::json::array conflicts;
    for (const auto& c : a.waiver->conflicts) conflicts.push_back(ToJson(c));
    waiver = boost::json::object{{"justification", a.waiver->justification},
                                 {"by", a.waiver->by.str()},
                                 {"at", a.waiver->at},
                                 {"conflicts", conflicts}};
  }
  return boost::json::object{{"id", a.id},
                             {"audit_id", a.audit_id.str()},
                             {"user_id", a.user_id.str()},
                             {"email", a.email},
                             {"role", AuditorRoleName(a.role)},
                             {"waiver", waiver},
                             {"added_by", a.added_by.str()},
                             {"added_at", a.added_at},
                             {"version", a.version}};
}

boost::json::value ToJson(const Audit& a) {
  boost::json::array auditors;
  for (const auto& auditor : a.auditors) auditors.push_back(ToJson(auditor));
  std::vector<std::string> distribution;
  for (const auto& id : a.report.distribution) distribution.push_back(id.str());
  return boost::json::object{
      {"id", a.id.str()},
      {"org_id", a.org_id.str()},
      {"ref", a.ref},
      {"title", a.title},
      {"clause_refs", http::StringArray(a.clause_refs)},
      {"control_ids", http::StringArray(a.control_ids)},
      {"document_ids", http::StringArray(a.document_ids)},
      {"departments", http::StringArray(a.departments)},
      {"criteria", a.criteria},
      {"planned_start", OptDate(a.planned_start)},
      {"planned_end", OptDate(a.planned_end)},
      {"status", AuditStatusName(a.status)},
      {"programme_id", a.programme_id ? boost::json::value(a.programme_id->str()) : nullptr},
      {"report", boost::json::object{{"summary", a.report.summary},
                                     {"conclusion", a.report.conclusion},
                                     {"distribution", http::StringArray(distribution)}}},
      {"started_on", OptDate(a.started_on)},
      {"reported_on", OptDate(a.reported_on)},
      {"reported_by", a.reported_by ? boost::json::value(a.reported_by->str()) : nullptr},
      {"closed_on", OptDate(a.closed_on)},
      {"created_by", a.created_by.str()},
      {"auditors", auditors},
      {"findings_count", a.findings_count},
      {"version", a.version},
      {"created_at", a.created_at},
      {"updated_at", a.updated_at}};
}

boost::json::value ToJson(const ChecklistItem& i) {
  return boost::json::object{
      {"id", i.id.str()},
      {"audit_id", i.audit_id.str()},
      {"position", i.position},
      {"requirement_ref", i.requirement_ref},
      {"kind", i.kind},
      {"control_id", http::Nullable(i.control_id)},
      {"title", i.title},
      {"question", i.question},
      {"result", i.result ? boost::json::value(CheckResultName(*i.result)) : nullptr},
      {"notes", i.notes},
      {"evidence_links", http::StringArray(i.evidence_links)},
      {"version", i.version},
      {"created_at", i.created_at},
      {"updated_at", i.updated_at}};
}

boost::json::value ToJson(const Finding& f) {
  return boost::json::object{{"id", f.id.str()},
                             {"audit_id", f.audit_id.str()},
                             {"number", f.number},
                             {"ref", f.ref},
                             {"type", FindingTypeName(f.type)},
                             {"requirement_ref", f.requirement_ref},
                             {"statement", f.statement},
                             {"evidence", f.evidence},
                             {"nonconformity_id", http::Nullable(f.nonconformity_id)},
                             {"nonconformity_ref", http::Nullable(f.nonconformity_ref)},
                             {"created_by", f.created_by.str()},
                             {"created_at", f.created_at},
                             {"version", f.version}};
}

boost::json::value ToJson(const Programme& p) {
  return boost::json::object{
      {"id", p.id.str()},
      {"org_id", p.org_id.str()},
      {"ref", p.ref},
      {"name", p.name},
      {"cycle_start", FormatDate(p.cycle_start)},
      {"cycle_end", FormatDate(p.cycle_end)},
      {"objectives", p.objectives},
      {"owner_id", p.owner_id ? boost::json::value(p.owner_id->str()) : nullptr},
      {"version", p.version},
      {"created_at", p.created_at},
      {"updated_at", p.updated_at}};
}

boost::json::value ToJson(const ProgrammeCoverage& c) {
  boost::json::array rows;
  for (const auto& row : c.rows) {
    boost::json::array audits;
    for (const auto& a : row.audits) {
      audits.push_back(boost::json::object{{"id", a.id}, {"ref", a.ref}, {"status", a.status}});
    }
    rows.push_back(boost::json::object{{"kind", row.kind},
                                       {"ref", row.ref},
                                       {"title", row.title},
                                       {"status", row.status},
                                       {"audits", audits}});
  }
  return boost::json::object{
      {"programme", ToJson(c.programme)},
      {"rows", rows},
      {"totals", boost::json::object{{"audited", c.audited},
                                     {"planned", c.planned},
                                     {"unaudited", c.unaudited},
                                     {"total", c.audited + c.planned + c.unaudited}}}};
}

}  // namespace certus::audits
