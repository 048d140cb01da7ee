#include "modules/people/store.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/json.hpp>

#include "storage/keyset.hpp"

namespace certus::people {

// ------------------------------------------------------------------ model names

namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> ParseName(const std::array<Enum, N>& all, std::string_view name,
                              std::string_view (*name_of)(Enum)) {
  for (auto value : all) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::vector<std::string> NamesOf(const std::array<Enum, N>& all,
                                 std::string_view (*name_of)(Enum)) {
  std::vector<std::string> names;
  names.reserve(N);
  for (auto value : all) names.emplace_back(name_of(value));
  return names;
}

constexpr std::array kPersonStatuses = {PersonStatus::kActive, PersonStatus::kLeft};
constexpr std::array kEvidenceKinds = {EvidenceKind::kTraining, EvidenceKind::kCertification,
                                       EvidenceKind::kExperience, EvidenceKind::kEducation};
constexpr std::array kTrainingStatuses = {TrainingStatus::kDraft, TrainingStatus::kOpen,
                                          TrainingStatus::kClosed};
constexpr std::array kAudienceKinds = {AudienceKind::kAll, AudienceKind::kDepartments,
                                       AudienceKind::kPeople};

}  // namespace

std::string_view PersonStatusName(PersonStatus status) {
  return status == PersonStatus::kLeft ? "left" : "active";
}
std::optional<PersonStatus> ParsePersonStatus(std::string_view name) {
  return ParseName(kPersonStatuses, name, PersonStatusName);
}
const std::vector<std::string>& PersonStatusNames() {
  static const auto kNames = NamesOf(kPersonStatuses, PersonStatusName);
  return kNames;
}

std::string_view EvidenceKindName(EvidenceKind kind) {
  switch (kind) {
    case EvidenceKind::kTraining: return "training";
    case EvidenceKind::kCertification: return "certification";
    case EvidenceKind::kExperience: return "experience";
    case EvidenceKind::kEducation: return "education";
  }
  return "training";
}
std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  return ParseName(kEvidenceKinds, name, EvidenceKindName);
}
const std::vector<std::string>& EvidenceKindNames() {
  static const auto kNames = NamesOf(kEvidenceKinds, EvidenceKindName);
  return kNames;
}

std::string_view GapStateName(GapState state) {
  switch (state) {
    case GapState::kMet: return "met";
    case GapState::kExpired: return "expired";
    case GapState::kMissing: return "missing";
  }
  return "missing";
}

std::string_view TrainingStatusName(TrainingStatus status) {
  switch (status) {
    case TrainingStatus::kDraft: return "draft";
    case TrainingStatus::kOpen: return "open";
    case TrainingStatus::kClosed: return "closed";
  }
  return "draft";
}
std::optional<TrainingStatus> ParseTrainingStatus(std::string_view name) {
  return ParseName(kTrainingStatuses, name, TrainingStatusName);
}
const std::vector<std::string>& TrainingStatusNames() {
  static const auto kNames = NamesOf(kTrainingStatuses, TrainingStatusName);
  return kNames;
}

std::string_view AudienceKindName(AudienceKind kind) {
  switch (kind) {
    case AudienceKind::kAll: return "all";
    case AudienceKind::kDepartments: return "departments";
    case AudienceKind::kPeople: return "people";
  }
  return "all";
}
std::optional<AudienceKind> ParseAudienceKind(std::string_view name) {
  return ParseName(kAudienceKinds, name, AudienceKindName);
}
const std::vector<std::string>& AudienceKindNames() {
  static const auto kNames = NamesOf(kAudienceKinds, AudienceKindName);
  return kNames;
}

// ------------------------------------------------------------------ rows

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  boost::json::array array;
  for (const auto& item : items) array.emplace_back(item);
  return boost::json::serialize(array);
}

std::vector<std::string> ParseList(const std::string& text) {
  std::vector<std::string> items;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return items;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) items.emplace_back(item.as_string());
  }
  return items;
}

template <typename Id>
std::vector<std::string> IdStrings(const std::vector<Id>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(id.str());
  return out;
}

storage::Value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

std::optional<Date> DateAt(const storage::Row& row, std::size_t i) {
  auto text = row.OptText(i);
  if (!text) return std::nullopt;
  return ParseDate(*text);
}

