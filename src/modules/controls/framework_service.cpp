#include "modules/controls/framework_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/time.hpp"
#include "core/uuid.hpp"
#include "modules/controls/catalog.hpp"
#include "modules/controls/framework_json.hpp"

namespace certus::controls {

namespace {

constexpr std::size_t kKeyMax = 64;
constexpr std::size_t kMaxLineErrors = 100;
constexpr std::string_view kBuiltinTitle = "ISO/IEC 27001:2022";

Expected<void> CheckCanRead(const Actor& actor) {
  if (actor.user_id.empty() && !actor.installation_admin) {
    return Fail(ErrorCode::kUnauthenticated, "Sign in to read frameworks.");
  }
  return {};
}

Error FrameworkNotFound() { return Error::NotFound("Framework"); }

/// A slug of a catalog title: "NIST SP 800-53 Rev 5" -> "nist-sp-800-53-rev-5".
std::string Slug(std::string_view title) {
  std::string slug;
  for (char c : title) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      slug += c;
    } else if (c >= 'A' && c <= 'Z') {
      slug += static_cast<char>(c - 'A' + 'a');
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= kKeyMax) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

std::string Inverse(const std::string& relationship) {
  if (relationship == "subset") return "superset";
  if (relationship == "superset") return "subset";
  return relationship;
}

auditlog::Event InstallationEvent(const Actor& actor, std::string type, std::string id,
                                  std::string action, boost::json::value after) {
  return {std::string(auditlog::kInstallationChain),
          actor.user_id.str(),
          actor.email,
          std::move(type),
          std::move(id),
          std::move(action),
          nullptr,
          std::move(after),
          actor.request_id};
}

/// The title of the top-level group each entry sits in (OSCAL controls have no theme of
/// their own; the family is the closest thing to ISO's Annex A themes).
std::vector<std::string> Themes(const std::vector<interchange::CatalogEntry>& entries) {
  std::unordered_map<std::string_view, const interchange::CatalogEntry*> by_ref;
  for (const auto& entry : entries) by_ref.emplace(entry.ref_id, &entry);
  std::vector<std::string> themes;
  themes.reserve(entries.size());
  for (const auto& entry : entries) {
    const interchange::CatalogEntry* top = &entry;
    // Bounded by the number of entries, so a malformed parent cycle cannot loop forever.
    for (std::size_t depth = 0; depth < entries.size() && !top->parent_ref.empty(); ++depth) {
      auto parent = by_ref.find(top->parent_ref);
      if (parent == by_ref.end()) break;
      top = parent->second;
    }
    themes.push_back(top->kind == "group" ? top->title : std::string());
  }
  return themes;
}

}  // namespace

std::string FrameworkService::KeyProblem(std::string_view key) {
  if (key.empty() || key.size() > kKeyMax) {
    return fmt::format("must be 1 to {} characters", kKeyMax);
  }
  const bool valid = std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
  const bool starts_well =
      (key.front() >= 'a' && key.front() <= 'z') || (key.front() >= '0' && key.front() <= '9');
  if (!valid || !starts_well) {
    return "must be lowercase letters, digits, '-', '.' or '_', starting with a letter or digit";
  }
  return {};
}

Expected<void> FrameworkService::EnsureBuiltins() {
  if (builtins_ready_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(builtins_mutex_);
  if (builtins_ready_.load(std::memory_order_relaxed)) return {};

  const std::vector<CatalogRow>& rows = Iso27001Catalog();
  const FrameworkId id{std::string(kIso27001Id)};
  // Usually another process (or an earlier run) installed it: one read answers that.
  auto complete = storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
    auto framework = CERTUS_TRY(store_.FindFramework(tx, id));
    return framework && framework->requirement_count >= static_cast<std::int64_t>(rows.size());
  });
  if (!complete) return Fail(complete.error());
  if (!*complete) {
    CERTUS_CHECK(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
      Framework framework;
      framework.id = id;
      framework.key = std::string(kIso27001Id);
      framework.title = std::string(kBuiltinTitle);
      framework.version = "2022";
      framework.source = FrameworkSource::kBuiltin;
      framework.created_at = FormatTimestamp(clock_.Now());
      framework.created_by = "system";
      // Shipped reference data, not a change anybody made: no audit event. Rows that exist
      // (another process won the race) are left as they are.
      CERTUS_TRY(store_.InsertFramework(tx, framework));
      std::vector<Requirement> requirements;
      requirements.reserve(rows.size());
      std::int64_t order = 0;
      for (const CatalogRow& row : rows) {
        Requirement requirement;
        requirement.id = RequirementId(NewUuid(clock_, random_));
        requirement.framework_id = id;
        requirement.ref_id = row.ref_id;
        requirement.kind = row.kind;
        requirement.title = row.title;
        if (!row.parent.empty()) requirement.parent_ref = row.parent;
        requirement.theme = row.theme;
        requirement.attributes = {row.control_type, row.security_properties,
                                  row.cybersecurity_concepts, row.operational_capabilities,
                                  row.security_domains};
        requirement.sort_order = ++order;
        requirements.push_back(std::move(requirement));
      }
      return store_.InsertRequirements(tx, requirements);
    }));
  }
  builtins_ready_.store(true, std::memory_order_release);
  return {};
}

