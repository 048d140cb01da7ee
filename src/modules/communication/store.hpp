#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/communication/model.hpp"
#include "storage/database.hpp"

namespace certus::communication {

/// SQL for the communication plan and the log of communications. Every function runs in
/// the caller's transaction.
class CommunicationStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& PlanItemSortFields();
  static const std::vector<std::string>& CommunicationSortFields();

  Expected<void> InsertPlanItem(Tx& tx, const PlanItem& item);
  Expected<std::optional<PlanItem>> FindPlanItem(Tx& tx, const OrgId& org, const PlanItemId& id);
  Expected<Page<PlanItem>> ListPlanItems(Tx& tx, const OrgId& org, const PlanItemFilter& filter,
                                         const PageQuery& page);
  /// Writes `item` and its audience if the stored version is `expected_version`.
  Expected<bool> UpdatePlanItem(Tx& tx, const PlanItem& item, std::int64_t expected_version);
  Expected<bool> DeletePlanItem(Tx& tx, const OrgId& org, const PlanItemId& id,
                                std::int64_t expected_version);
  /// Writes the derived dates of an item without touching its version.
  Expected<void> SetSchedule(Tx& tx, const PlanItemId& id, const std::optional<Date>& last,
                             const std::optional<Date>& next);
  /// The latest date a communication under `id` was made, if any.
  Expected<std::optional<Date>> LastCommunicatedOn(Tx& tx, const PlanItemId& id);
  Expected<std::int64_t> CountCommunications(Tx& tx, const PlanItemId& id);

  Expected<void> InsertCommunication(Tx& tx, const Communication& entry);
  Expected<std::optional<Communication>> FindCommunication(Tx& tx, const OrgId& org,
                                                           const CommunicationId& id);
  Expected<Page<Communication>> ListCommunications(Tx& tx, const OrgId& org,
                                                   const CommunicationFilter& filter,
                                                   const PageQuery& page);
  Expected<bool> UpdateCommunication(Tx& tx, const Communication& entry,
                                     std::int64_t expected_version);
  Expected<bool> DeleteCommunication(Tx& tx, const OrgId& org, const CommunicationId& id,
                                     std::int64_t expected_version);
};

}  // namespace certus::communication
