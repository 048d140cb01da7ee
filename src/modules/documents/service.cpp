#include "modules/documents/service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "modules/documents/json.hpp"
#include "modules/documents/markdown.hpp"
#include "reports/table.hpp"
#include "storage/counters.hpp"

namespace certus::documents {

namespace {

constexpr const char* kDocumentType = "document";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

/// Contributors write the documents they own; managers and admins write any.
Expected<void> CheckCanWrite(const Actor& actor, bool owns) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owns) return {};
  return Fail(ErrorCode::kPermissionDenied,
              *actor.role == Role::kContributor
                  ? "Contributors may change only the documents they own."
                  : "Only contributors (for the documents they own), managers and admins may "
                    "change documents.");
}

Expected<void> CheckManager(const Actor& actor, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  return Fail(ErrorCode::kPermissionDenied,
              "Only managers and admins may " + std::string(what) + " document versions.");
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed this " + std::string(what) +
                                              " since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const DocumentId& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kDocumentType,   id.str(),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

/// A version as the audit log keeps it: everything but the text, which its hash stands for.
boost::json::value VersionAudit(const DocumentVersion& version) {
  auto json = ToJson(version);
  auto& object = json.as_object();
  object.erase("content");
  object["content_sha256"] = Sha256Hex(version.content);
  return json;
}

std::string AddMonths(const std::string& date, std::int64_t months) {
  auto parsed = ParseDate(date);
  if (!parsed) return date;
  Date next = *parsed + std::chrono::months(months);
  if (!next.ok()) next = Date(next.year() / next.month() / std::chrono::last);
  return FormatDate(next);
}

std::string FormatRef(DocumentType type, std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return std::string(RefPrefix(type)) + "-" + digits;
}

bool Open(VersionStatus status) {
  return status == VersionStatus::kDraft || status == VersionStatus::kInReview ||
         status == VersionStatus::kApproved;
}

std::string StateConflict(std::string_view step, const DocumentVersion& version,
                          std::string_view needed) {
  return "Version " + std::to_string(version.number) + " is " +
         std::string(VersionStatusName(version.status)) + "; only a version that is " +
         std::string(needed) + " can be " + std::string(step) + ".";
}

}  // namespace

std::string DocumentService::Today() const { return FormatDate(DateOf(clock_.Now())); }
std::string DocumentService::Now() const { return FormatTimestamp(clock_.Now()); }

void DocumentService::Decorate(Document& document) const {
  document.overdue_review = document.next_review_on && *document.next_review_on < Today();
}

Expected<void> DocumentService::CheckMember(const OrgId& org, const UserId& user,
                                            const std::string& field) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, user));
  if (!role) return Fail(Error::Field(field, "must be a member of the organization"));
  return {};
}

Expected<Document> DocumentService::Find(storage::Transaction& tx, const OrgId& org,
                                         const DocumentId& id) {
  auto document = CERTUS_TRY(store_.FindDocument(tx, org, id));
  if (!document) return Fail(Error::NotFound("Document"));
  Decorate(*document);
  return std::move(*document);
}

// ------------------------------------------------------------------ documents

Expected<Page<Document>> DocumentService::ListDocuments(const Actor& actor, const OrgId& org,
                                                        DocumentFilter filter, bool overdue,
                                                        bool to_acknowledge_me,
                                                        const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (overdue) filter.overdue_before = Today();
  if (to_acknowledge_me) {
    filter.to_acknowledge_by = actor.user_id;
    // The ISMS roles (5.3) the actor holds: documents distributed to them count too.
    leadership::RoleFilter roles;
    roles.assignee_id = actor.user_id;
    auto held = CERTUS_TRY(leadership_.ListRoles(
        actor, org, roles,
        PageQuery{.sort = "created_at", .descending = false, .limit = 500, .after = std::nullopt}));
    for (const auto& role : held.items) filter.reader_roles.push_back(role.id.str());
  }
  auto result = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListDocuments(tx, org, filter, page); }));
  for (auto& document : result.items) Decorate(document);
  return result;
}