Expected<Framework> FrameworkService::Resolve(storage::Transaction& tx,
                                              const std::string& id_or_key) {
  if (auto framework = CERTUS_TRY(store_.FindFramework(tx, FrameworkId(id_or_key)))) {
    return *framework;
  }
  if (auto framework = CERTUS_TRY(store_.FindFrameworkByKey(tx, id_or_key))) return *framework;
  return Fail(FrameworkNotFound());
}

Expected<std::vector<Framework>> FrameworkService::ListFrameworks(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  CERTUS_CHECK(EnsureBuiltins());
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListFrameworks(tx); });
}

Expected<Framework> FrameworkService::GetFramework(const Actor& actor,
                                                   const std::string& id_or_key) {
  CERTUS_CHECK(CheckCanRead(actor));
  CERTUS_CHECK(EnsureBuiltins());
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return Resolve(tx, id_or_key); });
}

Expected<Page<Requirement>> FrameworkService::ListRequirements(const Actor& actor,
                                                               const std::string& id_or_key,
                                                               const RequirementFilter& filter,
                                                               const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  CERTUS_CHECK(EnsureBuiltins());
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<Page<Requirement>> {
        auto framework = CERTUS_TRY(Resolve(tx, id_or_key));
        return store_.ListRequirements(tx, framework.id, filter, page);
      });
}

Expected<void> FrameworkService::CheckCanImport(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (actor.installation_admin) return {};
  for (const auto& membership : CERTUS_TRY(identity_.OrgsOf(actor.user_id))) {
    if (membership.role >= Role::kManager) return {};
  }
  return Fail(ErrorCode::kPermissionDenied,
              "Only admins and managers of an organization may import frameworks and mappings.");
}

Expected<ImportedFramework> FrameworkService::Import(const Actor& actor,
                                                     const interchange::Catalog& catalog,
                                                     const std::optional<std::string>& key) {
  CERTUS_CHECK(CheckCanImport(actor));
  CERTUS_CHECK(EnsureBuiltins());
  std::string chosen_key = key ? *key : Slug(catalog.title);
  if (!key && chosen_key.empty()) chosen_key = "oscal-" + catalog.uuid.substr(0, 8);
  if (auto problem = KeyProblem(chosen_key); !problem.empty()) {
    return Fail(Error::Field("key", problem));
  }

  ImportedFramework imported;
  Framework& framework = imported.framework;
  framework.id = FrameworkId(NewUuid(clock_, random_));
  framework.key = chosen_key;
  framework.title = catalog.title;
  framework.version = catalog.version;
  framework.source = FrameworkSource::kOscal;
  framework.oscal_uuid = catalog.uuid;
  framework.oscal_version = catalog.oscal_version;
  framework.created_at = FormatTimestamp(clock_.Now());
  framework.created_by = actor.email;
  framework.requirement_count = static_cast<std::int64_t>(catalog.entries.size());

  const std::vector<std::string> themes = Themes(catalog.entries);
  std::vector<Requirement> requirements;
  requirements.reserve(catalog.entries.size());
  for (std::size_t i = 0; i < catalog.entries.size(); ++i) {
    const interchange::CatalogEntry& entry = catalog.entries[i];
    Requirement requirement;
    requirement.id = RequirementId(NewUuid(clock_, random_));
    requirement.framework_id = framework.id;
    requirement.ref_id = entry.ref_id;
    requirement.kind = entry.kind;
    requirement.title = entry.title;
    if (!entry.parent_ref.empty()) requirement.parent_ref = entry.parent_ref;
    requirement.theme = themes[i];
    requirement.text = entry.statement;
    requirement.guidance = entry.guidance;
    requirement.label = entry.label;
    requirement.withdrawn = entry.withdrawn;
    requirement.params = entry.params;
    requirement.parts = entry.parts;
    requirement.sort_order = static_cast<std::int64_t>(i) + 1;
    if (entry.kind == "group") ++imported.counts.groups;
    if (entry.kind == "control") ++imported.counts.controls;
    if (entry.kind == "enhancement") ++imported.counts.enhancements;
    requirements.push_back(std::move(requirement));
  }

  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ImportedFramework> {
        if (auto existing =
                CERTUS_TRY(store_.FindFrameworkByOscal(tx, catalog.uuid, catalog.version))) {
          return Fail(ErrorCode::kConflict,
                      fmt::format("This catalog (uuid {}, version {}) was imported before as "
                                  "\"{}\".",
                                  catalog.uuid, catalog.version, existing->key));
        }
        if (CERTUS_TRY(store_.FindFrameworkByKey(tx, chosen_key))) {
          return Fail(ErrorCode::kConflict,
                      fmt::format("The key \"{}\" is taken by another framework; choose "
                                  "another key.",
                                  chosen_key));
        }
        // A concurrent import of the same catalog or key inserts nothing here.
        if (!CERTUS_TRY(store_.InsertFramework(tx, framework))) {
          return Fail(ErrorCode::kConflict, "The same catalog or key was imported just now.");
        }
        CERTUS_CHECK(store_.InsertRequirements(tx, requirements));
        CERTUS_CHECK(audit_log_.Append(tx, InstallationEvent(actor, "framework", framework.id.str(),
                                                             "import", ToJson(imported))));
        return imported;
      });
}

