#include "modules/improvement/store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "core/enum_names.hpp"
#include "storage/keyset.hpp"
#include "storage/placeholders.hpp"

namespace certus::improvement {

// ------------------------------------------------------------------ vocabularies

namespace {

/// A persisted enum's stable names, in declaration order.
constexpr EnumNames<Source, 8> kSources{{{{Source::kInternalAudit, "internal_audit"},
                                          {Source::kExternalAudit, "external_audit"},
                                          {Source::kIncident, "incident"},
                                          {Source::kManagementReview, "management_review"},
                                          {Source::kMonitoring, "monitoring"},
                                          {Source::kComplaint, "complaint"},
                                          {Source::kOther, "other"},
                                          {Source::kSuggestion, "suggestion"}}}};
constexpr EnumNames<Severity, 2> kSeverities{
    {{{Severity::kMajor, "major"}, {Severity::kMinor, "minor"}}}};
constexpr EnumNames<RootCauseMethod, 4> kMethods{{{{RootCauseMethod::kFiveWhys, "five_whys"},
                                                   {RootCauseMethod::kFishbone, "fishbone"},
                                                   {RootCauseMethod::kFaultTree, "fault_tree"},
                                                   {RootCauseMethod::kOther, "other"}}}};
constexpr EnumNames<NcStatus, 5> kNcStatuses{{{{NcStatus::kOpen, "open"},
                                               {NcStatus::kCorrecting, "correcting"},
                                               {NcStatus::kActions, "actions"},
                                               {NcStatus::kVerifying, "verifying"},
                                               {NcStatus::kClosed, "closed"}}}};
constexpr EnumNames<ActionStatus, 4> kActionStatuses{{{{ActionStatus::kPlanned, "planned"},
                                                       {ActionStatus::kInProgress, "in_progress"},
                                                       {ActionStatus::kDone, "done"},
                                                       {ActionStatus::kCancelled, "cancelled"}}}};
constexpr EnumNames<Decision, 4> kDecisions{{{{Decision::kPending, "pending"},
                                              {Decision::kAccepted, "accepted"},
                                              {Decision::kRejected, "rejected"},
                                              {Decision::kDeferred, "deferred"}}}};
constexpr EnumNames<ImprovementStatus, 4> kImprovementStatuses{
    {{{ImprovementStatus::kOpen, "open"},
      {ImprovementStatus::kInProgress, "in_progress"},
      {ImprovementStatus::kImplemented, "implemented"},
      {ImprovementStatus::kClosed, "closed"}}}};

}  // namespace

std::string_view SourceName(Source source) { return kSources.Of(source); }
std::optional<Source> ParseSource(std::string_view name) { return kSources.Parse(name); }
const std::vector<std::string>& NonconformitySourceNames() {
  static const auto kNames = kSources.All(7);
  return kNames;
}
const std::vector<std::string>& ImprovementSourceNames() {
  static const auto kNames = kSources.All();
  return kNames;
}

std::string_view SeverityName(Severity severity) { return kSeverities.Of(severity); }
std::optional<Severity> ParseSeverity(std::string_view name) { return kSeverities.Parse(name); }
const std::vector<std::string>& SeverityNames() {
  static const auto kNames = kSeverities.All();
  return kNames;
}

std::string_view MethodName(RootCauseMethod method) { return kMethods.Of(method); }
std::optional<RootCauseMethod> ParseMethod(std::string_view name) { return kMethods.Parse(name); }
const std::vector<std::string>& MethodNames() {
  static const auto kNames = kMethods.All();
  return kNames;
}

std::string_view NcStatusName(NcStatus status) { return kNcStatuses.Of(status); }
std::optional<NcStatus> ParseNcStatus(std::string_view name) { return kNcStatuses.Parse(name); }
const std::vector<std::string>& NcStatusNames() {
  static const auto kNames = kNcStatuses.All();
  return kNames;
}

std::string_view ActionStatusName(ActionStatus status) { return kActionStatuses.Of(status); }
std::optional<ActionStatus> ParseActionStatus(std::string_view name) {
  return kActionStatuses.Parse(name);
}
const std::vector<std::string>& ActionStatusNames() {
  static const auto kNames = kActionStatuses.All();
  return kNames;
}

std::string_view DecisionName(Decision decision) { return kDecisions.Of(decision); }
std::optional<Decision> ParseDecision(std::string_view name) { return kDecisions.Parse(name); }
const std::vector<std::string>& DecisionNames() {
  static const auto kNames = kDecisions.All();
  return kNames;
}

std::string_view ImprovementStatusName(ImprovementStatus status) {
  return kImprovementStatuses.Of(status);
}
std::optional<ImprovementStatus> ParseImprovementStatus(std::string_view name) {
  return kImprovementStatuses.Parse(name);
}
const std::vector<std::string>& ImprovementStatusNames() {
  static const auto kNames = kImprovementStatuses.All();
  return kNames;
}

namespace {

/// Digits only, one or two of them, no leading zero; returns the number or -1.
int SmallNumber(std::string_view part) {
  if (part.empty() || part.size() > 2 || part[0] == '0') return -1;
  int n = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::vector<std::string_view> SplitDots(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t at = 0;
  while (true) {
    const auto dot = text.find('.', at);
    parts.push_back(text.substr(at, dot == std::string_view::npos ? dot : dot - at));
    if (dot == std::string_view::npos) break;
    at = dot + 1;
  }
  return parts;
}

}  // namespace

bool IsRequirementRef(std::string_view text) {
  const auto parts = SplitDots(text);
  if (parts.empty()) return false;
  if (parts[0] == "A") {
    // Annex A of ISO 27001:2022: themes 5 to 8.
    if (parts.size() != 3) return false;
    const int theme = SmallNumber(parts[1]);
    return theme >= 5 && theme <= 8 && SmallNumber(parts[2]) >= 1;
  }
  // Clauses 4 to 10 carry requirements; at most three levels below (9.2.2, 6.1.3 d is text).
  const int clause = SmallNumber(parts[0]);
  if (clause < 4 || clause > 10 || parts.size() > 4) return false;
  return std::all_of(parts.begin() + 1, parts.end(),
                     [](std::string_view p) { return SmallNumber(p) >= 1; });
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// ------------------------------------------------------------------ rows

namespace {

storage::Value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

std::optional<Date> DateFrom(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseDate(*text);
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> ids;
  std::size_t at = 0;
  while (at < text.size()) {
    auto comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    if (comma > at) ids.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return ids;
}

/// The number of a ref (`NC-0012` → `12`) for numeric sorting.
std::string RefNumber(const std::string& ref) {
  auto dash = ref.find('-');
  if (dash == std::string::npos) return "0";
  std::size_t start = dash + 1;
  while (start + 1 < ref.size() && ref[start] == '0') ++start;
  return ref.substr(start);
}

constexpr std::string_view kNcColumns =
    "id, org_id, ref, title, description, source, source_ref, requirement_ref, severity, "
    "reported_by, reported_on, owner_id, correction, correction_on, root_cause, "
    "root_cause_method, similar_check, change_ids, status, needs_new_action, reopen_count, "
    "effective_review_id, closed_by, closed_on, version, created_at, updated_at";

Nonconformity NcFromRow(const storage::Row& row) {
  Nonconformity nc;
  nc.id = NonconformityId(row.Text(0));
  nc.org_id = OrgId(row.Text(1));
  nc.ref = row.Text(2);
  nc.title = row.Text(3);
  nc.description = row.Text(4);
  nc.source = ParseSource(row.Text(5)).value_or(Source::kOther);
  nc.source_ref = row.Text(6);
  nc.requirement_ref = row.Text(7);
  nc.severity = ParseSeverity(row.Text(8)).value_or(Severity::kMinor);
  nc.reported_by = UserId(row.Text(9));
  if (auto date = ParseDate(row.Text(10))) nc.reported_on = *date;
  nc.owner_id = UserId(row.Text(11));
  nc.correction = row.Text(12);
  nc.correction_on = DateFrom(row.OptText(13));
  nc.root_cause = row.Text(14);
  if (auto method = row.OptText(15)) nc.root_cause_method = ParseMethod(*method);
  nc.similar_check = row.Text(16);
  nc.change_ids = SplitIds(row.Text(17));
  nc.status = ParseNcStatus(row.Text(18)).value_or(NcStatus::kOpen);
  nc.needs_new_action = row.Bool(19);
  nc.reopen_count = row.Int(20);
  if (auto review = row.OptText(21)) nc.effective_review_id = ReviewId(*review);
  if (auto by = row.OptText(22)) nc.closed_by = UserId(*by);
  nc.closed_on = DateFrom(row.OptText(23));
  nc.version = row.Int(24);
  nc.created_at = row.Text(25);
  nc.updated_at = row.Text(26);
  return nc;
}

std::vector<storage::Value> NcValues(const Nonconformity& nc) {
  return {nc.id.str(),
          nc.org_id.str(),
          nc.ref,
          nc.title,
          nc.description,
          std::string(SourceName(nc.source)),
          nc.source_ref,
          nc.requirement_ref,
          std::string(SeverityName(nc.severity)),
          nc.reported_by.str(),
          FormatDate(nc.reported_on),
          nc.owner_id.str(),
          nc.correction,
          OptDate(nc.correction_on),
          nc.root_cause,
          nc.root_cause_method ? storage::Value(std::string(MethodName(*nc.root_cause_method)))
                               : storage::Value(nullptr),
          nc.similar_check,
          JoinIds(nc.change_ids),
          std::string(NcStatusName(nc.status)),
          std::int64_t{nc.needs_new_action ? 1 : 0},
          nc.reopen_count,
          nc.effective_review_id ? storage::Value(nc.effective_review_id->str())
                                 : storage::Value(nullptr),
          nc.closed_by ? storage::Value(nc.closed_by->str()) : storage::Value(nullptr),
          OptDate(nc.closed_on),
          nc.version,
          nc.created_at,
          nc.updated_at};
}

const storage::SortKeys<Nonconformity>& NcSortKeys() {
  static const storage::SortKeys<Nonconformity> kKeys = {
      {"ref",
       {"CAST(SUBSTR(ref, 4) AS INTEGER)", [](const Nonconformity& n) { return RefNumber(n.ref); },
        true}},
      {"reported_on",
       {"reported_on", [](const Nonconformity& n) { return FormatDate(n.reported_on); }}},
      {"severity",
       {"severity", [](const Nonconformity& n) { return std::string(SeverityName(n.severity)); }}},
      {"status",
       {"status", [](const Nonconformity& n) { return std::string(NcStatusName(n.status)); }}},
      {"title", {"title", [](const Nonconformity& n) { return n.title; }}},
      {"created_at", {"created_at", [](const Nonconformity& n) { return n.created_at; }}},
      {"updated_at", {"updated_at", [](const Nonconformity& n) { return n.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kActionColumns =
    "a.id, a.org_id, a.nonconformity_id, a.ref, a.title, a.owner_id, a.due_on, a.status, "
    "a.completion_note, a.done_on, a.version, a.created_at, a.updated_at, n.ref AS nc_ref";
constexpr std::string_view kActionFrom =
    " FROM corrective_actions a JOIN nonconformities n ON n.id = a.nonconformity_id";

CorrectiveAction ActionFromRow(const storage::Row& row) {
  CorrectiveAction a;
  a.id = ActionId(row.Text(0));
  a.org_id = OrgId(row.Text(1));
  a.nonconformity_id = NonconformityId(row.Text(2));
  a.ref = row.Text(3);
  a.title = row.Text(4);
  a.owner_id = UserId(row.Text(5));
  a.due_on = DateFrom(row.OptText(6));
  a.status = ParseActionStatus(row.Text(7)).value_or(ActionStatus::kPlanned);
  a.completion_note = row.Text(8);
  a.done_on = DateFrom(row.OptText(9));
  a.version = row.Int(10);
  a.created_at = row.Text(11);
  a.updated_at = row.Text(12);
  a.nonconformity_ref = row.Text(13);
  return a;
}

const storage::SortKeys<CorrectiveAction>& ActionSortKeys() {
  static const storage::SortKeys<CorrectiveAction> kKeys = {
      // Over the listing's subquery (see ListActions), hence unqualified.
      {"ref",
       {"CAST(SUBSTR(ref, 4) AS INTEGER)",
        [](const CorrectiveAction& a) { return RefNumber(a.ref); }, true}},
      {"due_on",
       {"COALESCE(due_on, '')",
        [](const CorrectiveAction& a) {
          return a.due_on ? FormatDate(*a.due_on) : std::string();
        }}},
      {"created_at", {"created_at", [](const CorrectiveAction& a) { return a.created_at; }}},
      {"updated_at", {"updated_at", [](const CorrectiveAction& a) { return a.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kImprovementColumns =
    "id, org_id, ref, title, description, source, raised_by, raised_on, decision, "
    "decision_rationale, decided_by, decided_on, outcome, owner_id, due_on, status, "
    "nonconformity_id, version, created_at, updated_at";

Improvement ImprovementFromRow(const storage::Row& row) {
  Improvement i;
  i.id = ImprovementId(row.Text(0));
  i.org_id = OrgId(row.Text(1));
  i.ref = row.Text(2);
  i.title = row.Text(3);
  i.description = row.Text(4);
  i.source = ParseSource(row.Text(5)).value_or(Source::kOther);
  i.raised_by = UserId(row.Text(6));
  if (auto date = ParseDate(row.Text(7))) i.raised_on = *date;
  i.decision = ParseDecision(row.Text(8)).value_or(Decision::kPending);
  i.decision_rationale = row.Text(9);
  if (auto by = row.OptText(10)) i.decided_by = UserId(*by);
  i.decided_on = DateFrom(row.OptText(11));
  i.outcome = row.Text(12);
  if (auto owner = row.OptText(13)) i.owner_id = UserId(*owner);
  i.due_on = DateFrom(row.OptText(14));
  i.status = ParseImprovementStatus(row.Text(15)).value_or(ImprovementStatus::kOpen);
  if (auto nc = row.OptText(16)) i.nonconformity_id = NonconformityId(*nc);
  i.version = row.Int(17);
  i.created_at = row.Text(18);
  i.updated_at = row.Text(19);
  return i;
}

std::vector<storage::Value> ImprovementValues(const Improvement& i) {
  return {i.id.str(),
          i.org_id.str(),
          i.ref,
          i.title,
          i.description,
          std::string(SourceName(i.source)),
          i.raised_by.str(),
          FormatDate(i.raised_on),
          std::string(DecisionName(i.decision)),
          i.decision_rationale,
          i.decided_by ? storage::Value(i.decided_by->str()) : storage::Value(nullptr),
          OptDate(i.decided_on),
          i.outcome,
          i.owner_id ? storage::Value(i.owner_id->str()) : storage::Value(nullptr),
          OptDate(i.due_on),
          std::string(ImprovementStatusName(i.status)),
          i.nonconformity_id ? storage::Value(i.nonconformity_id->str()) : storage::Value(nullptr),
          i.version,
          i.created_at,
          i.updated_at};
}

const storage::SortKeys<Improvement>& ImprovementSortKeys() {
  static const storage::SortKeys<Improvement> kKeys = {
      {"ref",
       {"CAST(SUBSTR(ref, 5) AS INTEGER)", [](const Improvement& i) { return RefNumber(i.ref); },
        true}},
      {"raised_on", {"raised_on", [](const Improvement& i) { return FormatDate(i.raised_on); }}},
      {"title", {"title", [](const Improvement& i) { return i.title; }}},
      {"created_at", {"created_at", [](const Improvement& i) { return i.created_at; }}},
      {"updated_at", {"updated_at", [](const Improvement& i) { return i.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

const std::vector<std::string>& ImprovementStore::NonconformitySortFields() {
  static const auto kFields = storage::SortFieldsOf(NcSortKeys());
  return kFields;
}
const std::vector<std::string>& ImprovementStore::ActionSortFields() {
  static const auto kFields = storage::SortFieldsOf(ActionSortKeys());
  return kFields;
}
const std::vector<std::string>& ImprovementStore::ImprovementSortFields() {
  static const auto kFields = storage::SortFieldsOf(ImprovementSortKeys());
  return kFields;
}

// ------------------------------------------------------------------ nonconformities

Expected<void> ImprovementStore::InsertNonconformity(Tx& tx, const Nonconformity& nc) {
  CERTUS_TRY(tx.Execute(std::string("INSERT INTO nonconformities (") + std::string(kNcColumns) +
                            ") VALUES (" + storage::Placeholders(1, 27) + ")",
                        NcValues(nc)));
  return {};
}

Expected<std::optional<Nonconformity>> ImprovementStore::FindNonconformity(
    Tx& tx, const OrgId& org, const NonconformityId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kNcColumns) +
                                          " FROM nonconformities WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return NcFromRow(result.rows[0]);
}

Expected<Page<Nonconformity>> ImprovementStore::ListNonconformities(
    Tx& tx, const OrgId& org, const NonconformityFilter& filter, const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kNcColumns) + " FROM nonconformities WHERE org_id = $1",
      {org.str()}};
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(NcStatusName(*filter.status)));
  }
  if (filter.open_only) query.sql += " AND status <> 'closed'";
  if (filter.severity) {
    query.sql += " AND severity = " + query.Bind(std::string(SeverityName(*filter.severity)));
  }
  if (filter.source) {
    query.sql += " AND source = " + query.Bind(std::string(SourceName(*filter.source)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.text) query.AddTextSearch(*filter.text, {"title", "description", "ref"});
  return storage::RunKeysetPage(tx, std::move(query), NcSortKeys(), page, NcFromRow);
}

Expected<bool> ImprovementStore::UpdateNonconformity(Tx& tx, const Nonconformity& nc,
                                                     std::int64_t expected_version) {
  // Every column but id, org_id, ref and created_at, bound in the order of NcValues; the
  // engines need every placeholder used, so the unchanged ones are dropped from the list.
  auto all = NcValues(nc);
  const auto columns = SplitIds(std::string(kNcColumns));
  std::vector<storage::Value> values{all[0], all[1]};
  std::string sql = "UPDATE nonconformities SET ";
  for (std::size_t i = 3; i < columns.size(); ++i) {
    std::string column = columns[i];
    column.erase(0, column.find_first_not_of(' '));
    if (column == "created_at") continue;
    values.push_back(all[i]);
    if (values.size() > 3) sql += ", ";
    sql += column + " = $" + std::to_string(values.size());
  }
  values.emplace_back(expected_version);
  sql += " WHERE id = $1 AND org_id = $2 AND version = $" + std::to_string(values.size());
  auto result = CERTUS_TRY(tx.Execute(sql, values));
  return result.affected == 1;
}

// ------------------------------------------------------------------ corrective actions

Expected<void> ImprovementStore::InsertAction(Tx& tx, const CorrectiveAction& a) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO corrective_actions (id, org_id, nonconformity_id, ref, title, owner_id, due_on, "
      "status, completion_note, done_on, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {a.id.str(), a.org_id.str(), a.nonconformity_id.str(), a.ref, a.title, a.owner_id.str(),
       OptDate(a.due_on), std::string(ActionStatusName(a.status)), a.completion_note,
       OptDate(a.done_on), a.version, a.created_at, a.updated_at}));
  return {};
}

Expected<std::optional<CorrectiveAction>> ImprovementStore::FindAction(Tx& tx, const OrgId& org,
                                                                       const ActionId& id) {
  auto result =
      CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kActionColumns) +
                                std::string(kActionFrom) + " WHERE a.org_id = $1 AND a.id = $2",
                            {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ActionFromRow(result.rows[0]);
}

Expected<std::vector<CorrectiveAction>> ImprovementStore::ActionsOf(Tx& tx, const OrgId& org,
                                                                    const NonconformityId& id) {
  return ActionsOfMany(tx, org, {id});
}

Expected<std::vector<CorrectiveAction>> ImprovementStore::ActionsOfMany(
    Tx& tx, const OrgId& org, const std::vector<NonconformityId>& ids) {
  std::vector<CorrectiveAction> actions;
  if (ids.empty()) return actions;
  std::vector<storage::Value> params{org.str()};
  for (const auto& id : ids) params.emplace_back(id.str());
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kActionColumns) +
                                          std::string(kActionFrom) +
                                          " WHERE a.org_id = $1 AND a.nonconformity_id IN (" +
                                          storage::Placeholders(2, ids.size()) +
                                          ") ORDER BY CAST(SUBSTR(a.ref, 4) AS INTEGER), a.id",
                                      params));
  actions.reserve(result.rows.size());
  for (const auto& row : result.rows) actions.push_back(ActionFromRow(row));
  return actions;
}

Expected<Page<CorrectiveAction>> ImprovementStore::ListActions(Tx& tx, const OrgId& org,
                                                               const ActionFilter& filter,
                                                               const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kActionColumns) +
                           std::string(kActionFrom) + " WHERE a.org_id = $1",
                       {org.str()}};
  if (filter.nonconformity_id) {
    query.sql += " AND a.nonconformity_id = " + query.Bind(filter.nonconformity_id->str());
  }
  if (filter.owner_id) query.sql += " AND a.owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.status) {
    query.sql += " AND a.status = " + query.Bind(std::string(ActionStatusName(*filter.status)));
  }
  if (filter.overdue_before) {
    query.sql += " AND a.due_on IS NOT NULL AND a.due_on < " + query.Bind(*filter.overdue_before) +
                 " AND a.status IN ('planned', 'in_progress')";
  }
  // The keyset condition and order name `id` and the sort column unqualified: over a
  // subquery they are unambiguous.
  query.sql = "SELECT * FROM (" + query.sql + ") q WHERE 1 = 1";
  return storage::RunKeysetPage(tx, std::move(query), ActionSortKeys(), page, ActionFromRow);
}

Expected<bool> ImprovementStore::UpdateAction(Tx& tx, const CorrectiveAction& a,
                                              std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE corrective_actions SET title = $3, owner_id = $4, due_on = $5, status = $6, "
      "completion_note = $7, done_on = $8, version = $9, updated_at = $10 "
      "WHERE org_id = $1 AND id = $2 AND version = $11",
      {a.org_id.str(), a.id.str(), a.title, a.owner_id.str(), OptDate(a.due_on),
       std::string(ActionStatusName(a.status)), a.completion_note, OptDate(a.done_on), a.version,
       a.updated_at, expected_version}));
  return result.affected == 1;
}

// ------------------------------------------------------------------ effectiveness reviews

Expected<void> ImprovementStore::InsertReview(Tx& tx, const EffectivenessReview& r) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO effectiveness_reviews (id, org_id, nonconformity_id, effective, note, "
      "reviewed_by, reviewed_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {r.id.str(), r.org_id.str(), r.nonconformity_id.str(), std::int64_t{r.effective ? 1 : 0},
       r.note, r.reviewed_by.str(), FormatDate(r.reviewed_on), r.created_at}));
  return {};
}

Expected<std::vector<EffectivenessReview>> ImprovementStore::ReviewsOf(Tx& tx, const OrgId& org,
                                                                       const NonconformityId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT id, org_id, nonconformity_id, effective, note, reviewed_by, reviewed_on, created_at "
      "FROM effectiveness_reviews WHERE org_id = $1 AND nonconformity_id = $2 "
      "ORDER BY created_at, id",
      {org.str(), id.str()}));
  std::vector<EffectivenessReview> reviews;
  for (const auto& row : result.rows) {
    EffectivenessReview r;
    r.id = ReviewId(row.Text(0));
    r.org_id = OrgId(row.Text(1));
    r.nonconformity_id = NonconformityId(row.Text(2));
    r.effective = row.Bool(3);
    r.note = row.Text(4);
    r.reviewed_by = UserId(row.Text(5));
    if (auto date = ParseDate(row.Text(6))) r.reviewed_on = *date;
    r.created_at = row.Text(7);
    reviews.push_back(std::move(r));
  }
  return reviews;
}

// ------------------------------------------------------------------ improvements

Expected<void> ImprovementStore::InsertImprovement(Tx& tx, const Improvement& improvement) {
  CERTUS_TRY(tx.Execute(std::string("INSERT INTO improvements (") +
                            std::string(kImprovementColumns) + ") VALUES (" +
                            storage::Placeholders(1, 20) + ")",
                        ImprovementValues(improvement)));
  return {};
}

Expected<std::optional<Improvement>> ImprovementStore::FindImprovement(Tx& tx, const OrgId& org,
                                                                       const ImprovementId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kImprovementColumns) +
                                          " FROM improvements WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ImprovementFromRow(result.rows[0]);
}

