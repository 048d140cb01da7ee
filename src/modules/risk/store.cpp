#include "modules/risk/store.hpp"

#include <array>
#include <map>

#include <boost/json.hpp>

#include "modules/risk/json.hpp"
#include "storage/keyset.hpp"

namespace certus::risk {

namespace {

// ------------------------------------------------------------------ methodology

constexpr std::string_view kMethodologyColumns =
    "id, org_id, version, status, criteria_json, created_by_id, created_by_email, "
    "approved_by_id, approved_by_email, approved_at, created_at, updated_at";

Methodology MethodologyFromRow(const storage::Row& row) {
  Methodology m;
  m.id = MethodologyId(row.Text(0));
  m.org_id = OrgId(row.Text(1));
  m.version = row.Int(2);
  m.status = ParseStatus(row.Text(3)).value_or(MethodologyStatus::kDiscarded);
  m.criteria = CriteriaFromJson(boost::json::parse(row.Text(4)));
  m.created_by_id = row.Text(5);
  m.created_by_email = row.Text(6);
  m.approved_by_id = row.OptText(7);
  m.approved_by_email = row.OptText(8);
  m.approved_at = row.OptText(9);
  m.created_at = row.Text(10);
  m.updated_at = row.Text(11);
  return m;
}

storage::Value OptValue(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

storage::Value OptValue(const std::optional<std::int64_t>& number) {
  if (!number) return nullptr;
  return *number;
}

// ------------------------------------------------------------------ assets

constexpr std::string_view kAssetColumns =
    "id, org_id, ref, name, type, owner_id, location, classification, confidentiality, "
    "integrity, availability, description, version, created_at, updated_at";

Asset AssetFromRow(const storage::Row& row) {
  Asset a;
  a.id = AssetId(row.Text(0));
  a.org_id = OrgId(row.Text(1));
  a.ref = row.Text(2);
  a.name = row.Text(3);
  a.type = ParseAssetType(row.Text(4)).value_or(AssetType::kInformation);
  a.owner_id = UserId(row.Text(5));
  a.location = row.Text(6);
  a.classification = ParseClassification(row.Text(7)).value_or(Classification::kInternal);
  a.confidentiality = row.OptInt(8);
  a.integrity = row.OptInt(9);
  a.availability = row.OptInt(10);
  a.description = row.Text(11);
  a.version = row.Int(12);
  a.created_at = row.Text(13);
  a.updated_at = row.Text(14);
  return a;
}

const storage::SortKeys<Asset>& SortKeys() {
  static const storage::SortKeys<Asset> kKeys = {
      {"ref", {"ref", [](const Asset& a) { return a.ref; }}},
      {"name", {"name", [](const Asset& a) { return a.name; }}},
      {"type", {"type", [](const Asset& a) { return std::string(AssetTypeName(a.type)); }}},
      {"classification",
       {"classification",
        [](const Asset& a) { return std::string(ClassificationName(a.classification)); }}},
      {"created_at", {"created_at", [](const Asset& a) { return a.created_at; }}},
      {"updated_at", {"updated_at", [](const Asset& a) { return a.updated_at; }}},
  };
  return kKeys;
}

template <typename Enum, std::size_t N>
std::optional<Enum> ParseByName(std::string_view name, const std::array<Enum, N>& values,
                                std::string_view (*name_of)(Enum)) {
  for (Enum value : values) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

constexpr std::array kAssetTypes = {
    AssetType::kInformation, AssetType::kSoftware, AssetType::kHardware, AssetType::kService,
    AssetType::kPeople,      AssetType::kSite,     AssetType::kSupplier};
constexpr std::array kClassifications = {Classification::kPublic, Classification::kInternal,
                                         Classification::kConfidential,
                                         Classification::kRestricted};
constexpr std::array kStatuses = {MethodologyStatus::kDraft, MethodologyStatus::kApproved,
                                  MethodologyStatus::kSuperseded, MethodologyStatus::kDiscarded};

}  // namespace

std::string_view ScoringName(Scoring scoring) {
  return scoring == Scoring::kMatrix ? "matrix" : "product";
}

std::optional<Scoring> ParseScoring(std::string_view name) {
  if (name == "product") return Scoring::kProduct;
  if (name == "matrix") return Scoring::kMatrix;
  return std::nullopt;
}

std::string_view StatusName(MethodologyStatus status) {
  switch (status) {
    case MethodologyStatus::kDraft: return "draft";
    case MethodologyStatus::kApproved: return "approved";
    case MethodologyStatus::kSuperseded: return "superseded";
    case MethodologyStatus::kDiscarded: return "discarded";
  }
  return "discarded";
}

std::optional<MethodologyStatus> ParseStatus(std::string_view name) {
  return ParseByName(name, kStatuses, &StatusName);
}

std::string_view AssetTypeName(AssetType type) {
  switch (type) {
    case AssetType::kInformation: return "information";
    case AssetType::kSoftware: return "software";
    case AssetType::kHardware: return "hardware";
    case AssetType::kService: return "service";
    case AssetType::kPeople: return "people";
    case AssetType::kSite: return "site";
    case AssetType::kSupplier: return "supplier";
  }
  return "information";
}

std::optional<AssetType> ParseAssetType(std::string_view name) {
  return ParseByName(name, kAssetTypes, &AssetTypeName);
}

const std::vector<std::string>& AssetTypeNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(std::size(kAssetTypes));
    for (auto type : kAssetTypes) names.emplace_back(AssetTypeName(type));
    return names;
  }();
  return kNames;
}

std::string_view ClassificationName(Classification classification) {
  switch (classification) {
    case Classification::kPublic: return "public";
    case Classification::kInternal: return "internal";
    case Classification::kConfidential: return "confidential";
    case Classification::kRestricted: return "restricted";
  }
  return "internal";
}

std::optional<Classification> ParseClassification(std::string_view name) {
  return ParseByName(name, kClassifications, &ClassificationName);
}

const std::vector<std::string>& ClassificationNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(std::size(kClassifications));
    for (auto value : kClassifications) names.emplace_back(ClassificationName(value));
    return names;
  }();
  return kNames;
}

