#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "blobstore/uploads.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "core/text_diff.hpp"
#include "identity/service.hpp"
#include "modules/documents/model.hpp"
#include "modules/documents/store.hpp"
#include "modules/leadership/service.hpp"
#include "storage/database.hpp"

namespace certus::documents {

/// A step of a version's workflow (ISO 27001 7.5.2 c, 7.5.3).
enum class Step { kSubmit, kApprove, kReject, kPublish };

/// How a version is rendered for reading.
enum class RenderFormat { kHtml, kPdf };

/// A rendered version: the bytes and how to serve them.
struct RenderedVersion {
  std::string media_type;
  std::string filename;
  std::string body;
};

/// A line diff between two versions of one document.
struct VersionDiff {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::vector<DiffHunk> hunks;
  std::string unified;
};

/// An attachment and its bytes, checked against the SHA-256 recorded for them.
struct AttachmentDownload {
  Attachment attachment;
  std::string bytes;
};

struct DocumentSettings {
  /// The largest attachment accepted (kPayloadTooLarge above).
  std::int64_t max_attachment_bytes = std::int64_t{25} * 1024 * 1024;
};

/// Whether an acknowledgment was new or repeated.
struct AcknowledgeResult {
  Acknowledgment acknowledgment;
  bool created = false;
};

/// Documented information (ISO 27001 7.5), the scope (4.3) and the information security
/// policy (5.2): documents, their versions under review and approval, publication with the
/// SHA-256 of the published text, and acknowledgments by the people who must read them.
///
/// Permissions: every member reads and acknowledges. Contributors create documents (which
/// they own) and write versions of the documents they own; managers and admins write any.
/// Only the author edits a draft. Submitting: the author, a manager or an admin. Approving,
/// rejecting and publishing: managers and admins, and approval never by the author (7.5.2 c).
/// The approver of a security policy must hold a top-management role (5.2, read through the
/// leadership service). Attachments change with their draft: only its author adds or removes
/// them, and their bytes go to the blob store before the row that names them.
/// Every change is written with its audit event in one transaction.
/// Borrows everything it is given. Thread-safe.
class DocumentService final {
 public:
  DocumentService(storage::Database& db, const Clock& clock, Random& random,
                  auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                  leadership::LeadershipService& leadership, blobstore::BlobStore& blobs,
                  DocumentSettings settings = {})
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        leadership_(leadership),
        blobs_(blobs),
        settings_(settings) {}

  /// With `to_acknowledge_me`, only the published documents the actor must read and has not
  /// acknowledged in their published version ("documents I must read").
  Expected<Page<Document>> ListDocuments(const Actor& actor, const OrgId& org,
                                         DocumentFilter filter, bool overdue,
                                         bool to_acknowledge_me, const PageQuery& page);
  Expected<Document> GetDocument(const Actor& actor, const OrgId& org, const DocumentId& id);
  /// `input` must carry type and title. The ref is the next of the type (POL-001, …) unless
  /// given; a given ref that another document has is kValidation.
  Expected<Document> CreateDocument(const Actor& actor, const OrgId& org,
                                    const DocumentPatch& input);
  Expected<Document> UpdateDocument(const Actor& actor, const OrgId& org, const DocumentId& id,
                                    const DocumentPatch& patch, std::int64_t expected_version);
  /// kConflict once a version was published (published documents are records, 7.5.3).
  Expected<void> DeleteDocument(const Actor& actor, const OrgId& org, const DocumentId& id,
                                std::int64_t expected_version);

