#include "storage/counters.hpp"

#include <fmt/format.h>

namespace certus::storage {

Expected<std::int64_t> NextCounter(Transaction& tx, const std::string& org_id,
                                   const std::string& name) {
  auto updated = CERTUS_TRY(tx.Execute(
      "UPDATE org_counters SET value = value + 1 WHERE org_id = $1 AND name = $2 RETURNING value",
      {org_id, name}));
  if (!updated.rows.empty()) return updated.rows[0].Int(0);
  CERTUS_TRY(tx.Execute("INSERT INTO org_counters (org_id, name, value) VALUES ($1, $2, 1)",
                        {org_id, name}));
  return 1;
}

std::string FormatRef(const std::string& prefix, std::int64_t number) {
  return fmt::format("{}-{:04}", prefix, number);
}

}  // namespace certus::storage