constexpr std::string_view kPersonColumns =
    "id, org_id, ref, name, email, job_role, department, in_scope, user_id, status, start_date, "
    "left_on, version, created_at, updated_at";

Person PersonFromRow(const storage::Row& row) {
  Person p;
  p.id = PersonId(row.Text(0));
  p.org_id = OrgId(row.Text(1));
  p.ref = row.Text(2);
  p.name = row.Text(3);
  p.email = row.Text(4);
  p.job_role = row.Text(5);
  p.department = row.Text(6);
  p.in_scope = row.Bool(7);
  if (auto user = row.OptText(8)) p.user_id = UserId(*user);
  p.status = ParsePersonStatus(row.Text(9)).value_or(PersonStatus::kActive);
  p.start_date = DateAt(row, 10);
  p.left_on = DateAt(row, 11);
  p.version = row.Int(12);
  p.created_at = row.Text(13);
  p.updated_at = row.Text(14);
  return p;
}

std::vector<storage::Value> PersonValues(const Person& p) {
  return {p.id.str(),
          p.org_id.str(),
          p.ref,
          p.name,
          p.email,
          Lower(p.email),
          p.job_role,
          p.department,
          std::int64_t{p.in_scope},
          p.user_id ? storage::Value(p.user_id->str()) : storage::Value(nullptr),
          std::string(PersonStatusName(p.status)),
          OptDate(p.start_date),
          OptDate(p.left_on),
          p.version,
          p.created_at,
          p.updated_at};
}

