#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blobstore/uploads.hpp"
#include "core/strong_id.hpp"
#include "core/time.hpp"
#include "modules/controls/model.hpp"

namespace certus::evidence {

using EvidenceId = StrongId<struct EvidenceTag>;

/// What a piece of evidence is. Persisted as its name.
enum class EvidenceKind { kFile, kLink, kNote };

std::string_view KindName(EvidenceKind kind);
std::optional<EvidenceKind> ParseKind(std::string_view name);
const std::vector<std::string>& KindNames();

/// A stored file: its blob, the name it was given and the type the server detected.
using EvidenceFile = blobstore::StoredFile;

/// Documented information that shows a control operates (ISO 27001 7.5, 8.1): a file, a
/// link or a note, linked to the SoA rows it supports, valid until a date.
struct Evidence {
  EvidenceId id;
  OrgId org_id;
  std::string ref;  ///< EV-0001, …
  EvidenceKind kind = EvidenceKind::kNote;
  std::string title;
  std::string description;
  std::optional<std::string> url;    ///< links only
  std::optional<std::string> note;   ///< notes only
  std::optional<EvidenceFile> file;  ///< files only
  std::optional<UserId> owner_id;
  std::optional<std::string> owner_email;  ///< read with the evidence
  std::optional<Date> collected_on;
  std::optional<Date> valid_until;
  bool archived = false;
  std::vector<controls::ControlId> control_ids;    ///< sorted
  std::vector<controls::ControlSummary> controls;  ///< read with the evidence, by ref
  bool expired = false;  ///< computed on reading: valid_until is before today
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// The fields a client sets on creation; `kind` decides which of url and note is required.
struct NewEvidence {
  EvidenceKind kind = EvidenceKind::kNote;
  std::string title;
  std::string description;
  std::optional<std::string> url;
  std::optional<std::string> note;
  std::vector<controls::ControlId> control_ids;
  std::optional<UserId> owner_id;
  std::optional<Date> collected_on;
  std::optional<Date> valid_until;
};

/// A file as uploaded (the type it claims is used only to tell CSV from other text).
using FileUpload = blobstore::Upload;

/// A partial update: an absent field stays as it is.
struct EvidencePatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> url;
  std::optional<std::string> note;
  std::optional<std::vector<controls::ControlId>> control_ids;
  std::optional<std::optional<UserId>> owner_id;
  std::optional<std::optional<Date>> collected_on;
  std::optional<std::optional<Date>> valid_until;
  std::optional<bool> archived;
};

struct EvidenceFilter {
  std::optional<std::string> text;  ///< in ref, title or description, case-insensitive
  std::optional<EvidenceKind> kind;
  std::optional<controls::ControlId> control_id;
  std::optional<UserId> owner_id;
  std::optional<bool> expired;          ///< valid_until before today (true) or not (false)
  std::optional<Date> expiring_before;  ///< valid_until before this day
  bool archived = false;                ///< archived evidence instead of current evidence
};

/// A file's bytes as stored, verified against their SHA-256, with what is known about them.
struct EvidenceDownload {
  EvidenceFile file;
  std::string bytes;
};

}  // namespace certus::evidence
