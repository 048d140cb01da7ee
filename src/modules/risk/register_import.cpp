// The CSV import of the risk register (ISO 27001 6.1.2): the columns of the export, written
// through the same rules as CreateRisk and UpdateRisk (RegisterService::WriteRiskIn).

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

#include "interchange/csv.hpp"
#include "modules/risk/register_service.hpp"

namespace certus::risk {

namespace {

constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kTextMax = 20000;

/// The columns of the register export (AssessmentService::RegisterTable).
enum class Column {
  kRef,
  kTitle,
  kDescription,
  kThreat,
  kVulnerability,
  kOwner,
  kLikelihood,
  kImpact,
  kTreatment,
  kTreatmentRationale,
  kTransferTo,
  kResidualLikelihood,
  kResidualImpact,
  kStatus,
  kLastAssessedOn,
  kNextReviewOn,
  kComputed,  ///< inherent_score, inherent_level, residual_score, residual_level: ignored
};

const std::map<std::string, Column, std::less<>>& Columns() {
  static const std::map<std::string, Column, std::less<>> kColumns{
      {"ref", Column::kRef},
      {"title", Column::kTitle},
      {"description", Column::kDescription},
      {"threat", Column::kThreat},
      {"vulnerability", Column::kVulnerability},
      {"owner", Column::kOwner},
      {"likelihood", Column::kLikelihood},
      {"impact", Column::kImpact},
      {"inherent_score", Column::kComputed},
      {"inherent_level", Column::kComputed},
      {"treatment", Column::kTreatment},
      {"treatment_rationale", Column::kTreatmentRationale},
      {"transfer_to", Column::kTransferTo},
      {"residual_likelihood", Column::kResidualLikelihood},
      {"residual_impact", Column::kResidualImpact},
      {"residual_score", Column::kComputed},
      {"residual_level", Column::kComputed},
      {"status", Column::kStatus},
      {"last_assessed_on", Column::kLastAssessedOn},
      {"next_review_on", Column::kNextReviewOn},
  };
  return kColumns;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

/// ParseCsv names the line in its message ("Line N: …"); the report carries it apart.
ImportProblem CsvProblem(const Error& error) {
  ImportProblem problem{1, "file", error.message()};
  constexpr std::string_view kPrefix = "Line ";
  std::string_view message = error.message();
  if (message.starts_with(kPrefix)) {
    message.remove_prefix(kPrefix.size());
    std::size_t line = 0;
    auto [ptr, ec] = std::from_chars(message.data(), message.data() + message.size(), line);
    if (ec == std::errc() && ptr != message.data() + message.size() && *ptr == ':') {
      problem.line = line;
      problem.message = std::string(Trim(std::string_view(ptr + 1, message.end() - ptr - 1)));
    }
  }
  return problem;
}

/// Reads one record into a patch; every problem goes to `problems`.
class RowReader final {
 public:
  RowReader(std::size_t line, std::vector<ImportProblem>& problems)
      : line_(line), problems_(problems) {}

  void Problem(std::string field, std::string message) {
    problems_.push_back({line_, std::move(field), std::move(message)});
    ok_ = false;
  }
  bool ok() const { return ok_; }

  std::optional<std::string> Text(std::string_view field, std::string_view value, std::size_t min,
                                  std::size_t max) {
    // The export writes a ' before a leading =, +, - or @ (no formulas); it is not data.
    if (value.size() >= 2 && value.front() == '\'' &&
        std::string_view("=+-@").find(value[1]) != std::string_view::npos) {
      value.remove_prefix(1);
    }
    if (value.size() < min) {
      Problem(std::string(field), "must not be empty");
      return std::nullopt;
    }
    if (value.size() > max) {
      Problem(std::string(field), "must be at most " + std::to_string(max) + " characters");
      return std::nullopt;
    }
    return std::string(value);
  }

  std::optional<std::int64_t> Rating(std::string_view field, std::string_view value,
                                     std::int64_t max) {
    auto number = ParseInteger(Trim(value));
    if (!number || *number < 1 || *number > max) {
      Problem(std::string(field), "must be a whole number between 1 and " + std::to_string(max) +
                                      " (the scale of the methodology in force)");
      return std::nullopt;
    }
    return number;
  }

  /// Empty leaves the date to the register's rules (set on rating, next review computed).
  std::optional<std::optional<std::string>> DateValue(std::string_view field,
                                                      std::string_view value) {
    value = Trim(value);
    if (value.empty()) return std::nullopt;
    auto date = ParseDate(value);
    if (!date) {
      Problem(std::string(field), "must be a date (YYYY-MM-DD)");
      return std::nullopt;
    }
    return std::optional<std::string>(FormatDate(*date));
  }

 private:
  std::size_t line_;
  std::vector<ImportProblem>& problems_;
  bool ok_ = true;
};

/// A valid row, ready for WriteRiskIn.
struct ImportRow {
  std::size_t line = 0;
  std::optional<RiskId> id;
  RiskPatch patch;
};

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

Expected<ImportReport> RegisterService::ImportRisks(const Actor& actor, const OrgId& org,
                                                    std::string_view csv, DryRun dry_run) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied, "Only managers and admins may import risks.");
  }
  ImportReport report;
  report.dry_run = dry_run == DryRun::kYes;
  auto finish = [&]() -> Expected<ImportReport> {
    if (report.errors.empty() || report.dry_run) return report;
    std::vector<FieldError> fields;
    fields.reserve(report.errors.size());
    for (auto& problem : report.errors) {
      fields.push_back(
          {"line " + std::to_string(problem.line) + ": " + problem.field, problem.message});
    }
    return Fail(Error::Validation(std::move(fields)));
  };

