#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "cli/app.hpp"
#include "core/error.hpp"

namespace certus::cli {

/// `certus import oscal-catalog FILE [--key K]`: imports an OSCAL catalog as the
/// installation operator and prints the framework's id, key and counts to `out`. kNotFound
/// when the file cannot be read; the service's errors otherwise (kMalformed, kValidation,
/// kConflict).
Expected<int> ImportOscalCatalogFile(App& app, const std::string& path,
                                     const std::optional<std::string>& key, std::ostream& out);

/// `certus import mappings FILE [--target-framework K]`: imports a mapping CSV, all or
/// nothing, and prints how many mappings it holds.
Expected<int> ImportMappingsFile(App& app, const std::string& path,
                                 const std::optional<std::string>& target_framework,
                                 bool skip_missing, std::ostream& out);

/// `certus import risks FILE --org ID [--dry-run]`: imports a risk register CSV into
/// organization `org` as the installation operator (an admin's rights), all or nothing, and
/// prints how many risks it created and updated (or, for a dry run, would). An invalid file
/// fails with kValidation naming each problem as "line N: column"; a dry run prints its
/// problems to `err` and answers 65 (EX_DATAERR) without failing.
Expected<int> ImportRisksFile(App& app, const std::string& path, const std::string& org,
                              bool dry_run, std::ostream& out, std::ostream& err);

}  // namespace certus::cli
