#include "interchange/oscal.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace certus::interchange {
namespace {

namespace fs = std::filesystem;

fs::path SharedOscalDir() { return fs::path(CERTUS_SOURCE_DIR) / ".." / "shared" / "oscal"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The text of a shared OSCAL file, or nullopt (the caller skips) when ../shared is absent.
std::optional<std::string> SharedFile(const std::string& name) {
  fs::path path = SharedOscalDir() / name;
  if (!fs::exists(path)) return std::nullopt;
  return ReadFile(path);
}

std::string SkipMessage(const std::string& name) {
  return "the OSCAL sample " + (SharedOscalDir() / name).string() +
         " is not there (../shared is not checked out next to the source tree)";
}

struct Counts {
  int groups = 0;
  int controls = 0;
  int enhancements = 0;
};

Counts CountKinds(const Catalog& catalog) {
  Counts counts;
  for (const CatalogEntry& entry : catalog.entries) {
    if (entry.kind == "group") ++counts.groups;
    if (entry.kind == "control") ++counts.controls;
    if (entry.kind == "enhancement") ++counts.enhancements;
  }
  return counts;
}

const CatalogEntry* Find(const Catalog& catalog, const std::string& ref) {
  for (const CatalogEntry& entry : catalog.entries)
    if (entry.ref_id == ref) return &entry;
  return nullptr;
}

std::string FieldsOf(const Error& error) {
  std::string out;
  for (const FieldError& field : error.fields()) out += field.field + ": " + field.message + "\n";
  return out;
}

bool HasField(const Error& error, const std::string& field, const std::string& message_part) {
  return std::any_of(error.fields().begin(), error.fields().end(), [&](const FieldError& f) {
    return f.field == field && f.message.find(message_part) != std::string::npos;
  });
}

// Expected counts were computed independently with Python's json module over the same files.

TEST(OscalCatalog, ParsesTheNistModerateResolvedCatalogQuickly) {
  const std::string text_name =
      "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json";
  auto text = SharedFile(text_name);
  if (!text) GTEST_SKIP() << SkipMessage(text_name);
  auto start = std::chrono::steady_clock::now();
  auto catalog = ParseOscalCatalog(*text);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(catalog) << catalog.error().message() << "\n" << FieldsOf(catalog.error());
  // Generous for a Debug build under ASan; Release takes a few tens of milliseconds.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 5000);

  EXPECT_EQ(catalog->uuid, "4b12cf47-447b-47bb-8653-0a9cf544b744");
  EXPECT_EQ(catalog->title,
            "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE");
  EXPECT_EQ(catalog->version, "5.1.1+u4");
  EXPECT_EQ(catalog->oscal_version, "1.1.2");
  Counts counts = CountKinds(*catalog);
  EXPECT_EQ(counts.groups, 18);
  EXPECT_EQ(counts.controls, 177);
  EXPECT_EQ(counts.enhancements, 110);
  ASSERT_EQ(catalog->entries.size(), 305U);

  // Document order: the family, then each control followed by its enhancements.
  EXPECT_EQ(catalog->entries[0].ref_id, "ac");
  EXPECT_EQ(catalog->entries[0].title, "Access Control");
  EXPECT_EQ(catalog->entries[1].ref_id, "ac-1");
  EXPECT_EQ(catalog->entries[2].ref_id, "ac-2");
  EXPECT_EQ(catalog->entries[3].ref_id, "ac-2.1");
  EXPECT_EQ(catalog->entries.back().ref_id, "sr-12");

  const CatalogEntry* ac2 = Find(*catalog, "ac-2");
  ASSERT_NE(ac2, nullptr);
  EXPECT_EQ(ac2->kind, "control");
  EXPECT_EQ(ac2->parent_ref, "ac");
  EXPECT_EQ(ac2->title, "Account Management");
  EXPECT_EQ(ac2->label, "AC-2");
  EXPECT_FALSE(ac2->withdrawn);
  ASSERT_TRUE(ac2->params.is_array());
  EXPECT_EQ(ac2->params.get_array().size(), 10U);
  EXPECT_EQ(ac2->params.get_array()[0].at("id").as_string(), "ac-02_odp.01");
  ASSERT_TRUE(ac2->parts.is_array());
  EXPECT_EQ(ac2->parts.get_array().size(), 6U);
  EXPECT_NE(ac2->statement.find("b. Assign account managers;"), std::string::npos)
      << ac2->statement;
  EXPECT_NE(ac2->statement.find("c. Require {{ ac-02_odp.01 }} for group and role membership;"),
            std::string::npos)
      << ac2->statement;
  EXPECT_NE(ac2->statement.find("d. Specify:\n  1. Authorized users of the system;"),
            std::string::npos)
      << ac2->statement;
  EXPECT_EQ(ac2->statement.find("insert:"), std::string::npos) << ac2->statement;
  EXPECT_EQ(ac2->guidance.rfind("Examples of system account types include", 0), 0U)
      << ac2->guidance;

  const CatalogEntry* ac21 = Find(*catalog, "ac-2.1");
  ASSERT_NE(ac21, nullptr);
  EXPECT_EQ(ac21->kind, "enhancement");
  EXPECT_EQ(ac21->parent_ref, "ac-2");
  EXPECT_EQ(ac21->title, "Automated System Account Management");
  EXPECT_EQ(ac21->label, "AC-2(1)");
  EXPECT_EQ(ac21->statement, "Support the management of system accounts using {{ ac-02.01_odp }}.");
  ASSERT_TRUE(ac21->params.is_array());
  EXPECT_EQ(ac21->params.get_array().size(), 1U);
}

TEST(OscalCatalog, ParsesTheNistLowResolvedCatalog) {
  const std::string text_name = "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json";
  auto text = SharedFile(text_name);
  if (!text) GTEST_SKIP() << SkipMessage(text_name);
  auto catalog = ParseOscalCatalog(*text);
  ASSERT_TRUE(catalog) << catalog.error().message() << "\n" << FieldsOf(catalog.error());
  EXPECT_EQ(catalog->uuid, "0470d39a-3e02-4bff-82cf-676d522c1554");
  Counts counts = CountKinds(*catalog);
  EXPECT_EQ(counts.groups, 18);
  EXPECT_EQ(counts.controls, 131);
  EXPECT_EQ(counts.enhancements, 18);
  const CatalogEntry* ia21 = Find(*catalog, "ia-2.1");
  ASSERT_NE(ia21, nullptr);
  EXPECT_EQ(ia21->title, "Multi-factor Authentication to Privileged Accounts");
  EXPECT_EQ(ia21->parent_ref, "ia-2");
  EXPECT_EQ(Find(*catalog, "ac-2.1"), nullptr);  // not in the LOW baseline
}

TEST(OscalCatalog, ParsesNestedGroupsOfTheBasicCatalog) {
  const std::string text_name = "basic-catalog.json";
  auto text = SharedFile(text_name);
  if (!text) GTEST_SKIP() << SkipMessage(text_name);
  auto catalog = ParseOscalCatalog(*text);
  ASSERT_TRUE(catalog) << catalog.error().message() << "\n" << FieldsOf(catalog.error());
  EXPECT_EQ(catalog->title, "Sample Security Catalog *for Demonstration* and Testing");
  Counts counts = CountKinds(*catalog);
  EXPECT_EQ(counts.groups, 4);
  EXPECT_EQ(counts.controls, 4);
  EXPECT_EQ(counts.enhancements, 0);

  std::vector<std::string> order;
  std::vector<std::string> parents;
  for (const CatalogEntry& entry : catalog->entries) {
    order.push_back(entry.ref_id);
    parents.push_back(entry.parent_ref);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"s1", "s1.1", "s1.1.1", "s1.1.2", "s2", "s2.1",
                                             "s2.1.1", "s2.1.2"}));
  EXPECT_EQ(parents,
            (std::vector<std::string>{"", "s1", "s1.1", "s1.1", "", "s2", "s2.1", "s2.1"}));