  auto table = interchange::ParseCsv(csv);
  if (!table) {
    report.errors.push_back(CsvProblem(table.error()));
    return finish();
  }

  // The header: known columns only, each once, the required ones present.
  std::vector<std::optional<Column>> columns;
  std::set<Column> seen;
  for (const auto& name : table->header) {
    auto found = Columns().find(Lower(Trim(name)));
    if (found == Columns().end()) {
      report.errors.push_back(
          {1, name.empty() ? "header" : name,
           "is not a column of the risk register (see the register export for the columns)"});
      columns.emplace_back();
      continue;
    }
    if (found->second != Column::kComputed && !seen.insert(found->second).second) {
      report.errors.push_back({1, found->first, "appears more than once in the header"});
    }
    columns.emplace_back(found->second);
  }
  for (const auto& [name, column] :
       std::array<std::pair<const char*, Column>, 4>{{{"title", Column::kTitle},
                                                      {"owner", Column::kOwner},
                                                      {"likelihood", Column::kLikelihood},
                                                      {"impact", Column::kImpact}}}) {
    if (!seen.contains(column)) report.errors.push_back({1, name, "is a required column"});
  }
  if (!report.errors.empty()) return finish();

  // Everything a row needs is read once: the methodology, the members, the refs.
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  const RiskWriteScope scope{state.in_force.criteria, Today()};
  const auto likelihood_max = static_cast<std::int64_t>(scope.criteria.likelihood_scale.size());
  const auto impact_max = static_cast<std::int64_t>(scope.criteria.impact_scale.size());
  std::unordered_map<std::string, UserId> members;
  for (const auto& member : CERTUS_TRY(identity_.ListMembers(actor, org))) {
    members.emplace(Lower(member.email), member.user_id);
  }

