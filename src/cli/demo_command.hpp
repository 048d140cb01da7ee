#pragma once

#include <filesystem>
#include <ostream>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "storage/database.hpp"

namespace certus::cli {

/// The name of the sample organization `certus demo` adds.
inline constexpr std::string_view kDemoOrgName = "Northwind Cloud";

/// `certus demo`: adds the sample organization "Northwind Cloud" (a SaaS company of about 180
/// staff hosted on a public cloud) with a year of ISMS history, written through the services
/// exactly as people would have typed it, each change audit-logged. The services run on a
/// clock that walks from a year ago to today, so every record and audit event carries the
/// date it would have had. The installation admins become admins of the organization; the
/// demo's people are added as users who cannot sign in (random passwords nobody knows).
/// Refuses (exit status 1, nothing changed) when an organization of that name exists; fails
/// with kConflict before `certus init`. The story ends on `today` (the wall clock for the
/// command, a fixed moment in tests). Prints what it created to `out`. Returns the exit status.
Expected<int> Demo(storage::Database& db, Random& random, Timestamp today,
                   const std::filesystem::path& blob_dir, std::ostream& out, std::ostream& err);

}  // namespace certus::cli
