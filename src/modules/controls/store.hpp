#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/controls/model.hpp"
#include "storage/database.hpp"

namespace certus::controls {

/// SQL for the SoA rows and the approved SoA versions. Every function runs in the caller's
/// transaction. A control is read with its owner's email and the risks linking it.
///
/// Two read-only joins leave the module's own tables, accepted so that a page of controls
/// costs a fixed number of queries: `users` (the owner's email, as identity stores it) and
/// `risk_controls` joined with `risks` (the risk register's links, which the risk module
/// writes). Nothing here writes another module's table.
class ControlStore final {
 public:
  using Tx = storage::Transaction;

  /// Sort fields the store can order by (PageQuery::sort).
  static const std::vector<std::string>& SortFields();

  /// Whether the organization has any row of `framework_id` (i.e. has been seeded).
  Expected<bool> HasFrameworkRows(Tx& tx, const OrgId& org, const std::string& framework_id);
  /// Inserts `control` unless its ref_id exists in the organization; true when inserted.
  Expected<bool> InsertIfAbsent(Tx& tx, const Control& control);
  Expected<std::optional<Control>> Find(Tx& tx, const OrgId& org, const ControlId& id);
  Expected<std::optional<Control>> FindByRef(Tx& tx, const OrgId& org, const std::string& ref_id);
  Expected<Page<Control>> List(Tx& tx, const OrgId& org, const ControlFilter& filter,
                               const PageQuery& page);
  /// The id, ref and title of each of `ids` that is a control of `org`, in natural ref
  /// order; ids of other organizations and unknown ids are absent.
  Expected<std::vector<ControlSummary>> Summaries(Tx& tx, const OrgId& org,
                                                  const std::vector<ControlId>& ids);
  /// Every row of the organization in natural ref order.
  Expected<std::vector<Control>> ListAll(Tx& tx, const OrgId& org);
  /// The same rows without the risks that link them (for the SoA's summary).
  Expected<std::vector<Control>> ListDecisions(Tx& tx, const OrgId& org);
  /// Writes `control` if the stored version is `expected_version`; false when stale.
  Expected<bool> Update(Tx& tx, const Control& control, std::int64_t expected_version);
  Expected<bool> Delete(Tx& tx, const OrgId& org, const ControlId& id,
                        std::int64_t expected_version);

  Expected<void> InsertVersion(Tx& tx, const SoaVersion& version);
  /// Newest first; rows_json is left empty.
  Expected<Page<SoaVersion>> ListVersions(Tx& tx, const OrgId& org, const PageQuery& page);
  Expected<std::optional<SoaVersion>> FindVersion(Tx& tx, const OrgId& org, std::int64_t number);
  Expected<std::optional<SoaVersion>> LatestVersion(Tx& tx, const OrgId& org);

 private:
  Expected<void> LoadRisks(Tx& tx, std::vector<Control>& controls);
};

}  // namespace certus::controls
