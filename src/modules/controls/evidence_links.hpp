#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "modules/controls/model.hpp"
#include "storage/database.hpp"

namespace certus::controls {

/// The seam through which the SoA learns which evidence (ISO 27001 7.5) shows that its
/// controls operate, without the controls module depending on the evidence module: the
/// evidence module implements it and the composition root hands it to ControlService
/// (docs/adr/0007-evidence-blob-store.md). Implementations must be thread-safe.
class EvidenceLinks {
 public:
  virtual ~EvidenceLinks() = default;
  /// The evidence of `org` linked to each of `controls` (archived evidence included and
  /// flagged), by evidence ref; controls without evidence are absent. Runs in the caller's
  /// transaction, so it sees the caller's own changes. Errors are database failures.
  virtual Expected<std::map<ControlId, std::vector<LinkedEvidence>>> ForControls(
      storage::Transaction& tx, const OrgId& org, const std::vector<ControlId>& controls) = 0;
};

}  // namespace certus::controls
