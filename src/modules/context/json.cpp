#include "modules/context/json.hpp"

#include <boost/json.hpp>

namespace certus::context {

boost::json::value ToJson(const ContextIssue& issue) {
  boost::json::object json{{"id", issue.id.str()},
                           {"ref", issue.ref},
                           {"kind", KindName(issue.kind)},
                           {"title", issue.title},
                           {"description", issue.description},
                           {"effect", issue.effect},
                           {"version", issue.version},
                           {"created_at", issue.created_at},
                           {"updated_at", issue.updated_at}};
  if (issue.reviewed_on)
    json["reviewed_on"] = FormatDate(*issue.reviewed_on);
  else
    json["reviewed_on"] = nullptr;
  return json;
}

}  // namespace certus::context
