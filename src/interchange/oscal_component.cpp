// OSCAL 1.1.3 component-definition writer for an organization's Statement of Applicability.
//
// Choices, each checked against oscal_complete_schema-1.1.3.json:
// - The component is of type "policy": OSCAL's component-definition types are technical
//   (software, hardware, service, ...) or documentary (policy, process-procedure, plan, ...);
//   "this-system" belongs to system security plans. The ISMS controls of an organization are
//   a documentary component, and the SoA is its policy decision on each control.
// - control-id must be an XML NCName token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`). Refs are
//   lowercased like NIST's ids ("A.5.1" -> "a.5.1"); any other character becomes "-", and
//   a ref that does not start with a letter gets a "_" prefix. The ref as written is kept in
//   a "label" prop.
// - Certus' own props carry the namespace kNamespace, as OSCAL asks of names it does not
//   define. Prop values must be single-line and trimmed, so free text (justifications) goes
//   into `remarks`, which is markup.
// - Excluded controls are not implemented requirements: they are listed as "excluded-control"
//   props of the control-implementation with the justification in the prop's remarks.
//   Controls whose applicability is still undecided are listed the same way as
//   "undecided-control", so that an unfinished SoA does not look complete.
// - UUIDs are version 5 under kUuidNamespace: per subject (component, control) from the
//   organization id and the ref, so they stay stable across exports as OSCAL recommends;
//   the document uuid also includes the version label and last-modified time, because
//   OSCAL wants a new document uuid for new content.

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <openssl/evp.h>

#include "interchange/oscal.hpp"

namespace certus::interchange {

namespace json = boost::json;

namespace {

constexpr std::string_view kNamespace = "urn:certus:oscal";
/// Fixed namespace of Certus' name-based UUIDs (itself a random version 4 UUID).
constexpr std::string_view kUuidNamespace = "7b0e6a52-3f2c-4d8e-9a61-5c3d2b7f9e10";
constexpr std::string_view kOscalVersion = "1.1.3";

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

/// A single-line, trimmed value for a prop (StringDatatype forbids outer whitespace and the
/// schema's `.` does not match line breaks).
std::string PropValue(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : Trim(text)) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

json::object Prop(std::string_view name, std::string_view value) {
  return json::object{{"name", name}, {"ns", kNamespace}, {"value", PropValue(value)}};
}

std::string OscalStatus(std::string_view status) {
  if (status == "implemented") return "implemented";
  if (status == "partially_implemented") return "partial";
  if (status == "planned") return "planned";
  if (status == "not_started") return "not-started";
  return std::string(status);
}

std::string Uuid(const ComponentDefinitionInput& input, std::string_view subject) {
  std::string name = input.org_id;
  name.push_back('/');
  name.append(subject);
  return NameBasedUuid(kUuidNamespace, name);
}

/// Serializes with two-space indentation so that the file reads and diffs well.
void WritePretty(const json::value& value, int depth, std::string& out) {
  auto indent = [&out](int level) {
    out.push_back('\n');
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  if (const json::object* object = value.if_object()) {
    if (object->empty()) {
      out.append("{}");
      return;
    }
    out.push_back('{');
    bool first = true;
    for (const auto& member : *object) {
      if (!first) out.push_back(',');
      first = false;
      indent(depth + 1);
      out.append(json::serialize(json::string(member.key())));
      out.append(": ");
      WritePretty(member.value(), depth + 1, out);
    }
    indent(depth);
    out.push_back('}');
  } else if (const json::array* array = value.if_array()) {
    if (array->empty()) {
      out.append("[]");
      return;
    }
    out.push_back('[');
    bool first = true;
    for (const json::value& item : *array) {
      if (!first) out.push_back(',');
      first = false;
      indent(depth + 1);
      WritePretty(item, depth + 1, out);
    }
    indent(depth);
    out.push_back(']');
  } else {
    out.append(json::serialize(value));
  }
}

}  // namespace

std::string NameBasedUuid(std::string_view namespace_uuid, std::string_view name) {
  // RFC 9562 5.5: SHA-1 over the namespace's 16 bytes followed by the name.
  std::string data;
  data.reserve(16 + name.size());
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int high = -1;
  for (char c : namespace_uuid) {
    int value = nibble(c);
    if (value < 0) continue;  // the dashes
    if (high < 0) {
      high = value;
    } else {
      data.push_back(static_cast<char>((high << 4) | value));
      high = -1;
    }
  }
  data.append(name);

  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &digest_size, EVP_sha1(), nullptr) != 1)
    throw std::runtime_error("SHA-1 is unavailable in OpenSSL");

  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 0x0F]);
  }
  return out;
}

