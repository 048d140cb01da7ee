#include "modules/reviews/store.hpp"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "core/enum_names.hpp"
#include "storage/keyset.hpp"

namespace certus::reviews {

// ------------------------------------------------------------------ vocabularies

namespace {

/// A persisted enum's stable names, in declaration order.
constexpr EnumNames<ReviewStatus, 3> kStatuses{{{{ReviewStatus::kPlanned, "planned"},
                                                 {ReviewStatus::kHeld, "held"},
                                                 {ReviewStatus::kClosed, "closed"}}}};
constexpr EnumNames<DecisionCategory, 4> kCategories{
    {{{DecisionCategory::kImprovement, "improvement"},
      {DecisionCategory::kChange, "change"},
      {DecisionCategory::kResources, "resources"},
      {DecisionCategory::kOther, "other"}}}};
constexpr EnumNames<ActionStatus, 4> kActionStatuses{{{{ActionStatus::kOpen, "open"},
                                                       {ActionStatus::kInProgress, "in_progress"},
                                                       {ActionStatus::kDone, "done"},
                                                       {ActionStatus::kCancelled, "cancelled"}}}};

}  // namespace

std::string_view ReviewStatusName(ReviewStatus status) { return kStatuses.Of(status); }
std::optional<ReviewStatus> ParseReviewStatus(std::string_view name) {
  return kStatuses.Parse(name);
}
const std::vector<std::string>& ReviewStatusNames() {
  static const auto kNames = kStatuses.All();
  return kNames;
}
std::string_view CategoryName(DecisionCategory category) { return kCategories.Of(category); }
std::optional<DecisionCategory> ParseCategory(std::string_view name) {
  return kCategories.Parse(name);
}
const std::vector<std::string>& CategoryNames() {
  static const auto kNames = kCategories.All();
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

const std::vector<InputSpec>& InputSpecs() {
  static const std::vector<InputSpec> kSpecs = {
      {"a", "Status of actions from previous management reviews"},
      {"b", "Changes in external and internal issues relevant to the ISMS"},
      {"c", "Changes in needs and expectations of interested parties relevant to the ISMS"},
      {"d",
       "Feedback on the information security performance: nonconformities and corrective "
       "actions, monitoring and measurement results, audit results, fulfilment of "
       "information security objectives"},
      {"e", "Feedback from interested parties"},
      {"f", "Results of risk assessment and status of the risk treatment plan"},
      {"g", "Opportunities for continual improvement"}};
  return kSpecs;
}

bool IsInputKey(std::string_view key) {
  const auto& specs = InputSpecs();
  return std::any_of(specs.begin(), specs.end(), [&](const auto& s) { return s.key == key; });
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

std::string NotesText(const std::map<std::string, std::string>& notes) {
  boost::json::object json;
  for (const auto& [key, text] : notes) json[key] = text;
  return boost::json::serialize(json);
}

std::map<std::string, std::string> NotesFrom(const std::string& text) {
  std::map<std::string, std::string> notes;
  boost::system::error_code ec;
  auto json = boost::json::parse(text, ec);
  if (ec || !json.is_object()) return notes;
  for (const auto& [key, value] : json.as_object()) {
    if (value.is_string()) notes[std::string(key)] = std::string(value.as_string());
  }
  return notes;
}

/// The number of a ref (`MR-0012` → `12`) for numeric sorting.
std::string RefNumber(const std::string& ref) {
  auto dash = ref.find('-');
  if (dash == std::string::npos) return "0";
  std::size_t start = dash + 1;
  while (start + 1 < ref.size() && ref[start] == '0') ++start;
  return ref.substr(start);
}

constexpr std::string_view kReviewColumns =
    "id, org_id, ref, title, planned_on, held_on, status, attendee_ids, input_notes, "
    "closed_by, closed_on, version, created_at, updated_at";

ManagementReview ReviewFromRow(const storage::Row& row) {
  ManagementReview r;
  r.id = ReviewId(row.Text(0));
  r.org_id = OrgId(row.Text(1));
  r.ref = row.Text(2);
  r.title = row.Text(3);
  if (auto date = ParseDate(row.Text(4))) r.planned_on = *date;
  r.held_on = DateFrom(row.OptText(5));
  r.status = ParseReviewStatus(row.Text(6)).value_or(ReviewStatus::kPlanned);
  r.attendee_ids = SplitIds(row.Text(7));
  r.notes = NotesFrom(row.Text(8));
  if (auto by = row.OptText(9)) r.closed_by = UserId(*by);
  r.closed_on = DateFrom(row.OptText(10));
  r.version = row.Int(11);
  r.created_at = row.Text(12);
  r.updated_at = row.Text(13);
  return r;
}

const storage::SortKeys<ManagementReview>& SortKeys() {
  static const storage::SortKeys<ManagementReview> kKeys = {
      {"ref",
       {"CAST(SUBSTR(ref, 4) AS INTEGER)",
        [](const ManagementReview& r) { return RefNumber(r.ref); }, true}},
      {"planned_on",
       {"planned_on", [](const ManagementReview& r) { return FormatDate(r.planned_on); }}},
      {"title", {"title", [](const ManagementReview& r) { return r.title; }}},
      {"created_at", {"created_at", [](const ManagementReview& r) { return r.created_at; }}},
      {"updated_at", {"updated_at", [](const ManagementReview& r) { return r.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kActionColumns =
    "a.id, a.org_id, a.review_id, a.ref, a.title, a.owner_id, a.due_on, a.status, a.done_on, "
    "a.version, a.created_at, a.updated_at, r.ref";
constexpr std::string_view kActionFrom =
    " FROM management_review_actions a JOIN management_reviews r ON r.id = a.review_id";

ReviewAction ActionFromRow(const storage::Row& row) {
  ReviewAction a;
  a.id = ReviewActionId(row.Text(0));
  a.org_id = OrgId(row.Text(1));
  a.review_id = ReviewId(row.Text(2));
  a.ref = row.Text(3);
  a.title = row.Text(4);
  a.owner_id = UserId(row.Text(5));
  a.due_on = DateFrom(row.OptText(6));
  a.status = ParseActionStatus(row.Text(7)).value_or(ActionStatus::kOpen);
  a.done_on = DateFrom(row.OptText(8));
  a.version = row.Int(9);
  a.created_at = row.Text(10);
  a.updated_at = row.Text(11);
  a.review_ref = row.Text(12);
  return a;
}

Expected<std::vector<ReviewAction>> Actions(storage::Transaction& tx, const std::string& where,
                                            const std::vector<storage::Value>& params) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kActionColumns) +
                                          std::string(kActionFrom) + " WHERE " + where +
                                          " ORDER BY CAST(SUBSTR(a.ref, 5) AS INTEGER), a.id",
                                      params));
  std::vector<ReviewAction> actions;
  actions.reserve(result.rows.size());
  for (const auto& row : result.rows) actions.push_back(ActionFromRow(row));
  return actions;
}

}  // namespace

const std::vector<std::string>& ReviewStore::SortFields() {
  static const auto kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> ReviewStore::Insert(Tx& tx, const ManagementReview& r) {
  CERTUS_TRY(tx.Execute(
      std::string("INSERT INTO management_reviews (") + std::string(kReviewColumns) +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {r.id.str(), r.org_id.str(), r.ref, r.title, FormatDate(r.planned_on), OptDate(r.held_on),
       std::string(ReviewStatusName(r.status)), JoinIds(r.attendee_ids), NotesText(r.notes),
       r.closed_by ? storage::Value(r.closed_by->str()) : storage::Value(nullptr),
       OptDate(r.closed_on), r.version, r.created_at, r.updated_at}));
  return {};
}

Expected<std::optional<ManagementReview>> ReviewStore::Find(Tx& tx, const OrgId& org,
                                                            const ReviewId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kReviewColumns) +
                                          " FROM management_reviews WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ReviewFromRow(result.rows[0]);
}

Expected<Page<ManagementReview>> ReviewStore::List(Tx& tx, const OrgId& org,
                                                   const ReviewFilter& filter,
                                                   const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kReviewColumns) +
                           " FROM management_reviews WHERE org_id = $1",
                       {org.str()}};
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(ReviewStatusName(*filter.status)));
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"title", "ref"});
  return storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, ReviewFromRow);
}

