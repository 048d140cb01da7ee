#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::tasks {

/// One dated duty of the ISMS, wherever it is recorded: a treatment action of a risk, a
/// corrective action, a management review action, a document due for review, a risk due for
/// review, an audit, a management review, evidence that expires, a training, a measurement
/// of a metric. Tasks are not stored: TaskService reads them from the modules that own them,
/// so they are always as current as their source. Recurring activities (the yearly management
/// review, the risk reassessment per methodology, the audits of a programme) appear as tasks
/// with `scheduled` set until the module records them.
struct Task {
  /// "treatment_action", "corrective_action", "review_action", "document_review",
  /// "risk_review", "risk_reassessment", "audit", "management_review", "evidence_expiry",
  /// "training", "measurement".
  std::string kind;
  /// The record the duty belongs to, for links: its type ("risk", "nonconformity",
  /// "management_review", "document", "audit", "evidence", "training", "metric",
  /// "audit_programme", "risk_assessment") and id; `ref` is its human reference
  /// ("R-0003", "NC-0002", "DOC-0004") or empty when it has none.
  std::string source_type;
  std::string source_id;
  std::string ref;
  /// What is due, in words: "Review document DOC-0004 Access control policy".
  std::string title;
  /// Who the duty falls to; empty when the source names nobody.
  std::optional<UserId> owner;
  Date due;
  /// A recurring activity computed from a schedule (no record yet), not a stored duty.
  bool scheduled = false;
  /// A stable key for the duty, unique within the organization:
  /// "<kind>:<source_id>[:<sub-id>]:<due YYYY-MM-DD>". Reminders use it so that no reminder
  /// for the same duty and due date is ever sent twice.
  std::string key;
};

/// Which tasks to list. Dates are inclusive.
struct TaskFilter {
  std::optional<UserId> assignee;
  bool overdue_only = false;  ///< due before today and not done
  std::optional<Date> due_before;
  std::optional<Date> from;
  std::optional<Date> to;
};

}  // namespace certus::tasks