  const CatalogEntry* s111 = Find(*catalog, "s1.1.1");
  ASSERT_NE(s111, nullptr);
  EXPECT_EQ(s111->label, "1.1.1");
  EXPECT_EQ(Find(*catalog, "s1")->label, "1");
  EXPECT_NE(s111->statement.find("A value has been assigned to {{ s1.1.1-prm1 }}."),
            std::string::npos)
      << s111->statement;
  // The guidance has no prose of its own, only sub-parts.
  EXPECT_NE(s111->guidance.find("Individuals with allocated information security "
                                "responsibilities may delegate"),
            std::string::npos)
      << s111->guidance;
  ASSERT_TRUE(s111->params.is_array());
  EXPECT_EQ(s111->params.get_array().size(), 2U);
}

TEST(OscalCatalog, RefusesAProfileNamingIt) {
  const std::string text_name = "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json";
  auto text = SharedFile(text_name);
  if (!text) GTEST_SKIP() << SkipMessage(text_name);
  auto catalog = ParseOscalCatalog(*text);
  ASSERT_FALSE(catalog);
  EXPECT_EQ(catalog.error().code(), ErrorCode::kValidation);
  EXPECT_TRUE(HasField(catalog.error(), "catalog", "this is an OSCAL profile, not a catalog"))
      << FieldsOf(catalog.error());
}