Expected<Document> DocumentService::GetDocument(const Actor& actor, const OrgId& org,
                                                const DocumentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_,
                                    [&](storage::Transaction& tx) { return Find(tx, org, id); });
}

Expected<void> DocumentService::Validate(storage::Transaction& tx, const OrgId& org,
                                         const Document& after,
                                         const std::optional<Document>& before) {
  std::vector<FieldError> problems;
  if (after.is_security_policy && after.type != DocumentType::kPolicy) {
    problems.push_back({"is_security_policy",
                        "only a document of type policy can be the "
                        "information security policy (ISO 27001 5.2)"});
  }
  if (after.scope && after.type != DocumentType::kScope) {
    problems.push_back({"scope", "only a document of type scope carries scope fields"});
  }
  if (!before || before->ref != after.ref) {
    auto holder = CERTUS_TRY(store_.DocumentWithRef(tx, org, after.ref));
    if (holder && *holder != after.id.str()) {
      problems.push_back({"ref", "is already the ref of another document"});
    }
  }
  if (before && before->type != after.type && before->published_version) {
    problems.push_back({"type", "cannot change once a version was published"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  // ISO 27001 5.2: one information security policy in force at a time.
  if (after.is_security_policy && after.published_version &&
      (!before || !before->is_security_policy)) {
    if (auto other = CERTUS_TRY(store_.OtherPublishedSecurityPolicy(tx, org, after.id))) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 5.2: " + *other +
                      " is already the published information security policy; only one may be "
                      "in force at a time.");
    }
  }
  return {};
}

Expected<Document> DocumentService::CreateDocument(const Actor& actor, const OrgId& org,
                                                   const DocumentPatch& input) {
  CERTUS_CHECK(CheckCanRead(actor));
  const UserId owner = input.owner_id.value_or(actor.user_id);
  // A contributor cannot hand a document to someone else: they could not take it back.
  CERTUS_CHECK(CheckCanWrite(actor, owner == actor.user_id));
  CERTUS_CHECK(CheckMember(org, owner, "owner_id"));
  for (const auto& user :
       input.distribution ? input.distribution->user_ids : std::vector<UserId>{}) {
    CERTUS_CHECK(CheckMember(org, user, "distribution.user_ids"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Document> {
    Document d;
    d.id = DocumentId(NewUuid(clock_, random_));
    d.org_id = org;
    d.type = input.type.value_or(DocumentType::kOther);
    d.title = input.title.value_or("");
    d.owner_id = owner;
    if (input.classification) d.classification = *input.classification;
    if (input.review_interval_months) d.review_interval_months = *input.review_interval_months;
    if (input.next_review_on) d.next_review_on = *input.next_review_on;
    if (input.retention_months) d.retention_months = *input.retention_months;
    if (input.distribution) d.distribution = *input.distribution;
    if (input.is_security_policy) d.is_security_policy = *input.is_security_policy;
    if (input.scope) d.scope = *input.scope;
    if (d.type == DocumentType::kScope && !d.scope) d.scope = ScopeFields{};
    d.created_at = d.updated_at = Now();
    if (input.ref && !input.ref->empty()) {
      d.ref = *input.ref;
    } else {
      d.ref = FormatRef(d.type, CERTUS_TRY(storage::NextCounter(
                                    tx, org.str(), "document_" + std::string(RefPrefix(d.type)))));
    }
    CERTUS_CHECK(Validate(tx, org, d, std::nullopt));
    CERTUS_CHECK(store_.InsertDocument(tx, d));
    Decorate(d);
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, d.id, "create", nullptr, ToJson(d))));
    return d;
  });
}

