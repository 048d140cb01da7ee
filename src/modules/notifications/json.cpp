#include "modules/notifications/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::notifications {

boost::json::value ToJson(const Notification& n) {
  return boost::json::object{{"id", n.id.str()},
                             {"org_id", n.org_id.str()},
                             {"kind", n.kind},
                             {"title", n.title},
                             {"body", n.body},
                             {"link", n.link},
                             {"task_key", http::Nullable(n.task_key)},
                             {"created_at", n.created_at},
                             {"read_at", http::Nullable(n.read_at)}};
}

boost::json::value ToJson(const Preferences& p) {
  return boost::json::object{
      {"email", p.email},
      {"in_app", p.in_app},
      {"digest", p.digest == Digest::kDaily ? "daily" : "off"},
      {"days_before_due", p.days_before_due},
      {"version", p.version},
      {"updated_at",
       p.updated_at.empty() ? boost::json::value(nullptr) : boost::json::value(p.updated_at)}};
}

boost::json::value ToJson(const Webhook& w) {
  return boost::json::object{
      {"id", w.id.str()},          {"url", w.url},         {"events", http::StringArray(w.events)},
      {"active", w.active},        {"version", w.version}, {"created_at", w.created_at},
      {"updated_at", w.updated_at}};
}

boost::json::value ToJson(const Delivery& d) {
  return boost::json::object{{"id", d.id},
                             {"event", d.event},
                             {"status", d.status},
                             {"attempts", d.attempts},
                             {"response_code", http::Nullable(d.response_code)},
                             {"next_attempt_at", d.next_attempt_at},
                             {"created_at", d.created_at}};
}

}  // namespace certus::notifications
