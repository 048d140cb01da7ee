#include "modules/controls/framework_json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::controls {

namespace {

std::vector<std::string> StringsOf(const boost::json::object& object, std::string_view key) {
  std::vector<std::string> values;
  const auto* array = object.if_contains(key);
  if (array == nullptr || !array->is_array()) return values;
  for (const auto& value : array->as_array()) {
    if (value.is_string()) values.emplace_back(value.as_string());
  }
  return values;
}

}  // namespace

std::string_view SourceName(FrameworkSource source) {
  return source == FrameworkSource::kOscal ? "oscal" : "builtin";
}

boost::json::value ToJson(const Framework& framework) {
  return boost::json::object{{"id", framework.id.str()},
                             {"key", framework.key},
                             {"title", framework.title},
                             {"version", framework.version},
                             {"source", SourceName(framework.source)},
                             {"oscal_uuid", http::Nullable(framework.oscal_uuid)},
                             {"oscal_version", http::Nullable(framework.oscal_version)},
                             {"requirement_count", framework.requirement_count},
                             {"created_at", framework.created_at}};
}

boost::json::value ToJson(const ImportedFramework& imported) {
  boost::json::value json = ToJson(imported.framework);
  json.as_object()["imported"] =
      boost::json::object{{"groups", imported.counts.groups},
                          {"controls", imported.counts.controls},
                          {"enhancements", imported.counts.enhancements}};
  return json;
}

boost::json::value ToJson(const RequirementAttributes& attributes) {
  return boost::json::object{
      {"control_type", http::StringArray(attributes.control_type)},
      {"security_properties", http::StringArray(attributes.security_properties)},
      {"cybersecurity_concepts", http::StringArray(attributes.cybersecurity_concepts)},
      {"operational_capabilities", http::StringArray(attributes.operational_capabilities)},
      {"security_domains", http::StringArray(attributes.security_domains)}};
}

RequirementAttributes AttributesFromJson(const boost::json::value& json) {
  RequirementAttributes attributes;
  if (!json.is_object()) return attributes;
  const auto& object = json.as_object();
  attributes.control_type = StringsOf(object, "control_type");
  attributes.security_properties = StringsOf(object, "security_properties");
  attributes.cybersecurity_concepts = StringsOf(object, "cybersecurity_concepts");
  attributes.operational_capabilities = StringsOf(object, "operational_capabilities");
  attributes.security_domains = StringsOf(object, "security_domains");
  return attributes;
}

boost::json::value ToJson(const Requirement& requirement) {
  return boost::json::object{
      {"id", requirement.id.str()},         {"framework_id", requirement.framework_id.str()},
      {"ref_id", requirement.ref_id},       {"kind", requirement.kind},
      {"title", requirement.title},         {"parent_ref", http::Nullable(requirement.parent_ref)},
      {"theme", requirement.theme},         {"text", requirement.text},
      {"guidance", requirement.guidance},   {"label", requirement.label},
      {"withdrawn", requirement.withdrawn}, {"attributes", ToJson(requirement.attributes)},
      {"params", requirement.params},       {"parts", requirement.parts}};
}

boost::json::value ToJson(const Mapping& mapping) {
  return boost::json::object{{"source_framework_id", mapping.source_framework_id.str()},
                             {"source_ref", mapping.source_ref},
                             {"target_framework_id", mapping.target_framework_id.str()},
                             {"target_ref", mapping.target_ref},
                             {"relationship", mapping.relationship}};
}

}  // namespace certus::controls