Expected<Page<Improvement>> ImprovementStore::ListImprovements(Tx& tx, const OrgId& org,
                                                               const ImprovementFilter& filter,
                                                               const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kImprovementColumns) +
                           " FROM improvements WHERE org_id = $1",
                       {org.str()}};
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(ImprovementStatusName(*filter.status)));
  }
  if (filter.decision) {
    query.sql += " AND decision = " + query.Bind(std::string(DecisionName(*filter.decision)));
  }
  if (filter.source) {
    query.sql += " AND source = " + query.Bind(std::string(SourceName(*filter.source)));
  }
  if (filter.nonconformity_id) {
    query.sql += " AND nonconformity_id = " + query.Bind(filter.nonconformity_id->str());
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"title", "description", "ref"});
  return storage::RunKeysetPage(tx, std::move(query), ImprovementSortKeys(), page,
                                ImprovementFromRow);
}

Expected<bool> ImprovementStore::UpdateImprovement(Tx& tx, const Improvement& i,
                                                   std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE improvements SET title = $3, description = $4, source = $5, decision = $6, "
      "decision_rationale = $7, decided_by = $8, decided_on = $9, outcome = $10, owner_id = $11, "
      "due_on = $12, status = $13, nonconformity_id = $14, version = $15, updated_at = $16 "
      "WHERE org_id = $1 AND id = $2 AND version = $17",
      {i.org_id.str(), i.id.str(), i.title, i.description, std::string(SourceName(i.source)),
       std::string(DecisionName(i.decision)), i.decision_rationale,
       i.decided_by ? storage::Value(i.decided_by->str()) : storage::Value(nullptr),
       OptDate(i.decided_on), i.outcome,
       i.owner_id ? storage::Value(i.owner_id->str()) : storage::Value(nullptr), OptDate(i.due_on),
       std::string(ImprovementStatusName(i.status)),
       i.nonconformity_id ? storage::Value(i.nonconformity_id->str()) : storage::Value(nullptr),
       i.version, i.updated_at, expected_version}));
  return result.affected == 1;
}

}  // namespace certus::improvement
