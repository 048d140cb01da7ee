#include "modules/documents/store.hpp"

#include <array>
#include <map>

#include <boost/json.hpp>

#include "modules/documents/json.hpp"
#include "storage/keyset.hpp"

namespace certus::documents {

namespace {

storage::Value OptValue(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

storage::Value OptValue(const std::optional<std::int64_t>& number) {
  if (!number) return nullptr;
  return *number;
}

constexpr std::array kTypes = {
    DocumentType::kPolicy, DocumentType::kScope,  DocumentType::kProcedure, DocumentType::kStandard,
    DocumentType::kPlan,   DocumentType::kRecord, DocumentType::kOther};
constexpr std::array kStatuses = {VersionStatus::kDraft, VersionStatus::kInReview,
                                  VersionStatus::kApproved, VersionStatus::kPublished,
                                  VersionStatus::kSuperseded};

constexpr std::string_view kDocumentColumns =
    "id, org_id, ref, type, title, owner_id, classification, review_interval_months, "
    "next_review_on, retention_months, distribution_all, is_security_policy, scope, status, "
    "latest_version, published_version, published_at, version, created_at, updated_at";

Document DocumentFromRow(const storage::Row& row) {
  Document d;
  d.id = DocumentId(row.Text(0));
  d.org_id = OrgId(row.Text(1));
  d.ref = row.Text(2);
  d.type = ParseDocumentType(row.Text(3)).value_or(DocumentType::kOther);
  d.title = row.Text(4);
  d.owner_id = UserId(row.Text(5));
  d.classification = row.Text(6);
  d.review_interval_months = row.Int(7);
  d.next_review_on = row.OptText(8);
  d.retention_months = row.OptInt(9);
  d.distribution.all_members = row.Bool(10);
  d.is_security_policy = row.Bool(11);
  if (auto scope = row.OptText(12)) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(*scope, ec);
    if (!ec) {
      if (auto fields = ScopeFromJson(parsed)) d.scope = std::move(*fields);
    }
  }
  d.status = ParseVersionStatus(row.Text(13)).value_or(VersionStatus::kDraft);
  d.latest_version = row.Int(14);
  d.published_version = row.OptInt(15);
  d.published_at = row.OptText(16);
  d.version = row.Int(17);
  d.created_at = row.Text(18);
  d.updated_at = row.Text(19);
  return d;
}

std::vector<storage::Value> DocumentValues(const Document& d) {
  storage::Value scope = nullptr;
  if (d.scope) scope = boost::json::serialize(ToJson(*d.scope));
  return {d.id.str(),
          d.org_id.str(),
          d.ref,
          std::string(DocumentTypeName(d.type)),
          d.title,
          d.owner_id.str(),
          d.classification,
          d.review_interval_months,
          OptValue(d.next_review_on),
          OptValue(d.retention_months),
          std::int64_t{d.distribution.all_members ? 1 : 0},
          std::int64_t{d.is_security_policy ? 1 : 0},
          std::move(scope),
          std::string(VersionStatusName(d.status)),
          d.latest_version,
          OptValue(d.published_version),
          OptValue(d.published_at),
          d.version,
          d.created_at,
          d.updated_at};
}

const storage::SortKeys<Document>& DocumentSortKeys() {
  static const storage::SortKeys<Document> kKeys = {
      {"ref", {"ref", [](const Document& d) { return d.ref; }}},
      {"title", {"title", [](const Document& d) { return d.title; }}},
      {"type", {"type", [](const Document& d) { return std::string(DocumentTypeName(d.type)); }}},
      {"next_review_on",
       {"COALESCE(next_review_on, '')",
        [](const Document& d) { return d.next_review_on.value_or(""); }}},
      {"created_at", {"created_at", [](const Document& d) { return d.created_at; }}},
      {"updated_at", {"updated_at", [](const Document& d) { return d.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kVersionColumns =
    "id, org_id, document_id, number, content, change_summary, status, author_id, author_email, "
    "submitted_at, approved_by_id, approved_by_email, approved_at, approval_comment, "
    "rejected_by_id, rejected_by_email, rejected_at, rejection_comment, published_by_id, "
    "published_by_email, published_at, superseded_at, sha256, version, created_at, updated_at";

std::optional<Signature> SignatureAt(const storage::Row& row, std::size_t at, bool comment) {
  auto by = row.OptText(at);
  if (!by) return std::nullopt;
  return Signature{*by, row.Text(at + 1), row.Text(at + 2), comment ? row.Text(at + 3) : ""};
}

DocumentVersion VersionFromRow(const storage::Row& row) {
  DocumentVersion v;
  v.id = row.Text(0);
  v.org_id = OrgId(row.Text(1));
  v.document_id = DocumentId(row.Text(2));
  v.number = row.Int(3);
  v.content = row.Text(4);
  v.change_summary = row.Text(5);
  v.status = ParseVersionStatus(row.Text(6)).value_or(VersionStatus::kDraft);
  v.author_id = row.Text(7);
  v.author_email = row.Text(8);
  v.submitted_at = row.OptText(9);
  v.approval = SignatureAt(row, 10, true);
  v.rejection = SignatureAt(row, 14, true);
  v.publication = SignatureAt(row, 18, false);
  v.superseded_at = row.OptText(21);
  v.sha256 = row.OptText(22);
  v.version = row.Int(23);
  v.created_at = row.Text(24);
  v.updated_at = row.Text(25);
  return v;
}

std::vector<storage::Value> VersionValues(const DocumentVersion& v) {
  auto sig = [](const std::optional<Signature>& s,
                std::string Signature::*field) -> storage::Value {
    if (!s) return nullptr;
    return (*s).*field;
  };
  return {v.id,
          v.org_id.str(),
          v.document_id.str(),
          v.number,
          v.content,
          v.change_summary,
          std::string(VersionStatusName(v.status)),
          v.author_id,
          v.author_email,
          OptValue(v.submitted_at),
          sig(v.approval, &Signature::by_id),
          sig(v.approval, &Signature::by_email),
          sig(v.approval, &Signature::at),
          sig(v.approval, &Signature::comment),
          sig(v.rejection, &Signature::by_id),
          sig(v.rejection, &Signature::by_email),
          sig(v.rejection, &Signature::at),
          sig(v.rejection, &Signature::comment),
          sig(v.publication, &Signature::by_id),
          sig(v.publication, &Signature::by_email),
          sig(v.publication, &Signature::at),
          OptValue(v.superseded_at),
          OptValue(v.sha256),
          v.version,
          v.created_at,
          v.updated_at};
}

}  // namespace

std::string_view DocumentTypeName(DocumentType type) {
  switch (type) {
    case DocumentType::kPolicy: return "policy";
    case DocumentType::kScope: return "scope";
    case DocumentType::kProcedure: return "procedure";
    case DocumentType::kStandard: return "standard";
    case DocumentType::kPlan: return "plan";
    case DocumentType::kRecord: return "record";
    case DocumentType::kOther: return "other";
  }
  return "other";
}

std::optional<DocumentType> ParseDocumentType(std::string_view name) {
  for (auto type : kTypes) {
    if (DocumentTypeName(type) == name) return type;
  }
  return std::nullopt;
}

const std::vector<std::string>& DocumentTypeNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kTypes.size());
    for (auto type : kTypes) names.emplace_back(DocumentTypeName(type));
    return names;
  }();
  return kNames;
}

std::string_view RefPrefix(DocumentType type) {
  switch (type) {
    case DocumentType::kPolicy: return "POL";
    case DocumentType::kScope: return "SCO";
    case DocumentType::kProcedure: return "PRO";
    case DocumentType::kStandard: return "STD";
    case DocumentType::kPlan: return "PLN";
    case DocumentType::kRecord: return "REC";
    case DocumentType::kOther: return "DOC";
  }
  return "DOC";
}

std::string_view VersionStatusName(VersionStatus status) {
  switch (status) {
    case VersionStatus::kDraft: return "draft";
    case VersionStatus::kInReview: return "in_review";
    case VersionStatus::kApproved: return "approved";
    case VersionStatus::kPublished: return "published";
    case VersionStatus::kSuperseded: return "superseded";
  }
  return "draft";
}

std::optional<VersionStatus> ParseVersionStatus(std::string_view name) {
  for (auto status : kStatuses) {
    if (VersionStatusName(status) == name) return status;
  }
  return std::nullopt;
}

const std::vector<std::string>& VersionStatusNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kStatuses.size());
    for (auto status : kStatuses) names.emplace_back(VersionStatusName(status));
    return names;
  }();
  return kNames;
}