Expected<std::optional<ManagementReview>> ReviewStore::PreviousHeld(Tx& tx, const OrgId& org,
                                                                    const std::string& before,
                                                                    const ReviewId& except) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kReviewColumns) +
                     " FROM management_reviews WHERE org_id = $1 AND held_on IS NOT NULL "
                     "AND held_on < $2 AND id <> $3 ORDER BY held_on DESC, created_at DESC, id "
                     "DESC LIMIT 1",
                 {org.str(), before, except.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ReviewFromRow(result.rows[0]);
}

Expected<bool> ReviewStore::Update(Tx& tx, const ManagementReview& r,
                                   std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE management_reviews SET title = $3, planned_on = $4, held_on = $5, status = $6, "
      "attendee_ids = $7, input_notes = $8, closed_by = $9, closed_on = $10, version = $11, "
      "updated_at = $12 WHERE org_id = $1 AND id = $2 AND version = $13",
      {r.org_id.str(), r.id.str(), r.title, FormatDate(r.planned_on), OptDate(r.held_on),
       std::string(ReviewStatusName(r.status)), JoinIds(r.attendee_ids), NotesText(r.notes),
       r.closed_by ? storage::Value(r.closed_by->str()) : storage::Value(nullptr),
       OptDate(r.closed_on), r.version, r.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<void> ReviewStore::InsertDecision(Tx& tx, const ReviewDecision& d) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO management_review_decisions (id, org_id, review_id, ref, text, category, "
      "recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {d.id.str(), d.org_id.str(), d.review_id.str(), d.ref, d.text,
       std::string(CategoryName(d.category)), d.recorded_by.str(), d.created_at}));
  return {};
}