Expected<Document> DocumentService::UpdateDocument(const Actor& actor, const OrgId& org,
                                                   const DocumentId& id, const DocumentPatch& patch,
                                                   std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (patch.owner_id) {
    CERTUS_CHECK(CheckCanWrite(actor, *patch.owner_id == actor.user_id));
    CERTUS_CHECK(CheckMember(org, *patch.owner_id, "owner_id"));
  }
  if (patch.distribution) {
    for (const auto& user : patch.distribution->user_ids) {
      CERTUS_CHECK(CheckMember(org, user, "distribution.user_ids"));
    }
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Document> {
    const Document before = CERTUS_TRY(Find(tx, org, id));
    CERTUS_CHECK(CheckCanWrite(actor, before.owner_id == actor.user_id));
    if (before.version != expected_version) return Fail(Stale("document"));
    Document after = before;
    if (patch.ref) after.ref = *patch.ref;
    if (patch.type) after.type = *patch.type;
    if (patch.title) after.title = *patch.title;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.classification) after.classification = *patch.classification;
    if (patch.review_interval_months) after.review_interval_months = *patch.review_interval_months;
    if (patch.retention_months) after.retention_months = *patch.retention_months;
    if (patch.distribution) after.distribution = *patch.distribution;
    if (patch.is_security_policy) after.is_security_policy = *patch.is_security_policy;
    if (patch.scope) after.scope = *patch.scope;
    if (patch.type && after.type != DocumentType::kScope && !patch.scope) after.scope.reset();
    if (after.type == DocumentType::kScope && !after.scope) after.scope = ScopeFields{};
    if (patch.next_review_on) {
      after.next_review_on = *patch.next_review_on;
    } else if (patch.review_interval_months && after.published_at) {
      // Not set by the client: the last publication (a review) plus the new interval.
      after.next_review_on =
          AddMonths(after.published_at->substr(0, 10), after.review_interval_months);
    }
    CERTUS_CHECK(Validate(tx, org, after, before));
    after.version = before.version + 1;
    after.updated_at = Now();
    if (!CERTUS_TRY(store_.UpdateDocument(tx, after, expected_version))) {
      return Fail(Stale("document"));
    }
    Decorate(after);
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "update", ToJson(before), ToJson(after))));
    return after;
  });
}

Expected<void> DocumentService::DeleteDocument(const Actor& actor, const OrgId& org,
                                               const DocumentId& id,
                                               std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    const Document before = CERTUS_TRY(Find(tx, org, id));
    CERTUS_CHECK(CheckCanWrite(actor, before.owner_id == actor.user_id));
    if (before.version != expected_version) return Fail(Stale("document"));
    // ISO 27001 7.5.3: what was published is retained.
    if (before.published_version) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 7.5.3: " + before.ref +
                      " has a published version and is retained; it cannot be deleted.");
    }
    if (!CERTUS_TRY(store_.DeleteDocument(tx, org, id, expected_version))) {
      return Fail(Stale("document"));
    }
    return audit_log_.Append(tx, MakeEvent(actor, org, id, "delete", ToJson(before), nullptr));
  });
}

// ------------------------------------------------------------------ versions

Expected<std::vector<DocumentVersion>> DocumentService::ListVersions(const Actor& actor,
                                                                     const OrgId& org,
                                                                     const DocumentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<DocumentVersion>> {
        CERTUS_TRY(Find(tx, org, id));
        return store_.ListVersions(tx, org, id);
      });
}

Expected<DocumentVersion> DocumentService::GetVersion(const Actor& actor, const OrgId& org,
                                                      const DocumentId& id, std::int64_t number) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<DocumentVersion> {
        auto version = CERTUS_TRY(store_.FindVersion(tx, org, id, number));
        if (!version) return Fail(Error::NotFound("Document version"));
        return std::move(*version);
      });
}

