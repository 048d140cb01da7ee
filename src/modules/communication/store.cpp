#include "modules/communication/store.hpp"

#include <array>
#include <map>
#include <utility>

#include "storage/keyset.hpp"

namespace certus::communication {

// ------------------------------------------------------------------ model names

namespace {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Frequency, 5> kFrequencies = {{{Frequency::kOneOff, "one_off"},
                                                   {Frequency::kMonthly, "monthly"},
                                                   {Frequency::kQuarterly, "quarterly"},
                                                   {Frequency::kYearly, "yearly"},
                                                   {Frequency::kOnEvent, "on_event"}}};
constexpr NameTable<Channel, 6> kChannels = {{{Channel::kEmail, "email"},
                                              {Channel::kIntranet, "intranet"},
                                              {Channel::kMeeting, "meeting"},
                                              {Channel::kTraining, "training"},
                                              {Channel::kReport, "report"},
                                              {Channel::kOther, "other"}}};
constexpr NameTable<Direction, 2> kDirections = {
    {{Direction::kInternal, "internal"}, {Direction::kExternal, "external"}}};

template <typename E, std::size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> Parse(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::vector<std::string> Names(const NameTable<E, N>& table) {
  std::vector<std::string> names;
  names.reserve(N);
  for (const auto& [v, n] : table) names.emplace_back(n);
  return names;
}

}  // namespace

std::string_view FrequencyName(Frequency f) { return NameOf(kFrequencies, f); }
std::optional<Frequency> ParseFrequency(std::string_view n) { return Parse(kFrequencies, n); }
const std::vector<std::string>& FrequencyNames() {
  static const auto kNames = Names(kFrequencies);
  return kNames;
}
std::string_view ChannelName(Channel c) { return NameOf(kChannels, c); }
std::optional<Channel> ParseChannel(std::string_view n) { return Parse(kChannels, n); }
const std::vector<std::string>& ChannelNames() {
  static const auto kNames = Names(kChannels);
  return kNames;
}
std::string_view DirectionName(Direction d) { return NameOf(kDirections, d); }
std::optional<Direction> ParseDirection(std::string_view n) { return Parse(kDirections, n); }
const std::vector<std::string>& DirectionNames() {
  static const auto kNames = Names(kDirections);
  return kNames;
}

int FrequencyMonths(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMonthly: return 1;
    case Frequency::kQuarterly: return 3;
    case Frequency::kYearly: return 12;
    case Frequency::kOneOff:
    case Frequency::kOnEvent: return 0;
  }
  return 0;
}

std::optional<Date> NextDue(Frequency frequency, const std::optional<Date>& due_on,
                            const std::optional<Date>& last_communicated_on) {
  if (frequency == Frequency::kOnEvent) return std::nullopt;
  if (frequency == Frequency::kOneOff) {
    if (last_communicated_on) return std::nullopt;
    return due_on;
  }
  if (!last_communicated_on) return due_on;
  Date next = *last_communicated_on + std::chrono::months(FrequencyMonths(frequency));
  // 31 January + 1 month is the last day of February.
  if (!next.ok()) next = Date(next.year() / next.month() / std::chrono::last);
  return next;
}

// ------------------------------------------------------------------ rows

namespace {

storage::Value OptText(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

storage::Value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

std::optional<Date> DateFrom(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseDate(*text);
}

constexpr std::string_view kItemColumns =
    "id, org_id, ref, subject, audience_text, direction, frequency, due_on, trigger_text, "
    "owner_id, channel, notes, last_communicated_on, next_due_on, version, created_at, "
    "updated_at";

PlanItem ItemFromRow(const storage::Row& row) {
  PlanItem item;
  item.id = PlanItemId(row.Text(0));
  item.org_id = OrgId(row.Text(1));
  item.ref = row.Text(2);
  item.subject = row.Text(3);
  item.audience_text = row.Text(4);
  item.direction = ParseDirection(row.Text(5)).value_or(Direction::kInternal);
  item.frequency = ParseFrequency(row.Text(6)).value_or(Frequency::kOneOff);
  item.due_on = DateFrom(row.OptText(7));
  item.trigger = row.Text(8);
  item.owner_id = UserId(row.Text(9));
  item.channel = ParseChannel(row.Text(10)).value_or(Channel::kOther);
  item.notes = row.Text(11);
  item.last_communicated_on = DateFrom(row.OptText(12));
  item.next_due_on = DateFrom(row.OptText(13));
  item.version = row.Int(14);
  item.created_at = row.Text(15);
  item.updated_at = row.Text(16);
  return item;
}

std::string DateKey(const std::optional<Date>& date) {
  // Items with no date sort after every dated one.
  return date ? FormatDate(*date) : "9999-12-31";
}

const storage::SortKeys<PlanItem>& ItemSortKeys() {
  static const storage::SortKeys<PlanItem> kKeys = {
      {"ref", {"ref", [](const PlanItem& i) { return i.ref; }}},
      {"subject", {"subject", [](const PlanItem& i) { return i.subject; }}},
      {"next_due_on",
       {"COALESCE(next_due_on, '9999-12-31')",
        [](const PlanItem& i) { return DateKey(i.next_due_on); }}},
      {"created_at", {"created_at", [](const PlanItem& i) { return i.created_at; }}},
      {"updated_at", {"updated_at", [](const PlanItem& i) { return i.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kEntryColumns =
    "id, org_id, ref, plan_item_id, subject, communicated_on, audience_text, channel, summary, "
    "communicated_by, author_id, author_email, evidence_id, version, created_at, updated_at";

Communication EntryFromRow(const storage::Row& row) {
  Communication c;
  c.id = CommunicationId(row.Text(0));
  c.org_id = OrgId(row.Text(1));
  c.ref = row.Text(2);
  if (auto plan = row.OptText(3)) c.plan_item_id = PlanItemId(*plan);
  c.subject = row.Text(4);
  if (auto date = ParseDate(row.Text(5))) c.communicated_on = *date;
  c.audience_text = row.Text(6);
  c.channel = ParseChannel(row.Text(7)).value_or(Channel::kOther);
  c.summary = row.Text(8);
  c.communicated_by = UserId(row.Text(9));
  c.author_id = UserId(row.Text(10));
  c.author_email = row.Text(11);
  c.evidence_id = row.OptText(12);
  c.version = row.Int(13);
  c.created_at = row.Text(14);
  c.updated_at = row.Text(15);
  return c;
}

const storage::SortKeys<Communication>& EntrySortKeys() {
  static const storage::SortKeys<Communication> kKeys = {
      {"date",
       {"communicated_on", [](const Communication& c) { return FormatDate(c.communicated_on); }}},
      {"ref", {"ref", [](const Communication& c) { return c.ref; }}},
      {"subject", {"subject", [](const Communication& c) { return c.subject; }}},
      {"created_at", {"created_at", [](const Communication& c) { return c.created_at; }}},
  };
  return kKeys;
}

/// Replaces the audience of one item or entry in `table` (keyed by `key`).
Expected<void> WriteAudience(storage::Transaction& tx, std::string_view table, std::string_view key,
                             const std::string& id, const std::vector<std::string>& parties) {
  CERTUS_TRY(tx.Execute(
      "DELETE FROM " + std::string(table) + " WHERE " + std::string(key) + " = $1", {id}));
  for (const auto& party : parties) {
    CERTUS_TRY(tx.Execute("INSERT INTO " + std::string(table) + " (" + std::string(key) +
                              ", party_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                          {id, party}));
  }
  return {};
}

/// Reads the audience of every object in `objects` from `table`.
template <typename T>
Expected<void> LoadAudience(storage::Transaction& tx, std::string_view table, std::string_view key,
                            std::vector<T>& objects) {
  if (objects.empty()) return {};
  std::map<std::string, T*> by_id;
  std::vector<storage::Value> params;
  std::string in;
  for (auto& object : objects) {
    object.audience_party_ids.clear();
    by_id[object.id.str()] = &object;
    params.emplace_back(object.id.str());
    if (!in.empty()) in += ", ";
    in += "$" + std::to_string(params.size());
  }
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT " + std::string(key) + ", party_id FROM " + std::string(table) + " WHERE " +
          std::string(key) + " IN (" + in + ") ORDER BY " + std::string(key) + ", party_id",
      params));
  for (const auto& row : result.rows) {
    if (auto it = by_id.find(row.Text(0)); it != by_id.end()) {
      it->second->audience_party_ids.push_back(row.Text(1));
    }
  }
  return {};
}

constexpr std::string_view kItemAudience = "communication_plan_audience";
constexpr std::string_view kEntryAudience = "communication_audience";

}  // namespace

const std::vector<std::string>& CommunicationStore::PlanItemSortFields() {
  static const auto kFields = storage::SortFieldsOf(ItemSortKeys());
  return kFields;
}

const std::vector<std::string>& CommunicationStore::CommunicationSortFields() {
  static const auto kFields = storage::SortFieldsOf(EntrySortKeys());
  return kFields;
}

// ------------------------------------------------------------------ plan items

Expected<void> CommunicationStore::InsertPlanItem(Tx& tx, const PlanItem& i) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO communication_plan_items (id, org_id, ref, subject, audience_text, direction, "
      "frequency, due_on, trigger_text, owner_id, channel, notes, last_communicated_on, "
      "next_due_on, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
      {i.id.str(), i.org_id.str(), i.ref, i.subject, i.audience_text,
       std::string(DirectionName(i.direction)), std::string(FrequencyName(i.frequency)),
       OptDate(i.due_on), i.trigger, i.owner_id.str(), std::string(ChannelName(i.channel)), i.notes,
       OptDate(i.last_communicated_on), OptDate(i.next_due_on), i.version, i.created_at,
       i.updated_at}));
  return WriteAudience(tx, kItemAudience, "item_id", i.id.str(), i.audience_party_ids);
}

Expected<std::optional<PlanItem>> CommunicationStore::FindPlanItem(Tx& tx, const OrgId& org,
                                                                   const PlanItemId& id) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT " + std::string(kItemColumns) +
                                " FROM communication_plan_items WHERE org_id = $1 AND id = $2",
                            {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<PlanItem> items{ItemFromRow(result.rows[0])};
  CERTUS_CHECK(LoadAudience(tx, kItemAudience, "item_id", items));
  return items[0];
}

Expected<Page<PlanItem>> CommunicationStore::ListPlanItems(Tx& tx, const OrgId& org,
                                                           const PlanItemFilter& filter,
                                                           const PageQuery& page) {
  storage::Query query{
      "SELECT " + std::string(kItemColumns) + " FROM communication_plan_items WHERE org_id = $1",
      {org.str()}};
  if (filter.direction) {
    query.sql += " AND direction = " + query.Bind(std::string(DirectionName(*filter.direction)));
  }
  if (filter.frequency) {
    query.sql += " AND frequency = " + query.Bind(std::string(FrequencyName(*filter.frequency)));
  }
  if (filter.channel) {
    query.sql += " AND channel = " + query.Bind(std::string(ChannelName(*filter.channel)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.party_id) {
    query.sql += " AND id IN (SELECT item_id FROM communication_plan_audience WHERE party_id = " +
                 query.Bind(*filter.party_id) + ")";
  }
  if (filter.overdue_before) {
    query.sql += " AND next_due_on < " + query.Bind(*filter.overdue_before);
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"subject", "audience_text", "notes"});
  auto result =
      CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), ItemSortKeys(), page, ItemFromRow));
  CERTUS_CHECK(LoadAudience(tx, kItemAudience, "item_id", result.items));
  return result;
}

Expected<bool> CommunicationStore::UpdatePlanItem(Tx& tx, const PlanItem& i,
                                                  std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE communication_plan_items SET subject = $3, audience_text = $4, direction = $5, "
      "frequency = $6, due_on = $7, trigger_text = $8, owner_id = $9, channel = $10, notes = $11, "
      "last_communicated_on = $12, next_due_on = $13, version = $14, updated_at = $15 "
      "WHERE org_id = $1 AND id = $2 AND version = $16",
      {i.org_id.str(), i.id.str(), i.subject, i.audience_text,
       std::string(DirectionName(i.direction)), std::string(FrequencyName(i.frequency)),
       OptDate(i.due_on), i.trigger, i.owner_id.str(), std::string(ChannelName(i.channel)), i.notes,
       OptDate(i.last_communicated_on), OptDate(i.next_due_on), i.version, i.updated_at,
       expected_version}));
  if (result.affected != 1) return false;
  CERTUS_CHECK(WriteAudience(tx, kItemAudience, "item_id", i.id.str(), i.audience_party_ids));
  return true;
}

Expected<bool> CommunicationStore::DeletePlanItem(Tx& tx, const OrgId& org, const PlanItemId& id,
                                                  std::int64_t expected_version) {
  CERTUS_TRY(tx.Execute("DELETE FROM communication_plan_audience WHERE item_id = $1", {id.str()}));
  auto result = CERTUS_TRY(tx.Execute(
      "DELETE FROM communication_plan_items WHERE org_id = $1 AND id = $2 AND version = $3",
      {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<void> CommunicationStore::SetSchedule(Tx& tx, const PlanItemId& id,
                                               const std::optional<Date>& last,
                                               const std::optional<Date>& next) {
  CERTUS_TRY(
      tx.Execute("UPDATE communication_plan_items SET last_communicated_on = $2, next_due_on = $3 "
                 "WHERE id = $1",
                 {id.str(), OptDate(last), OptDate(next)}));
  return {};
}

Expected<std::optional<Date>> CommunicationStore::LastCommunicatedOn(Tx& tx, const PlanItemId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT MAX(communicated_on) FROM communications WHERE plan_item_id = $1", {id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return DateFrom(result.rows[0].OptText(0));
}

Expected<std::int64_t> CommunicationStore::CountCommunications(Tx& tx, const PlanItemId& id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT COUNT(*) FROM communications WHERE plan_item_id = $1", {id.str()}));
  return result.rows.empty() ? 0 : result.rows[0].Int(0);
}

// ------------------------------------------------------------------ communications

namespace {

std::vector<storage::Value> EntryValues(const Communication& c) {
  return {c.id.str(),
          c.org_id.str(),
          c.ref,
          c.plan_item_id ? storage::Value(c.plan_item_id->str()) : storage::Value(nullptr),
          c.subject,
          FormatDate(c.communicated_on),
          c.audience_text,
          std::string(ChannelName(c.channel)),
          c.summary,
          c.communicated_by.str(),
          c.author_id.str(),
          c.author_email,
          OptText(c.evidence_id),
          c.version,
          c.created_at,
          c.updated_at};
}

}  // namespace

Expected<void> CommunicationStore::InsertCommunication(Tx& tx, const Communication& entry) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO communications (id, org_id, ref, plan_item_id, subject, communicated_on, "
      "audience_text, channel, summary, communicated_by, author_id, author_email, evidence_id, "
      "version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
      EntryValues(entry)));
  return WriteAudience(tx, kEntryAudience, "communication_id", entry.id.str(),
                       entry.audience_party_ids);
}

Expected<std::optional<Communication>> CommunicationStore::FindCommunication(
    Tx& tx, const OrgId& org, const CommunicationId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT " + std::string(kEntryColumns) + " FROM communications WHERE org_id = $1 AND id = $2",
      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Communication> entries{EntryFromRow(result.rows[0])};
  CERTUS_CHECK(LoadAudience(tx, kEntryAudience, "communication_id", entries));
  return entries[0];
}

Expected<Page<Communication>> CommunicationStore::ListCommunications(
    Tx& tx, const OrgId& org, const CommunicationFilter& filter, const PageQuery& page) {
  storage::Query query{
      "SELECT " + std::string(kEntryColumns) + " FROM communications WHERE org_id = $1",
      {org.str()}};
  if (filter.plan_item_id) {
    query.sql += " AND plan_item_id = " + query.Bind(filter.plan_item_id->str());
  }
  if (filter.channel) {
    query.sql += " AND channel = " + query.Bind(std::string(ChannelName(*filter.channel)));
  }
  if (filter.party_id) {
    query.sql +=
        " AND id IN (SELECT communication_id FROM communication_audience WHERE party_id = " +
        query.Bind(*filter.party_id) + ")";
  }
  if (filter.communicated_by) {
    query.sql += " AND communicated_by = " + query.Bind(filter.communicated_by->str());
  }
  if (filter.from) query.sql += " AND communicated_on >= " + query.Bind(*filter.from);
  if (filter.to) query.sql += " AND communicated_on <= " + query.Bind(*filter.to);
  if (filter.text) query.AddTextSearch(*filter.text, {"subject", "summary", "audience_text"});
  auto result =
      CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), EntrySortKeys(), page, EntryFromRow));
  CERTUS_CHECK(LoadAudience(tx, kEntryAudience, "communication_id", result.items));
  return result;
}

