#include "cli/export_commands.hpp"

#include <fstream>
#include <iostream>

#include "core/time.hpp"
#include "modules/risk/assessment_service.hpp"
#include "reports/table.hpp"

namespace certus::cli {

Expected<int> ExportSoa(App& app, const std::string& org, const std::string& format,
                        std::optional<std::int64_t> version, const std::string& out) {
  auto parsed = controls::ParseExportFormat(format);
  if (!parsed) return Fail(Error::Field("--format", "must be one of: xlsx, pdf, csv, json, oscal"));
  bool known = false;
  for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) known = known || o.id.str() == org;
  if (!known) return Fail(Error::NotFound("Organization " + org));
  Actor operator_actor = Actor::System();
  operator_actor.role = Role::kAdmin;
  auto file = CERTUS_TRY(app.controls().Export(operator_actor, OrgId(org), *parsed, version));
  std::ofstream stream(out, std::ios::binary | std::ios::trunc);
  stream << file.body;
  stream.close();
  if (!stream) return Fail(ErrorCode::kUnavailable, "Cannot write " + out);
  // The process ends here: give back what a PDF left in fontconfig, for leak checkers.
  reports::ReleaseFontCaches();
  std::cout << "Wrote " << out << " (" << file.body.size() << " bytes, " << file.media_type
            << ")\n";
  return 0;
}

Expected<int> ExportRisks(App& app, const std::string& org, const std::string& format,
                          const std::string& out) {
  if (format != "csv" && format != "xlsx")
    return Fail(Error::Field("--format", "must be csv or xlsx"));
  bool known = false;
  for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) known = known || o.id.str() == org;
  if (!known) return Fail(Error::NotFound("Organization " + org));
  Actor operator_actor = Actor::System();
  operator_actor.role = Role::kAdmin;
  const auto table = CERTUS_TRY(app.risk_assessments().RegisterTable(operator_actor, OrgId(org)));
  const std::string body =
      format == "csv" ? reports::WriteCsv(table) : CERTUS_TRY(reports::WriteXlsx(table));
  std::ofstream stream(out, std::ios::binary | std::ios::trunc);
  stream << body;
  stream.close();
  if (!stream) return Fail(ErrorCode::kUnavailable, "Cannot write " + out);
  std::cout << "Wrote " << out << " (" << table.rows.size() << " risks, " << body.size()
            << " bytes)\n";
  return 0;
}

Expected<int> ExportCertificationPack(App& app, const std::string& org, const std::string& as_of,
                                      const std::string& out) {
  std::optional<Date> day;
  if (!as_of.empty()) {
    day = ParseDate(as_of);
    if (!day) return Fail(Error::Field("--as-of", "must be a date YYYY-MM-DD"));
  }
  bool known = false;
  for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) known = known || o.id.str() == org;
  if (!known) return Fail(Error::NotFound("Organization " + org));
  Actor operator_actor = Actor::System();
  operator_actor.role = Role::kAdmin;
  auto pack = CERTUS_TRY(app.certification_pack().Export(operator_actor, OrgId(org), day));
  std::ofstream stream(out, std::ios::binary | std::ios::trunc);
  stream << pack.body;
  stream.close();
  if (!stream) return Fail(ErrorCode::kUnavailable, "Cannot write " + out);
  // The process ends here: give back what the PDFs left in fontconfig, for leak checkers.
  reports::ReleaseFontCaches();
  std::cout << "Wrote " << out << " (" << pack.files.size() + 1 << " files as of " << pack.as_of
            << ", " << pack.body.size() << " bytes, manifest SHA-256 " << pack.manifest_sha256
            << ")\n";
  return 0;
}

}  // namespace certus::cli
