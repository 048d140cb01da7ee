#include "modules/evidence/service.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "core/uuid.hpp"
#include "http/file_rules.hpp"
#include "modules/evidence/json.hpp"
#include "storage/counters.hpp"

namespace certus::evidence {

namespace {

constexpr const char* kObjectType = "evidence";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

/// Contributors write the evidence they own (a control owner attaches evidence to their
/// controls); managers and admins write all of it.
Expected<void> CheckCanWrite(const Actor& actor, bool owns) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owns) return {};
  return Fail(ErrorCode::kPermissionDenied,
              *actor.role == Role::kContributor
                  ? "Contributors may add and change only evidence they own."
                  : "Only contributors, managers and admins may add or change evidence.");
}

bool Owns(const Actor& actor, const std::optional<UserId>& owner) {
  return owner && *owner == actor.user_id;
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this evidence since you read it; reload it and try again."};
}

Error NotFound() { return Error::NotFound("Evidence"); }

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const EvidenceId& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kObjectType,     id.str(),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool Blank(const std::optional<std::string>& text) {
  return !text || std::all_of(text->begin(), text->end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

/// The file of a past state recorded in an audit event's JSON, if it is `sha256`.
std::optional<EvidenceFile> FileIn(const std::string& json_text, const std::string& sha256) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json_text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto* file = value.as_object().if_contains("file");
  if (file == nullptr || !file->is_object()) return std::nullopt;
  const auto& object = file->as_object();
  const auto* sha = object.if_contains("sha256");
  if (sha == nullptr || !sha->is_string() || sha->as_string() != sha256) return std::nullopt;
  EvidenceFile out;
  out.sha256 = sha256;
  if (const auto* size = object.if_contains("size"); size && size->is_int64())
    out.size = size->as_int64();
  if (const auto* name = object.if_contains("filename"); name && name->is_string())
    out.filename = std::string(name->as_string());
  if (const auto* type = object.if_contains("content_type"); type && type->is_string())
    out.content_type = std::string(type->as_string());
  return out;
}

}  // namespace

Date EvidenceService::Today() const { return DateOf(clock_.Now()); }

Expected<std::optional<Evidence>> EvidenceService::Find(storage::Transaction& tx, const OrgId& org,
                                                        const EvidenceId& id) {
  auto found = CERTUS_TRY(store_.Find(tx, org, id, Today()));
  if (!found) return std::nullopt;
  std::vector<Evidence> items{std::move(*found)};
  CERTUS_CHECK(LoadControls(tx, org, items));
  return std::move(items[0]);
}

Expected<void> EvidenceService::LoadControls(storage::Transaction& tx, const OrgId& org,
                                             std::vector<Evidence>& items) {
  std::set<controls::ControlId> ids;
  for (const auto& item : items) ids.insert(item.control_ids.begin(), item.control_ids.end());
  if (ids.empty()) return {};
  auto summaries = CERTUS_TRY(
      controls_.Summaries(tx, org, std::vector<controls::ControlId>(ids.begin(), ids.end())));
  for (auto& item : items) {
    item.controls.clear();
    for (const auto& summary : summaries) {
      if (std::binary_search(item.control_ids.begin(), item.control_ids.end(), summary.id)) {
        item.controls.push_back(summary);
      }
    }
  }
  return {};
}