Expected<DocumentVersion> DocumentService::CreateVersion(const Actor& actor, const OrgId& org,
                                                         const DocumentId& id,
                                                         const std::string& content,
                                                         const std::string& change_summary) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<DocumentVersion> {
        Document document = CERTUS_TRY(Find(tx, org, id));
        CERTUS_CHECK(CheckCanWrite(actor, document.owner_id == actor.user_id));
        std::optional<DocumentVersion> latest;
        if (document.latest_version > 0) {
          latest = CERTUS_TRY(store_.FindVersion(tx, org, id, document.latest_version));
        }
        if (latest && Open(latest->status)) {
          return Fail(ErrorCode::kConflict,
                      "Version " + std::to_string(latest->number) + " is " +
                          std::string(VersionStatusName(latest->status)) +
                          "; publish it or reject it before starting another version.");
        }
        DocumentVersion v;
        v.id = NewUuid(clock_, random_);
        v.org_id = org;
        v.document_id = id;
        v.number = document.latest_version + 1;
        v.content = content;
        v.change_summary = change_summary;
        v.author_id = actor.user_id.str();
        v.author_email = actor.email;
        v.created_at = v.updated_at = Now();
        CERTUS_CHECK(store_.InsertVersion(tx, v));
        if (latest) {
          // The new draft starts with the files of the version before: same blobs, new rows.
          for (Attachment attachment : latest->attachments) {
            attachment.id = NewUuid(clock_, random_);
            CERTUS_CHECK(store_.InsertAttachment(tx, v, attachment));
            v.attachments.push_back(std::move(attachment));
          }
        }
        const Document before = document;
        document.latest_version = v.number;
        document.status = v.status;
        document.version += 1;
        document.updated_at = v.created_at;
        if (!CERTUS_TRY(store_.UpdateDocument(tx, document, before.version))) {
          return Fail(Stale("document"));
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, id, "create_version", nullptr, VersionAudit(v))));
        return v;
      });
}

Expected<DocumentVersion> DocumentService::UpdateVersion(
    const Actor& actor, const OrgId& org, const DocumentId& id, std::int64_t number,
    const std::optional<std::string>& content, const std::optional<std::string>& change_summary,
    std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<DocumentVersion> {
        auto [document, before] =
            CERTUS_TRY(EditableDraft(tx, actor, org, id, number, expected_version));
        DocumentVersion after = before;
        if (content) after.content = *content;
        if (change_summary) after.change_summary = *change_summary;
        after.version += 1;
        after.updated_at = Now();
        if (!CERTUS_TRY(store_.UpdateVersion(tx, after, expected_version))) {
          return Fail(Stale("version"));
        }
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, id, "update_version",
                                                     VersionAudit(before), VersionAudit(after))));
        return after;
      });
}

Expected<std::pair<Document, DocumentVersion>> DocumentService::EditableDraft(
    storage::Transaction& tx, const Actor& actor, const OrgId& org, const DocumentId& id,
    std::int64_t number, std::optional<std::int64_t> expected_version) {
  Document document = CERTUS_TRY(Find(tx, org, id));
  auto draft = CERTUS_TRY(store_.FindVersion(tx, org, id, number));
  if (!draft) return Fail(Error::NotFound("Document version"));
  if (*actor.role < Role::kContributor || draft->author_id != actor.user_id.str()) {
    return Fail(ErrorCode::kPermissionDenied, "Only the author edits a draft.");
  }
  if (expected_version && draft->version != *expected_version) return Fail(Stale("version"));
  // ISO 27001 7.5.3: what was submitted, approved or published is not rewritten.
  if (draft->status != VersionStatus::kDraft) {
    return Fail(ErrorCode::kConflict, "ISO 27001 7.5.3: version " + std::to_string(number) +
                                          " of " + document.ref + " is " +
                                          std::string(VersionStatusName(draft->status)) +
                                          "; only a draft can be edited.");
  }
  return std::pair{std::move(document), std::move(*draft)};
}

