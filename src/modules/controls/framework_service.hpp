#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "interchange/oscal.hpp"
#include "modules/controls/framework_model.hpp"
#include "modules/controls/framework_store.hpp"
#include "storage/database.hpp"

namespace certus::controls {

/// Framework catalogs: ISO/IEC 27001:2022 built in, more imported from OSCAL catalogs, and
/// mappings between their requirements. Installation-wide reference data: any signed-in user
/// reads; importing needs the admin or manager role in at least one organization (or an
/// installation admin, as the CLI acts). Imports are written with their audit event in the
/// "installation" chain, in one transaction. Borrows everything it is given. Thread-safe.
///
/// Frameworks are named by id; wherever a caller names one (`id_or_key`), the key works too.
class FrameworkService final {
 public:
  FrameworkService(storage::Database& db, const Clock& clock, Random& random,
                   auditlog::AuditLog& audit_log, identity::IdentityService& identity)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), identity_(identity) {}

  /// Installs the built-in ISO/IEC 27001:2022 framework (id = key = "iso27001-2022") and any
  /// of its rows that are missing, in one transaction; safe when several processes race.
  /// Costs nothing after the first success in this process. Every read calls it; callers
  /// that need the built-in rows before their own work call it first. Must not be called
  /// while the calling thread holds a transaction (it opens its own).
  Expected<void> EnsureBuiltins();

  Expected<std::vector<Framework>> ListFrameworks(const Actor& actor);
  /// kNotFound when no framework has that id or key.
  Expected<Framework> GetFramework(const Actor& actor, const std::string& id_or_key);
  Expected<Page<Requirement>> ListRequirements(const Actor& actor, const std::string& id_or_key,
                                               const RequirementFilter& filter,
                                               const PageQuery& page);

  /// kPermissionDenied unless the actor may import frameworks and mappings.
  Expected<void> CheckCanImport(const Actor& actor);
  /// Imports every group, control and enhancement of `catalog`, in catalog order, in one
  /// transaction. `key` defaults to a slug of the catalog's title. kValidation (field "key")
  /// for a malformed key; kConflict when the same OSCAL uuid and version was imported
  /// before or the key is taken.
  Expected<ImportedFramework> Import(const Actor& actor, const interchange::Catalog& catalog,
                                     const std::optional<std::string>& key);
  /// Adds or updates mappings between requirements; `target_override` (a framework key)
  /// replaces every row's target framework. All or nothing: kValidation naming each bad
  /// line ("line 7") when a framework or requirement does not exist — unless
  /// `skip_missing_refs`: then rows whose frameworks exist but whose requirement does not
  /// (a mapping to the whole NIST catalog imported against a baseline) are skipped and
  /// counted. Returns how many distinct mappings were imported and how many rows skipped.
  struct MappingImport {
    std::int64_t imported = 0;
    std::int64_t skipped = 0;
  };
  Expected<MappingImport> ImportMappings(const Actor& actor,
                                         const std::vector<interchange::MappingRow>& rows,
                                         const std::optional<std::string>& target_override,
                                         bool skip_missing_refs = false);
  /// The mappings of one framework (to `target` only, when given), in either stored
  /// direction, seen from that framework: its requirement is always `source_ref`, and a
  /// mapping stored the other way round reports the inverse relationship (subset and
  /// superset swap). In catalog order.
  Expected<std::vector<Mapping>> ListMappings(const Actor& actor, const std::string& id_or_key,
                                              const std::optional<std::string>& target);
  /// The mappings between two frameworks (ids or keys), in either stored direction, seen
  /// from `framework_a` as ListMappings does. For services (no actor): the SoA's coverage.
  Expected<std::vector<Mapping>> MappingsBetween(const std::string& framework_a,
                                                 const std::string& framework_b);

  /// The problem with a framework key (a lowercase slug), or empty when it is acceptable.
  static std::string KeyProblem(std::string_view key);

 private:
  Expected<Framework> Resolve(storage::Transaction& tx, const std::string& id_or_key);
  Expected<std::vector<Mapping>> Oriented(storage::Transaction& tx, const FrameworkId& framework,
                                          const std::optional<FrameworkId>& other);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  FrameworkStore store_;
  std::mutex builtins_mutex_;
  std::atomic<bool> builtins_ready_{false};
};

}  // namespace certus::controls
