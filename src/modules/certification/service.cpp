#include "modules/certification/service.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/uuid.hpp"
#include "modules/controls/soa.hpp"
#include "reports/table.hpp"
#include "reports/zip.hpp"

namespace certus::certification {

namespace {

constexpr std::string_view kObjectType = "certification_pack";
constexpr int kPageLimit = 500;

/// Every item of a keyset-paged list, page after page, in ref order.
template <typename T, typename Fetch>
Expected<std::vector<T>> All(Fetch&& fetch, std::string sort = "ref") {
  std::vector<T> all;
  PageQuery page{
      .sort = std::move(sort), .descending = false, .limit = kPageLimit, .after = std::nullopt};
  for (;;) {
    Page<T> got = CERTUS_TRY(fetch(page));
    for (auto& item : got.items) all.push_back(std::move(item));
    if (!got.next) break;
    page.after = got.next;
  }
  return all;
}

/// The day part of an RFC 3339 timestamp or date, for comparing with the as-of day.
std::string_view DayOf(std::string_view text) { return text.substr(0, 10); }

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string OptionalDate(const std::optional<Date>& date) {
  return date ? FormatDate(*date) : std::string();
}

/// A file name a ZIP member may carry: no separators, no control characters, never `.`/`..`.
std::string SafeFileName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    out += (c == '/' || c == '\\' || u < 0x20U || c == 0x7f) ? '_' : c;
  }
  if (out.empty() || out == "." || out == "..") out = "file";
  return out;
}

std::string VerdictWords(std::string_view verdict) {
  if (verdict == "ready_for_stage_2") return "Ready for stage 2";
  if (verdict == "ready_for_stage_1") return "Ready for stage 1";
  return "Not ready";
}

/// Collects the pack's files, keeping the total under the limit.
class Contents final {
 public:
  explicit Contents(std::int64_t max_bytes) : max_bytes_(max_bytes) {}

  Expected<void> Add(std::string path, std::string description, std::string data) {
    total_ += static_cast<std::int64_t>(data.size());
    if (total_ > max_bytes_) {
      return Fail(ErrorCode::kPayloadTooLarge,
                  "The certification pack would exceed " + std::to_string(max_bytes_ >> 20U) +
                      " MiB; export the largest documents separately.");
    }
    files_.push_back({std::move(path), std::move(description), std::move(data)});
    return {};
  }

  struct File {
    std::string path;
    std::string description;
    std::string data;
  };
  std::vector<File>& files() { return files_; }

 private:
  std::int64_t max_bytes_;
  std::int64_t total_ = 0;
  std::vector<File> files_;
};

reports::TableDocument NonconformityTable(
    const std::string& org_name, const std::string& as_of,
    const std::vector<improvement::Nonconformity>& items,
    const std::map<std::string, std::vector<improvement::CorrectiveAction>>& actions,
    const std::map<std::string, std::string>& people) {
  auto person = [&](const UserId& id) {
    auto it = people.find(id.str());
    return it == people.end() ? id.str() : it->second;
  };
  reports::TableDocument table;
  table.title = "Nonconformity log";
  table.facts = {{"Organization", org_name},
                 {"As of", as_of},
                 {"Nonconformities", std::to_string(items.size())}};
  table.columns = {{"Ref", 10},         {"Title", 36},         {"Source", 18},
                   {"Source ref", 16},  {"Requirement", 12},   {"Severity", 10},
                   {"Reported on", 12}, {"Reported by", 24},   {"Owner", 24},
                   {"Correction", 40},  {"Correction on", 12}, {"Root cause", 40},
                   {"Method", 12},      {"Similar check", 30}, {"Corrective actions", 60},
                   {"Status", 12},      {"Closed on", 12}};
  for (const auto& nc : items) {
    std::vector<std::string> lines;
    if (auto it = actions.find(nc.id.str()); it != actions.end()) {
      for (const auto& a : it->second) {
        std::string line =
            a.ref + " " + a.title + " (" + std::string(improvement::ActionStatusName(a.status));
        if (a.due_on) line += ", due " + FormatDate(*a.due_on);
        if (a.done_on) line += ", done " + FormatDate(*a.done_on);
        lines.push_back(line + ")");
      }
    }
    table.rows.push_back(
        {nc.ref, nc.title, std::string(improvement::SourceName(nc.source)), nc.source_ref,
         nc.requirement_ref, std::string(improvement::SeverityName(nc.severity)),
         FormatDate(nc.reported_on), person(nc.reported_by), person(nc.owner_id), nc.correction,
         OptionalDate(nc.correction_on), nc.root_cause,
         nc.root_cause_method ? std::string(improvement::MethodName(*nc.root_cause_method)) : "",
         nc.similar_check, Join(lines, "\n"), std::string(improvement::NcStatusName(nc.status)),
         OptionalDate(nc.closed_on)});
  }
  return table;
}

}  // namespace