const storage::SortKeys<Person>& PersonSortKeys() {
  static const storage::SortKeys<Person> kKeys = {
      {"name", {"name", [](const Person& p) { return p.name; }}},
      {"ref", {"ref", [](const Person& p) { return p.ref; }}},
      {"department", {"department", [](const Person& p) { return p.department; }}},
      {"job_role", {"job_role", [](const Person& p) { return p.job_role; }}},
      {"created_at", {"created_at", [](const Person& p) { return p.created_at; }}},
      {"updated_at", {"updated_at", [](const Person& p) { return p.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kCompetenceColumns =
    "id, org_id, ref, name, description, job_roles, isms_role_ids, evidence_kinds, version, "
    "created_at, updated_at";

Competence CompetenceFromRow(const storage::Row& row) {
  Competence c;
  c.id = CompetenceId(row.Text(0));
  c.org_id = OrgId(row.Text(1));
  c.ref = row.Text(2);
  c.name = row.Text(3);
  c.description = row.Text(4);
  c.job_roles = ParseList(row.Text(5));
  c.isms_role_ids = ParseList(row.Text(6));
  for (const auto& name : ParseList(row.Text(7))) {
    if (auto kind = ParseEvidenceKind(name)) c.evidence_kinds.push_back(*kind);
  }
  c.version = row.Int(8);
  c.created_at = row.Text(9);
  c.updated_at = row.Text(10);
  return c;
}

std::string KindList(const std::vector<EvidenceKind>& kinds) {
  std::vector<std::string> names;
  names.reserve(kinds.size());
  for (auto kind : kinds) names.emplace_back(EvidenceKindName(kind));
  return JsonList(names);
}

const storage::SortKeys<Competence>& CompetenceSortKeys() {
  static const storage::SortKeys<Competence> kKeys = {
      {"name", {"name", [](const Competence& c) { return c.name; }}},
      {"ref", {"ref", [](const Competence& c) { return c.ref; }}},
      {"created_at", {"created_at", [](const Competence& c) { return c.created_at; }}},
      {"updated_at", {"updated_at", [](const Competence& c) { return c.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kEvidenceColumns =
    "id, org_id, person_id, competence_id, kind, title, obtained_on, expires_on, evidence_id, "
    "training_id, recorded_by, version, created_at, updated_at";

CompetenceEvidence EvidenceFromRow(const storage::Row& row) {
  CompetenceEvidence e;
  e.id = CompetenceEvidenceId(row.Text(0));
  e.org_id = OrgId(row.Text(1));
  e.person_id = PersonId(row.Text(2));
  e.competence_id = CompetenceId(row.Text(3));
  e.kind = ParseEvidenceKind(row.Text(4)).value_or(EvidenceKind::kTraining);
  e.title = row.Text(5);
  if (auto date = ParseDate(row.Text(6))) e.obtained_on = *date;
  e.expires_on = DateAt(row, 7);
  e.evidence_id = row.OptText(8);
  if (auto training = row.OptText(9)) e.training_id = TrainingId(*training);
  e.recorded_by = row.Text(10);
  e.version = row.Int(11);
  e.created_at = row.Text(12);
  e.updated_at = row.Text(13);
  return e;
}

constexpr std::string_view kTrainingColumns =
    "id, org_id, ref, title, description, audience, departments, person_ids, due_on, status, "
    "competence_id, validity_months, version, created_at, updated_at";

Training TrainingFromRow(const storage::Row& row) {
  Training t;
  t.id = TrainingId(row.Text(0));
  t.org_id = OrgId(row.Text(1));
  t.ref = row.Text(2);
  t.title = row.Text(3);
  t.description = row.Text(4);
  t.audience = ParseAudienceKind(row.Text(5)).value_or(AudienceKind::kAll);
  t.departments = ParseList(row.Text(6));
  for (auto& id : ParseList(row.Text(7))) t.person_ids.emplace_back(std::move(id));
  if (auto date = ParseDate(row.Text(8))) t.due_on = *date;
  t.status = ParseTrainingStatus(row.Text(9)).value_or(TrainingStatus::kDraft);
  if (auto competence = row.OptText(10)) t.competence_id = CompetenceId(*competence);
  t.validity_months = row.OptInt(11);
  t.version = row.Int(12);
  t.created_at = row.Text(13);
  t.updated_at = row.Text(14);
  return t;
}

std::vector<storage::Value> TrainingValues(const Training& t) {
  return {t.id.str(),
          t.org_id.str(),
          t.ref,
          t.title,
          t.description,
          std::string(AudienceKindName(t.audience)),
          JsonList(t.departments),
          JsonList(IdStrings(t.person_ids)),
          FormatDate(t.due_on),
          std::string(TrainingStatusName(t.status)),
          t.competence_id ? storage::Value(t.competence_id->str()) : storage::Value(nullptr),
          t.validity_months ? storage::Value(*t.validity_months) : storage::Value(nullptr),
          t.version,
          t.created_at,
          t.updated_at};
}

const storage::SortKeys<Training>& TrainingSortKeys() {
  static const storage::SortKeys<Training> kKeys = {
      {"due_on", {"due_on", [](const Training& t) { return FormatDate(t.due_on); }}},
      {"ref", {"ref", [](const Training& t) { return t.ref; }}},
      {"title", {"title", [](const Training& t) { return t.title; }}},
      {"created_at", {"created_at", [](const Training& t) { return t.created_at; }}},
      {"updated_at", {"updated_at", [](const Training& t) { return t.updated_at; }}},
  };
  return kKeys;
}

Completion CompletionFromRow(const storage::Row& row) {
  Completion c;
  c.training_id = TrainingId(row.Text(0));
  c.person_id = PersonId(row.Text(1));
  if (auto date = ParseDate(row.Text(2))) c.completed_on = *date;
  c.note = row.Text(3);
  c.recorded_by = row.Text(4);
  c.created_at = row.Text(5);
  return c;
}

constexpr std::string_view kCompletionColumns =
    "training_id, person_id, completed_on, note, recorded_by, created_at";

std::string Select(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

}  // namespace

const std::vector<std::string>& PeopleStore::PersonSortFields() {
  static const auto kFields = storage::SortFieldsOf(PersonSortKeys());
  return kFields;
}

const std::vector<std::string>& PeopleStore::CompetenceSortFields() {
  static const auto kFields = storage::SortFieldsOf(CompetenceSortKeys());
  return kFields;
}

const std::vector<std::string>& PeopleStore::TrainingSortFields() {
  static const auto kFields = storage::SortFieldsOf(TrainingSortKeys());
  return kFields;
}

// ------------------------------------------------------------------ people

Expected<void> PeopleStore::InsertPerson(Tx& tx, const Person& person) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO people (id, org_id, ref, name, email, email_key, job_role, department, "
      "in_scope, user_id, status, start_date, left_on, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
      PersonValues(person)));
  return {};
}

Expected<std::optional<Person>> PeopleStore::FindPerson(Tx& tx, const OrgId& org,
                                                        const PersonId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kPersonColumns, "FROM people WHERE org_id = $1 AND id = $2"), {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return PersonFromRow(result.rows[0]);
}

Expected<std::optional<Person>> PeopleStore::FindPersonByEmail(Tx& tx, const OrgId& org,
                                                               const std::string& email,
                                                               const PersonId& except) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kPersonColumns, "FROM people WHERE org_id = $1 AND email_key = $2 AND id <> $3"),
      {org.str(), Lower(email), except.str()}));
  if (result.rows.empty()) return std::nullopt;
  return PersonFromRow(result.rows[0]);
}

Expected<std::optional<Person>> PeopleStore::FindPersonByUser(Tx& tx, const OrgId& org,
                                                              const UserId& user,
                                                              const PersonId& except) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kPersonColumns, "FROM people WHERE org_id = $1 AND user_id = $2 AND id <> $3"),
      {org.str(), user.str(), except.str()}));
  if (result.rows.empty()) return std::nullopt;
  return PersonFromRow(result.rows[0]);
}