// ------------------------------------------------------------------ methodology

Expected<bool> RiskStore::InsertMethodology(Tx& tx, const Methodology& m) {
  auto result = CERTUS_TRY(tx.Execute(
      "INSERT INTO risk_methodologies (id, org_id, version, status, criteria_json, "
      "created_by_id, created_by_email, approved_by_id, approved_by_email, approved_at, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      "ON CONFLICT (org_id, version) DO NOTHING",
      {m.id.str(), m.org_id.str(), m.version, std::string(StatusName(m.status)),
       boost::json::serialize(CriteriaJson(m.criteria)), m.created_by_id, m.created_by_email,
       OptValue(m.approved_by_id), OptValue(m.approved_by_email), OptValue(m.approved_at),
       m.created_at, m.updated_at}));
  return result.affected == 1;
}

Expected<std::vector<Methodology>> RiskStore::ListMethodologies(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kMethodologyColumns) +
                                          " FROM risk_methodologies WHERE org_id = $1 "
                                          "ORDER BY version DESC",
                                      {org.str()}));
  std::vector<Methodology> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(MethodologyFromRow(row));
  return out;
}

Expected<bool> RiskStore::UpdateMethodologyStatus(Tx& tx, const Methodology& m,
                                                  MethodologyStatus expected) {
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE risk_methodologies SET status = $3, approved_by_id = $4, "
                 "approved_by_email = $5, approved_at = $6, updated_at = $7 "
                 "WHERE org_id = $1 AND id = $2 AND status = $8",
                 {m.org_id.str(), m.id.str(), std::string(StatusName(m.status)),
                  OptValue(m.approved_by_id), OptValue(m.approved_by_email),
                  OptValue(m.approved_at), m.updated_at, std::string(StatusName(expected))}));
  return result.affected == 1;
}

// ------------------------------------------------------------------ assets

const std::vector<std::string>& RiskStore::AssetSortFields() {
  static const std::vector<std::string> kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> RiskStore::InsertAsset(Tx& tx, const Asset& a) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO assets (id, org_id, ref, name, type, owner_id, location, classification, "
      "confidentiality, integrity, availability, description, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      {a.id.str(), a.org_id.str(), a.ref, a.name, std::string(AssetTypeName(a.type)),
       a.owner_id.str(), a.location, std::string(ClassificationName(a.classification)),
       OptValue(a.confidentiality), OptValue(a.integrity), OptValue(a.availability), a.description,
       a.version, a.created_at, a.updated_at}));
  return {};
}

Expected<std::optional<Asset>> RiskStore::FindAsset(Tx& tx, const OrgId& org, const AssetId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kAssetColumns) +
                                          " FROM assets WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return AssetFromRow(result.rows[0]);
}

Expected<Page<Asset>> RiskStore::ListAssets(Tx& tx, const OrgId& org, const AssetFilter& filter,
                                            const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kAssetColumns) + " FROM assets WHERE org_id = $1",
      {org.str()}};
  if (filter.type) {
    query.sql += " AND type = " + query.Bind(std::string(AssetTypeName(*filter.type)));
  }
  if (filter.classification) {
    query.sql += " AND classification = " +
                 query.Bind(std::string(ClassificationName(*filter.classification)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.text) query.AddTextSearch(*filter.text, {"name", "description"});
  return storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, AssetFromRow);
}

Expected<bool> RiskStore::UpdateAsset(Tx& tx, const Asset& a, std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE assets SET name = $3, type = $4, owner_id = $5, location = $6, "
                 "classification = $7, confidentiality = $8, integrity = $9, availability = $10, "
                 "description = $11, version = $12, updated_at = $13 "
                 "WHERE org_id = $1 AND id = $2 AND version = $14",
                 {a.org_id.str(), a.id.str(), a.name, std::string(AssetTypeName(a.type)),
                  a.owner_id.str(), a.location, std::string(ClassificationName(a.classification)),
                  OptValue(a.confidentiality), OptValue(a.integrity), OptValue(a.availability),
                  a.description, a.version, a.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<bool> RiskStore::DeleteAsset(Tx& tx, const OrgId& org, const AssetId& id,
                                      std::int64_t expected_version) {
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM assets WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

}  // namespace certus::risk
