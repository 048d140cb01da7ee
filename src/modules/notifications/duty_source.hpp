#pragma once

#include <vector>

#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "core/time.hpp"
#include "modules/tasks/model.hpp"

namespace certus::notifications {

/// Where the reminders come from: the dated duties of an organization. The tasks module
/// implements it (TaskService::DueBy) and the composition root wires it, so that this
/// module does not depend on tasks. Implementations are thread-safe and open their own
/// read transactions.
class DutySource {
 public:
  virtual ~DutySource() = default;
  /// Every open task of `org` due on or before `to`.
  virtual Expected<std::vector<tasks::Task>> DueBy(const OrgId& org, Date to) = 0;
};

}  // namespace certus::notifications