Expected<DocumentVersion> DocumentService::AddAttachment(
    const Actor& actor, const OrgId& org, const DocumentId& id, std::int64_t number,
    const blobstore::Upload& upload, std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied, "Only the author edits a draft.");
  }
  // The bytes first: a failed transaction leaves at most an unreferenced blob.
  const auto file =
      CERTUS_TRY(blobstore::StoreUpload(blobs_, upload, settings_.max_attachment_bytes));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<DocumentVersion> {
        auto [document, before] =
            CERTUS_TRY(EditableDraft(tx, actor, org, id, number, expected_version));
        for (const auto& existing : before.attachments) {
          if (existing.file_name == file.filename) {
            return Fail(ErrorCode::kConflict, "Version " + std::to_string(number) + " of " +
                                                  document.ref + " already has an attachment " +
                                                  "named \"" + file.filename +
                                                  "\"; remove it first or choose another name.");
          }
        }
        const Attachment attachment{NewUuid(clock_, random_),
                                    file.filename,
                                    file.content_type,
                                    file.size,
                                    file.sha256,
                                    actor.user_id.str(),
                                    actor.email,
                                    Now()};
        CERTUS_CHECK(store_.InsertAttachment(tx, before, attachment));
        DocumentVersion after = before;
        after.attachments.push_back(attachment);
        std::sort(
            after.attachments.begin(), after.attachments.end(),
            [](const Attachment& a, const Attachment& b) { return a.file_name < b.file_name; });
        after.version += 1;
        after.updated_at = attachment.added_at;
        if (!CERTUS_TRY(store_.UpdateVersion(tx, after, before.version))) {
          return Fail(Stale("version"));
        }
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, id, "add_attachment",
                                                     VersionAudit(before), VersionAudit(after))));
        return after;
      });
}

Expected<DocumentVersion> DocumentService::RemoveAttachment(const Actor& actor, const OrgId& org,
                                                            const DocumentId& id,
                                                            std::int64_t number,
                                                            const std::string& attachment_id,
                                                            std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<DocumentVersion> {
        auto [document, before] =
            CERTUS_TRY(EditableDraft(tx, actor, org, id, number, expected_version));
        if (!CERTUS_TRY(store_.DeleteAttachment(tx, before, attachment_id))) {
          return Fail(Error::NotFound("Attachment"));
        }
        DocumentVersion after = before;
        std::erase_if(after.attachments,
                      [&](const Attachment& a) { return a.id == attachment_id; });
        after.version += 1;
        after.updated_at = Now();
        if (!CERTUS_TRY(store_.UpdateVersion(tx, after, expected_version))) {
          return Fail(Stale("version"));
        }
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, id, "remove_attachment",
                                                     VersionAudit(before), VersionAudit(after))));
        return after;
      });
}

Expected<AttachmentDownload> DocumentService::DownloadAttachment(const Actor& actor,
                                                                 const OrgId& org,
                                                                 const DocumentId& id,
                                                                 std::int64_t number,
                                                                 const std::string& attachment_id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto [ref, attachment] = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::pair<std::string, Attachment>> {
        const Document document = CERTUS_TRY(Find(tx, org, id));
        auto version = CERTUS_TRY(store_.FindVersion(tx, org, id, number));
        if (!version) return Fail(Error::NotFound("Document version"));
        for (auto& a : version->attachments) {
          if (a.id == attachment_id) return std::pair{document.ref, a};
        }
        return Fail(Error::NotFound("Attachment"));
      }));
  auto bytes = blobs_.Read(attachment.sha256);
  if (!bytes) {
    const auto& error = bytes.error();
    if (error.code() == ErrorCode::kNotFound || blobstore::IsIntegrityFailure(error)) {
      // ISO 27001 7.5.3: never answer bytes that are not the ones recorded.
      return Fail(Error(ErrorCode::kInternal, std::string(blobstore::kIntegrityFailure),
                        "document " + ref + " version " + std::to_string(number) + " attachment " +
                            attachment.sha256 + ": " +
                            (error.log_detail().empty() ? error.message() : error.log_detail())));
    }
    return Fail(error);
  }
  return AttachmentDownload{std::move(attachment), std::move(*bytes)};
}