  auto tx = CERTUS_TRY(db_.Begin(storage::TxMode::kWrite));
  const auto refs = CERTUS_TRY(store_.RiskIdsByRef(*tx, org));
  std::set<std::string> refs_in_file;
  std::vector<ImportRow> rows;
  rows.reserve(table->records.size());
  for (const auto& record : table->records) {
    RowReader reader(record.line, report.errors);
    ImportRow row{record.line, std::nullopt, {}};
    RiskPatch& patch = row.patch;
    for (std::size_t i = 0; i < columns.size() && i < record.fields.size(); ++i) {
      const std::string_view value = record.fields[i];
      switch (*columns[i]) {
        case Column::kRef: {
          const auto ref = std::string(Trim(value));
          if (ref.empty()) break;
          if (!refs_in_file.insert(ref).second) {
            reader.Problem("ref", "appears on an earlier line of the file");
          } else if (auto found = refs.find(ref); found != refs.end()) {
            row.id = found->second;
          } else {
            reader.Problem("ref", "is not a risk of this organization");
          }
          break;
        }
        case Column::kTitle: patch.title = reader.Text("title", Trim(value), 1, kTitleMax); break;
        case Column::kDescription:
          patch.description = reader.Text("description", value, 0, kTextMax);
          break;
        case Column::kThreat: patch.threat = reader.Text("threat", value, 0, kTextMax); break;
        case Column::kVulnerability:
          patch.vulnerability = reader.Text("vulnerability", value, 0, kTextMax);
          break;
        case Column::kOwner: {
          auto found = members.find(Lower(Trim(value)));
          if (found == members.end()) {
            reader.Problem("owner", "must be the email of a member of the organization");
          } else {
            patch.owner_id = found->second;
          }
          break;
        }
        case Column::kLikelihood:
          patch.likelihood = reader.Rating("likelihood", value, likelihood_max);
          break;
        case Column::kImpact: patch.impact = reader.Rating("impact", value, impact_max); break;
        case Column::kTreatment: {
          if (Trim(value).empty()) break;
          patch.treatment = ParseTreatmentOption(Lower(Trim(value)));
          if (!patch.treatment) {
            reader.Problem("treatment", "must be one of " + JoinNames(TreatmentOptionNames()));
          }
          break;
        }
        case Column::kTreatmentRationale:
          patch.treatment_rationale = reader.Text("treatment_rationale", value, 0, kTextMax);
          break;
        case Column::kTransferTo:
          patch.transfer_to = reader.Text("transfer_to", Trim(value), 0, kTitleMax);
          break;
        case Column::kResidualLikelihood:
        case Column::kResidualImpact: {
          const bool is_likelihood = *columns[i] == Column::kResidualLikelihood;
          auto& target = is_likelihood ? patch.residual_likelihood : patch.residual_impact;
          // Empty means not rated (yet), as in the export.
          if (Trim(value).empty()) {
            target = std::optional<std::int64_t>();
          } else if (auto rating =
                         reader.Rating(is_likelihood ? "residual_likelihood" : "residual_impact",
                                       value, is_likelihood ? likelihood_max : impact_max)) {
            target = rating;
          }
          break;
        }
        case Column::kStatus: {
          if (Trim(value).empty()) break;
          patch.status = ParseRiskStatus(Lower(Trim(value)));
          if (!patch.status)
            reader.Problem("status", "must be one of " + JoinNames(RiskStatusNames()));
          break;
        }
        case Column::kLastAssessedOn:
          patch.last_assessed_on = reader.DateValue("last_assessed_on", value);
          break;
        case Column::kNextReviewOn:
          patch.next_review_on = reader.DateValue("next_review_on", value);
          break;
        case Column::kComputed: break;
      }
    }
    if (reader.ok()) rows.push_back(std::move(row));
  }

  // A real import with invalid fields writes nothing whatever the rules would say: answer
  // now (a dry run goes on, so that it names every problem at once).
  if (!report.errors.empty() && !report.dry_run) return finish();
  // The same rules as every other write, row by row in the one transaction; a row refused
  // is reported and the others still checked, so that one answer names every problem.
  // The refs of the new risks are taken in one step rather than one counter update a row.
  const auto creates = std::count_if(rows.begin(), rows.end(), [](const auto& r) { return !r.id; });
  std::int64_t next_number =
      creates > 0 ? CERTUS_TRY(store_.ReserveRiskNumbers(*tx, org, creates)) : 0;
  // New risks and the audit events are written a chunk at a time (the events exactly as
  // appended one by one, AuditLog::AppendAll, which takes the chain head once a chunk):
  // per-row audit statements were most of an import's statements. Chunks rather than the
  // whole file at once keep the memory small (holding 100,000 events was slower). Updates
  // are written as they come. A dry run writes nothing, so it keeps no chunk.
  constexpr std::size_t kChunk = 512;
  RiskWriteBatch batch;
  batch.inserts.reserve(kChunk);
  batch.events.reserve(kChunk);
  auto flush = [&]() -> Expected<void> {
    if (report.errors.empty() && !report.dry_run) {
      CERTUS_CHECK(store_.InsertRisks(*tx, batch.inserts));
      CERTUS_CHECK(audit_log_.AppendAll(*tx, batch.events));
    }
    batch.inserts.clear();
    batch.events.clear();
    return {};
  };
  for (const auto& row : rows) {
    if (batch.events.size() >= kChunk) CERTUS_CHECK(flush());
    auto written = WriteRiskIn(*tx, scope, actor, org, row.id, row.patch, std::nullopt,
                               row.id ? std::nullopt : std::optional(next_number), &batch);
    if (written) {
      ++(row.id ? report.updated : report.created);
      if (!row.id) ++next_number;
      continue;
    }
    const auto& error = written.error();
    if (error.code() == ErrorCode::kValidation) {
      for (const auto& field : error.fields()) {
        const std::string name = field.field == "owner_id" ? "owner" : field.field;
        report.errors.push_back({row.line, name, field.message});
      }
    } else if (error.code() == ErrorCode::kConflict) {
      report.errors.push_back({row.line, "risk", error.message()});
    } else {
      return Fail(error);
    }
  }
  // Nothing is written for a dry run or a file with any invalid row; the transaction rolls
  // back when it goes out of scope.
  CERTUS_CHECK(flush());
  if (report.errors.empty() && !report.dry_run) CERTUS_CHECK(tx->Commit());
  return finish();
}

}  // namespace certus::risk