Expected<FrameworkService::MappingImport> FrameworkService::ImportMappings(
    const Actor& actor, const std::vector<interchange::MappingRow>& rows,
    const std::optional<std::string>& target_override, bool skip_missing_refs) {
  CERTUS_CHECK(CheckCanImport(actor));
  CERTUS_CHECK(EnsureBuiltins());
  if (rows.empty()) return Fail(Error::Field("body", "holds no mappings"));
  const std::vector<std::string>& relationships = MappingRelationships();

  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<MappingImport> {
    struct Known {
      Framework framework;
      std::set<std::string, std::less<>> refs;
    };
    // Frameworks by key, loaded once each; nullopt for keys that name none.
    std::map<std::string, std::optional<Known>, std::less<>> known;
    auto lookup = [&](const std::string& key) -> Expected<const Known*> {
      auto found = known.find(key);
      if (found == known.end()) {
        std::optional<Known> entry;
        if (auto framework = CERTUS_TRY(store_.FindFrameworkByKey(tx, key))) {
          entry = Known{*framework, CERTUS_TRY(store_.RefIds(tx, framework->id))};
        }
        found = known.emplace(key, std::move(entry)).first;
      }
      return found->second ? &*found->second : nullptr;
    };

    if (target_override) {
      if (!CERTUS_TRY(lookup(*target_override))) {
        return Fail(Error::Field("target_framework",
                                 "no framework has the key \"" + *target_override + "\""));
      }
    }

    std::vector<FieldError> errors;
    std::int64_t skipped = 0;
    std::vector<Mapping> mappings;
    mappings.reserve(rows.size());
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& row : rows) {
      const std::string field = fmt::format("line {}", row.line);
      const std::string& target_key = target_override ? *target_override : row.target_framework;
      const Known* source = CERTUS_TRY(lookup(row.source_framework));
      const Known* target = CERTUS_TRY(lookup(target_key));
      std::vector<std::string> problems;
      const bool refs_missing = (source && !source->refs.contains(row.source_ref)) ||
                                (target && !target->refs.contains(row.target_ref));
      if (skip_missing_refs && source && target && refs_missing) {
        ++skipped;
        continue;
      }
      if (!source) problems.push_back("no framework has the key \"" + row.source_framework + "\"");
      if (!target) problems.push_back("no framework has the key \"" + target_key + "\"");
      if (source && !source->refs.contains(row.source_ref)) {
        problems.push_back("\"" + row.source_ref + "\" is not a requirement of " +
                           row.source_framework);
      }
      if (target && !target->refs.contains(row.target_ref)) {
        problems.push_back("\"" + row.target_ref + "\" is not a requirement of " + target_key);
      }
      if (source && target && source->framework.id == target->framework.id) {
        problems.push_back("source and target must be different frameworks");
      }
      if (std::find(relationships.begin(), relationships.end(), row.relationship) ==
          relationships.end()) {
        problems.push_back(
            "relationship must be one of: equivalent, subset, superset, "
            "intersects, related");
      }
      // A file wrong on every line would otherwise answer with a problem as long as itself.
      for (auto& problem : problems) {
        if (errors.size() < kMaxLineErrors) errors.push_back({field, std::move(problem)});
      }
      if (!problems.empty()) continue;
      mappings.push_back({source->framework.id, row.source_ref, target->framework.id,
                          row.target_ref, row.relationship});
      pairs.emplace(row.source_framework, target_key);
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));

    CERTUS_CHECK(store_.UpsertMappings(tx, mappings));
    std::set<std::tuple<std::string, std::string, std::string, std::string>> distinct;
    for (const auto& m : mappings) {
      distinct.emplace(m.source_framework_id.str(), m.source_ref, m.target_framework_id.str(),
                       m.target_ref);
    }
    const auto count = static_cast<std::int64_t>(distinct.size());
    if (count == 0) return MappingImport{0, skipped};
    boost::json::array pair_json;
    std::string object_id;
    for (const auto& [source, target] : pairs) {
      pair_json.push_back(
          boost::json::object{{"source_framework", source}, {"target_framework", target}});
      if (!object_id.empty()) object_id += ',';
      object_id.append(source).append(">").append(target);
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, InstallationEvent(actor, "framework_mappings", object_id, "import",
                              boost::json::object{{"imported", count},
                                                  {"skipped", skipped},
                                                  {"frameworks", std::move(pair_json)}})));
    return MappingImport{count, skipped};
  });
}