const std::vector<std::string>& DocumentStore::SortFields() {
  static const auto kFields = storage::SortFieldsOf(DocumentSortKeys());
  return kFields;
}

// ------------------------------------------------------------------ documents

Expected<void> DocumentStore::InsertDocument(Tx& tx, const Document& document) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO documents (id, org_id, ref, type, title, owner_id, classification, "
      "review_interval_months, next_review_on, retention_months, distribution_all, "
      "is_security_policy, scope, status, latest_version, published_version, published_at, "
      "version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $17, $18, $19, $20)",
      DocumentValues(document)));
  return WriteDistribution(tx, document);
}

Expected<void> DocumentStore::WriteDistribution(Tx& tx, const Document& document) {
  CERTUS_TRY(
      tx.Execute("DELETE FROM document_distribution WHERE document_id = $1", {document.id.str()}));
  for (const auto& user : document.distribution.user_ids) {
    CERTUS_TRY(
        tx.Execute("INSERT INTO document_distribution (document_id, kind, member_id) VALUES ($1, "
                   "'user', $2) ON CONFLICT DO NOTHING",
                   {document.id.str(), user.str()}));
  }
  for (const auto& role : document.distribution.role_ids) {
    CERTUS_TRY(
        tx.Execute("INSERT INTO document_distribution (document_id, kind, member_id) VALUES ($1, "
                   "'role', $2) ON CONFLICT DO NOTHING",
                   {document.id.str(), role}));
  }
  return {};
}

