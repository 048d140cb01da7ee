// ControlService's SoA as a record: approved versions, diffs, exports, coverage.
#include <algorithm>
#include <cmath>
#include <set>

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "interchange/oscal.hpp"
#include "modules/controls/catalog.hpp"
#include "modules/controls/json.hpp"
#include "modules/controls/service.hpp"
#include "reports/table.hpp"
#include "storage/counters.hpp"

namespace certus::controls {

namespace {

constexpr const char* kVersionType = "soa_version";
constexpr int kRequirementPage = 500;
/// Where an OSCAL reader finds the catalog the component definition implements.
constexpr const char* kIsoSource = "https://www.iso.org/standard/27001";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Error VersionNotFound() { return Error::NotFound("SoA version"); }

using MappedByRef = std::map<std::string, std::vector<MappedRequirement>>;

boost::json::array RowsOf(const std::vector<Control>& controls, const MappedByRef& mapped) {
  boost::json::array rows;
  rows.reserve(controls.size());
  for (const auto& control : controls) {
    std::vector<MappedRequirement> requirements;
    if (control.framework_id == kIso27001Id) {
      requirements.push_back({std::string(kIso27001Id), control.ref_id, control.title});
      if (auto it = mapped.find(control.ref_id); it != mapped.end()) {
        requirements.insert(requirements.end(), it->second.begin(), it->second.end());
      }
    }
    rows.push_back(SoaRowJson(control, requirements));
  }
  return rows;
}

Expected<boost::json::array> ParseRows(const std::string& rows_json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(rows_json, ec);
  if (ec || !value.is_array()) return Fail(Error::Internal("stored SoA rows are not an array"));
  return std::move(value.as_array());
}

/// The rows without the evidence linked to them, serialized: evidence shows that controls
/// operate but is no decision of the SoA, so attaching it (or its expiry) does not make the
/// SoA differ from its approved version.
std::string DecisionsOf(boost::json::array rows) {
  for (auto& row : rows) {
    if (!row.is_object()) continue;
    row.as_object().erase("evidence_ids");
    row.as_object().erase("evidence_expired");
  }
  return boost::json::serialize(rows);
}

}  // namespace

Expected<MappedByRef> ControlService::MappedRequirements(const Actor& actor) {
  MappedByRef mapped;
  for (const auto& framework : CERTUS_TRY(frameworks_.ListFrameworks(actor))) {
    if (framework.id.str() == kIso27001Id) continue;
    auto mappings =
        CERTUS_TRY(frameworks_.MappingsBetween(std::string(kIso27001Id), framework.id.str()));
    if (mappings.empty()) continue;
    std::map<std::string, std::string> titles;
    PageQuery page;
    page.limit = kRequirementPage;
    while (true) {
      auto requirements =
          CERTUS_TRY(frameworks_.ListRequirements(actor, framework.id.str(), {}, page));
      for (const auto& requirement : requirements.items) {
        titles[requirement.ref_id] = requirement.title;
      }
      if (!requirements.next) break;
      page.after = requirements.next;
    }
    for (const auto& mapping : mappings) {
      auto& list = mapped[mapping.source_ref];
      const bool seen = std::any_of(list.begin(), list.end(), [&](const MappedRequirement& m) {
        return m.framework_id == framework.id.str() && m.ref_id == mapping.target_ref;
      });
      if (!seen)
        list.push_back({framework.id.str(), mapping.target_ref, titles[mapping.target_ref]});
    }
  }
  return mapped;
}

Expected<boost::json::array> ControlService::CurrentRows(const Actor& actor, const OrgId& org) {
  auto mapped = CERTUS_TRY(MappedRequirements(actor));
  auto controls = CERTUS_TRY(
      storage::InReadTransaction(db_, [&](storage::Transaction& tx) { return ListAll(tx, org); }));
  return RowsOf(controls, mapped);
}

Expected<SoaDocument> ControlService::GetSoa(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  SoaDocument soa;
  soa.framework_id = std::string(kIso27001Id);
  soa.rows = CERTUS_TRY(CurrentRows(actor, org));
  soa.summary = SummarizeRows(soa.rows);
  soa.latest_version = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.LatestVersion(tx, org); }));
  // Nothing approved yet counts as changed: the current SoA is not an approved one.
  soa.changed_since_latest_version =
      !soa.latest_version ||
      DecisionsOf(CERTUS_TRY(ParseRows(soa.latest_version->rows_json))) != DecisionsOf(soa.rows);
  if (soa.latest_version) soa.latest_version->rows_json.clear();
  return soa;
}

Expected<SoaSummary> ControlService::GetSoaSummary(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  const auto controls = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListDecisions(tx, org); }));
  // The rows GetSoa summarizes, less what the summary does not count.
  return SummarizeRows(RowsOf(controls, {}));
}