Expected<DocumentVersion> DocumentService::Transition(
    const Actor& actor, const OrgId& org, const DocumentId& id, std::int64_t number, Step step,
    const std::string& comment, std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (step != Step::kSubmit) {
    CERTUS_CHECK(CheckManager(actor, step == Step::kApprove  ? "approve"
                                     : step == Step::kReject ? "reject"
                                                             : "publish"));
  } else if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only the author, a manager or an admin may submit a version for review.");
  }
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<DocumentVersion> {
        Document document = CERTUS_TRY(Find(tx, org, id));
        auto before = CERTUS_TRY(store_.FindVersion(tx, org, id, number));
        if (!before) return Fail(Error::NotFound("Document version"));
        if (expected_version && before->version != *expected_version) {
          return Fail(Stale("version"));
        }
        DocumentVersion after = *before;
        const std::string now = Now();
        const Signature signature{actor.user_id.str(), actor.email, now, comment};
        std::string action;
        std::vector<auditlog::Event> extra_events;
        switch (step) {
          case Step::kSubmit: {
            if (*actor.role < Role::kManager && before->author_id != actor.user_id.str()) {
              return Fail(ErrorCode::kPermissionDenied,
                          "Only the author, a manager or an admin may submit a version for "
                          "review.");
            }
            if (before->status != VersionStatus::kDraft) {
              return Fail(ErrorCode::kConflict, StateConflict("submitted", *before, "draft"));
            }
            after.status = VersionStatus::kInReview;
            after.submitted_at = now;
            action = "submit";
            break;
          }
          case Step::kApprove: {
            if (before->status != VersionStatus::kInReview) {
              return Fail(ErrorCode::kConflict, StateConflict("approved", *before, "in_review"));
            }
            // ISO 27001 7.5.2 c: reviewed and approved for suitability by someone else.
            if (before->author_id == actor.user_id.str()) {
              return Fail(ErrorCode::kConflict,
                          "ISO 27001 7.5.2 c: documented information is approved for "
                          "suitability and adequacy by someone other than its author; " +
                              actor.email + " wrote version " + std::to_string(number) + ".");
            }
            // ISO 27001 5.2: top management establishes the information security policy.
            if (document.is_security_policy &&
                !CERTUS_TRY(leadership_.HoldsTopManagementRole(tx, org, actor.user_id))) {
              return Fail(ErrorCode::kConflict,
                          "ISO 27001 5.2: the information security policy is approved by top "
                          "management; " +
                              actor.email +
                              " holds no role flagged top management (Leadership → Roles).");
            }
            after.status = VersionStatus::kApproved;
            after.approval = signature;
            after.sha256 = Sha256Hex(after.content);
            action = "approve";
            break;
          }
          case Step::kReject: {
            if (before->status != VersionStatus::kInReview &&
                before->status != VersionStatus::kApproved) {
              return Fail(ErrorCode::kConflict,
                          StateConflict("rejected", *before, "in_review or approved"));
            }
            after.status = VersionStatus::kDraft;
            after.rejection = signature;
            after.approval.reset();
            after.submitted_at.reset();
            after.sha256.reset();
            action = "reject";
            break;
          }
          case Step::kPublish: {
            if (before->status != VersionStatus::kApproved) {
              return Fail(ErrorCode::kConflict, StateConflict("published", *before, "approved"));
            }
            if (document.is_security_policy) {
              if (auto other = CERTUS_TRY(store_.OtherPublishedSecurityPolicy(tx, org, id))) {
                return Fail(ErrorCode::kConflict,
                            "ISO 27001 5.2: " + *other +
                                " is already the published information security policy; "
                                "only one may be in force at a time.");
              }
            }
            after.status = VersionStatus::kPublished;
            after.publication = Signature{actor.user_id.str(), actor.email, now, ""};
            // The hash of the exact text published, whatever happened before.
            after.sha256 = Sha256Hex(after.content);
            action = "publish";
            if (document.published_version) {
              auto previous =
                  CERTUS_TRY(store_.FindVersion(tx, org, id, *document.published_version));
              if (previous) {
                DocumentVersion superseded = *previous;
                superseded.status = VersionStatus::kSuperseded;
                superseded.superseded_at = now;
                superseded.version += 1;
                superseded.updated_at = now;
                if (!CERTUS_TRY(store_.UpdateVersion(tx, superseded, previous->version))) {
                  return Fail(Stale("version"));
                }
                extra_events.push_back(MakeEvent(actor, org, id, "supersede",
                                                 VersionAudit(*previous),
                                                 VersionAudit(superseded)));
              }
            }
            break;
          }
        }
        after.version += 1;
        after.updated_at = now;
        if (!CERTUS_TRY(store_.UpdateVersion(tx, after, before->version))) {
          return Fail(Stale("version"));
        }
        const Document document_before = document;
        if (after.number == document.latest_version) document.status = after.status;
        if (step == Step::kPublish) {
          document.published_version = after.number;
          document.published_at = now;
          // A publication is a review: the next one falls an interval later.
          document.next_review_on = AddMonths(Today(), document.review_interval_months);
        }
        document.version += 1;
        document.updated_at = now;
        if (!CERTUS_TRY(store_.UpdateDocument(tx, document, document_before.version))) {
          return Fail(Stale("document"));
        }
        for (const auto& event : extra_events) CERTUS_CHECK(audit_log_.Append(tx, event));
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, id, action, VersionAudit(*before), VersionAudit(after))));
        return after;
      });
}