Expected<void> DocumentStore::LoadDistribution(Tx& tx, std::vector<Document>& documents) {
  if (documents.empty()) return {};
  std::map<std::string, Document*> by_id;
  storage::Query query{
      "SELECT document_id, kind, member_id FROM document_distribution WHERE "
      "document_id IN (",
      {}};
  for (auto& document : documents) {
    document.distribution.user_ids.clear();
    document.distribution.role_ids.clear();
    if (!by_id.empty()) query.sql += ", ";
    by_id[document.id.str()] = &document;
    query.sql += query.Bind(document.id.str());
  }
  query.sql += ") ORDER BY document_id, kind, member_id";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    auto it = by_id.find(row.Text(0));
    if (it == by_id.end()) continue;
    if (row.Text(1) == "user") {
      it->second->distribution.user_ids.emplace_back(row.Text(2));
    } else {
      it->second->distribution.role_ids.push_back(row.Text(2));
    }
  }
  return {};
}

Expected<std::optional<Document>> DocumentStore::FindDocument(Tx& tx, const OrgId& org,
                                                              const DocumentId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kDocumentColumns) +
                                          " FROM documents WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Document> found{DocumentFromRow(result.rows[0])};
  CERTUS_CHECK(LoadDistribution(tx, found));
  return std::move(found[0]);
}

Expected<Page<Document>> DocumentStore::ListDocuments(Tx& tx, const OrgId& org,
                                                      const DocumentFilter& filter,
                                                      const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kDocumentColumns) + " FROM documents WHERE org_id = $1",
      {org.str()}};
  if (filter.type) {
    query.sql += " AND type = " + query.Bind(std::string(DocumentTypeName(*filter.type)));
  }
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(VersionStatusName(*filter.status)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.overdue_before) {
    query.sql += " AND next_review_on IS NOT NULL AND next_review_on < " +
                 query.Bind(*filter.overdue_before);
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"ref", "title"});
  if (filter.to_acknowledge_by) {
    const std::string user = query.Bind(filter.to_acknowledge_by->str());
    query.sql +=
        " AND published_version IS NOT NULL AND (distribution_all = 1 OR EXISTS (SELECT "
        "1 FROM document_distribution dd WHERE dd.document_id = documents.id AND "
        "dd.kind = 'user' AND dd.member_id = " +
        user + ")";
    if (!filter.reader_roles.empty()) {
      query.sql +=
          " OR EXISTS (SELECT 1 FROM document_distribution dr WHERE dr.document_id = "
          "documents.id AND dr.kind = 'role' AND dr.member_id IN (";
      for (std::size_t i = 0; i < filter.reader_roles.size(); ++i) {
        query.sql += (i == 0 ? "" : ", ") + query.Bind(filter.reader_roles[i]);
      }
      query.sql += "))";
    }
    query.sql +=
        ") AND NOT EXISTS (SELECT 1 FROM document_acknowledgments a WHERE "
        "a.document_id = documents.id AND a.version_number = documents.published_version "
        "AND a.user_id = " +
        user + ")";
  }
  auto out = CERTUS_TRY(
      storage::RunKeysetPage(tx, std::move(query), DocumentSortKeys(), page, DocumentFromRow));
  CERTUS_CHECK(LoadDistribution(tx, out.items));
  return out;
}