Expected<bool> CommunicationStore::UpdateCommunication(Tx& tx, const Communication& c,
                                                       std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE communications SET plan_item_id = $3, subject = $4, communicated_on = $5, "
      "audience_text = $6, channel = $7, summary = $8, communicated_by = $9, evidence_id = $10, "
      "version = $11, updated_at = $12 WHERE org_id = $1 AND id = $2 AND version = $13",
      {c.org_id.str(), c.id.str(),
       c.plan_item_id ? storage::Value(c.plan_item_id->str()) : storage::Value(nullptr), c.subject,
       FormatDate(c.communicated_on), c.audience_text, std::string(ChannelName(c.channel)),
       c.summary, c.communicated_by.str(), OptText(c.evidence_id), c.version, c.updated_at,
       expected_version}));
  if (result.affected != 1) return false;
  CERTUS_CHECK(
      WriteAudience(tx, kEntryAudience, "communication_id", c.id.str(), c.audience_party_ids));
  return true;
}

Expected<bool> CommunicationStore::DeleteCommunication(Tx& tx, const OrgId& org,
                                                       const CommunicationId& id,
                                                       std::int64_t expected_version) {
  CERTUS_TRY(
      tx.Execute("DELETE FROM communication_audience WHERE communication_id = $1", {id.str()}));
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM communications WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

}  // namespace certus::communication
