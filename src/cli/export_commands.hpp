#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/app.hpp"
#include "core/error.hpp"

namespace certus::cli {

/// `certus export soa`: writes the Statement of Applicability of organization `org` (the
/// current one, or approved version `version`) as `format` (xlsx, pdf, csv, json, oscal) to
/// the file `out`. The command line acts as the installation operator, with an admin's
/// reading rights in every organization. Returns the exit status.
Expected<int> ExportSoa(App& app, const std::string& org, const std::string& format,
                        std::optional<std::int64_t> version, const std::string& out);

/// `certus export risks --org ID --format csv|xlsx --out FILE`: writes the risk register of
/// organization `org` (AssessmentService::RegisterTable, the columns of the register export)
/// as the installation operator. Returns the exit status.
Expected<int> ExportRisks(App& app, const std::string& org, const std::string& format,
                          const std::string& out);

/// `certus export certification-pack --org ID [--as-of DATE] --output FILE`: writes the
/// certification pack of organization `org` as of `as_of` (YYYY-MM-DD; empty for today) to
/// the file `out`, as the installation operator; the audit log records the export. Returns
/// the exit status.
Expected<int> ExportCertificationPack(App& app, const std::string& org, const std::string& as_of,
                                      const std::string& out);

}  // namespace certus::cli