Expected<SoaVersion> ControlService::ApproveVersion(const Actor& actor, const OrgId& org,
                                                    const std::string& notes) {
  CERTUS_CHECK(CheckCanRead(actor));
  // ISO 27001 6.1.3 d: the SoA is a management decision; managers and admins approve it.
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may approve the Statement of Applicability.");
  }
  CERTUS_CHECK(EnsureSeeded(actor, org));
  auto mapped = CERTUS_TRY(MappedRequirements(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<SoaVersion> {
    // The snapshot is read in the transaction that records it.
    const auto rows = RowsOf(CERTUS_TRY(ListAll(tx, org)), mapped);
    SoaVersion version;
    version.id = SoaVersionId(NewUuid(clock_, random_));
    version.org_id = org;
    version.number = CERTUS_TRY(storage::NextCounter(tx, org.str(), kVersionType));
    version.notes = notes;
    version.approved_by_id = actor.user_id.str();
    version.approved_by_email = actor.email;
    version.approved_at = FormatTimestamp(clock_.Now());
    version.row_count = static_cast<std::int64_t>(rows.size());
    // The canonical JSON: the rows as serialized here, fields in a fixed order.
    version.rows_json = boost::json::serialize(rows);
    version.sha256 = Sha256Hex(version.rows_json);
    CERTUS_CHECK(store_.InsertVersion(tx, version));
    CERTUS_CHECK(audit_log_.Append(
        tx, {org.str(), actor.user_id.str(), actor.email, kVersionType, version.id.str(), "approve",
             nullptr, ToJson(version), actor.request_id}));
    return version;
  });
}

Expected<Page<SoaVersion>> ControlService::ListVersions(const Actor& actor, const OrgId& org,
                                                        const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListVersions(tx, org, page); });
}

Expected<SoaVersion> ControlService::GetVersion(const Actor& actor, const OrgId& org,
                                                std::int64_t number) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto version = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindVersion(tx, org, number); }));
  if (!version) return Fail(VersionNotFound());
  return std::move(*version);
}

Expected<void> ControlService::ChangeVersion(const Actor& actor, const OrgId& org,
                                             std::int64_t number) {
  CERTUS_TRY(GetVersion(actor, org, number));
  // ISO 27001 7.5.3: an approved SoA is retained as it was approved.
  return Fail(ErrorCode::kConflict,
              "ISO 27001 6.1.3 d, 7.5.3: approved SoA versions are immutable; approve a new one.");
}

Expected<SoaDiff> ControlService::Diff(const Actor& actor, const OrgId& org, std::int64_t from,
                                       std::optional<std::int64_t> to) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  const auto from_version = CERTUS_TRY(GetVersion(actor, org, from));
  const auto from_rows = CERTUS_TRY(ParseRows(from_version.rows_json));
  boost::json::array to_rows;
  if (to) {
    const auto to_version = CERTUS_TRY(GetVersion(actor, org, *to));
    to_rows = CERTUS_TRY(ParseRows(to_version.rows_json));
  } else {
    to_rows = CERTUS_TRY(CurrentRows(actor, org));
  }
  return SoaDiff{from, to, DiffRows(from_rows, to_rows)};
}

Expected<ExportedFile> ControlService::Export(const Actor& actor, const OrgId& org,
                                              ExportFormat format,
                                              std::optional<std::int64_t> number) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  const std::string org_name = CERTUS_TRY(identity_.GetOrg(actor, org)).name;
  std::optional<SoaVersion> version;
  boost::json::array rows;
  if (number) {
    version = CERTUS_TRY(GetVersion(actor, org, *number));
    rows = CERTUS_TRY(ParseRows(version->rows_json));
  } else {
    rows = CERTUS_TRY(CurrentRows(actor, org));
  }
  const auto now = FormatTimestamp(clock_.Now());
  const std::string label = version ? std::to_string(version->number) : "current";
  ExportedFile file;
  file.filename = "soa-" + FileSlug(org_name, org.str()) + "-v" + label;
  const std::vector<std::pair<std::string, std::string>> facts = {
      {"Organization", org_name},
      {"Version", version ? label : "current (not approved)"},
      {"Approved by", version ? version->approved_by_email : "not approved"},
      {"Date", (version ? version->approved_at : now).substr(0, 10)}};
  switch (format) {
    case ExportFormat::kCsv:
      file.filename += ".csv";
      file.media_type = "text/csv; charset=utf-8";
      file.body = reports::WriteCsv(SoaTable(rows, facts));
      break;
    case ExportFormat::kXlsx:
      file.filename += ".xlsx";
      file.media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      file.body = CERTUS_TRY(reports::WriteXlsx(SoaTable(rows, facts)));
      break;
    case ExportFormat::kPdf:
      file.filename += ".pdf";
      file.media_type = "application/pdf";
      file.body = CERTUS_TRY(reports::WritePdf(SoaTable(rows, facts)));
      break;
    case ExportFormat::kJson: {
      file.filename += ".json";
      file.media_type = "application/json";
      if (version) {
        boost::json::object body = ToJson(*version);
        body["rows"] = std::move(rows);
        file.body = boost::json::serialize(body);
      } else {
        file.body = boost::json::serialize(ToJson(CERTUS_TRY(GetSoa(actor, org))));
      }
      break;
    }
    case ExportFormat::kOscal: {
      file.filename += ".oscal.json";
      file.media_type = "application/json";
      interchange::ComponentDefinitionInput input;
      input.org_id = org.str();
      input.org_name = org_name;
      input.framework_title = "ISO/IEC 27001:2022";
      input.framework_source = kIsoSource;
      input.version_label = version ? "SoA version " + label : "current (not approved)";
      input.last_modified = version ? version->approved_at : now;
      input.controls = ImplementedControls(rows);
      file.body = interchange::WriteOscalComponentDefinition(input);
      break;
    }
  }
  return file;
}

