#include "storage/counters.hpp"

#include <fmt/format.h>

namespace certus::storage {

Expected<std::int64_t> NextCounter(Transaction& tx, const std::string& org_id,
                                   const std::string& name) {
  // The INSERT makes sure a row exists to lock, even when two first callers race.
  CERTUS_TRY(
      tx.Execute("INSERT INTO org_counters (org_id, name, value) VALUES ($1, $2, 0) "
                 "ON CONFLICT (org_id, name) DO NOTHING",
                 {org_id, name}));
  auto updated = CERTUS_TRY(tx.Execute(
      "UPDATE org_counters SET value = value + 1 WHERE org_id = $1 AND name = $2 RETURNING value",
      {org_id, name}));
  return updated.rows.at(0).Int(0);
}

std::string FormatRef(const std::string& prefix, std::int64_t number) {
  return fmt::format("{}-{:04}", prefix, number);
}

}  // namespace certus::storage
