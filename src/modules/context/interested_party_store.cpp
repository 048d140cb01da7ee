#include "modules/context/interested_party_store.hpp"

#include <array>
#include <map>

#include "storage/keyset.hpp"

namespace certus::context {

namespace {

constexpr std::array kCategories = {PartyCategory::kCustomer,    PartyCategory::kRegulator,
                                    PartyCategory::kSupplier,    PartyCategory::kEmployee,
                                    PartyCategory::kShareholder, PartyCategory::kPartner,
                                    PartyCategory::kAuthority,   PartyCategory::kOther};
constexpr std::array kSources = {RequirementSource::kLaw,      RequirementSource::kRegulation,
                                 RequirementSource::kContract, RequirementSource::kStandard,
                                 RequirementSource::kPolicy,   RequirementSource::kExpectation,
                                 RequirementSource::kOther};

constexpr std::string_view kColumns =
    "id, org_id, ref, name, category, contact, reviewed_on, version, created_at, updated_at";

InterestedParty FromRow(const storage::Row& row) {
  InterestedParty party;
  party.id = InterestedPartyId(row.Text(0));
  party.org_id = OrgId(row.Text(1));
  party.ref = row.Text(2);
  party.name = row.Text(3);
  party.category = ParsePartyCategory(row.Text(4)).value_or(PartyCategory::kOther);
  party.contact = row.Text(5);
  if (auto date = row.OptText(6)) party.reviewed_on = ParseDate(*date);
  party.version = row.Int(7);
  party.created_at = row.Text(8);
  party.updated_at = row.Text(9);
  return party;
}

storage::Value DateValue(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

const storage::SortKeys<InterestedParty>& SortKeys() {
  static const storage::SortKeys<InterestedParty> kKeys = {
      {"name", {"name", [](const InterestedParty& p) { return p.name; }}},
      {"ref", {"ref", [](const InterestedParty& p) { return p.ref; }}},
      {"category",
       {"category",
        [](const InterestedParty& p) { return std::string(PartyCategoryName(p.category)); }}},
      {"reviewed_on",
       {"COALESCE(reviewed_on, '')",
        [](const InterestedParty& p) {
          return p.reviewed_on ? FormatDate(*p.reviewed_on) : std::string();
        }}},
      {"created_at", {"created_at", [](const InterestedParty& p) { return p.created_at; }}},
      {"updated_at", {"updated_at", [](const InterestedParty& p) { return p.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

std::string_view PartyCategoryName(PartyCategory category) {
  switch (category) {
    case PartyCategory::kCustomer: return "customer";
    case PartyCategory::kRegulator: return "regulator";
    case PartyCategory::kSupplier: return "supplier";
    case PartyCategory::kEmployee: return "employee";
    case PartyCategory::kShareholder: return "shareholder";
    case PartyCategory::kPartner: return "partner";
    case PartyCategory::kAuthority: return "authority";
    case PartyCategory::kOther: return "other";
  }
  return "other";
}

std::optional<PartyCategory> ParsePartyCategory(std::string_view name) {
  for (auto category : kCategories) {
    if (PartyCategoryName(category) == name) return category;
  }
  return std::nullopt;
}

const std::vector<std::string>& PartyCategoryNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kCategories.size());
    for (auto category : kCategories) names.emplace_back(PartyCategoryName(category));
    return names;
  }();
  return kNames;
}

std::string_view RequirementSourceName(RequirementSource source) {
  switch (source) {
    case RequirementSource::kLaw: return "law";
    case RequirementSource::kRegulation: return "regulation";
    case RequirementSource::kContract: return "contract";
    case RequirementSource::kStandard: return "standard";
    case RequirementSource::kPolicy: return "policy";
    case RequirementSource::kExpectation: return "expectation";
    case RequirementSource::kOther: return "other";
  }
  return "other";
}

std::optional<RequirementSource> ParseRequirementSource(std::string_view name) {
  for (auto source : kSources) {
    if (RequirementSourceName(source) == name) return source;
  }
  return std::nullopt;
}

const std::vector<std::string>& RequirementSourceNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kSources.size());
    for (auto source : kSources) names.emplace_back(RequirementSourceName(source));
    return names;
  }();
  return kNames;
}

const std::vector<std::string>& InterestedPartyStore::SortFields() {
  static const std::vector<std::string> kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> InterestedPartyStore::WriteRequirements(Tx& tx, const InterestedParty& party) {
  CERTUS_TRY(tx.Execute("DELETE FROM interested_party_requirements WHERE party_id = $1",
                        {party.id.str()}));
  std::int64_t position = 0;
  for (const auto& r : party.requirements) {
    storage::Value source = nullptr;
    if (r.source) source = std::string(RequirementSourceName(*r.source));
    CERTUS_TRY(
        tx.Execute("INSERT INTO interested_party_requirements (id, party_id, position, text, "
                   "addressed_by_isms, how, source) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {r.id.str(), party.id.str(), position++, r.text,
                    std::int64_t{r.addressed_by_isms ? 1 : 0}, r.how, source}));
  }
  return {};
}

Expected<void> InterestedPartyStore::LoadRequirements(Tx& tx,
                                                      std::vector<InterestedParty>& parties) {
  if (parties.empty()) return {};
  std::map<std::string, InterestedParty*> by_id;
  std::vector<storage::Value> params;
  std::string in;
  for (auto& party : parties) {
    party.requirements.clear();
    by_id[party.id.str()] = &party;
    params.emplace_back(party.id.str());
    if (!in.empty()) in += ", ";
    in += "$" + std::to_string(params.size());
  }
  auto result =
      CERTUS_TRY(tx.Execute("SELECT party_id, id, text, addressed_by_isms, how, source "
                            "FROM interested_party_requirements WHERE party_id IN (" +
                                in + ") ORDER BY party_id, position",
                            params));
  for (const auto& row : result.rows) {
    auto it = by_id.find(row.Text(0));
    if (it == by_id.end()) continue;
    PartyRequirement r;
    r.id = RequirementId(row.Text(1));
    r.text = row.Text(2);
    r.addressed_by_isms = row.Bool(3);
    r.how = row.Text(4);
    if (auto source = row.OptText(5)) r.source = ParseRequirementSource(*source);
    it->second->requirements.push_back(std::move(r));
  }
  return {};
}

Expected<void> InterestedPartyStore::Insert(Tx& tx, const InterestedParty& party) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO interested_parties (id, org_id, ref, name, category, contact, reviewed_on, "
      "version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {party.id.str(), party.org_id.str(), party.ref, party.name,
       std::string(PartyCategoryName(party.category)), party.contact, DateValue(party.reviewed_on),
       party.version, party.created_at, party.updated_at}));
  return WriteRequirements(tx, party);
}

