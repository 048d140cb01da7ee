#include "modules/risk/register_json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/json_writer.hpp"

namespace certus::risk {

namespace {

using http::Nullable;

}  // namespace

namespace {

/// The risk's fields in the API's order, named once for both writers below: `sink(key,
/// value)` for strings, integers, booleans and optionals, `sink.Ids` for id lists and
/// `sink.Acceptance` for the acceptance record or null.
template <typename Sink>
void EachField(const Risk& risk, Sink& sink) {
  sink("id", risk.id.str());
  sink("ref", risk.ref);
  sink("title", risk.title);
  sink("description", risk.description);
  sink("threat", risk.threat);
  sink("vulnerability", risk.vulnerability);
  sink.Ids("asset_ids", risk.asset_ids);
  sink.Ids("control_ids", risk.control_ids);
  sink("owner_id", risk.owner_id.str());
  sink("likelihood", risk.likelihood);
  sink("impact", risk.impact);
  sink("inherent_score", risk.inherent_score);
  sink("inherent_level", risk.inherent_level);
  sink("treatment", std::string_view(TreatmentOptionName(risk.treatment)));
  sink("treatment_rationale", risk.treatment_rationale);
  sink("transfer_to", risk.transfer_to);
  sink("residual_likelihood", risk.residual_likelihood);
  sink("residual_impact", risk.residual_impact);
  sink("residual_score", risk.residual_score);
  sink("residual_level", risk.residual_level);
  sink("status", std::string_view(RiskStatusName(risk.status)));
  sink("last_assessed_on", risk.last_assessed_on);
  sink("next_review_on", risk.next_review_on);
  sink("above_threshold", risk.above_threshold);
  sink.Acceptance("acceptance", risk.acceptance, risk.acceptance_expired);
  sink("open_treatments", risk.open_treatments);
  sink("version", risk.version);
  sink("created_at", risk.created_at);
  sink("updated_at", risk.updated_at);
}

/// Builds a boost::json object (single risks, the audit log).
struct TreeSink {
  boost::json::object& out;

  template <typename T>
  void operator()(std::string_view key, const T& value) {
    out.emplace(key, boost::json::value_from(value));
  }
  template <typename T>
  void operator()(std::string_view key, const std::optional<T>& value) {
    out.emplace(key, Nullable(value));
  }
  template <typename Id>
  void Ids(std::string_view key, const std::vector<Id>& ids) {
    boost::json::array array;
    array.reserve(ids.size());
    for (const auto& id : ids) array.emplace_back(id.str());
    out.emplace(key, std::move(array));
  }
  void Acceptance(std::string_view key, const std::optional<risk::Acceptance>& a, bool expired) {
    if (!a) {
      out.emplace(key, nullptr);
      return;
    }
    out.emplace(key, boost::json::object{{"by_id", a->by_id},
                                         {"by_email", a->by_email},
                                         {"at", a->at},
                                         {"rationale", a->rationale},
                                         {"expires_on", a->expires_on},
                                         {"expired", expired}});
  }
};

/// Writes JSON text (the register's pages).
struct TextSink {
  http::JsonWriter& json;

  template <typename T>
  void operator()(std::string_view key, const T& value) {
    json.Field(key, value);
  }
  template <typename Id>
  void Ids(std::string_view key, const std::vector<Id>& ids) {
    json.Key(key).BeginArray();
    for (const auto& id : ids) json.String(id.str());
    json.EndArray();
  }
  void Acceptance(std::string_view key, const std::optional<risk::Acceptance>& a, bool expired) {
    json.Key(key);
    if (!a) {
      json.Null();
      return;
    }
    json.BeginObject()
        .Field("by_id", a->by_id)
        .Field("by_email", a->by_email)
        .Field("at", a->at)
        .Field("rationale", a->rationale)
        .Field("expires_on", a->expires_on)
        .Field("expired", expired)
        .EndObject();
  }
};

}  // namespace

boost::json::value ToJson(const Risk& risk) {
  boost::json::object out;
  out.reserve(29);
  TreeSink sink{out};
  EachField(risk, sink);
  return out;
}

void WriteJson(http::JsonWriter& json, const Risk& risk) {
  json.BeginObject();
  TextSink sink{json};
  EachField(risk, sink);
  json.EndObject();
}

boost::json::value ToJson(const Treatment& t) {
  return boost::json::object{
      {"id", t.id.str()},
      {"ref", t.ref},
      {"risk_id", t.risk_id.str()},
      {"title", t.title},
      {"description", t.description},
      {"owner_id", t.owner_id ? boost::json::value(t.owner_id->str()) : nullptr},
      {"due_on", Nullable(t.due_on)},
      {"status", ActionStatusName(t.status)},
      {"completion_note", t.completion_note},
      {"control_id", t.control_id ? boost::json::value(t.control_id->str()) : nullptr},
      {"version", t.version},
      {"created_at", t.created_at},
      {"updated_at", t.updated_at}};
}

}  // namespace certus::risk