Expected<Page<Person>> PeopleStore::ListPeople(Tx& tx, const OrgId& org, const PersonFilter& filter,
                                               const PageQuery& page) {
  storage::Query query{Select(kPersonColumns, "FROM people WHERE org_id = $1"), {org.str()}};
  if (filter.department) query.sql += " AND department = " + query.Bind(*filter.department);
  if (filter.job_role) query.sql += " AND job_role = " + query.Bind(*filter.job_role);
  if (filter.in_scope) {
    query.sql += " AND in_scope = " + query.Bind(std::int64_t{*filter.in_scope ? 1 : 0});
  }
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(PersonStatusName(*filter.status)));
  }
  if (filter.text) {
    query.AddTextSearch(*filter.text, {"ref", "name", "email", "job_role", "department"});
  }
  return storage::RunKeysetPage(tx, std::move(query), PersonSortKeys(), page, PersonFromRow);
}

Expected<std::vector<Person>> PeopleStore::AllPeople(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kPersonColumns, "FROM people WHERE org_id = $1 ORDER BY name, id"), {org.str()}));
  std::vector<Person> people;
  people.reserve(result.rows.size());
  for (const auto& row : result.rows) people.push_back(PersonFromRow(row));
  return people;
}

Expected<bool> PeopleStore::UpdatePerson(Tx& tx, const Person& p, std::int64_t expected_version) {
  auto values = PersonValues(p);
  values.push_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE people SET ref = $3, name = $4, email = $5, email_key = $6, job_role = $7, "
      "department = $8, in_scope = $9, user_id = $10, status = $11, start_date = $12, "
      "left_on = $13, version = $14, created_at = $15, updated_at = $16 "
      "WHERE id = $1 AND org_id = $2 AND version = $17",
      values));
  return result.affected == 1;
}

Expected<bool> PeopleStore::DeletePerson(Tx& tx, const OrgId& org, const PersonId& id,
                                         std::int64_t expected_version) {
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM people WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::int64_t> PeopleStore::PersonRecordCount(Tx& tx, const PersonId& id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT (SELECT COUNT(*) FROM competence_evidence WHERE person_id = $1) + "
                 "(SELECT COUNT(*) FROM training_completions WHERE person_id = $1)",
                 {id.str()}));
  return result.rows.empty() ? 0 : result.rows[0].Int(0);
}

// ------------------------------------------------------------------ competences

Expected<void> PeopleStore::InsertCompetence(Tx& tx, const Competence& c) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO competences (id, org_id, ref, name, description, job_roles, isms_role_ids, "
      "evidence_kinds, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {c.id.str(), c.org_id.str(), c.ref, c.name, c.description, JsonList(c.job_roles),
       JsonList(c.isms_role_ids), KindList(c.evidence_kinds), c.version, c.created_at,
       c.updated_at}));
  return {};
}

