#pragma once

#include <ostream>
#include <string>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "modules/readiness/model.hpp"

namespace certus::cli {

/// `certus readiness --org ID [--as-of DATE] [--format text|json]`: the evaluation of
/// GET /api/v1/orgs/{org}/readiness, as the installation operator. Prints the same JSON as
/// the API, or a clause-by-clause text; exit status 0 when ready for stage 2, 1 otherwise.
Expected<int> Readiness(App& app, const std::string& org, const std::string& as_of,
                        const std::string& format, std::ostream& out);

/// The readable form: clause, requirement, check, with each failing record.
void PrintReadiness(const readiness::Report& report, std::ostream& out);

}  // namespace certus::cli
