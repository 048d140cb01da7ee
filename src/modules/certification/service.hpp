#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "identity/service.hpp"
#include "modules/audits/service.hpp"
#include "modules/controls/service.hpp"
#include "modules/documents/service.hpp"
#include "modules/improvement/service.hpp"
#include "modules/readiness/service.hpp"
#include "modules/reviews/service.hpp"
#include "modules/risk/assessment_service.hpp"
#include "storage/database.hpp"

namespace certus::certification {

struct PackSettings {
  /// The largest pack built (the sum of its files' sizes); kPayloadTooLarge above. The pack
  /// is assembled in memory, so this bounds what one download holds.
  std::int64_t max_bytes = std::int64_t{512} * 1024 * 1024;
};

/// One file of the pack as the manifest describes it.
struct PackFile {
  std::string path;         ///< "documents/POL-001-information-security-policy-v2.pdf"
  std::string description;  ///< what the file is, for manifest.json and the overview
  std::int64_t size = 0;
  std::string sha256;
};

/// A built certification pack: the ZIP and what it holds.
struct Pack {
  std::string filename;         ///< certification-pack-<org-slug>-<as-of>.zip
  std::string as_of;            ///< YYYY-MM-DD
  std::string body;             ///< the ZIP archive
  std::string sha256;           ///< of `body`
  std::string manifest_sha256;  ///< of manifest.sha256
  std::vector<PackFile> files;  ///< every member but manifest.sha256, in archive order
};

/// The certification pack (issue 7 item 5): the mandatory documented information a stage 1
/// auditor asks for, as of a day, in one ZIP: an overview PDF with the readiness verdict,
/// the Statement of Applicability (6.1.3 d), the risk register and treatment plan (6.1.2,
/// 6.1.3, 8.2, 8.3), every published document (5.2, 7.5), internal audit reports (9.2),
/// management review minutes (9.3), the nonconformity log (10.2), and a SHA-256 manifest.
///
/// Readiness, the SoA (its approved versions) and documents (their published versions) are
/// read as of the day; the other modules keep no history to read, so their current records
/// dated on or before the day are used, and the overview says so.
///
/// Admins, managers and auditors download the pack; viewers and contributors do not
/// (kPermissionDenied): the pack takes the organization's documented information out of the
/// system in one piece, for the certification body, which is a distribution decision
/// (ISO 27001 7.5.3 c) of the people who answer for the ISMS and of those who audit it, as
/// for the audit log. Each download appends a `certification_pack` `exported` event with the
/// day and the manifest's SHA-256. Borrows everything it is given. Thread-safe.
class PackService final {
 public:
  PackService(storage::Database& db, const Clock& clock, Random& random,
              auditlog::AuditLog& audit_log, identity::IdentityService& identity,
              readiness::ReadinessService& readiness, controls::ControlService& controls,
              risk::AssessmentService& risks, documents::DocumentService& documents,
              audits::AuditService& audits, reviews::ReviewService& reviews,
              improvement::NonconformityService& nonconformities, PackSettings settings = {})
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        readiness_(readiness),
        controls_(controls),
        risks_(risks),
        documents_(documents),
        audits_(audits),
        reviews_(reviews),
        nonconformities_(nonconformities),
        settings_(settings) {}

  /// kNotFound outside the organization; kPermissionDenied for viewers and contributors.
  static Expected<void> CheckCanExport(const Actor& actor);

  /// Builds the pack as of the end of `as_of` (default today) and records the download.
  /// kValidation (field as_of) for a day in the future; kPayloadTooLarge past max_bytes.
  Expected<Pack> Export(const Actor& actor, const OrgId& org, std::optional<Date> as_of);

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  readiness::ReadinessService& readiness_;
  controls::ControlService& controls_;
  risk::AssessmentService& risks_;
  documents::DocumentService& documents_;
  audits::AuditService& audits_;
  reviews::ReviewService& reviews_;
  improvement::NonconformityService& nonconformities_;
  PackSettings settings_;
};

}  // namespace certus::certification