Expected<std::optional<Competence>> PeopleStore::FindCompetence(Tx& tx, const OrgId& org,
                                                                const CompetenceId& id) {
  auto result = CERTUS_TRY(
      tx.Execute(Select(kCompetenceColumns, "FROM competences WHERE org_id = $1 AND id = $2"),
                 {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return CompetenceFromRow(result.rows[0]);
}

Expected<std::optional<Competence>> PeopleStore::FindCompetenceByName(Tx& tx, const OrgId& org,
                                                                      const std::string& name) {
  auto result = CERTUS_TRY(
      tx.Execute(Select(kCompetenceColumns, "FROM competences WHERE org_id = $1 AND name = $2"),
                 {org.str(), name}));
  if (result.rows.empty()) return std::nullopt;
  return CompetenceFromRow(result.rows[0]);
}

Expected<Page<Competence>> PeopleStore::ListCompetences(Tx& tx, const OrgId& org,
                                                        const std::optional<std::string>& text,
                                                        const PageQuery& page) {
  storage::Query query{Select(kCompetenceColumns, "FROM competences WHERE org_id = $1"),
                       {org.str()}};
  if (text) query.AddTextSearch(*text, {"ref", "name", "description", "job_roles"});
  return storage::RunKeysetPage(tx, std::move(query), CompetenceSortKeys(), page,
                                CompetenceFromRow);
}

Expected<std::vector<Competence>> PeopleStore::AllCompetences(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(
      tx.Execute(Select(kCompetenceColumns, "FROM competences WHERE org_id = $1 ORDER BY name, id"),
                 {org.str()}));
  std::vector<Competence> out;
  for (const auto& row : result.rows) out.push_back(CompetenceFromRow(row));
  return out;
}

Expected<bool> PeopleStore::UpdateCompetence(Tx& tx, const Competence& c,
                                             std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE competences SET name = $3, description = $4, job_roles = $5, isms_role_ids = $6, "
      "evidence_kinds = $7, version = $8, updated_at = $9 "
      "WHERE org_id = $1 AND id = $2 AND version = $10",
      {c.org_id.str(), c.id.str(), c.name, c.description, JsonList(c.job_roles),
       JsonList(c.isms_role_ids), KindList(c.evidence_kinds), c.version, c.updated_at,
       expected_version}));
  return result.affected == 1;
}

Expected<bool> PeopleStore::DeleteCompetence(Tx& tx, const OrgId& org, const CompetenceId& id,
                                             std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM competences WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::int64_t> PeopleStore::CompetenceUseCount(Tx& tx, const CompetenceId& id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT (SELECT COUNT(*) FROM competence_evidence WHERE competence_id = $1) + "
                 "(SELECT COUNT(*) FROM trainings WHERE competence_id = $1)",
                 {id.str()}));
  return result.rows.empty() ? 0 : result.rows[0].Int(0);
}

// ------------------------------------------------------------------ competence evidence

Expected<void> PeopleStore::InsertEvidence(Tx& tx, const CompetenceEvidence& e) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO competence_evidence (id, org_id, person_id, competence_id, kind, title, "
      "obtained_on, expires_on, evidence_id, training_id, recorded_by, version, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {e.id.str(), e.org_id.str(), e.person_id.str(), e.competence_id.str(),
       std::string(EvidenceKindName(e.kind)), e.title, FormatDate(e.obtained_on),
       OptDate(e.expires_on), e.evidence_id ? storage::Value(*e.evidence_id) : nullptr,
       e.training_id ? storage::Value(e.training_id->str()) : nullptr, e.recorded_by, e.version,
       e.created_at, e.updated_at}));
  return {};
}

Expected<std::optional<CompetenceEvidence>> PeopleStore::FindEvidence(
    Tx& tx, const OrgId& org, const PersonId& person, const CompetenceEvidenceId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kEvidenceColumns,
             "FROM competence_evidence WHERE org_id = $1 AND person_id = $2 AND id = $3"),
      {org.str(), person.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return EvidenceFromRow(result.rows[0]);
}

Expected<std::vector<CompetenceEvidence>> PeopleStore::EvidenceOf(Tx& tx, const OrgId& org,
                                                                  const PersonId& person) {
  auto result =
      CERTUS_TRY(tx.Execute(Select(kEvidenceColumns,
                                   "FROM competence_evidence WHERE org_id = $1 AND person_id = $2 "
                                   "ORDER BY obtained_on DESC, id DESC"),
                            {org.str(), person.str()}));
  std::vector<CompetenceEvidence> out;
  for (const auto& row : result.rows) out.push_back(EvidenceFromRow(row));
  return out;
}