TEST(OscalCatalog, RefusesOtherModelsAndNonCatalogs) {
  auto definition = ParseOscalCatalog(R"({"component-definition": {"uuid": "x"}})");
  ASSERT_FALSE(definition);
  EXPECT_TRUE(HasField(definition.error(), "catalog", "OSCAL component-definition, not a catalog"))
      << FieldsOf(definition.error());

  auto plain = ParseOscalCatalog(R"({"name": "not oscal"})");
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code(), ErrorCode::kValidation);
  EXPECT_TRUE(HasField(plain.error(), "catalog", "not an OSCAL catalog"));

  auto array = ParseOscalCatalog("[1, 2]");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().code(), ErrorCode::kValidation);
}

TEST(OscalCatalog, RefusesTextThatIsNotJson) {
  for (const char* text : {"", "not json", R"({"catalog": {"uuid": "a",)", "<catalog/>"}) {
    auto catalog = ParseOscalCatalog(text);
    ASSERT_FALSE(catalog) << text;
    EXPECT_EQ(catalog.error().code(), ErrorCode::kMalformed) << text;
    EXPECT_NE(catalog.error().message().find("not JSON"), std::string::npos);
  }
}

TEST(OscalCatalog, ReportsMissingFieldsWithTheirPaths) {
  auto catalog = ParseOscalCatalog(R"({"catalog": {
      "metadata": {"version": "1"},
      "groups": [
        {"id": "g1", "title": "One", "controls": [{"id": "c-1", "title": "Fine"}]},
        {"id": "g2", "title": "Two", "controls": [
          {"id": "c-2", "title": "Fine"},
          {"title": "No id"},
          {"id": "c-3", "controls": [{"id": "c-3.1", "title": ""}]}
        ]}
      ]}})");
  ASSERT_FALSE(catalog);
  const Error& error = catalog.error();
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_TRUE(HasField(error, "catalog.uuid", "is required")) << FieldsOf(error);
  EXPECT_TRUE(HasField(error, "catalog.metadata.title", "is required")) << FieldsOf(error);
  EXPECT_TRUE(HasField(error, "catalog.groups[1].controls[1].id", "is required"))
      << FieldsOf(error);
  EXPECT_TRUE(HasField(error, "catalog.groups[1].controls[2].title", "is required"))
      << FieldsOf(error);
  EXPECT_TRUE(HasField(error, "catalog.groups[1].controls[2].controls[0].title", "non-empty"))
      << FieldsOf(error);
  EXPECT_EQ(error.fields().size(), 5U) << FieldsOf(error);
}

TEST(OscalCatalog, ReportsDuplicateIdsWithBothPaths) {
  auto catalog = ParseOscalCatalog(R"({"catalog": {"uuid": "u", "metadata": {"title": "T"},
      "groups": [{"id": "ac", "title": "AC", "controls": [
        {"id": "ac-1", "title": "One", "controls": [{"id": "ac-1.1", "title": "E"}]},
        {"id": "ac-1.1", "title": "Again"}]}]}})");
  ASSERT_FALSE(catalog);
  EXPECT_TRUE(HasField(catalog.error(), "catalog.groups[0].controls[1].id",
                       "duplicate id \"ac-1.1\" (first at catalog.groups[0].controls[0]."
                       "controls[0])"))
      << FieldsOf(catalog.error());
  EXPECT_EQ(catalog.error().fields().size(), 1U);
}