Expected<void> PackService::CheckCanExport(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  const Role role = *actor.role;
  if (role == Role::kAdmin || role == Role::kManager || role == Role::kAuditor) return {};
  // ISO 27001 7.5.3 c: distributing the documented information outside the system is for the
  // people who answer for the ISMS and for those who audit it.
  return Fail(ErrorCode::kPermissionDenied,
              "Only admins, managers and auditors may export the certification pack.");
}

Expected<Pack> PackService::Export(const Actor& actor, const OrgId& org,
                                   std::optional<Date> as_of_day) {
  CERTUS_CHECK(CheckCanExport(actor));
  const Date today = DateOf(clock_.Now());
  const Date day = as_of_day.value_or(today);
  if (std::chrono::sys_days(day) > std::chrono::sys_days(today)) {
    return Fail(Error::Field("as_of", "must not be in the future"));
  }
  const std::string as_of = FormatDate(day);
  const bool current = day == today;
  const auto organization = CERTUS_TRY(identity_.GetOrg(actor, org));
  std::map<std::string, std::string> people;
  for (const auto& m : CERTUS_TRY(identity_.ListMembers(actor, org))) {
    people[m.user_id.str()] = m.display_name.empty() ? m.email : m.display_name;
  }

  const auto report = CERTUS_TRY(readiness_.Evaluate(actor, org, day));
  Contents contents(settings_.max_bytes);
  std::vector<std::string> notes;

  // 6.1.3 d: the SoA version approved last on or before the day, else the current rows.
  const auto versions = CERTUS_TRY(All<controls::SoaVersion>(
      [&](const PageQuery& page) { return controls_.ListVersions(actor, org, page); }, "number"));
  std::optional<std::int64_t> soa_number;
  for (const auto& v : versions) {
    if (DayOf(v.approved_at) <= as_of && (!soa_number || v.number > *soa_number)) {
      soa_number = v.number;
    }
  }
  const std::string soa_label =
      soa_number ? "approved version " + std::to_string(*soa_number)
                 : "DRAFT: the current decisions; no SoA version was approved by " + as_of;
  boost::json::array soa_rows;
  std::vector<std::pair<std::string, std::string>> soa_facts = {
      {"Organization", organization.name}, {"As of", as_of}, {"Version", soa_label}};
  if (soa_number) {
    const auto version = CERTUS_TRY(controls_.GetVersion(actor, org, *soa_number));
    boost::system::error_code parse_error;
    auto parsed = boost::json::parse(version.rows_json, parse_error);
    if (parse_error || !parsed.is_array()) {
      return Fail(Error::Internal("SoA version " + std::to_string(*soa_number) +
                                  " holds rows that are not a JSON array"));
    }
    soa_rows = std::move(parsed.as_array());
    soa_facts.emplace_back("Approved by", version.approved_by_email);
    soa_facts.emplace_back("Approved at", version.approved_at);
  } else {
    soa_rows = std::move(CERTUS_TRY(controls_.GetSoa(actor, org)).rows);
  }
  auto soa_table = controls::SoaTable(soa_rows, soa_facts);
  // The sheet is named after the title: a draft says so wherever the file goes.
  if (!soa_number) soa_table.title = "SoA DRAFT - not approved";
  CERTUS_CHECK(contents.Add("01-statement-of-applicability.xlsx",
                            "Statement of Applicability (ISO 27001 6.1.3 d), " + soa_label,
                            CERTUS_TRY(reports::WriteXlsx(soa_table))));

  // 6.1.2, 6.1.3, 8.2, 8.3: the register and the plan as they stand (no as-of read).
  CERTUS_CHECK(contents.Add(
      "02-risk-register.xlsx", "Risk register (ISO 27001 6.1.2, 8.2), as it stands today",
      CERTUS_TRY(reports::WriteXlsx(CERTUS_TRY(risks_.RegisterTable(actor, org))))));
  CERTUS_CHECK(contents.Add(
      "03-risk-treatment-plan.xlsx",
      "Risk treatment plan (ISO 27001 6.1.3 e, 8.3), as it stands today",
      CERTUS_TRY(reports::WriteXlsx(CERTUS_TRY(risks_.TreatmentPlanTable(actor, org))))));

  // 10.2: every nonconformity reported on or before the day, with its corrective actions.
  auto ncs = CERTUS_TRY(All<improvement::Nonconformity>(
      [&](const PageQuery& page) { return nonconformities_.List(actor, org, {}, page); }));
  std::erase_if(ncs, [&](const auto& nc) { return FormatDate(nc.reported_on) > as_of; });
  std::map<std::string, std::vector<improvement::CorrectiveAction>> actions;
  for (const auto& nc : ncs) {
    actions[nc.id.str()] = CERTUS_TRY(nonconformities_.ListActionsOf(actor, org, nc.id));
  }
  CERTUS_CHECK(contents.Add("04-nonconformity-log.xlsx",
                            "Nonconformity log (ISO 27001 10.2): " + std::to_string(ncs.size()) +
                                " reported by " + as_of + ", each as it stands today",
                            CERTUS_TRY(reports::WriteXlsx(NonconformityTable(
                                organization.name, as_of, ncs, actions, people)))));

  // 5.2, 7.5: every document's version published last on or before the day.
  const auto documents = CERTUS_TRY(All<documents::Document>([&](const PageQuery& page) {
    return documents_.ListDocuments(actor, org, {}, false, false, page);
  }));
  std::int64_t document_count = 0;
  for (const auto& document : documents) {
    if (!document.published_version) continue;
    const auto history = CERTUS_TRY(documents_.ListVersions(actor, org, document.id));
    const documents::DocumentVersion* in_force = nullptr;
    for (const auto& v : history) {
      if (!v.publication || DayOf(v.publication->at) > as_of) continue;
      if (in_force == nullptr || v.publication->at > in_force->publication->at) in_force = &v;
    }
    if (in_force == nullptr) continue;
    ++document_count;
    const std::string stem = "documents/" + document.ref + "-" +
                             controls::FileSlug(document.title, "document") + "-v" +
                             std::to_string(in_force->number);
    auto rendered = CERTUS_TRY(documents_.RenderVersion(actor, org, document.id, in_force->number,
                                                        documents::RenderFormat::kPdf));
    CERTUS_CHECK(contents.Add(stem + ".pdf",
                              document.ref + " " + document.title + ", version " +
                                  std::to_string(in_force->number) + " published " +
                                  std::string(DayOf(in_force->publication->at)) + " (SHA-256 " +
                                  in_force->sha256.value_or("") + " of its text)",
                              std::move(rendered.body)));
    for (const auto& attachment : in_force->attachments) {
      auto download = CERTUS_TRY(
          documents_.DownloadAttachment(actor, org, document.id, in_force->number, attachment.id));
      CERTUS_CHECK(contents.Add(
          stem + "/" + SafeFileName(attachment.file_name),
          "Attachment of " + document.ref + " version " + std::to_string(in_force->number),
          std::move(download.bytes)));
    }
  }

  // 9.2.2 d: the report of every audit reported on or before the day.
  const auto audits = CERTUS_TRY(All<audits::Audit>(
      [&](const PageQuery& page) { return audits_.List(actor, org, {}, page); }));
  std::int64_t audit_count = 0;
  for (const auto& audit : audits) {
    if (audit.status != audits::AuditStatus::kReported &&
        audit.status != audits::AuditStatus::kClosed) {
      continue;
    }
    if (!audit.reported_on || FormatDate(*audit.reported_on) > as_of) continue;
    ++audit_count;
    auto pdf = CERTUS_TRY(audits_.ReportPdf(actor, org, audit.id));
    CERTUS_CHECK(contents.Add("audits/" + audit.ref + "-report.pdf",
                              "Internal audit report (ISO 27001 9.2.2 d) of " + audit.ref + " " +
                                  audit.title + ", reported " + FormatDate(*audit.reported_on),
                              std::move(pdf.body)));
  }

  // 9.3: the minutes of every management review held on or before the day.
  const auto reviews = CERTUS_TRY(All<reviews::ManagementReview>(
      [&](const PageQuery& page) { return reviews_.List(actor, org, {}, page); }));
  std::int64_t review_count = 0;
  for (const auto& review : reviews) {
    if (review.status == reviews::ReviewStatus::kPlanned || !review.held_on ||
        FormatDate(*review.held_on) > as_of) {
      continue;
    }
    ++review_count;
    std::string filename;
    auto pdf = CERTUS_TRY(reviews_.MinutesPdf(actor, org, review.id, filename));
    CERTUS_CHECK(contents.Add("management-reviews/" + review.ref + "-minutes.pdf",
                              "Management review minutes (ISO 27001 9.3) of " + review.ref + " " +
                                  review.title + ", held " + FormatDate(*review.held_on),
                              std::move(pdf)));
  }

  notes.push_back(
      "Read as of " + as_of +
      ": the readiness evaluation (rebuilt from the audit log), the Statement of Applicability "
      "(the version approved last by that day) and the documents (the version published last "
      "by that day).");
  notes.push_back(
      "Read as they stand on the day of the export: the risk register and the treatment plan "
      "(the risk module keeps no dated history to read), and the nonconformities, audit "
      "reports and management review minutes dated on or before " +
      as_of + " (their current content).");
  if (!current) notes.push_back("Retained risk assessments (8.2) hold the register as it was.");

  // The overview names every file, itself and the manifests included.
  const std::string slug = controls::FileSlug(organization.name, org.str());
  const std::vector<std::pair<std::string, std::string>> trailing = {
      {"manifest.json", "Path, size, SHA-256 and description of every other file"},
      {"manifest.sha256", "SHA-256 of every other file: sha256sum -c manifest.sha256"}};
  reports::TableDocument overview;
  overview.title = "Certification pack";
  overview.facts = {
      {"Organization", organization.name},
      {"As of", as_of},
      {"Readiness verdict", VerdictWords(report.verdict) + " (" + report.verdict + ")"},
      {"Readiness score", std::to_string(report.score) + " / 100"},
      {"Statement of Applicability", soa_label},
      {"Documents", std::to_string(document_count) + " published"},
      {"Internal audit reports", std::to_string(audit_count)},
      {"Management reviews", std::to_string(review_count)},
      {"Nonconformities", std::to_string(ncs.size())},
      {"Exported by", actor.email}};
  overview.columns = {{"Section", 18}, {"Item", 52}, {"Status or description", 70}};
  for (const auto& clause : report.clauses) {
    overview.rows.push_back(
        {"Clause " + clause.ref, clause.title, std::string(readiness::StatusName(clause.status))});
    for (const auto& requirement : clause.requirements) {
      std::string detail(readiness::StatusName(requirement.status));
      for (const auto& check : requirement.checks) {
        if (check.status != readiness::Status::kPass) detail += "\n- " + check.message;
      }
      overview.rows.push_back({"  " + requirement.ref, requirement.title, detail});
    }
  }
  overview.rows.push_back({"File", "00-overview.pdf", "This overview"});
  for (const auto& file : contents.files()) {
    overview.rows.push_back({"File", file.path, file.description});
  }
  for (const auto& [path, description] : trailing) {
    overview.rows.push_back({"File", path, description});
  }
  for (const auto& note : notes) overview.rows.push_back({"Note", "Currency of the records", note});
  CERTUS_CHECK(contents.Add("00-overview.pdf",
                            "Overview: organization, as-of day, readiness verdict and score, "
                            "clause-by-clause status, the files of the pack",
                            CERTUS_TRY(reports::WritePdf(overview))));

  // Archive order: the overview, the numbered registers, then the folders in path order.
  auto& files = contents.files();
  std::stable_sort(files.begin(), files.end(),
                   [](const auto& a, const auto& b) { return a.path < b.path; });

  Pack pack;
  pack.as_of = as_of;
  pack.filename = "certification-pack-" + slug + "-" + as_of + ".zip";
  boost::json::array manifest_files;
  std::string sums;
  std::vector<reports::ZipEntry> entries;
  for (auto& file : files) {
    PackFile described{file.path, file.description, static_cast<std::int64_t>(file.data.size()),
                       Sha256Hex(file.data)};
    manifest_files.push_back(boost::json::object{{"path", described.path},
                                                 {"size", described.size},
                                                 {"sha256", described.sha256},
                                                 {"description", described.description}});
    sums += described.sha256 + "  " + described.path + "\n";
    pack.files.push_back(std::move(described));
    entries.push_back({file.path, std::move(file.data), day});
  }
  boost::json::object manifest{
      {"organization", {{"id", org.str()}, {"name", organization.name}}},
      {"as_of", as_of},
      {"readiness", {{"verdict", report.verdict}, {"score", report.score}}},
      {"soa", soa_label},
      {"notes", boost::json::array(notes.begin(), notes.end())},
      {"files", std::move(manifest_files)}};
  std::string manifest_json = boost::json::serialize(manifest) + "\n";
  pack.files.push_back({"manifest.json", trailing[0].second,
                        static_cast<std::int64_t>(manifest_json.size()), Sha256Hex(manifest_json)});
  sums += pack.files.back().sha256 + "  manifest.json\n";
  entries.push_back({"manifest.json", std::move(manifest_json), day});
  pack.manifest_sha256 = Sha256Hex(sums);
  entries.push_back({"manifest.sha256", std::move(sums), day});

  pack.body = CERTUS_TRY(reports::WriteZip(entries));
  pack.sha256 = Sha256Hex(pack.body);

  // Who took the pack out, of which day, and what it held.
  boost::json::object after{
      {"as_of", as_of},
      {"filename", pack.filename},
      {"files", static_cast<std::int64_t>(entries.size())},
      {"size", static_cast<std::int64_t>(pack.body.size())},
      {"sha256", pack.sha256},
      {"manifest_sha256", pack.manifest_sha256},
      {"soa_version", soa_number ? boost::json::value(*soa_number) : boost::json::value(nullptr)},
      {"verdict", report.verdict}};
  const std::string event_id = NewUuid(clock_, random_);
  CERTUS_CHECK(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    return audit_log_.Append(
        tx, {org.str(), actor.user_id.str(), actor.email, std::string(kObjectType), event_id,
             "exported", nullptr, std::move(after), actor.request_id});
  }));
  return pack;
}

}  // namespace certus::certification
