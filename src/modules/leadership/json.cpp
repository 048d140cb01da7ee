#include "modules/leadership/json.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace certus::leadership {

namespace {

boost::json::array Ids(const std::vector<UserId>& ids) {
  boost::json::array out;
  for (const auto& id : ids) out.emplace_back(id.str());
  return out;
}

}  // namespace

std::string FormatAmount(std::int64_t amount_minor) {
  const bool negative = amount_minor < 0;
  const auto magnitude = negative ? -amount_minor : amount_minor;
  return fmt::format("{}{}.{:02}", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

boost::json::value ToJson(const IsmsRole& role) {
  return boost::json::object{{"id", role.id.str()},
                             {"ref", role.ref},
                             {"name", role.name},
                             {"description", role.description},
                             {"responsibilities", role.responsibilities},
                             {"authorities", role.authorities},
                             {"assignee_ids", Ids(role.assignee_ids)},
                             {"top_management", role.top_management},
                             {"isms_owner", role.isms_owner},
                             {"version", role.version},
                             {"created_at", role.created_at},
                             {"updated_at", role.updated_at}};
}

boost::json::value ToJson(const RaciMatrix& matrix) {
  boost::json::array roles;
  for (const auto& role : matrix.roles) {
    roles.push_back(boost::json::object{{"id", role.id.str()},
                                        {"ref", role.ref},
                                        {"name", role.name},
                                        {"top_management", role.top_management},
                                        {"isms_owner", role.isms_owner}});
  }
  boost::json::array processes;
  for (const auto& process : IsmsProcesses()) {
    processes.push_back(boost::json::object{
        {"key", process.key}, {"name", process.name}, {"clause", process.clause}});
  }
  boost::json::object json = CellsJson(matrix).as_object();
  json["processes"] = std::move(processes);
  json["roles"] = std::move(roles);
  json["updated_by_email"] = matrix.updated_by_email;
  if (matrix.updated_at)
    json["updated_at"] = *matrix.updated_at;
  else
    json["updated_at"] = nullptr;
  return json;
}

boost::json::value CellsJson(const RaciMatrix& matrix) {
  boost::json::array cells;
  for (const auto& cell : matrix.cells) {
    cells.push_back(
        boost::json::object{{"process", cell.process},
                            {"role_id", cell.role_id.str()},
                            {"responsibility", ResponsibilityLetter(cell.responsibility)}});
  }
  return boost::json::object{{"version", matrix.version}, {"assignments", std::move(cells)}};
}

boost::json::value ToJson(const LeadershipRecord& record) {
  boost::json::object json{{"id", record.id.str()},
                           {"ref", record.ref},
                           {"kind", RecordKindName(record.kind)},
                           {"date", FormatDate(record.date)},
                           {"decision", record.decision},
                           {"decided_by", record.decided_by.str()},
                           {"notes", record.notes},
                           {"version", record.version},
                           {"created_at", record.created_at},
                           {"updated_at", record.updated_at}};
  if (record.budget) {
    json["budget"] = boost::json::object{{"amount", FormatAmount(record.budget->amount_minor)},
                                         {"currency", record.budget->currency}};
  } else {
    json["budget"] = nullptr;
  }
  if (record.management_review_id)
    json["management_review_id"] = *record.management_review_id;
  else
    json["management_review_id"] = nullptr;
  return json;
}

}  // namespace certus::leadership