TEST(OscalCatalog, ReadsTopLevelControlsWithdrawnStatusAndInsertions) {
  auto catalog = ParseOscalCatalog(R"({"catalog": {"uuid": "u", "metadata": {"title": "T"},
      "controls": [
        {"id": "x-1", "title": "Withdrawn one",
         "props": [{"name": "label", "value": "X-01", "class": "zero-padded"},
                   {"name": "status", "value": "withdrawn"}]},
        {"id": "x-2", "title": "Live",
         "props": [{"name": "label", "value": "X-02", "class": "zero-padded"}],
         "parts": [{"name": "statement", "prose": "Keep {{ insert: param, x-2_prm }} and {{ insert: choice, y }} and {{ plain }}."},
                   {"name": "guidance", "prose": "Why."}]}
      ]}})");
  ASSERT_TRUE(catalog) << FieldsOf(catalog.error());
  ASSERT_EQ(catalog->entries.size(), 2U);
  EXPECT_EQ(catalog->entries[0].kind, "control");
  EXPECT_EQ(catalog->entries[0].parent_ref, "");
  EXPECT_TRUE(catalog->entries[0].withdrawn);
  EXPECT_EQ(catalog->entries[0].label, "X-01");  // only a classed label: take it
  EXPECT_TRUE(catalog->entries[0].params.is_null());
  EXPECT_FALSE(catalog->entries[1].withdrawn);
  EXPECT_EQ(catalog->entries[1].statement,
            "Keep {{ x-2_prm }} and {{ insert: choice, y }} and {{ plain }}.");
  EXPECT_EQ(catalog->entries[1].guidance, "Why.");
}

TEST(OscalCatalog, AcceptsDeepNestingWithinBoundsAndRefusesBeyond) {
  // 20 levels of enhancements are 40 JSON levels, over Boost.JSON's default limit of 32.
  std::string nested;
  for (int i = 0; i < 20; ++i)
    nested += R"({"id": "c-)" + std::to_string(i) + R"(", "title": "T", "controls": [)";
  nested += R"({"id": "leaf", "title": "Leaf"})";
  for (int i = 0; i < 20; ++i) nested += "]}";
  auto catalog = ParseOscalCatalog(R"({"catalog": {"uuid": "u", "metadata": {"title": "T"},
      "controls": [)" + nested + "]}}");
  ASSERT_TRUE(catalog) << catalog.error().message() << FieldsOf(catalog.error());
  ASSERT_EQ(catalog->entries.size(), 21U);
  EXPECT_EQ(catalog->entries.back().ref_id, "leaf");
  EXPECT_EQ(catalog->entries.back().parent_ref, "c-19");
  EXPECT_EQ(catalog->entries.back().kind, "enhancement");

  auto too_deep = ParseOscalCatalog(std::string(5000, '[') + std::string(5000, ']'));
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().code(), ErrorCode::kMalformed);
}

// --- component-definition -----------------------------------------------------------------