Expected<void> EvidenceService::Check(storage::Transaction& tx, const OrgId& org, Evidence& e) {
  std::vector<FieldError> problems;
  switch (e.kind) {
    case EvidenceKind::kLink:
      if (Blank(e.url)) {
        problems.push_back({"url", "is required for link evidence"});
      } else if (e.url->size() > 2000 || !http::IsWebUrl(*e.url)) {
        problems.push_back({"url", "must be an http or https URL"});
      }
      if (e.note) problems.push_back({"note", "belongs to note evidence only"});
      break;
    case EvidenceKind::kNote:
      if (Blank(e.note)) problems.push_back({"note", "is required for note evidence"});
      if (e.url) problems.push_back({"url", "belongs to link evidence only"});
      break;
    case EvidenceKind::kFile:
      if (e.url) problems.push_back({"url", "belongs to link evidence only"});
      if (e.note) problems.push_back({"note", "belongs to note evidence only"});
      break;
  }
  const auto today = std::chrono::sys_days(Today());
  if (e.collected_on && std::chrono::sys_days(*e.collected_on) > today) {
    problems.push_back({"collected_on", "must not be in the future"});
  }
  if (e.collected_on && e.valid_until &&
      std::chrono::sys_days(*e.valid_until) < std::chrono::sys_days(*e.collected_on)) {
    problems.push_back({"valid_until", "must not be before collected_on"});
  }
  std::set<controls::ControlId> unique(e.control_ids.begin(), e.control_ids.end());
  e.control_ids.assign(unique.begin(), unique.end());
  if (!e.control_ids.empty()) {
    auto known = CERTUS_TRY(controls_.Summaries(tx, org, e.control_ids));
    std::string unknown;
    for (const auto& id : e.control_ids) {
      bool found = std::any_of(known.begin(), known.end(),
                               [&](const controls::ControlSummary& c) { return c.id == id; });
      if (found) continue;
      if (!unknown.empty()) unknown += ", ";
      unknown += id.str();
    }
    if (!unknown.empty()) {
      problems.push_back(
          {"control_ids", "must be controls of this organization; unknown: " + unknown});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return {};
}

Expected<Page<Evidence>> EvidenceService::List(const Actor& actor, const OrgId& org,
                                               const EvidenceFilter& filter,
                                               const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Page<Evidence>> {
    auto out = CERTUS_TRY(store_.List(tx, org, filter, Today(), page));
    CERTUS_CHECK(LoadControls(tx, org, out.items));
    return out;
  });
}

Expected<Evidence> EvidenceService::Get(const Actor& actor, const OrgId& org,
                                        const EvidenceId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(
      storage::InReadTransaction(db_, [&](storage::Transaction& tx) { return Find(tx, org, id); }));
  if (!found) return Fail(NotFound());
  return std::move(*found);
}

Expected<Evidence> EvidenceService::Insert(const Actor& actor, const OrgId& org,
                                           const NewEvidence& input,
                                           std::optional<EvidenceFile> file) {
  CERTUS_CHECK(CheckCanRead(actor));
  Evidence e;
  e.org_id = org;
  e.kind = file ? EvidenceKind::kFile : input.kind;
  e.title = input.title;
  e.description = input.description;
  e.url = input.url;
  e.note = input.note;
  e.file = std::move(file);
  e.control_ids = input.control_ids;
  // A contributor's evidence is their own, so that they can go on changing it.
  e.owner_id = input.owner_id;
  if (!e.owner_id && actor.role == Role::kContributor) e.owner_id = actor.user_id;
  e.collected_on = input.collected_on;
  e.valid_until = input.valid_until;
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Evidence> {
    CERTUS_CHECK(Check(tx, org, e));
    e.id = EvidenceId(NewUuid(clock_, random_));
    e.ref = storage::FormatRef("EV", CERTUS_TRY(storage::NextCounter(tx, org.str(), kObjectType)));
    e.created_at = e.updated_at = FormatTimestamp(clock_.Now());
    CERTUS_CHECK(store_.Insert(tx, e));
    auto stored = CERTUS_TRY(Find(tx, org, e.id));
    if (!stored) return Fail(Error::Internal("evidence vanished after insert"));
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, e.id, "create", nullptr, ToJson(*stored))));
    return std::move(*stored);
  });
}

namespace {

/// The owner a new record will have and whether the actor may create it; the owner's
/// membership is checked by the caller.
Expected<void> CheckCanCreate(const Actor& actor, const NewEvidence& input) {
  CERTUS_CHECK(CheckCanRead(actor));
  const bool own = !input.owner_id || *input.owner_id == actor.user_id;
  return CheckCanWrite(actor, own);
}

}  // namespace

Expected<Evidence> EvidenceService::Create(const Actor& actor, const OrgId& org,
                                           const NewEvidence& input) {
  CERTUS_CHECK(CheckCanCreate(actor, input));
  if (input.kind == EvidenceKind::kFile) {
    return Fail(Error::Field("kind", "file evidence is uploaded to …/evidence/files"));
  }
  if (input.owner_id && !CERTUS_TRY(identity_.RoleOf(org, *input.owner_id))) {
    return Fail(Error::Field("owner_id", "must be a member of the organization"));
  }
  return Insert(actor, org, input, std::nullopt);
}

Expected<Evidence> EvidenceService::CreateFile(const Actor& actor, const OrgId& org,
                                               const NewEvidence& input, const FileUpload& upload) {
  CERTUS_CHECK(CheckCanCreate(actor, input));
  if (input.owner_id && !CERTUS_TRY(identity_.RoleOf(org, *input.owner_id))) {
    return Fail(Error::Field("owner_id", "must be a member of the organization"));
  }
  // The record's rules first, so that a refused record stores no file.
  NewEvidence record = input;
  record.kind = EvidenceKind::kFile;
  record.url.reset();
  record.note.reset();
  {
    Evidence probe;
    probe.kind = EvidenceKind::kFile;
    probe.control_ids = record.control_ids;
    probe.collected_on = record.collected_on;
    probe.valid_until = record.valid_until;
    CERTUS_CHECK(storage::InReadTransaction(
        db_, [&](storage::Transaction& tx) { return Check(tx, org, probe); }));
  }
  auto file = CERTUS_TRY(blobstore::StoreUpload(blobs_, upload, settings_.max_file_bytes));
  return Insert(actor, org, record, std::move(file));
}

