#include "modules/context/interested_party_json.hpp"

#include <boost/json.hpp>

namespace certus::context {

boost::json::value ToJson(const InterestedParty& party) {
  boost::json::array requirements;
  for (const auto& r : party.requirements) {
    boost::json::object item{{"id", r.id.str()},
                             {"text", r.text},
                             {"addressed_by_isms", r.addressed_by_isms},
                             {"how", r.how}};
    if (r.source)
      item["source"] = RequirementSourceName(*r.source);
    else
      item["source"] = nullptr;
    requirements.push_back(std::move(item));
  }
  boost::json::object json{{"id", party.id.str()},
                           {"ref", party.ref},
                           {"name", party.name},
                           {"category", PartyCategoryName(party.category)},
                           {"contact", party.contact},
                           {"requirements", std::move(requirements)},
                           {"unaddressed_count", party.UnaddressedCount()},
                           {"version", party.version},
                           {"created_at", party.created_at},
                           {"updated_at", party.updated_at}};
  if (party.reviewed_on)
    json["reviewed_on"] = FormatDate(*party.reviewed_on);
  else
    json["reviewed_on"] = nullptr;
  return json;
}

}  // namespace certus::context
