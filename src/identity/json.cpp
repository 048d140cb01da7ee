#include "identity/json.hpp"

#include <boost/json.hpp>

namespace certus::identity {

boost::json::value ToJson(const User& user) {
  return boost::json::object{{"id", user.id.str()},
                             {"email", user.email},
                             {"display_name", user.display_name},
                             {"installation_admin", user.installation_admin},
                             {"version", user.version},
                             {"created_at", user.created_at},
                             {"updated_at", user.updated_at}};
}

boost::json::value ToJson(const Organization& org) {
  return boost::json::object{{"id", org.id.str()},
                             {"name", org.name},
                             {"require_second_factor", org.require_second_factor},
                             {"version", org.version},
                             {"created_at", org.created_at},
                             {"updated_at", org.updated_at}};
}

boost::json::value ToJson(const OrgWithRole& org) {
  auto json = ToJson(org.org);
  json.as_object()["role"] = RoleName(org.role);
  if (org.guest_until) json.as_object()["guest_until"] = *org.guest_until;
  return json;
}

boost::json::value ToJson(const Member& member) {
  return boost::json::object{
      {"org_id", member.org_id.str()},   {"user_id", member.user_id.str()},
      {"email", member.email},           {"display_name", member.display_name},
      {"role", RoleName(member.role)},   {"version", member.version},
      {"created_at", member.created_at}, {"updated_at", member.updated_at}};
}

boost::json::value ToJson(const ApiToken& token) {
  boost::json::object json{{"id", token.id},
                           {"name", token.name},
                           {"user_id", token.user_id.str()},
                           {"org_id", token.org_id.str()},
                           {"role", RoleName(token.role)},
                           {"created_at", token.created_at}};
  if (token.last_used_at)
    json["last_used_at"] = *token.last_used_at;
  else
    json["last_used_at"] = nullptr;
  return json;
}

}  // namespace certus::identity
