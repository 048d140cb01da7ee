#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "blobstore/blob_store.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/controls/evidence_links.hpp"
#include "modules/controls/service.hpp"
#include "modules/evidence/model.hpp"
#include "modules/evidence/store.hpp"
#include "storage/database.hpp"

namespace certus::evidence {

struct EvidenceSettings {
  /// The largest evidence file accepted (kPayloadTooLarge above it).
  std::int64_t max_file_bytes = std::int64_t{25} * 1024 * 1024;
};

/// Evidence (ISO 27001 7.5, 8.1): files, links and notes that show controls operate, each
/// linked to SoA rows and valid until a date. Every member reads; contributors create
/// evidence and change the evidence they own (the control owner attaches evidence);
/// managers and admins change all of it. Every change is written with its audit event in
/// one transaction.
///
/// A file's bytes go to the blob store before the row that names them is written: a failed
/// transaction leaves at most an unreferenced blob, never a row without its file. Blobs are
/// never deleted, so a replaced file stays retrievable by the SHA-256 its audit event
/// recorded. Reading a file re-hashes it; bytes that do not match are never answered
/// (blobstore::IsIntegrityFailure).
///
/// Borrows everything it is given. Thread-safe.
class EvidenceService final {
 public:
  EvidenceService(storage::Database& db, const Clock& clock, Random& random,
                  auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                  controls::ControlService& controls, blobstore::BlobStore& blobs,
                  EvidenceSettings settings = {})
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        controls_(controls),
        blobs_(blobs),
        settings_(settings) {}

  Expected<Page<Evidence>> List(const Actor& actor, const OrgId& org, const EvidenceFilter& filter,
                                const PageQuery& page);
  Expected<Evidence> Get(const Actor& actor, const OrgId& org, const EvidenceId& id);
  /// A link or a note (`input.kind`); files come through CreateFile. kValidation names every
  /// invalid field: a url that is not http(s), unknown control ids, a non-member owner,
  /// valid_until before collected_on.
  Expected<Evidence> Create(const Actor& actor, const OrgId& org, const NewEvidence& input);
  /// A file: stores the bytes and creates the record (`input.kind` is ignored).
  /// kPayloadTooLarge above settings.max_file_bytes; kValidation for an empty file or an
  /// unusable file name, and as Create.
  Expected<Evidence> CreateFile(const Actor& actor, const OrgId& org, const NewEvidence& input,
                                const FileUpload& upload);
  /// Replaces the file of file evidence with a new version; the previous blob stays, and
  /// the audit event records both hashes.
  Expected<Evidence> ReplaceFile(const Actor& actor, const OrgId& org, const EvidenceId& id,
                                 const FileUpload& upload, std::int64_t expected_version);
  Expected<Evidence> Update(const Actor& actor, const OrgId& org, const EvidenceId& id,
                            const EvidencePatch& patch, std::int64_t expected_version);
  /// The current file, or with `sha256` a past version of it (one its history records).
  /// kNotFound for evidence without a file; kInternal with blobstore::kIntegrityFailure when
  /// the stored bytes are missing or no longer match their SHA-256.
  Expected<EvidenceDownload> Download(const Actor& actor, const OrgId& org, const EvidenceId& id,
                                      const std::optional<std::string>& sha256 = std::nullopt);

  std::int64_t max_file_bytes() const { return settings_.max_file_bytes; }

 private:
  Date Today() const;
  /// Checks the rules of a whole record (after a patch), every problem at once, and
  /// normalizes its control ids.
  Expected<void> Check(storage::Transaction& tx, const OrgId& org, Evidence& evidence);
  Expected<Evidence> Insert(const Actor& actor, const OrgId& org, const NewEvidence& input,
                            std::optional<EvidenceFile> file);
  Expected<void> LoadControls(storage::Transaction& tx, const OrgId& org,
                              std::vector<Evidence>& items);
  Expected<std::optional<Evidence>> Find(storage::Transaction& tx, const OrgId& org,
                                         const EvidenceId& id);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  controls::ControlService& controls_;
  blobstore::BlobStore& blobs_;
  EvidenceSettings settings_;
  EvidenceStore store_;
};

/// The evidence module's side of controls::EvidenceLinks: built before the ControlService
/// it is given to (which EvidenceService needs), it reads links with a store of its own.
/// Borrows the clock. Thread-safe.
class ControlEvidence final : public controls::EvidenceLinks {
 public:
  explicit ControlEvidence(const Clock& clock) : clock_(clock) {}
  Expected<std::map<controls::ControlId, std::vector<controls::LinkedEvidence>>> ForControls(
      storage::Transaction& tx, const OrgId& org,
      const std::vector<controls::ControlId>& controls) override;

 private:
  const Clock& clock_;
  EvidenceStore store_;
};

}  // namespace certus::evidence
