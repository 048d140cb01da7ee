#include "modules/people/document_acknowledgments.hpp"

namespace certus::people {

Expected<PolicyReading> DocumentAcknowledgments::Reading(const Actor& actor, const OrgId& org) {
  PolicyReading reading;
  PageQuery page{.sort = "created_at", .descending = false, .limit = 500, .after = std::nullopt};
  while (true) {
    auto documents = CERTUS_TRY(
        documents_.ListDocuments(actor, org, documents::DocumentFilter{}, false, false, page));
    for (const auto& document : documents.items) {
      // Only the current published version is read and acknowledged (5.2 f, 7.3 a).
      if (!document.published_version) continue;
      auto round = CERTUS_TRY(documents_.Acknowledgments(actor, org, document.id));
      for (const auto& done : round.acknowledged) reading.readers.insert(UserId(done.user_id));
      for (const auto& owed : round.pending) {
        reading.readers.insert(UserId(owed.user_id));
        reading.pending.insert(UserId(owed.user_id));
      }
    }
    if (!documents.next) break;
    page.after = documents.next;
  }
  return reading;
}

}  // namespace certus::people