Expected<Coverage> ControlService::GetCoverage(const Actor& actor, const OrgId& org,
                                               const std::string& framework_id) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  const auto framework = CERTUS_TRY(frameworks_.GetFramework(actor, framework_id));
  const bool iso = framework.id.str() == kIso27001Id;
  std::vector<Requirement> requirements;
  PageQuery page;
  page.limit = kRequirementPage;
  while (true) {
    auto batch = CERTUS_TRY(frameworks_.ListRequirements(actor, framework.id.str(), {}, page));
    for (auto& requirement : batch.items) {
      // Only what an organization implements: controls (and OSCAL enhancements), not
      // clauses, themes or groups, and nothing withdrawn.
      const bool implementable =
          requirement.kind == "control" || (!iso && requirement.kind == "enhancement");
      if (implementable && !requirement.withdrawn) requirements.push_back(std::move(requirement));
    }
    if (!batch.next) break;
    page.after = batch.next;
  }
  // Requirement of the framework → the Annex A refs that map to it (either direction).
  std::map<std::string, std::vector<std::string>> annex_refs;
  if (iso) {
    for (const auto& requirement : requirements) {
      annex_refs[requirement.ref_id].push_back(requirement.ref_id);
    }
  } else {
    for (const auto& mapping :
         CERTUS_TRY(frameworks_.MappingsBetween(framework.id.str(), std::string(kIso27001Id)))) {
      auto& refs = annex_refs[mapping.source_ref];
      if (std::find(refs.begin(), refs.end(), mapping.target_ref) == refs.end()) {
        refs.push_back(mapping.target_ref);
      }
    }
  }
  const auto controls = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListAll(tx, org); }));
  std::map<std::string, const Control*> by_ref;
  for (const auto& control : controls) {
    if (control.framework_id == kIso27001Id) by_ref[control.ref_id] = &control;
  }

  Coverage coverage;
  coverage.framework_id = framework.id.str();
  for (const auto& requirement : requirements) {
    CoverageItem item{requirement.ref_id, requirement.title, "not_covered", {}};
    bool implemented = false;
    bool relevant = false;
    auto refs = annex_refs.find(requirement.ref_id);
    if (refs != annex_refs.end()) {
      std::vector<std::string> sorted = refs->second;
      std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
        return NaturalSortKey(a) < NaturalSortKey(b);
      });
      for (const auto& ref : sorted) {
        auto control = by_ref.find(ref);
        if (control == by_ref.end()) continue;
        const Control& c = *control->second;
        item.controls.push_back({c.ref_id, c.implementation_status, c.applicable});
        // An excluded control covers nothing.
        if (c.applicable == false) continue;
        relevant = true;
        if (c.applicable == true && c.implementation_status == ImplementationStatus::kImplemented) {
          implemented = true;
        }
      }
    }
    if (implemented) {
      item.status = "covered";
      ++coverage.covered;
    } else if (relevant) {
      item.status = "partial";
      ++coverage.partial;
    } else {
      ++coverage.not_covered;
    }
    coverage.items.push_back(std::move(item));
  }
  coverage.total = static_cast<std::int64_t>(coverage.items.size());
  coverage.percent = coverage.total == 0
                         ? 0.0
                         : std::round(static_cast<double>(coverage.covered) * 1000.0 /
                                      static_cast<double>(coverage.total)) /
                               10.0;
  return coverage;
}

}  // namespace certus::controls
