#include "modules/evidence/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::evidence {

namespace {

boost::json::value DateJson(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

using http::Nullable;

}  // namespace

boost::json::value ToJson(const EvidenceFile& file) {
  return boost::json::object{{"sha256", file.sha256},
                             {"size", file.size},
                             {"filename", file.filename},
                             {"content_type", file.content_type}};
}

boost::json::value ToJson(const Evidence& e) {
  boost::json::array control_ids;
  for (const auto& id : e.control_ids) control_ids.emplace_back(id.str());
  boost::json::array controls;
  for (const auto& control : e.controls) {
    controls.push_back(boost::json::object{
        {"id", control.id.str()}, {"ref_id", control.ref_id}, {"title", control.title}});
  }
  return boost::json::object{
      {"id", e.id.str()},
      {"org_id", e.org_id.str()},
      {"ref", e.ref},
      {"kind", KindName(e.kind)},
      {"title", e.title},
      {"description", e.description},
      {"url", Nullable(e.url)},
      {"note", Nullable(e.note)},
      {"file", e.file ? ToJson(*e.file) : boost::json::value(nullptr)},
      {"owner_id", e.owner_id ? boost::json::value(e.owner_id->str()) : nullptr},
      {"owner_email", Nullable(e.owner_email)},
      {"collected_on", DateJson(e.collected_on)},
      {"valid_until", DateJson(e.valid_until)},
      {"expired", e.expired},
      {"archived", e.archived},
      {"control_ids", std::move(control_ids)},
      {"controls", std::move(controls)},
      {"version", e.version},
      {"created_at", e.created_at},
      {"updated_at", e.updated_at}};
}

}  // namespace certus::evidence
