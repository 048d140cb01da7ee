#include "modules/communication/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::communication {

namespace {

boost::json::value DateJson(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

}  // namespace

boost::json::value ToJson(const PlanItem& item) {
  return boost::json::object{{"id", item.id.str()},
                             {"ref", item.ref},
                             {"subject", item.subject},
                             {"audience_party_ids", http::StringArray(item.audience_party_ids)},
                             {"audience_text", item.audience_text},
                             {"direction", DirectionName(item.direction)},
                             {"frequency", FrequencyName(item.frequency)},
                             {"due_on", DateJson(item.due_on)},
                             {"trigger", item.trigger},
                             {"owner_id", item.owner_id.str()},
                             {"channel", ChannelName(item.channel)},
                             {"notes", item.notes},
                             {"last_communicated_on", DateJson(item.last_communicated_on)},
                             {"next_due_on", DateJson(item.next_due_on)},
                             {"overdue", item.overdue},
                             {"version", item.version},
                             {"created_at", item.created_at},
                             {"updated_at", item.updated_at}};
}

boost::json::value ToJson(const Communication& entry) {
  return boost::json::object{
      {"id", entry.id.str()},
      {"ref", entry.ref},
      {"plan_item_id",
       entry.plan_item_id ? boost::json::value(entry.plan_item_id->str()) : nullptr},
      {"subject", entry.subject},
      {"communicated_on", FormatDate(entry.communicated_on)},
      {"audience_party_ids", http::StringArray(entry.audience_party_ids)},
      {"audience_text", entry.audience_text},
      {"channel", ChannelName(entry.channel)},
      {"summary", entry.summary},
      {"communicated_by", entry.communicated_by.str()},
      {"author_id", entry.author_id.str()},
      {"author_email", entry.author_email},
      {"evidence_id", http::Nullable(entry.evidence_id)},
      {"version", entry.version},
      {"created_at", entry.created_at},
      {"updated_at", entry.updated_at}};
}

}  // namespace certus::communication
