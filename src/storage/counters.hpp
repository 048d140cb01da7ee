#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace certus::storage {

/// The next number of a per-organization sequence (`context_issue` → 1, 2, 3, …), for
/// human references such as CTX-0001. Runs in the caller's write transaction; the UPDATE
/// serializes concurrent callers on both engines.
Expected<std::int64_t> NextCounter(Transaction& tx, const std::string& org_id,
                                   const std::string& name);

/// `prefix` and the number padded to four digits: `CTX-0007`.
std::string FormatRef(const std::string& prefix, std::int64_t number);

}  // namespace certus::storage