Expected<std::optional<InterestedParty>> InterestedPartyStore::Find(Tx& tx, const OrgId& org,
                                                                    const InterestedPartyId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kColumns) +
                                          " FROM interested_parties WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<InterestedParty> parties{FromRow(result.rows[0])};
  CERTUS_CHECK(LoadRequirements(tx, parties));
  return parties[0];
}

Expected<Page<InterestedParty>> InterestedPartyStore::List(Tx& tx, const OrgId& org,
                                                           const InterestedPartyFilter& filter,
                                                           const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kColumns) + " FROM interested_parties WHERE org_id = $1",
      {org.str()}};
  if (filter.category) {
    query.sql += " AND category = " + query.Bind(std::string(PartyCategoryName(*filter.category)));
  }
  if (filter.has_unaddressed) {
    query.sql += std::string(*filter.has_unaddressed ? " AND EXISTS" : " AND NOT EXISTS") +
                 " (SELECT 1 FROM interested_party_requirements r WHERE r.party_id = "
                 "interested_parties.id AND r.addressed_by_isms = 0)";
  }
  if (filter.text) {
    auto pattern = query.Bind("%" + storage::EscapeLike(*filter.text) + "%");
    const std::string like = " LIKE LOWER(" + pattern + ") ESCAPE '\\'";
    query.sql += " AND (LOWER(name)" + like + " OR LOWER(contact)" + like +
                 " OR EXISTS (SELECT 1 FROM interested_party_requirements r WHERE r.party_id = "
                 "interested_parties.id AND LOWER(r.text)" +
                 like + "))";
  }
  auto result = CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, FromRow));
  CERTUS_CHECK(LoadRequirements(tx, result.items));
  return result;
}

Expected<bool> InterestedPartyStore::Update(Tx& tx, const InterestedParty& party,
                                            std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE interested_parties SET name = $3, category = $4, contact = $5, reviewed_on = $6, "
      "version = $7, updated_at = $8 WHERE org_id = $1 AND id = $2 AND version = $9",
      {party.org_id.str(), party.id.str(), party.name,
       std::string(PartyCategoryName(party.category)), party.contact, DateValue(party.reviewed_on),
       party.version, party.updated_at, expected_version}));
  if (result.affected != 1) return false;
  CERTUS_CHECK(WriteRequirements(tx, party));
  return true;
}

Expected<bool> InterestedPartyStore::Delete(Tx& tx, const OrgId& org, const InterestedPartyId& id,
                                            std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM interested_parties WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

}  // namespace certus::context