ComponentDefinitionInput SampleInput() {
  ComponentDefinitionInput input;
  input.org_id = "01890a5d-ac96-774b-bcce-b302099a8057";
  input.org_name = "Acme Ltd";
  input.framework_title = "ISO/IEC 27001:2022";
  input.framework_source = "https://www.iso.org/standard/27001";
  input.version_label = "SoA version 3";
  input.last_modified = "2026-11-24T08:00:00Z";
  input.controls = {
      {.ref_id = "A.5.1",
       .title = "Policies for information security",
       .applicable = true,
       .justification = "Required by the risk treatment plan.\nAlso a contract requirement.",
       .inclusion_reasons = {"risk_treatment", "contractual"},
       .implementation_status = "implemented",
       .implementation = "The information security policy is approved by the board.",
       .owner_email = "maria@acme.example"},
      {.ref_id = "A.5.2",
       .title = "Information security roles and responsibilities",
       .applicable = true,
       .justification = "",
       .inclusion_reasons = {},
       .implementation_status = "partially_implemented",
       .implementation = "",
       .owner_email = ""},
      {.ref_id = "A.7.4",
       .title = "Physical security monitoring",
       .applicable = false,
       .justification = "No premises of our own: we rent desks in a coworking space.",
       .inclusion_reasons = {},
       .implementation_status = "not_started",
       .implementation = "",
       .owner_email = ""},
      {.ref_id = "A.8.1",
       .title = "User end point devices",
       .applicable = std::nullopt,
       .justification = "",
       .inclusion_reasons = {},
       .implementation_status = "not_started",
       .implementation = "",
       .owner_email = ""},
      {.ref_id = "A.8.2",
       .title = "Privileged access rights",
       .applicable = true,
       .justification = "",
       .inclusion_reasons = {"risk_treatment"},
       .implementation_status = "not_started",
       .implementation = "Admin rights only through the PAM tool.",
       .owner_email = "maria@acme.example"},
  };
  return input;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "certus-oscal-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// jsonschema evaluates "pattern" with Python's re, which lacks \p{..}: the OSCAL token
// pattern is rewritten with the equivalent Unicode classes before validating.
constexpr const char* kValidateScript = R"(import json, sys
try:
    import jsonschema
except ImportError:
    print("python3 has no jsonschema module")
    sys.exit(3)
schema_text = open(sys.argv[1], encoding="utf-8").read()
schema_text = schema_text.replace("\\\\p{L}", "[^\\\\W\\\\d_]").replace("\\\\p{N}", "\\\\d")
schema = json.loads(schema_text)
document = json.load(open(sys.argv[2], encoding="utf-8"))
errors = list(jsonschema.Draft7Validator(schema).iter_errors(document))
if errors:
    inner = {"$ref": "#/definitions/oscal-complete-oscal-component-definition:component-definition",
             "definitions": schema["definitions"]}
    for error in jsonschema.Draft7Validator(inner).iter_errors(document.get("component-definition")):
        print("/".join(str(p) for p in error.absolute_path), ":", error.message[:300])
    for error in errors:
        print(error.message[:300])
    sys.exit(1)
print("valid")
)";

struct RunResult {
  int exit_code = -1;
  std::string output;
};

RunResult RunCommand(const std::string& command) {
  RunResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(OscalComponentDefinition, ValidatesAgainstTheOscalSchema) {
  fs::path schema = SharedOscalDir() / "oscal_complete_schema-1.1.3.json";
  if (!fs::exists(schema)) GTEST_SKIP() << schema.string() << " is not there (../shared absent)";
  std::string document = WriteOscalComponentDefinition(SampleInput());

  TempDir dir;
  fs::path script = dir.path() / "validate.py";
  fs::path file = dir.path() / "component-definition.json";
  std::ofstream(script) << kValidateScript;
  std::ofstream(file, std::ios::binary) << document;
  RunResult result =
      RunCommand("python3 " + script.string() + " " + schema.string() + " " + file.string());
  if (result.exit_code == 3) GTEST_SKIP() << result.output;
  EXPECT_EQ(result.exit_code, 0) << result.output << "\n" << document;

  // And a document the schema must refuse, so that the check above cannot pass vacuously.
  boost::json::value broken = boost::json::parse(document);
  broken.at("component-definition")
      .at("components")
      .at(0)
      .at("control-implementations")
      .at(0)
      .at("implemented-requirements")
      .at(0)
      .as_object()["control-id"] = "5.1";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << boost::json::serialize(broken);
  RunResult refused =
      RunCommand("python3 " + script.string() + " " + schema.string() + " " + file.string());
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
}

TEST(OscalComponentDefinition, DescribesApplicableExcludedAndUndecidedControls) {
  std::string text = WriteOscalComponentDefinition(SampleInput());
  boost::json::value document = boost::json::parse(text);
  const auto& definition = document.at("component-definition");
  const auto& metadata = definition.at("metadata");
  EXPECT_EQ(metadata.at("oscal-version").as_string(), "1.1.3");
  EXPECT_EQ(metadata.at("version").as_string(), "SoA version 3");
  EXPECT_EQ(metadata.at("last-modified").as_string(), "2026-11-24T08:00:00Z");

  const auto& component = definition.at("components").at(0);
  EXPECT_EQ(component.at("type").as_string(), "policy");
  const auto& implementation = component.at("control-implementations").at(0);
  EXPECT_EQ(implementation.at("source").as_string(), "https://www.iso.org/standard/27001");

  const auto& requirements = implementation.at("implemented-requirements").as_array();
  ASSERT_EQ(requirements.size(), 3U);  // A.5.1, A.5.2, A.8.2: only the applicable ones
  EXPECT_EQ(requirements[0].at("control-id").as_string(), "a.5.1");
  EXPECT_EQ(requirements[0].at("description").as_string(),
            "The information security policy is approved by the board.");
  EXPECT_EQ(requirements[0].at("remarks").as_string(),
            "Required by the risk treatment plan.\nAlso a contract requirement.");
  std::map<std::string, std::vector<std::string>> props;
  for (const auto& prop : requirements[0].at("props").as_array())
    props[std::string(prop.at("name").as_string())].emplace_back(prop.at("value").as_string());
  EXPECT_EQ(props["label"], std::vector<std::string>{"A.5.1"});
  EXPECT_EQ(props["implementation-status"], std::vector<std::string>{"implemented"});
  EXPECT_EQ(props["inclusion-reason"], (std::vector<std::string>{"risk_treatment", "contractual"}));
  EXPECT_EQ(requirements[1].at("props").at(1).at("value").as_string(), "partial");
  EXPECT_EQ(requirements[2].at("props").at(1).at("value").as_string(), "not-started");

  // The owner is a party in the control-owner role.
  const auto& role = requirements[0].at("responsible-roles").at(0);
  EXPECT_EQ(role.at("role-id").as_string(), "control-owner");
  std::string owner_uuid(role.at("party-uuids").at(0).as_string());
  bool found = false;
  for (const auto& party : metadata.at("parties").as_array())
    if (party.at("uuid").as_string() == owner_uuid)
      found = party.at("email-addresses").at(0).as_string() == "maria@acme.example";
  EXPECT_TRUE(found);
  EXPECT_EQ(requirements[2].at("responsible-roles").at(0).at("party-uuids").at(0).as_string(),
            owner_uuid);
  EXPECT_FALSE(requirements[1].as_object().contains("responsible-roles"));

  const auto& listed = implementation.at("props").as_array();
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].at("name").as_string(), "excluded-control");
  EXPECT_EQ(listed[0].at("value").as_string(), "a.7.4");
  EXPECT_EQ(listed[0].at("remarks").as_string(),
            "No premises of our own: we rent desks in a coworking space.");
  EXPECT_EQ(listed[1].at("name").as_string(), "undecided-control");
  EXPECT_EQ(listed[1].at("value").as_string(), "a.8.1");
}

