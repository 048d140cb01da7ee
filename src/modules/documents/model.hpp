#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"

namespace certus::documents {

using DocumentId = StrongId<struct DocumentTag>;

/// ISO 27001 7.5: the kinds of documented information. Persisted by name.
enum class DocumentType { kPolicy, kScope, kProcedure, kStandard, kPlan, kRecord, kOther };
/// A version's place in the workflow (7.5.2 c, 7.5.3): draft → in_review → approved →
/// published → superseded; a rejected review goes back to draft.
enum class VersionStatus { kDraft, kInReview, kApproved, kPublished, kSuperseded };

std::string_view DocumentTypeName(DocumentType type);
std::optional<DocumentType> ParseDocumentType(std::string_view name);
const std::vector<std::string>& DocumentTypeNames();
/// The ref prefix of a type: POL, SCO, PRO, STD, PLN, REC, DOC.
std::string_view RefPrefix(DocumentType type);
std::string_view VersionStatusName(VersionStatus status);
std::optional<VersionStatus> ParseVersionStatus(std::string_view name);
const std::vector<std::string>& VersionStatusNames();

/// An exclusion from the scope with its justification (ISO 27001 4.3).
struct Exclusion {
  std::string text;
  std::string justification;
};

/// The structured part of a scope document (ISO 27001 4.3 a–c): what the ISMS covers and
/// where it ends.
struct ScopeFields {
  std::vector<std::string> units;      ///< organizational units
  std::vector<std::string> locations;  ///< sites
  std::vector<std::string> processes;
  std::vector<std::string> asset_ids;  ///< assets of the risk module in scope
  std::vector<Exclusion> exclusions;
  std::vector<std::string> interfaces;  ///< interfaces and dependencies (4.3 c)
};

/// Who must read a document (5.2 f, 7.3): everyone, named members, holders of ISMS roles.
struct Distribution {
  bool all_members = false;
  std::vector<UserId> user_ids;
  std::vector<std::string> role_ids;  ///< leadership roles (5.3), expanded to their holders
};

struct Document {
  DocumentId id;
  OrgId org_id;
  std::string ref;  ///< POL-001, …
  DocumentType type = DocumentType::kOther;
  std::string title;
  UserId owner_id;
  std::string classification = "internal";
  std::int64_t review_interval_months = 12;
  std::optional<std::string> next_review_on;  ///< YYYY-MM-DD
  std::optional<std::int64_t> retention_months;
  Distribution distribution;
  bool is_security_policy = false;
  std::optional<ScopeFields> scope;  ///< scope documents only
  /// The status of the newest version ("draft" before any): a document's workflow state.
  VersionStatus status = VersionStatus::kDraft;
  std::int64_t latest_version = 0;  ///< number of the newest version, 0 before any
  std::optional<std::int64_t> published_version;
  std::optional<std::string> published_at;
  bool overdue_review = false;  ///< computed on read: next_review_on before today
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// Create input and partial update: absent fields stay (or take defaults).
struct DocumentPatch {
  std::optional<std::string> ref;
  std::optional<DocumentType> type;
  std::optional<std::string> title;
  std::optional<UserId> owner_id;
  std::optional<std::string> classification;
  std::optional<std::int64_t> review_interval_months;
  std::optional<std::optional<std::string>> next_review_on;
  std::optional<std::optional<std::int64_t>> retention_months;
  std::optional<Distribution> distribution;
  std::optional<bool> is_security_policy;
  std::optional<std::optional<ScopeFields>> scope;
};

struct DocumentFilter {
  std::optional<DocumentType> type;
  std::optional<VersionStatus> status;
  std::optional<UserId> owner_id;
  std::optional<std::string> overdue_before;  ///< next review before this date
  std::optional<std::string> text;            ///< in ref or title
  /// Published documents this user must read and has not acknowledged in their published
  /// version: in the distribution by all_members, by name or by one of `reader_roles`.
  std::optional<UserId> to_acknowledge_by;
  std::vector<std::string> reader_roles;
};

/// Who did a step of the workflow, and when.
struct Signature {
  std::string by_id;
  std::string by_email;
  std::string at;
  std::string comment;
};

/// A file attached to a version (7.5.3): a diagram, a form, an appendix. The bytes are a blob
/// named by `sha256`; `content_type` is what the server detected. Frozen with its version.
struct Attachment {
  std::string id;
  std::string file_name;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string added_by_id;
  std::string added_by_email;
  std::string added_at;
};

struct DocumentVersion {
  std::string id;
  OrgId org_id;
  DocumentId document_id;
  std::int64_t number = 1;
  std::string content;  ///< Markdown
  std::string change_summary;
  VersionStatus status = VersionStatus::kDraft;
  std::string author_id;
  std::string author_email;
  std::optional<std::string> submitted_at;
  std::optional<Signature> approval;
  std::optional<Signature> rejection;  ///< the latest one
  std::optional<Signature> publication;
  std::optional<std::string> superseded_at;
  std::optional<std::string> sha256;    ///< of `content`, set on approval
  std::vector<Attachment> attachments;  ///< by file name
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// One acknowledgment (5.2 f, 7.3): `user` has read published version `version_number`.
struct Acknowledgment {
  std::string user_id;
  std::string email;
  std::string at;
  std::int64_t version_number = 0;
};

/// The acknowledgments of the published version and who in the distribution is missing.
struct AcknowledgmentRound {
  std::optional<std::int64_t> version_number;  ///< the published version, if any
  std::vector<Acknowledgment> acknowledged;    ///< of that version
  std::vector<Acknowledgment> pending;         ///< in the distribution, not yet (no `at`)
  std::vector<Acknowledgment> earlier;         ///< of earlier versions, newest first
};

}  // namespace certus::documents
