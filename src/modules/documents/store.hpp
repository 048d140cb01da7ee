#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/documents/model.hpp"
#include "storage/database.hpp"

namespace certus::documents {

/// SQL for documents, their distribution, versions and acknowledgments. Every function runs
/// in the caller's transaction. A document is read with its distribution.
class DocumentStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& SortFields();

  Expected<void> InsertDocument(Tx& tx, const Document& document);
  Expected<std::optional<Document>> FindDocument(Tx& tx, const OrgId& org, const DocumentId& id);
  Expected<Page<Document>> ListDocuments(Tx& tx, const OrgId& org, const DocumentFilter& filter,
                                         const PageQuery& page);
  /// Writes `document` (and its distribution) if the stored version is `expected_version`.
  Expected<bool> UpdateDocument(Tx& tx, const Document& document, std::int64_t expected_version);
  /// Removes a document that was never published, with its versions and distribution.
  Expected<bool> DeleteDocument(Tx& tx, const OrgId& org, const DocumentId& id,
                                std::int64_t expected_version);
  /// The id of the document of `org` with this ref, if any.
  Expected<std::optional<std::string>> DocumentWithRef(Tx& tx, const OrgId& org,
                                                       const std::string& ref);
  /// The ref of another document of `org` that is a security policy with a published
  /// version (ISO 27001 5.2: one policy in force).
  Expected<std::optional<std::string>> OtherPublishedSecurityPolicy(Tx& tx, const OrgId& org,
                                                                    const DocumentId& except);

  Expected<void> InsertVersion(Tx& tx, const DocumentVersion& version);
  Expected<std::optional<DocumentVersion>> FindVersion(Tx& tx, const OrgId& org,
                                                       const DocumentId& document,
                                                       std::int64_t number);
  /// Every version of the document, newest first.
  Expected<std::vector<DocumentVersion>> ListVersions(Tx& tx, const OrgId& org,
                                                      const DocumentId& document);
  Expected<bool> UpdateVersion(Tx& tx, const DocumentVersion& version,
                               std::int64_t expected_version);

  /// Attachments are read with their version (FindVersion, ListVersions).
  Expected<void> InsertAttachment(Tx& tx, const DocumentVersion& version,
                                  const Attachment& attachment);
  /// False when the version has no such attachment.
  Expected<bool> DeleteAttachment(Tx& tx, const DocumentVersion& version,
                                  const std::string& attachment_id);

  /// Records an acknowledgment; false when this person had already acknowledged it.
  Expected<bool> InsertAcknowledgment(Tx& tx, const OrgId& org, const DocumentId& document,
                                      const Acknowledgment& acknowledgment);
  /// Every acknowledgment of the document, newest version first, then by time.
  Expected<std::vector<Acknowledgment>> ListAcknowledgments(Tx& tx, const DocumentId& document);

 private:
  Expected<void> LoadDistribution(Tx& tx, std::vector<Document>& documents);
  Expected<void> LoadAttachments(Tx& tx, const DocumentId& document,
                                 std::vector<DocumentVersion>& versions);
  Expected<void> WriteDistribution(Tx& tx, const Document& document);
};

}  // namespace certus::documents
