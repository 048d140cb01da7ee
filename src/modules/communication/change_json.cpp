#include "modules/communication/change_json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::communication {

namespace {

boost::json::value DateJson(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

boost::json::value SignatureJson(const std::optional<Signature>& s) {
  if (!s) return nullptr;
  return boost::json::object{
      {"user_id", s->user_id.str()}, {"email", s->email}, {"at", s->at}, {"comment", s->comment}};
}

}  // namespace

boost::json::value ToJson(const Change& c) {
  boost::json::array links;
  for (const auto& link : c.links) {
    links.push_back(boost::json::object{
        {"type", LinkKindName(link.kind)}, {"id", link.id}, {"label", link.label}});
  }
  // The decision is the approval unless the change was rejected; a change cancelled after
  // approval keeps its approval on record.
  const bool approved = c.status != ChangeStatus::kRejected;
  return boost::json::object{
      {"id", c.id.str()},
      {"ref", c.ref},
      {"title", c.title},
      {"purpose", c.purpose},
      {"consequences", c.consequences},
      {"integrity_considerations", c.integrity_considerations},
      {"resources", c.resources},
      {"owner_id", c.owner_id.str()},
      {"responsibilities", c.responsibilities},
      {"planned_on", DateJson(c.planned_on)},
      {"status", ChangeStatusName(c.status)},
      {"risk_ids", http::StringArray(c.LinkIds(LinkKind::kRisk))},
      {"control_ids", http::StringArray(c.LinkIds(LinkKind::kControl))},
      {"document_ids", http::StringArray(c.LinkIds(LinkKind::kDocument))},
      {"links", std::move(links)},
      {"nonconformity_id", http::Nullable(c.nonconformity_id)},
      {"notes", c.notes},
      {"requested_by", c.requested_by.str()},
      {"requested_by_email", c.requested_by_email},
      {"submitted_at", http::Nullable(c.submitted_at)},
      {"approval", approved ? SignatureJson(c.decision) : nullptr},
      {"rejection", c.status == ChangeStatus::kRejected ? SignatureJson(c.decision) : nullptr},
      {"started_at", http::Nullable(c.started_at)},
      {"implemented_on", DateJson(c.implemented_on)},
      {"implementation", SignatureJson(c.implementation)},
      {"review", SignatureJson(c.review)},
      {"achieved_purpose", http::Nullable(c.achieved_purpose)},
      {"cancellation", SignatureJson(c.cancellation)},
      {"version", c.version},
      {"created_at", c.created_at},
      {"updated_at", c.updated_at}};
}

}  // namespace certus::communication