  /// Every version, newest first.
  Expected<std::vector<DocumentVersion>> ListVersions(const Actor& actor, const OrgId& org,
                                                      const DocumentId& id);
  Expected<DocumentVersion> GetVersion(const Actor& actor, const OrgId& org, const DocumentId& id,
                                       std::int64_t number);
  /// A new draft by the actor, with the attachments of the version before it. kConflict while
  /// another version is draft, in review or approved (one revision at a time).
  Expected<DocumentVersion> CreateVersion(const Actor& actor, const OrgId& org,
                                          const DocumentId& id, const std::string& content,
                                          const std::string& change_summary);
  /// Edits a draft: its author only, and only while it is a draft.
  Expected<DocumentVersion> UpdateVersion(const Actor& actor, const OrgId& org,
                                          const DocumentId& id, std::int64_t number,
                                          const std::optional<std::string>& content,
                                          const std::optional<std::string>& change_summary,
                                          std::int64_t expected_version);
  /// Moves a version one step; kConflict (naming the state) when the step does not apply,
  /// when the author approves (7.5.2 c), when a security policy's approver holds no
  /// top-management role or another security policy is published (5.2).
  Expected<DocumentVersion> Transition(const Actor& actor, const OrgId& org, const DocumentId& id,
                                       std::int64_t number, Step step, const std::string& comment,
                                       std::optional<std::int64_t> expected_version);
  /// Attaches a file to a draft: its author only; kConflict once the version was submitted
  /// (7.5.3) or when the draft has a file of that name. Returns the version.
  Expected<DocumentVersion> AddAttachment(const Actor& actor, const OrgId& org,
                                          const DocumentId& id, std::int64_t number,
                                          const blobstore::Upload& upload,
                                          std::optional<std::int64_t> expected_version);
  /// Removes a draft's attachment (the blob stays: the audit log names it).
  Expected<DocumentVersion> RemoveAttachment(const Actor& actor, const OrgId& org,
                                             const DocumentId& id, std::int64_t number,
                                             const std::string& attachment_id,
                                             std::int64_t expected_version);
  /// kInternal with blobstore::kIntegrityFailure when the stored bytes are not the ones
  /// recorded.
  Expected<AttachmentDownload> DownloadAttachment(const Actor& actor, const OrgId& org,
                                                  const DocumentId& id, std::int64_t number,
                                                  const std::string& attachment_id);
  std::int64_t max_attachment_bytes() const { return settings_.max_attachment_bytes; }

  Expected<RenderedVersion> RenderVersion(const Actor& actor, const OrgId& org,
                                          const DocumentId& id, std::int64_t number,
                                          RenderFormat format);
  /// Markdown rendered and sanitized exactly as versions are (the editor's preview).
  Expected<std::string> Preview(const Actor& actor, const OrgId& org, const std::string& content);
  Expected<VersionDiff> Diff(const Actor& actor, const OrgId& org, const DocumentId& id,
                             std::int64_t from, std::int64_t to);

  /// Records that the actor has read the published version (5.2 f, 7.3); once per person and
  /// version. kConflict when nothing is published.
  Expected<AcknowledgeResult> Acknowledge(const Actor& actor, const OrgId& org,
                                          const DocumentId& id);
  Expected<AcknowledgmentRound> Acknowledgments(const Actor& actor, const OrgId& org,
                                                const DocumentId& id);

  /// Those of `ids` that are documents of `org`, each with every version (authors and
  /// approvals), in the caller's transaction: for the internal audit's scope and
  /// independence checks (9.2.2 b). No role check.
  Expected<std::vector<std::pair<Document, std::vector<DocumentVersion>>>> WithVersionsIn(
      storage::Transaction& tx, const OrgId& org, const std::vector<DocumentId>& ids);

 private:
  Expected<Document> Find(storage::Transaction& tx, const OrgId& org, const DocumentId& id);
  /// The draft `number` of the document, if the actor may edit it (its author) and it is
  /// still a draft at `expected_version` (when given).
  Expected<std::pair<Document, DocumentVersion>> EditableDraft(
      storage::Transaction& tx, const Actor& actor, const OrgId& org, const DocumentId& id,
      std::int64_t number, std::optional<std::int64_t> expected_version);
  Expected<void> Validate(storage::Transaction& tx, const OrgId& org, const Document& after,
                          const std::optional<Document>& before);
  Expected<void> CheckMember(const OrgId& org, const UserId& user, const std::string& field);
  void Decorate(Document& document) const;
  std::string Today() const;
  std::string Now() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  leadership::LeadershipService& leadership_;
  blobstore::BlobStore& blobs_;
  DocumentSettings settings_;
  DocumentStore store_;
};

}  // namespace certus::documents
