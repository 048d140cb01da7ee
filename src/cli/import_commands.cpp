#include "cli/import_commands.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "interchange/oscal.hpp"
#include "modules/controls/framework_service.hpp"

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
                                 std::ostream& out) {
  const std::string text = CERTUS_TRY(ReadFile(path));
  auto rows = interchange::ParseMappingCsv(text);
  if (!rows) return Fail(rows.error());
  const auto count =
      CERTUS_TRY(app.frameworks().ImportMappings(Actor::System(), *rows, target_framework));
  out << fmt::format("Imported {} mappings from {}\n", count, path);
  return 0;
}

}  // namespace certus::cli