TEST(OscalComponentDefinition, IsDeterministic) {
  std::string first = WriteOscalComponentDefinition(SampleInput());
  std::string second = WriteOscalComponentDefinition(SampleInput());
  EXPECT_EQ(first, second);

  ComponentDefinitionInput other = SampleInput();
  other.org_id = "another-organization";
  std::string third = WriteOscalComponentDefinition(other);
  EXPECT_NE(first, third);
  // Per-subject uuids stay when only the version changes; the document uuid does not.
  ComponentDefinitionInput next = SampleInput();
  next.version_label = "SoA version 4";
  boost::json::value a = boost::json::parse(first);
  boost::json::value b = boost::json::parse(WriteOscalComponentDefinition(next));
  EXPECT_NE(a.at("component-definition").at("uuid"), b.at("component-definition").at("uuid"));
  EXPECT_EQ(a.at("component-definition").at("components").at(0).at("uuid"),
            b.at("component-definition").at("components").at(0).at("uuid"));
}

TEST(OscalComponentDefinition, WithoutApplicableControlsStaysValid) {
  ComponentDefinitionInput input = SampleInput();
  for (ImplementedControl& control : input.controls) control.applicable = false;
  boost::json::value document = boost::json::parse(WriteOscalComponentDefinition(input));
  const auto& component = document.at("component-definition").at("components").at(0);
  EXPECT_FALSE(component.as_object().contains("control-implementations"));
  EXPECT_EQ(component.at("props").as_array().size(), 5U);
}

TEST(OscalUuid, IsVersion5AsInRfc9562) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  EXPECT_EQ(NameBasedUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(OscalControlIdTest, MakesNcNameTokens) {
  EXPECT_EQ(OscalControlId("A.5.1"), "a.5.1");
  EXPECT_EQ(OscalControlId("AC-2(1)"), "ac-2-1-");
  EXPECT_EQ(OscalControlId("4.1"), "_4.1");
  EXPECT_EQ(OscalControlId(" A 8.2 "), "a-8.2");
  EXPECT_EQ(OscalControlId(""), "_");
}

}  // namespace
}  // namespace certus::interchange
