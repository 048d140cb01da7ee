#pragma once

#include "modules/documents/service.hpp"
#include "modules/people/policy_acknowledgments.hpp"

namespace certus::people {

/// PolicyAcknowledgments over DocumentService's public API: every document with a published
/// version, and its acknowledgment round (the distribution expanded to members, who has
/// acknowledged the published version). Borrows the document service. Thread-safe.
class DocumentAcknowledgments final : public PolicyAcknowledgments {
 public:
  explicit DocumentAcknowledgments(documents::DocumentService& documents) : documents_(documents) {}

  Expected<PolicyReading> Reading(const Actor& actor, const OrgId& org) override;

 private:
  documents::DocumentService& documents_;
};

}  // namespace certus::people
