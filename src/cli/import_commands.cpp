#include "cli/import_commands.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "interchange/oscal.hpp"
#include "modules/controls/framework_service.hpp"
#include "modules/risk/register_service.hpp"

namespace certus::cli {

namespace {

Expected<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "Cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kNotFound, "Cannot read " + path);
  return text.str();
}

}  // namespace

Expected<int> ImportOscalCatalogFile(App& app, const std::string& path,
                                     const std::optional<std::string>& key, std::ostream& out) {
  if (key) {
    if (auto problem = controls::FrameworkService::KeyProblem(*key); !problem.empty()) {
      return Fail(Error::Field("--key", problem));
    }
  }
  const std::string text = CERTUS_TRY(ReadFile(path));
  auto catalog = interchange::ParseOscalCatalog(text);
  if (!catalog) return Fail(catalog.error());
  const auto imported = CERTUS_TRY(app.frameworks().Import(Actor::System(), *catalog, key));
  out << fmt::format("Imported framework {} ({}): {} groups, {} controls, {} enhancements\n",
                     imported.framework.key, imported.framework.id.str(), imported.counts.groups,
                     imported.counts.controls, imported.counts.enhancements);
  return 0;
}

Expected<int> ImportMappingsFile(App& app, const std::string& path,
                                 const std::optional<std::string>& target_framework,
                                 bool skip_missing, std::ostream& out) {
  const std::string text = CERTUS_TRY(ReadFile(path));
  auto rows = interchange::ParseMappingCsv(text);
  if (!rows) return Fail(rows.error());
  const auto result = CERTUS_TRY(
      app.frameworks().ImportMappings(Actor::System(), *rows, target_framework, skip_missing));
  out << fmt::format("Imported {} mappings from {}", result.imported, path);
  if (result.skipped > 0) {
    out << fmt::format(" ({} rows skipped: their requirements are not in the catalog)",
                       result.skipped);
  }
  out << "\n";
  return 0;
}

Expected<int> ImportRisksFile(App& app, const std::string& path, const std::string& org,
                              bool dry_run, std::ostream& out, std::ostream& err) {
  bool known = false;
  for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) known = known || o.id.str() == org;
  if (!known) return Fail(Error::NotFound("Organization " + org));
  const std::string text = CERTUS_TRY(ReadFile(path));
  // The command line acts as the installation operator, like `certus export soa`.
  Actor operator_actor = Actor::System();
  operator_actor.role = Role::kAdmin;
  const auto report = CERTUS_TRY(app.risk_register().ImportRisks(
      operator_actor, OrgId(org), text, dry_run ? risk::DryRun::kYes : risk::DryRun::kNo));
  const auto rows = report.created + report.updated;
  if (!report.errors.empty()) {
    err << fmt::format("{} problems in {}; nothing would be imported:\n", report.errors.size(),
                       path);
    for (const auto& problem : report.errors) {
      err << fmt::format("  line {}: {}: {}\n", problem.line, problem.field, problem.message);
    }
    return 65;  // EX_DATAERR, as for an invalid import file
  }
  out << fmt::format("Validated {} rows\n", rows);
  out << fmt::format("{} {} risks, {} {} risks{}\n", dry_run ? "Would create" : "Created",
                     report.created, dry_run ? "would update" : "updated", report.updated,
                     dry_run ? " (dry run: nothing written)" : "");
  return 0;
}

}  // namespace certus::cli
