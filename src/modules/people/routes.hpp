#pragma once

#include "http/router.hpp"
#include "modules/people/service.hpp"

namespace certus::people {

/// /api/v1/orgs/{org}/people[/{id}[/competence-evidence[/{evidence_id}]]],
/// /competences[/{id}], /competence-gaps, /trainings[/{id}[/completions]] and /awareness.
void AddRoutes(http::Router& router, PeopleService& service);

}  // namespace certus::people
