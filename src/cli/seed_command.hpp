#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/strong_id.hpp"
#include "storage/database.hpp"

namespace certus::cli {

/// How many records of each kind `certus seed` writes into one organization.
struct SeedVolume {
  int people = 36;  ///< members; owners are chosen among them
  std::int64_t assets = 0;
  std::int64_t risks = 0;
  std::int64_t controls = 0;  ///< the 93 Annex A controls plus custom ones up to this
  std::int64_t evidence = 0;
  std::int64_t documents = 0;
  std::int64_t events = 0;  ///< the organization's audit chain ends at this length
};

/// The sizes of `--org-size`: L is 100,000 risks, 20,000 assets, 1,000 controls, 200,000
/// evidence records, 5,000 documents and 1,000,000 audit events; XL doubles L, M is a tenth
/// of it and S a hundredth. nullopt for an unknown name.
std::optional<SeedVolume> SeedVolumeOf(std::string_view size);
/// The small organizations `--tenants` adds.
SeedVolume TenantVolume();

struct SeedOptions {
  std::string size = "S";  ///< for names and the summary
  SeedVolume volume;
  int tenants = 0;
  SeedVolume tenant_volume = TenantVolume();
  std::uint64_t seed = 1;
  /// The story ends here (history spreads over the year before): the wall clock for the
  /// command, a fixed moment in tests.
  Timestamp today;
  std::filesystem::path blob_dir;
  /// The SQLite file (its size is reported), empty for PostgreSQL or memory.
  std::filesystem::path database_file;
  /// A progress line per phase (counts, elapsed time) as each phase ends.
  bool progress = false;
  /// With progress: rewrite the line in place as the phase advances (a terminal).
  bool live = false;
  /// Also issue a manager API token for the large organization and print it (benchmarks).
  bool token = false;
  /// Service calls per commit.
  std::int64_t batch = 10000;
};

/// One seeded organization.
struct SeededOrg {
  OrgId id;
  std::string name;
  std::map<std::string, std::int64_t> counts;  ///< records written, by kind
  std::int64_t events = 0;                     ///< length of its audit chain
  std::string token;  ///< the API token issued with SeedOptions::token (shown once)
};

/// Writes the organizations of `options` into `db` through the modules' services (ADR 0016):
/// the large one, then `tenants` small ones, each with members, an approved methodology,
/// its SoA decided plus custom controls, assets, risks rated and treated (mitigation with
/// controls, acceptance records above the threshold, transfers), treatment actions (some
/// overdue), evidence linked to controls (some expired or expiring), documents with approved
/// and published versions, then updates (re-ratings, action progress, evidence renewals,
/// control reviews) until the organization's audit chain holds `volume.events` events. The
/// services run on a clock walking over the year before `today`. The same seed writes the
/// same records (titles, ratings, owners, dates relative to `today`); ids and timestamps
/// differ with the day and the randomness of the installation. kConflict before `certus init`
/// or when an organization of the same name exists (nothing is written then).
Expected<std::vector<SeededOrg>> SeedOrganizations(storage::Database& db, Random& random,
                                                   const SeedOptions& options,
                                                   std::ostream& progress);

/// `certus seed`: SeedOrganizations, then a summary (counts, elapsed time, database size) on
/// `out`; progress on `err`. Returns the exit status.
Expected<int> SeedCommand(storage::Database& db, Random& random, const SeedOptions& options,
                          std::ostream& out, std::ostream& err);

}  // namespace certus::cli