Expected<Evidence> EvidenceService::ReplaceFile(const Actor& actor, const OrgId& org,
                                                const EvidenceId& id, const FileUpload& upload,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto current = CERTUS_TRY(Get(actor, org, id));
  CERTUS_CHECK(CheckCanWrite(actor, Owns(actor, current.owner_id)));
  if (current.kind != EvidenceKind::kFile) {
    return Fail(ErrorCode::kConflict, current.ref + " is " + std::string(KindName(current.kind)) +
                                          " evidence and has no file to replace.");
  }
  if (current.version != expected_version) return Fail(Stale());
  auto file = CERTUS_TRY(blobstore::StoreUpload(blobs_, upload, settings_.max_file_bytes));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Evidence> {
    auto before = CERTUS_TRY(Find(tx, org, id));
    if (!before) return Fail(NotFound());
    if (before->version != expected_version) return Fail(Stale());
    Evidence after = *before;
    after.file = file;
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, *before, after))) return Fail(Stale());
    auto stored = CERTUS_TRY(Find(tx, org, id));
    if (!stored) return Fail(Stale());
    // The before and after JSON carry both files' SHA-256: every past file stays
    // retrievable from the blob store (Download with sha256).
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, id, "replace_file", ToJson(*before), ToJson(*stored))));
    return std::move(*stored);
  });
}

Expected<Evidence> EvidenceService::Update(const Actor& actor, const OrgId& org,
                                           const EvidenceId& id, const EvidencePatch& patch,
                                           std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (patch.owner_id) {
    // A contributor cannot hand evidence to someone else: they could not take it back.
    CERTUS_CHECK(CheckCanWrite(actor, Owns(actor, *patch.owner_id)));
    if (*patch.owner_id && !CERTUS_TRY(identity_.RoleOf(org, **patch.owner_id))) {
      return Fail(Error::Field("owner_id", "must be a member of the organization"));
    }
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Evidence> {
    auto before = CERTUS_TRY(Find(tx, org, id));
    if (!before) return Fail(NotFound());
    CERTUS_CHECK(CheckCanWrite(actor, Owns(actor, before->owner_id)));
    if (before->version != expected_version) return Fail(Stale());
    Evidence after = *before;
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.url) after.url = *patch.url;
    if (patch.note) after.note = *patch.note;
    if (patch.control_ids) after.control_ids = *patch.control_ids;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.collected_on) after.collected_on = *patch.collected_on;
    if (patch.valid_until) after.valid_until = *patch.valid_until;
    if (patch.archived) after.archived = *patch.archived;
    CERTUS_CHECK(Check(tx, org, after));
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, *before, after))) return Fail(Stale());
    auto stored = CERTUS_TRY(Find(tx, org, id));
    if (!stored) return Fail(Stale());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, id, "update", ToJson(*before), ToJson(*stored))));
    return std::move(*stored);
  });
}

Expected<EvidenceDownload> EvidenceService::Download(const Actor& actor, const OrgId& org,
                                                     const EvidenceId& id,
                                                     const std::optional<std::string>& sha256) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(Get(actor, org, id));
  if (!found.file) return Fail(Error::NotFound("File of " + found.ref));
  EvidenceDownload out;
  out.file = *found.file;
  if (sha256 && *sha256 != found.file->sha256) {
    // A past file: one that the evidence's history records (ISO 27001 7.5.3 c).
    auto events = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
      return audit_log_.History(tx, org.str(), kObjectType, id.str());
    }));
    std::optional<EvidenceFile> past;
    for (const auto& event : events) {
      if (!past) past = FileIn(event.before_json, *sha256);
      if (!past) past = FileIn(event.after_json, *sha256);
    }
    if (!past) return Fail(Error::NotFound("That version of the file"));
    out.file = *past;
  }
  auto bytes = blobs_.Read(out.file.sha256);
  if (!bytes) {
    const auto& error = bytes.error();
    if (error.code() == ErrorCode::kNotFound || blobstore::IsIntegrityFailure(error)) {
      // ISO 27001 7.5.3: documented information is protected from loss of integrity. Never
      // answer bytes that are not the ones recorded; tell the operator which record broke.
      return Fail(Error(ErrorCode::kInternal, std::string(blobstore::kIntegrityFailure),
                        "evidence " + found.ref + " (" + id.str() + ") file " + out.file.sha256 +
                            ": " +
                            (error.log_detail().empty() ? error.message() : error.log_detail())));
    }
    return Fail(error);
  }
  out.bytes = std::move(*bytes);
  return out;
}

Expected<std::map<controls::ControlId, std::vector<controls::LinkedEvidence>>>
ControlEvidence::ForControls(storage::Transaction& tx, const OrgId& org,
                             const std::vector<controls::ControlId>& controls) {
  return store_.ForControls(tx, org, controls, DateOf(clock_.Now()));
}

}  // namespace certus::evidence