Expected<bool> DocumentStore::UpdateDocument(Tx& tx, const Document& document,
                                             std::int64_t expected_version) {
  auto values = DocumentValues(document);
  values.push_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE documents SET ref = $3, type = $4, title = $5, owner_id = $6, classification = $7, "
      "review_interval_months = $8, next_review_on = $9, retention_months = $10, "
      "distribution_all = $11, is_security_policy = $12, scope = $13, status = $14, "
      "latest_version = $15, published_version = $16, published_at = $17, version = $18, "
      "updated_at = $20 WHERE id = $1 AND org_id = $2 AND created_at = $19 AND version = $21",
      values));
  if (result.affected != 1) return false;
  CERTUS_CHECK(WriteDistribution(tx, document));
  return true;
}

Expected<bool> DocumentStore::DeleteDocument(Tx& tx, const OrgId& org, const DocumentId& id,
                                             std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT 1 FROM documents WHERE org_id = $1 AND id = $2 AND version = $3 AND "
                 "published_version IS NULL",
                 {org.str(), id.str(), expected_version}));
  if (result.rows.empty()) return false;
  CERTUS_TRY(tx.Execute("DELETE FROM document_distribution WHERE document_id = $1", {id.str()}));
  CERTUS_TRY(tx.Execute("DELETE FROM document_attachments WHERE document_id = $1", {id.str()}));
  CERTUS_TRY(tx.Execute("DELETE FROM document_versions WHERE document_id = $1", {id.str()}));
  auto deleted =
      CERTUS_TRY(tx.Execute("DELETE FROM documents WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return deleted.affected == 1;
}

Expected<std::optional<std::string>> DocumentStore::DocumentWithRef(Tx& tx, const OrgId& org,
                                                                    const std::string& ref) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT id FROM documents WHERE org_id = $1 AND ref = $2", {org.str(), ref}));
  if (result.rows.empty()) return std::nullopt;
  return result.rows[0].Text(0);
}

Expected<std::optional<std::string>> DocumentStore::OtherPublishedSecurityPolicy(
    Tx& tx, const OrgId& org, const DocumentId& except) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT ref FROM documents WHERE org_id = $1 AND id <> $2 AND is_security_policy = 1 AND "
      "published_version IS NOT NULL ORDER BY ref LIMIT 1",
      {org.str(), except.str()}));
  if (result.rows.empty()) return std::nullopt;
  return result.rows[0].Text(0);
}

// ------------------------------------------------------------------ versions

Expected<void> DocumentStore::InsertVersion(Tx& tx, const DocumentVersion& version) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO document_versions (id, org_id, document_id, number, content, change_summary, "
      "status, author_id, author_email, submitted_at, approved_by_id, approved_by_email, "
      "approved_at, approval_comment, rejected_by_id, rejected_by_email, rejected_at, "
      "rejection_comment, published_by_id, published_by_email, published_at, superseded_at, "
      "sha256, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)",
      VersionValues(version)));
  return {};
}