Expected<std::vector<ReviewDecision>> ReviewStore::DecisionsOf(Tx& tx, const OrgId& org,
                                                               const ReviewId& id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT id, org_id, review_id, ref, text, category, recorded_by, created_at "
                 "FROM management_review_decisions WHERE org_id = $1 AND review_id = $2 "
                 "ORDER BY created_at, id",
                 {org.str(), id.str()}));
  std::vector<ReviewDecision> decisions;
  for (const auto& row : result.rows) {
    ReviewDecision d;
    d.id = DecisionId(row.Text(0));
    d.org_id = OrgId(row.Text(1));
    d.review_id = ReviewId(row.Text(2));
    d.ref = row.Text(3);
    d.text = row.Text(4);
    d.category = ParseCategory(row.Text(5)).value_or(DecisionCategory::kOther);
    d.recorded_by = UserId(row.Text(6));
    d.created_at = row.Text(7);
    decisions.push_back(std::move(d));
  }
  return decisions;
}

Expected<void> ReviewStore::InsertAction(Tx& tx, const ReviewAction& a) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO management_review_actions (id, org_id, review_id, ref, title, owner_id, "
      "due_on, status, done_on, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {a.id.str(), a.org_id.str(), a.review_id.str(), a.ref, a.title, a.owner_id.str(),
       OptDate(a.due_on), std::string(ActionStatusName(a.status)), OptDate(a.done_on), a.version,
       a.created_at, a.updated_at}));
  return {};
}

Expected<std::optional<ReviewAction>> ReviewStore::FindAction(Tx& tx, const OrgId& org,
                                                              const ReviewActionId& id) {
  auto actions = CERTUS_TRY(Actions(tx, "a.org_id = $1 AND a.id = $2", {org.str(), id.str()}));
  if (actions.empty()) return std::nullopt;
  return actions.front();
}

Expected<std::vector<ReviewAction>> ReviewStore::ActionsOf(Tx& tx, const OrgId& org,
                                                           const ReviewId& id) {
  return Actions(tx, "a.org_id = $1 AND a.review_id = $2", {org.str(), id.str()});
}

Expected<std::vector<ReviewAction>> ReviewStore::ActionsOfOthers(Tx& tx, const OrgId& org,
                                                                 const ReviewId& except) {
  return Actions(tx, "a.org_id = $1 AND a.review_id <> $2", {org.str(), except.str()});
}

Expected<bool> ReviewStore::UpdateAction(Tx& tx, const ReviewAction& a,
                                         std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE management_review_actions SET title = $3, owner_id = $4, due_on = $5, status = $6, "
      "done_on = $7, version = $8, updated_at = $9 WHERE org_id = $1 AND id = $2 AND version = "
      "$10",
      {a.org_id.str(), a.id.str(), a.title, a.owner_id.str(), OptDate(a.due_on),
       std::string(ActionStatusName(a.status)), OptDate(a.done_on), a.version, a.updated_at,
       expected_version}));
  return result.affected == 1;
}

}  // namespace certus::reviews