Expected<std::vector<CompetenceEvidence>> PeopleStore::AllEvidence(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kEvidenceColumns, "FROM competence_evidence WHERE org_id = $1"), {org.str()}));
  std::vector<CompetenceEvidence> out;
  for (const auto& row : result.rows) out.push_back(EvidenceFromRow(row));
  return out;
}

Expected<bool> PeopleStore::DeleteEvidence(Tx& tx, const OrgId& org, const CompetenceEvidenceId& id,
                                           std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM competence_evidence WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

// ------------------------------------------------------------------ trainings

Expected<void> PeopleStore::InsertTraining(Tx& tx, const Training& training) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO trainings (id, org_id, ref, title, description, audience, departments, "
      "person_ids, due_on, status, competence_id, validity_months, version, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      TrainingValues(training)));
  return {};
}

Expected<std::optional<Training>> PeopleStore::FindTraining(Tx& tx, const OrgId& org,
                                                            const TrainingId& id) {
  auto result = CERTUS_TRY(
      tx.Execute(Select(kTrainingColumns, "FROM trainings WHERE org_id = $1 AND id = $2"),
                 {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return TrainingFromRow(result.rows[0]);
}

Expected<Page<Training>> PeopleStore::ListTrainings(Tx& tx, const OrgId& org,
                                                    const TrainingFilter& filter,
                                                    const PageQuery& page) {
  storage::Query query{Select(kTrainingColumns, "FROM trainings WHERE org_id = $1"), {org.str()}};
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(TrainingStatusName(*filter.status)));
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"ref", "title"});
  return storage::RunKeysetPage(tx, std::move(query), TrainingSortKeys(), page, TrainingFromRow);
}

Expected<std::vector<Training>> PeopleStore::AssignedTrainings(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kTrainingColumns,
             "FROM trainings WHERE org_id = $1 AND status <> 'draft' ORDER BY due_on, id"),
      {org.str()}));
  std::vector<Training> out;
  for (const auto& row : result.rows) out.push_back(TrainingFromRow(row));
  return out;
}

Expected<std::vector<std::string>> PeopleStore::TrainingsNaming(Tx& tx, const OrgId& org,
                                                                const PersonId& person) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT ref FROM trainings WHERE org_id = $1 AND person_ids LIKE $2 ORDER BY ref",
                 {org.str(), "%\"" + person.str() + "\"%"}));
  std::vector<std::string> refs;
  for (const auto& row : result.rows) refs.push_back(row.Text(0));
  return refs;
}

Expected<bool> PeopleStore::UpdateTraining(Tx& tx, const Training& training,
                                           std::int64_t expected_version) {
  auto values = TrainingValues(training);
  values.push_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE trainings SET ref = $3, title = $4, description = $5, audience = $6, "
      "departments = $7, person_ids = $8, due_on = $9, status = $10, competence_id = $11, "
      "validity_months = $12, version = $13, created_at = $14, updated_at = $15 "
      "WHERE id = $1 AND org_id = $2 AND version = $16",
      values));
  return result.affected == 1;
}

Expected<bool> PeopleStore::DeleteTraining(Tx& tx, const OrgId& org, const TrainingId& id,
                                           std::int64_t expected_version) {
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM trainings WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<bool> PeopleStore::InsertCompletion(Tx& tx, const OrgId& org, const Completion& c) {
  auto result = CERTUS_TRY(tx.Execute(
      "INSERT INTO training_completions (training_id, person_id, org_id, completed_on, note, "
      "recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      {c.training_id.str(), c.person_id.str(), org.str(), FormatDate(c.completed_on), c.note,
       c.recorded_by, c.created_at}));
  return result.affected == 1;
}

Expected<std::vector<Completion>> PeopleStore::CompletionsOf(Tx& tx, const TrainingId& training) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kCompletionColumns,
             "FROM training_completions WHERE training_id = $1 ORDER BY completed_on, person_id"),
      {training.str()}));
  std::vector<Completion> out;
  for (const auto& row : result.rows) out.push_back(CompletionFromRow(row));
  return out;
}

Expected<std::vector<Completion>> PeopleStore::AllCompletions(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      Select(kCompletionColumns, "FROM training_completions WHERE org_id = $1"), {org.str()}));
  std::vector<Completion> out;
  for (const auto& row : result.rows) out.push_back(CompletionFromRow(row));
  return out;
}

}  // namespace certus::people