Expected<std::vector<Mapping>> FrameworkService::Oriented(storage::Transaction& tx,
                                                          const FrameworkId& framework,
                                                          const std::optional<FrameworkId>& other) {
  auto stored = CERTUS_TRY(store_.MappingsTouching(tx, framework, other));
  struct Sorted {
    std::int64_t own_order;
    std::string other_framework;
    std::int64_t other_order;
    Mapping mapping;
  };
  std::vector<Sorted> sorted;
  sorted.reserve(stored.size());
  for (auto& entry : stored) {
    Mapping& m = entry.mapping;
    if (m.source_framework_id == framework) {
      sorted.push_back(
          {entry.source_order, m.target_framework_id.str(), entry.target_order, std::move(m)});
    } else {
      sorted.push_back({entry.target_order, m.source_framework_id.str(), entry.source_order,
                        Mapping{m.target_framework_id, m.target_ref, m.source_framework_id,
                                m.source_ref, Inverse(m.relationship)}});
    }
  }
  std::sort(sorted.begin(), sorted.end(), [](const Sorted& a, const Sorted& b) {
    return std::tie(a.own_order, a.mapping.source_ref, a.other_framework, a.other_order,
                    a.mapping.target_ref) < std::tie(b.own_order, b.mapping.source_ref,
                                                     b.other_framework, b.other_order,
                                                     b.mapping.target_ref);
  });
  std::vector<Mapping> mappings;
  mappings.reserve(sorted.size());
  for (auto& entry : sorted) mappings.push_back(std::move(entry.mapping));
  return mappings;
}

Expected<std::vector<Mapping>> FrameworkService::ListMappings(
    const Actor& actor, const std::string& id_or_key, const std::optional<std::string>& target) {
  CERTUS_CHECK(CheckCanRead(actor));
  CERTUS_CHECK(EnsureBuiltins());
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<Mapping>> {
        auto framework = CERTUS_TRY(Resolve(tx, id_or_key));
        std::optional<FrameworkId> other;
        if (target) other = CERTUS_TRY(Resolve(tx, *target)).id;
        return Oriented(tx, framework.id, other);
      });
}

Expected<std::vector<Mapping>> FrameworkService::MappingsBetween(const std::string& framework_a,
                                                                 const std::string& framework_b) {
  CERTUS_CHECK(EnsureBuiltins());
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<Mapping>> {
        auto a = CERTUS_TRY(Resolve(tx, framework_a));
        auto b = CERTUS_TRY(Resolve(tx, framework_b));
        return Oriented(tx, a.id, b.id);
      });
}

}  // namespace certus::controls