Expected<RenderedVersion> DocumentService::RenderVersion(const Actor& actor, const OrgId& org,
                                                         const DocumentId& id, std::int64_t number,
                                                         RenderFormat format) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto read = storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::pair<Document, DocumentVersion>> {
        auto doc = CERTUS_TRY(Find(tx, org, id));
        auto found = CERTUS_TRY(store_.FindVersion(tx, org, id, number));
        if (!found) return Fail(Error::NotFound("Document version"));
        return std::pair{std::move(doc), std::move(*found)};
      });
  if (!read) return Fail(read.error());
  auto& [document, version] = *read;
  RenderedVersion out;
  const std::string name = document.ref + "-v" + std::to_string(version.number);
  if (format == RenderFormat::kHtml) {
    out.media_type = "text/html; charset=utf-8";
    out.filename = name + ".html";
    out.body = HtmlPage(
        document.ref + " " + document.title + " (version " + std::to_string(version.number) + ")",
        RenderMarkdown(version.content));
    return out;
  }
  reports::TableDocument table;
  table.title = document.ref + " " + document.title;
  table.facts = {{"Reference", document.ref},
                 {"Title", document.title},
                 {"Version", std::to_string(version.number) + " (" +
                                 std::string(VersionStatusName(version.status)) + ")"},
                 {"Author", version.author_email},
                 {"Approved by", version.approval ? version.approval->by_email : "not approved"},
                 {"Approved at", version.approval ? version.approval->at : ""},
                 {"Published at", version.publication ? version.publication->at : ""},
                 {"Classification", document.classification},
                 {"SHA-256", version.sha256.value_or(Sha256Hex(version.content))}};
  table.columns = {{"Text", 100}};
  for (auto& paragraph : MarkdownParagraphs(version.content)) table.rows.push_back({paragraph});
  if (table.rows.empty()) table.rows.push_back({""});
  out.media_type = "application/pdf";
  out.filename = name + ".pdf";
  out.body = CERTUS_TRY(reports::WritePdf(table));
  return out;
}

Expected<std::string> DocumentService::Preview(const Actor& actor, const OrgId& org,
                                               const std::string& content) {
  CERTUS_CHECK(CheckCanRead(actor));
  (void)org;
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied, "Only those who write documents preview them.");
  }
  return RenderMarkdown(content);
}

Expected<VersionDiff> DocumentService::Diff(const Actor& actor, const OrgId& org,
                                            const DocumentId& id, std::int64_t from,
                                            std::int64_t to) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<VersionDiff> {
    const Document document = CERTUS_TRY(Find(tx, org, id));
    auto a = CERTUS_TRY(store_.FindVersion(tx, org, id, from));
    auto b = CERTUS_TRY(store_.FindVersion(tx, org, id, to));
    std::vector<FieldError> problems;
    if (!a) problems.push_back({"from", "is not a version of this document"});
    if (!b) problems.push_back({"to", "is not a version of this document"});
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
    VersionDiff diff{from, to, DiffText(a->content, b->content), ""};
    diff.unified = UnifiedDiff(diff.hunks, document.ref + " version " + std::to_string(from),
                               document.ref + " version " + std::to_string(to));
    return diff;
  });
}

// ------------------------------------------------------------------ acknowledgments