Expected<std::optional<DocumentVersion>> DocumentStore::FindVersion(Tx& tx, const OrgId& org,
                                                                    const DocumentId& document,
                                                                    std::int64_t number) {
  auto result = CERTUS_TRY(tx.Execute(
      std::string("SELECT ") + std::string(kVersionColumns) +
          " FROM document_versions WHERE org_id = $1 AND document_id = $2 AND number = $3",
      {org.str(), document.str(), number}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<DocumentVersion> found{VersionFromRow(result.rows[0])};
  CERTUS_CHECK(LoadAttachments(tx, document, found));
  return std::move(found.front());
}

Expected<std::vector<DocumentVersion>> DocumentStore::ListVersions(Tx& tx, const OrgId& org,
                                                                   const DocumentId& document) {
  auto result = CERTUS_TRY(tx.Execute(
      std::string("SELECT ") + std::string(kVersionColumns) +
          " FROM document_versions WHERE org_id = $1 AND document_id = $2 ORDER BY number DESC",
      {org.str(), document.str()}));
  std::vector<DocumentVersion> versions;
  versions.reserve(result.rows.size());
  for (const auto& row : result.rows) versions.push_back(VersionFromRow(row));
  CERTUS_CHECK(LoadAttachments(tx, document, versions));
  return versions;
}

Expected<void> DocumentStore::LoadAttachments(Tx& tx, const DocumentId& document,
                                              std::vector<DocumentVersion>& versions) {
  if (versions.empty()) return {};
  auto result = CERTUS_TRY(
      tx.Execute("SELECT version_id, id, file_name, content_type, size, sha256, added_by_id, "
                 "added_by_email, added_at FROM document_attachments WHERE document_id = $1 "
                 "ORDER BY file_name, id",
                 {document.str()}));
  std::map<std::string, std::vector<Attachment>> by_version;
  for (const auto& row : result.rows) {
    by_version[row.Text(0)].push_back(Attachment{row.Text(1), row.Text(2), row.Text(3), row.Int(4),
                                                 row.Text(5), row.Text(6), row.Text(7),
                                                 row.Text(8)});
  }
  for (auto& version : versions) {
    if (auto it = by_version.find(version.id); it != by_version.end()) {
      version.attachments = std::move(it->second);
    }
  }
  return {};
}

Expected<void> DocumentStore::InsertAttachment(Tx& tx, const DocumentVersion& version,
                                               const Attachment& a) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO document_attachments (id, org_id, document_id, version_id, file_name, "
      "content_type, size, sha256, added_by_id, added_by_email, added_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {a.id, version.org_id.str(), version.document_id.str(), version.id, a.file_name,
       a.content_type, a.size, a.sha256, a.added_by_id, a.added_by_email, a.added_at}));
  return {};
}

Expected<bool> DocumentStore::DeleteAttachment(Tx& tx, const DocumentVersion& version,
                                               const std::string& attachment_id) {
  auto deleted =
      CERTUS_TRY(tx.Execute("DELETE FROM document_attachments WHERE version_id = $1 AND id = $2",
                            {version.id, attachment_id}));
  return deleted.affected == 1;
}

Expected<bool> DocumentStore::UpdateVersion(Tx& tx, const DocumentVersion& version,
                                            std::int64_t expected_version) {
  auto values = VersionValues(version);
  values.push_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE document_versions SET content = $5, change_summary = $6, status = $7, "
      "submitted_at = $10, approved_by_id = $11, approved_by_email = $12, approved_at = $13, "
      "approval_comment = $14, rejected_by_id = $15, rejected_by_email = $16, rejected_at = $17, "
      "rejection_comment = $18, published_by_id = $19, published_by_email = $20, "
      "published_at = $21, superseded_at = $22, sha256 = $23, version = $24, updated_at = $26 "
      "WHERE id = $1 AND org_id = $2 AND document_id = $3 AND number = $4 AND author_id = $8 "
      "AND author_email = $9 AND created_at = $25 AND version = $27",
      values));
  return result.affected == 1;
}

// ------------------------------------------------------------------ acknowledgments

Expected<bool> DocumentStore::InsertAcknowledgment(Tx& tx, const OrgId& org,
                                                   const DocumentId& document,
                                                   const Acknowledgment& a) {
  auto result = CERTUS_TRY(tx.Execute(
      "INSERT INTO document_acknowledgments (document_id, version_number, org_id, user_id, "
      "user_email, acknowledged_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      {document.str(), a.version_number, org.str(), a.user_id, a.email, a.at}));
  return result.affected == 1;
}

Expected<std::vector<Acknowledgment>> DocumentStore::ListAcknowledgments(
    Tx& tx, const DocumentId& document) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT user_id, user_email, acknowledged_at, version_number FROM document_acknowledgments "
      "WHERE document_id = $1 ORDER BY version_number DESC, acknowledged_at, user_email",
      {document.str()}));
  std::vector<Acknowledgment> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    out.push_back({row.Text(0), row.Text(1), row.Text(2), row.Int(3)});
  }
  return out;
}

}  // namespace certus::documents