std::string OscalControlId(std::string_view ref) {
  std::string out;
  out.reserve(ref.size() + 1);
  for (char c : Trim(ref)) {
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
      out.push_back(c);
    else
      out.push_back('-');
  }
  if (out.empty() || !((out[0] >= 'a' && out[0] <= 'z') || out[0] == '_')) out.insert(0, "_");
  return out;
}

std::string WriteOscalComponentDefinition(const ComponentDefinitionInput& input) {
  // Owners become parties, referenced by the control-owner role; sorted for stable output.
  std::map<std::string, std::string> owner_party;  // email -> party uuid
  for (const ImplementedControl& control : input.controls) {
    std::string email = PropValue(control.owner_email);
    if (control.applicable == true && !email.empty())
      owner_party.emplace(email, Uuid(input, "party/" + email));
  }

  json::array implemented;
  json::array listed;  // excluded and undecided controls
  for (const ImplementedControl& control : input.controls) {
    std::string control_id = OscalControlId(control.ref_id);
    if (control.applicable != true) {
      json::object prop =
          Prop(control.applicable == false ? "excluded-control" : "undecided-control", control_id);
      std::string_view justification = Trim(control.justification);
      if (!justification.empty()) prop["remarks"] = justification;
      listed.emplace_back(std::move(prop));
      continue;
    }
    json::array props;
    if (!Trim(control.ref_id).empty()) props.emplace_back(Prop("label", control.ref_id));
    if (!PropValue(control.implementation_status).empty())
      props.emplace_back(
          Prop("implementation-status", OscalStatus(PropValue(control.implementation_status))));
    for (const std::string& reason : control.inclusion_reasons)
      if (!PropValue(reason).empty()) props.emplace_back(Prop("inclusion-reason", reason));

    json::object requirement{{"uuid", Uuid(input, "requirement/" + control.ref_id)},
                             {"control-id", control_id},
                             {"description", Trim(control.implementation)}};
    if (!props.empty()) requirement["props"] = std::move(props);
    if (auto it = owner_party.find(PropValue(control.owner_email)); it != owner_party.end()) {
      requirement["responsible-roles"] = json::array{
          json::object{{"role-id", "control-owner"}, {"party-uuids", json::array{it->second}}}};
    }
    std::string_view justification = Trim(control.justification);
    if (!justification.empty()) requirement["remarks"] = justification;
    implemented.emplace_back(std::move(requirement));
  }

  json::object component{
      {"uuid", Uuid(input, "component")},
      {"type", "policy"},
      {"title", input.org_name + " information security management system"},
      {"description", "The " + input.framework_title + " controls of " + input.org_name +
                          " as recorded in its Statement of Applicability (" + input.version_label +
                          ")."},
      {"purpose", "Which controls apply to the organization, why, and how they are implemented."},
  };
  if (!implemented.empty()) {
    json::object implementation{
        {"uuid", Uuid(input, "control-implementation")},
        {"source", input.framework_source},
        {"description", "How " + input.org_name + " implements the applicable controls of " +
                            input.framework_title + "."},
    };
    if (!listed.empty()) implementation["props"] = std::move(listed);
    implementation["implemented-requirements"] = std::move(implemented);
    component["control-implementations"] = json::array{std::move(implementation)};
  } else if (!listed.empty()) {
    // control-implementation needs at least one implemented requirement.
    component["props"] = std::move(listed);
  }

  json::array parties{json::object{{"uuid", Uuid(input, "party/organization")},
                                   {"type", "organization"},
                                   {"name", input.org_name}}};
  for (const auto& [email, uuid] : owner_party)
    parties.emplace_back(json::object{{"uuid", uuid},
                                      {"type", "person"},
                                      {"name", email},
                                      {"email-addresses", json::array{email}}});

  json::object metadata{
      {"title",
       input.org_name + ": " + input.framework_title + " controls (" + input.version_label + ")"},
      {"last-modified", input.last_modified},
      {"version", input.version_label},
      {"oscal-version", kOscalVersion},
  };
  if (!owner_party.empty())
    metadata["roles"] =
        json::array{json::object{{"id", "control-owner"}, {"title", "Control owner"}}};
  metadata["parties"] = std::move(parties);

  json::object definition{
      {"uuid",
       Uuid(input, "component-definition/" + input.version_label + "/" + input.last_modified)},
      {"metadata", std::move(metadata)},
      {"components", json::array{std::move(component)}},
  };
  json::value document = json::object{{"component-definition", std::move(definition)}};

  std::string out;
  WritePretty(document, 0, out);
  out.push_back('\n');
  return out;
}

}  // namespace certus::interchange