Expected<AcknowledgeResult> DocumentService::Acknowledge(const Actor& actor, const OrgId& org,
                                                         const DocumentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<AcknowledgeResult> {
        const Document document = CERTUS_TRY(Find(tx, org, id));
        if (!document.published_version) {
          return Fail(
              ErrorCode::kConflict,
              document.ref + " has no published version yet; there is nothing to acknowledge.");
        }
        AcknowledgeResult result;
        result.acknowledgment = {actor.user_id.str(), actor.email, Now(),
                                 *document.published_version};
        result.created =
            CERTUS_TRY(store_.InsertAcknowledgment(tx, org, id, result.acknowledgment));
        if (!result.created) {
          for (const auto& a : CERTUS_TRY(store_.ListAcknowledgments(tx, id))) {
            if (a.user_id == actor.user_id.str() &&
                a.version_number == *document.published_version) {
              result.acknowledgment = a;
            }
          }
          return result;
        }
        boost::json::object after{{"version_number", *document.published_version},
                                  {"user_id", actor.user_id.str()},
                                  {"email", actor.email},
                                  {"at", result.acknowledgment.at}};
        CERTUS_CHECK(
            audit_log_.Append(tx, MakeEvent(actor, org, id, "acknowledge", nullptr, after)));
        return result;
      });
}

Expected<AcknowledgmentRound> DocumentService::Acknowledgments(const Actor& actor, const OrgId& org,
                                                               const DocumentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto read = storage::InReadTransaction(
      db_,
      [&](storage::Transaction& tx) -> Expected<std::pair<Document, std::vector<Acknowledgment>>> {
        auto doc = CERTUS_TRY(Find(tx, org, id));
        auto acks = CERTUS_TRY(store_.ListAcknowledgments(tx, id));
        return std::pair{std::move(doc), std::move(acks)};
      });
  if (!read) return Fail(read.error());
  auto& [document, acknowledgments] = *read;
  AcknowledgmentRound round;
  round.version_number = document.published_version;
  std::set<std::string> done;
  for (auto& a : acknowledgments) {
    if (document.published_version && a.version_number == *document.published_version) {
      done.insert(a.user_id);
      round.acknowledged.push_back(std::move(a));
    } else {
      round.earlier.push_back(std::move(a));
    }
  }
  // The distribution, expanded to the members it names (5.2 f: communicated within the
  // organization; 7.3 a: persons are aware of the policy).
  const auto members = CERTUS_TRY(identity_.ListMembers(actor, org));
  std::map<std::string, std::string> email_of;
  for (const auto& member : members) email_of[member.user_id.str()] = member.email;
  std::set<std::string> readers;
  if (document.distribution.all_members) {
    for (const auto& member : members) readers.insert(member.user_id.str());
  }
  for (const auto& user : document.distribution.user_ids) {
    if (email_of.contains(user.str())) readers.insert(user.str());
  }
  for (const auto& role_id : document.distribution.role_ids) {
    auto role = leadership_.GetRole(actor, org, leadership::RoleId(role_id));
    if (!role) {
      if (role.error().code() == ErrorCode::kNotFound) continue;  // the role was removed
      return Fail(role.error());
    }
    for (const auto& user : role->assignee_ids) {
      if (email_of.contains(user.str())) readers.insert(user.str());
    }
  }
  if (document.published_version) {
    for (const auto& reader : readers) {
      if (!done.contains(reader)) round.pending.push_back({reader, email_of[reader], "", 0});
    }
    std::sort(round.pending.begin(), round.pending.end(),
              [](const auto& a, const auto& b) { return a.email < b.email; });
  }
  return round;
}

Expected<std::vector<std::pair<Document, std::vector<DocumentVersion>>>>
DocumentService::WithVersionsIn(storage::Transaction& tx, const OrgId& org,
                                const std::vector<DocumentId>& ids) {
  std::vector<std::pair<Document, std::vector<DocumentVersion>>> out;
  for (const auto& id : ids) {
    auto document = CERTUS_TRY(store_.FindDocument(tx, org, id));
    if (!document) continue;
    auto versions = CERTUS_TRY(store_.ListVersions(tx, org, id));
    out.emplace_back(std::move(*document), std::move(versions));
  }
  return out;
}

}  // namespace certus::documents
