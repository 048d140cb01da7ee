// OSCAL catalogs (`certus import oscal`, the framework import): interchange::ParseOscalCatalog,
// and the component-definition export over what was imported (src/interchange/oscal*.cpp).
//
// Invariants: a failure is 400 (not JSON) or 422 with at most 50 field errors, each naming a
// path under `catalog`; an imported catalog has a uuid and a title, unique entry ids, kinds
// group/control/enhancement, titles that are not blank, parents that came earlier (a group's
// parent a group, a control's a group, an enhancement's a control or enhancement); the OSCAL
// export of its controls is JSON whose control-ids are NCName tokens.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "fuzz/check.hpp"
#include "interchange/oscal.hpp"

namespace {

using certus::ErrorCode;
using namespace certus::interchange;

bool IsControlId(std::string_view id) {
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || id[0] == '_')) return false;
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = certus::fuzz::Text(data, size);
  auto catalog = ParseOscalCatalog(text);
  if (!catalog) {
    const auto& error = catalog.error();
    FUZZ_CHECK(error.code() == ErrorCode::kMalformed || error.code() == ErrorCode::kValidation,
               error.message());
    FUZZ_CHECK(error.fields().size() <= 50, error.message());
    for (const auto& field : error.fields()) {
      FUZZ_CHECK(field.field.starts_with("catalog"), field.field);
    }
    return 0;
  }
  FUZZ_CHECK(!catalog->uuid.empty() && !Blank(catalog->title), catalog->uuid);

  std::map<std::string, std::string, std::less<>> kinds;  // id -> kind
  ComponentDefinitionInput input{"00000000-0000-0000-0000-000000000001",
                                 "Fuzz",
                                 "Fuzzed catalog",
                                 "https://example.com/catalog.json",
                                 "current (unapproved)",
                                 "2026-01-01T00:00:00Z",
                                 {}};
  for (const auto& entry : catalog->entries) {
    FUZZ_CHECK(!Blank(entry.ref_id), entry.ref_id);
    FUZZ_CHECK(!Blank(entry.title), entry.ref_id);
    FUZZ_CHECK(entry.kind == "group" || entry.kind == "control" || entry.kind == "enhancement",
               entry.kind);
    if (entry.parent_ref.empty()) {
      FUZZ_CHECK(entry.kind != "enhancement", entry.ref_id);
    } else {
      auto parent = kinds.find(entry.parent_ref);
      FUZZ_CHECK(parent != kinds.end(), entry.ref_id + " under " + entry.parent_ref);
      if (entry.kind == "enhancement") {
        FUZZ_CHECK(parent->second != "group", entry.ref_id);
      } else {
        FUZZ_CHECK(parent->second == "group", entry.ref_id);
      }
    }
    FUZZ_CHECK(kinds.emplace(entry.ref_id, entry.kind).second, "duplicate " + entry.ref_id);
    if (entry.kind == "group") continue;
    FUZZ_CHECK(IsControlId(OscalControlId(entry.ref_id)), OscalControlId(entry.ref_id));
    ImplementedControl control;
    control.ref_id = entry.ref_id;
    control.title = entry.title;
    control.applicable = entry.withdrawn ? std::optional<bool>(false) : std::optional<bool>(true);
    control.justification = entry.guidance;
    control.implementation_status = "implemented";
    control.implementation = entry.statement;
    control.owner_email = entry.label;
    input.controls.push_back(std::move(control));
  }
  const std::string exported = WriteOscalComponentDefinition(input);
  boost::system::error_code ec;
  const auto document = boost::json::parse(exported, ec);
  FUZZ_CHECK(!ec && document.is_object() && document.as_object().contains("component-definition"),
             exported);
  return 0;
}
