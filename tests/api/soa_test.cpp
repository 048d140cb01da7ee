// HTTP scenarios for the Statement of Applicability as a record (ISO 27001 6.1.3 d):
// approved immutable versions, their differences, exports and coverage of frameworks.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <sys/wait.h>

#include "core/encoding.hpp"
#include "reports/table.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// Gives back fontconfig's process-wide state (kept once a PDF was written) after the last
/// test, for LeakSanitizer.
class ReleaseFontCachesAtExit final : public ::testing::Environment {
 public:
  void TearDown() override { reports::ReleaseFontCaches(); }
};
// gtest owns the environment.
[[maybe_unused]] ::testing::Environment* const kReleaseFontCaches =
    ::testing::AddGlobalTestEnvironment(new ReleaseFontCachesAtExit);

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

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "certus-soa-XXXXXX").string();
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
  fs::path Write(const std::string& name, const std::string& content) const {
    fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  fs::path path_;
};

class SoaApi : public ApiTest {
 protected:
  std::string Org() const { return "/api/v1/orgs/" + org_; }
  std::string Controls() const { return Org() + "/controls"; }
  std::string Soa() const { return Org() + "/soa"; }

  static std::string Etag(const boost::json::value& object) {
    return "\"" + std::to_string(object.at("version").as_int64()) + "\"";
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Control(HttpClient& client, const std::string& ref) {
    auto page = client.Get(Controls() + "?limit=500").Json();
    for (const auto& item : page.at("items").as_array()) {
      if (item.at("ref_id") == ref.c_str()) return item;
    }
    ADD_FAILURE() << "no control " << ref;
    return nullptr;
  }

  void Change(HttpClient& client, const std::string& ref, const boost::json::object& body) {
    auto control = Control(client, ref);
    auto reply = client.Patch(Controls() + "/" + std::string(control.at("id").as_string()),
                              Json(body), {{"If-Match", Etag(control)}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
  }

  boost::json::value Approve(HttpClient& client, const std::string& notes) {
    auto reply = client.Post(Soa() + "/versions", Json({{"notes", notes}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  static const boost::json::value* Row(const boost::json::value& rows, const std::string& ref) {
    for (const auto& row : rows.as_array()) {
      if (row.at("ref_id") == ref.c_str()) return &row;
    }
    return nullptr;
  }
};

TEST_P(SoaApi, TheSoaSummarizesItsRowsAndVersionsAreApprovedByManagers) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Get(Soa());
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto soa = reply.Json();
  EXPECT_EQ(soa.at("framework_id"), "iso27001-2022");
  EXPECT_EQ(soa.at("rows").as_array().size(), 93u);
  EXPECT_EQ(soa.at("summary").at("total"), 93);
  EXPECT_EQ(soa.at("summary").at("undecided"), 93);
  EXPECT_EQ(soa.at("summary").at("not_started"), 93);
  EXPECT_EQ(soa.at("latest_version"), nullptr);
  EXPECT_EQ(soa.at("changed_since_latest_version"), true);
  EXPECT_EQ(
      soa.at("rows").at(0).at("requirements"),
      (boost::json::array{boost::json::object{{"framework_id", "iso27001-2022"},
                                              {"ref_id", "A.5.1"},
                                              {"title", "Policies for information security"}}}));

  Change(alice, "A.5.1",
         {{"applicable", true},
          {"justification", "Policies are mandatory."},
          {"implementation_status", "implemented"}});
  Change(alice, "A.7.4", {{"applicable", false}, {"justification", "No premises to monitor."}});
  Change(alice, "A.8.1", {{"implementation_status", "planned"}});
  auto summary = alice.Get(Soa()).Json().at("summary");
  EXPECT_EQ(summary, (boost::json::object{{"total", 93},
                                          {"applicable", 1},
                                          {"excluded", 1},
                                          {"undecided", 91},
                                          {"implemented", 1},
                                          {"partially_implemented", 0},
                                          {"planned", 1},
                                          {"not_started", 91}}));
  // The summary alone (the dashboard) counts the same, without rows.
  auto alone = alice.Get(Soa() + "?rows=false");
  ASSERT_EQ(alone.status, 200u) << alone.body;
  EXPECT_EQ(alone.Json(),
            (boost::json::object{{"framework_id", "iso27001-2022"}, {"summary", summary}}));
  EXPECT_EQ(alice.Get(Soa() + "?rows=true").Json().at("rows").as_array().size(), 93u);
  auto bad = alice.Get(Soa() + "?rows=no");
  EXPECT_EQ(bad.status, 422u) << bad.body;
  EXPECT_THAT(ErrorFields(bad), ::testing::ElementsAre("rows"));
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(Soa() + "?rows=false").status, 404u);

  // ISO 27001 6.1.3 d: management approves the SoA; readers and contributors cannot.
  for (const char* email : {"carl@example.com", "audrey@example.com", "victor@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Post(Soa() + "/versions", Json({{"notes", "x"}})).status, 403u) << email;
  }
  auto maria = server_->SignedIn("maria@example.com");
  auto approved = maria.Post(Soa() + "/versions", Json({{"notes", "First SoA"}}));
  ASSERT_EQ(approved.status, 201u) << approved.body;
  auto version = approved.Json();
  EXPECT_EQ(approved.Header("location"), Soa() + "/versions/1");
  EXPECT_EQ(version.at("number"), 1);
  EXPECT_EQ(version.at("notes"), "First SoA");
  EXPECT_EQ(version.at("approved_by_email"), "maria@example.com");
  EXPECT_EQ(version.at("approved_by_id"), IdOf("maria@example.com").c_str());
  EXPECT_THAT(std::string(version.at("approved_at").as_string()),
              ::testing::StartsWith("2026-03-02T09:00:00"));
  EXPECT_EQ(version.at("row_count"), 93);

  // The version holds the rows as they were, and its hash is over their canonical JSON.
  auto stored = alice.Get(Soa() + "/versions/1").Json();
  EXPECT_EQ(stored.at("sha256"), version.at("sha256"));
  EXPECT_EQ(stored.at("sha256"), Sha256Hex(boost::json::serialize(stored.at("rows"))).c_str());
  EXPECT_EQ(stored.at("rows"), alice.Get(Soa()).Json().at("rows"));
  soa = alice.Get(Soa()).Json();
  EXPECT_EQ(soa.at("latest_version").at("number"), 1);
  EXPECT_EQ(soa.at("changed_since_latest_version"), false);

  Change(alice, "A.8.1", {{"implementation_status", "implemented"}});
  EXPECT_EQ(alice.Get(Soa()).Json().at("changed_since_latest_version"), true);
  Approve(alice, "Second");
  auto list = server_->SignedIn("victor@example.com").Get(Soa() + "/versions").Json();
  ASSERT_EQ(list.at("items").as_array().size(), 2u);
  EXPECT_EQ(list.at("items").at(0).at("number"), 2);
  EXPECT_EQ(list.at("items").at(1).at("number"), 1);
  EXPECT_FALSE(list.at("items").at(0).as_object().contains("rows"));
  auto paged = alice.Get(Soa() + "/versions?limit=1").Json();
  EXPECT_EQ(paged.at("items").as_array().size(), 1u);
  EXPECT_TRUE(paged.at("next_cursor").is_string());

  EXPECT_EQ(alice.Get(Soa() + "/versions/3").status, 404u);
  EXPECT_EQ(alice.Get(Soa() + "/versions/x").status, 404u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Soa()).status, 404u);
  EXPECT_EQ(mallory.Get(Soa() + "/versions/1").status, 404u);
}

TEST_P(SoaApi, ApprovedVersionsAreImmutable) {
  auto alice = server_->SignedIn("alice@example.com");
  Approve(alice, "Baseline");
  for (const char* method : {"PATCH", "PUT", "DELETE"}) {
    auto reply = alice.Send(method, Soa() + "/versions/1", Json({{"notes", "rewritten"}}),
                            {{"If-Match", "\"1\""}, {"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 409u) << method << " " << reply.body;
    EXPECT_THAT(reply.body, HasSubstr("approved SoA versions are immutable"));
  }
  EXPECT_EQ(alice.Send("DELETE", Soa() + "/versions/7", "", {}).status, 404u);

  // Later edits change the current SoA, never version 1.
  Change(alice, "A.5.15", {{"applicable", true}, {"justification", "Access control matters."}});
  auto version = alice.Get(Soa() + "/versions/1").Json();
  EXPECT_EQ(version.at("notes"), "Baseline");
  EXPECT_EQ(Row(version.at("rows"), "A.5.15")->at("applicable"), nullptr);
  EXPECT_EQ(Row(version.at("rows"), "A.5.15")->at("version"), 1);
  EXPECT_EQ(version.at("sha256"), Sha256Hex(boost::json::serialize(version.at("rows"))).c_str());
  EXPECT_EQ(Row(alice.Get(Soa()).Json().at("rows"), "A.5.15")->at("applicable"), true);
}

TEST_P(SoaApi, TheDiffListsExactlyWhatChanged) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  Approve(alice, "v1");
  Change(alice, "A.5.1", {{"applicable", true}, {"justification", "Policies are mandatory."}});
  Change(alice, "A.5.2", {{"implementation_status", "implemented"}});
  Change(alice, "A.5.3", {{"owner_id", carl_id}});
  ASSERT_EQ(alice.Post(Controls(), Json({{"ref_id", "X-1"}, {"title", "Custom one"}})).status,
            201u);
  Approve(alice, "v2");

  auto reply = alice.Get(Soa() + "/diff?from=1&to=2");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto diff = reply.Json();
  EXPECT_EQ(diff.at("from"), 1);
  EXPECT_EQ(diff.at("to"), 2);
  boost::json::array expected{
      boost::json::object{
          {"ref_id", "A.5.1"},
          {"title", "Policies for information security"},
          {"change", "changed"},
          {"fields",
           boost::json::array{
               boost::json::object{{"field", "applicable"}, {"from", nullptr}, {"to", true}},
               boost::json::object{
                   {"field", "justification"}, {"from", ""}, {"to", "Policies are mandatory."}}}}},
      boost::json::object{
          {"ref_id", "A.5.2"},
          {"title", "Information security roles and responsibilities"},
          {"change", "changed"},
          {"fields", boost::json::array{boost::json::object{{"field", "implementation_status"},
                                                            {"from", "not_started"},
                                                            {"to", "implemented"}}}}},
      boost::json::object{
          {"ref_id", "A.5.3"},
          {"title", "Segregation of duties"},
          {"change", "changed"},
          {"fields", boost::json::array{boost::json::object{{"field", "owner_email"},
                                                            {"from", nullptr},
                                                            {"to", "carl@example.com"}}}}},
      boost::json::object{{"ref_id", "X-1"},
                          {"title", "Custom one"},
                          {"change", "added"},
                          {"fields", boost::json::array()}}};
  EXPECT_EQ(diff.at("changes"), expected);

  // To the current SoA (no `to`): nothing yet; then a removal and a changed title.
  auto current = alice.Get(Soa() + "/diff?from=2").Json();
  EXPECT_EQ(current.at("to"), nullptr);
  EXPECT_EQ(current.at("changes"), boost::json::array());
  auto custom = Control(alice, "X-1");
  ASSERT_EQ(alice
                .Delete(Controls() + "/" + std::string(custom.at("id").as_string()),
                        {{"If-Match", "\"1\""}})
                .status,
            204u);
  current = alice.Get(Soa() + "/diff?from=2").Json();
  ASSERT_EQ(current.at("changes").as_array().size(), 1u);
  EXPECT_EQ(current.at("changes").at(0).at("change"), "removed");
  EXPECT_EQ(current.at("changes").at(0).at("ref_id"), "X-1");

  auto missing = alice.Get(Soa() + "/diff");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), ElementsAre("from"));
  EXPECT_EQ(alice.Get(Soa() + "/diff?from=1&to=9").status, 404u);
}

TEST_P(SoaApi, ExportsCsvJsonXlsxPdfAndOscal) {
  auto alice = server_->SignedIn("alice@example.com");
  Change(alice, "A.5.1",
         {{"applicable", true},
          {"justification", "Policies are mandatory."},
          {"implementation_status", "implemented"},
          {"implementation", "Policy set approved by the board."}});
  Change(alice, "A.7.4", {{"applicable", false}, {"justification", "No premises to monitor."}});
  auto victor = server_->SignedIn("victor@example.com");

  auto csv = victor.Get(Soa() + "/export?format=csv");
  ASSERT_EQ(csv.status, 200u) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.Header("content-disposition"),
            "attachment; filename=\"soa-acme-ltd-vcurrent.csv\"");
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < csv.body.size()) {
    auto end = csv.body.find("\r\n", start);
    if (end == std::string::npos) end = csv.body.size();
    lines.push_back(csv.body.substr(start, end - start));
    start = end + 2;
  }
  ASSERT_EQ(lines.size(), 94u);
  EXPECT_EQ(lines[0],
            "Ref,Control,Theme,Applicable,Justification,Reasons,Status,Owner,Implementation,"
            "Linked risks");
  EXPECT_EQ(lines[1],
            "A.5.1,Policies for information security,Organizational controls,Yes,Policies are "
            "mandatory.,,Implemented,,Policy set approved by the board.,");
  EXPECT_THAT(lines[93], HasSubstr("A.8.34,Protection of information systems during audit"));

  auto json = victor.Get(Soa() + "/export?format=json");
  ASSERT_EQ(json.status, 200u);
  EXPECT_EQ(json.Header("content-type"), "application/json");
  EXPECT_EQ(json.Json().at("rows").as_array().size(), 93u);
  EXPECT_EQ(json.Json().at("summary").at("applicable"), 1);

  Approve(alice, "For the auditors");
  auto versioned = victor.Get(Soa() + "/export?format=json&version=1");
  ASSERT_EQ(versioned.status, 200u);
  EXPECT_EQ(versioned.Header("content-disposition"),
            "attachment; filename=\"soa-acme-ltd-v1.json\"");
  EXPECT_EQ(versioned.Json().at("number"), 1);
  EXPECT_EQ(versioned.Json().at("rows"), alice.Get(Soa() + "/versions/1").Json().at("rows"));

  TempDir dir;
  auto xlsx = victor.Get(Soa() + "/export?format=xlsx&version=1");
  ASSERT_EQ(xlsx.status, 200u) << xlsx.body;
  EXPECT_EQ(xlsx.Header("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  auto xlsx_file = dir.Write("soa.xlsx", xlsx.body);
  auto sheet = RunCommand("unzip -p " + xlsx_file.string() + " xl/worksheets/sheet1.xml " +
                          "xl/sharedStrings.xml");
  EXPECT_EQ(sheet.exit_code, 0) << sheet.output;
  EXPECT_THAT(sheet.output, HasSubstr("Policies for information security"));
  EXPECT_THAT(sheet.output, HasSubstr("Protection of information systems during audit testing"));

  auto pdf = victor.Get(Soa() + "/export?format=pdf&version=1");
  ASSERT_EQ(pdf.status, 200u) << pdf.body;
  EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  auto pdf_file = dir.Write("soa.pdf", pdf.body);
  auto text = RunCommand("pdftotext " + pdf_file.string() + " -");
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_THAT(text.output, HasSubstr("Acme Ltd"));
  EXPECT_THAT(text.output, HasSubstr("A.8.34"));
  EXPECT_THAT(text.output, HasSubstr("alice@example.com"));  // approved by

  auto oscal = victor.Get(Soa() + "/export?format=oscal");
  ASSERT_EQ(oscal.status, 200u) << oscal.body;
  EXPECT_EQ(oscal.Header("content-disposition"),
            "attachment; filename=\"soa-acme-ltd-vcurrent.oscal.json\"");
  auto document = oscal.Json();
  ASSERT_TRUE(document.is_object()) << oscal.body;
  EXPECT_TRUE(document.as_object().contains("component-definition"));
  fs::path schema = fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "shared" / "oscal" /
                    "oscal_complete_schema-1.1.3.json";
  if (fs::exists(schema)) {
    auto script = dir.Write("validate.py", R"(import json, sys
try:
    import jsonschema
except ImportError:
    print("python3 has no jsonschema module")
    sys.exit(3)
text = open(sys.argv[1], encoding="utf-8").read()
# Python's re lacks \p{..}: the OSCAL token pattern gets the equivalent classes.
text = text.replace("\\\\p{L}", "[^\\\\W\\\\d_]").replace("\\\\p{N}", "\\\\d")
errors = list(jsonschema.Draft7Validator(json.loads(text)).iter_errors(
    json.load(open(sys.argv[2], encoding="utf-8"))))
for error in errors:
    print("/".join(str(p) for p in error.absolute_path), error.message[:300])
sys.exit(1 if errors else 0)
)");
    auto file = dir.Write("soa.oscal.json", oscal.body);
    auto valid =
        RunCommand("python3 " + script.string() + " " + schema.string() + " " + file.string());
    if (valid.exit_code != 3) {
      EXPECT_EQ(valid.exit_code, 0) << valid.output;
    }
  }

  auto bad = victor.Get(Soa() + "/export?format=docx&version=zero");
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("format", "version"));
  EXPECT_EQ(victor.Get(Soa() + "/export?format=csv&version=5").status, 404u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Soa() + "/export?format=csv").status, 404u);
}

TEST_P(SoaApi, CoverageOfTheBuiltInFramework) {
  auto alice = server_->SignedIn("alice@example.com");
  Change(alice, "A.5.1",
         {{"applicable", true},
          {"justification", "Policies are mandatory."},
          {"implementation_status", "implemented"}});
  Change(alice, "A.5.2",
         {{"applicable", true},
          {"justification", "Roles are needed."},
          {"implementation_status", "planned"}});
  Change(alice, "A.7.4", {{"applicable", false}, {"justification", "No premises to monitor."}});
  auto reply = alice.Get(Org() + "/coverage?framework_id=iso27001-2022");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto coverage = reply.Json();
  EXPECT_EQ(coverage.at("framework_id"), "iso27001-2022");
  EXPECT_EQ(coverage.at("total"), 93);
  EXPECT_EQ(coverage.at("covered"), 1);
  EXPECT_EQ(coverage.at("not_covered"), 1);
  EXPECT_EQ(coverage.at("partial"), 91);
  EXPECT_DOUBLE_EQ(coverage.at("percent").to_number<double>(), 1.1);
  EXPECT_EQ(coverage.at("items").at(0),
            (boost::json::object{{"ref_id", "A.5.1"},
                                 {"title", "Policies for information security"},
                                 {"status", "covered"},
                                 {"controls", boost::json::array{boost::json::object{
                                                  {"ref_id", "A.5.1"},
                                                  {"implementation_status", "implemented"},
                                                  {"applicable", true}}}}}));
  EXPECT_EQ(coverage.at("items").at(1).at("status"), "partial");

  auto missing = alice.Get(Org() + "/coverage");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_EQ(alice.Get(Org() + "/coverage?framework_id=no-such").status, 404u);
}

TEST_P(SoaApi, CoverageOfAnImportedFrameworkFollowsMappings) {
  auto alice = server_->SignedIn("alice@example.com");
  boost::json::object catalog{
      {"catalog",
       {{"uuid", "6f1d3f0e-5a3b-4c57-9b7a-0c8b7f9a1c01"},
        {"metadata",
         {{"title", "Tiny Catalog"},
          {"last-modified", "2026-01-01T00:00:00Z"},
          {"version", "1.0"},
          {"oscal-version", "1.1.3"}}},
        {"groups",
         boost::json::array{boost::json::object{
             {"id", "tc"},
             {"title", "Tiny controls"},
             {"controls",
              boost::json::array{boost::json::object{{"id", "tc-1"}, {"title", "Have a policy"}},
                                 boost::json::object{{"id", "tc-2"}, {"title", "Assign roles"}},
                                 boost::json::object{{"id", "tc-3"}, {"title", "Guard doors"}},
                                 boost::json::object{{"id", "tc-4"}, {"title", "Unmapped"}}}}}}}}}};
  auto imported = alice.Post("/api/v1/frameworks/import?key=tiny", Json(catalog),
                             {{"Content-Type", "application/json"}});
  ASSERT_EQ(imported.status, 201u) << imported.body;
  std::string framework = std::string(imported.Json().at("id").as_string());
  auto mapped = alice.Post("/api/v1/frameworks/mappings",
                           "source_framework,source_ref,target_framework,target_ref,relationship\n"
                           "iso27001-2022,A.5.1,tiny,tc-1,equivalent\n"
                           "tiny,tc-2,iso27001-2022,A.5.2,intersects\n"
                           "iso27001-2022,A.7.4,tiny,tc-3,related\n",
                           {{"Content-Type", "text/csv"}});
  ASSERT_EQ(mapped.status, 201u) << mapped.body;

  Change(alice, "A.5.1",
         {{"applicable", true},
          {"justification", "Policies are mandatory."},
          {"implementation_status", "implemented"}});
  Change(alice, "A.7.4", {{"applicable", false}, {"justification", "No premises to monitor."}});
  auto reply = alice.Get(Org() + "/coverage?framework_id=" + framework);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto coverage = reply.Json();
  EXPECT_EQ(coverage.at("total"), 4);
  EXPECT_EQ(coverage.at("covered"), 1);
  EXPECT_EQ(coverage.at("partial"), 1);
  EXPECT_EQ(coverage.at("not_covered"), 2);
  EXPECT_DOUBLE_EQ(coverage.at("percent").to_number<double>(), 25.0);
  std::vector<std::string> statuses;
  for (const auto& item : coverage.at("items").as_array()) {
    statuses.emplace_back(item.at("status").as_string());
  }
  EXPECT_THAT(statuses, ElementsAre("covered", "partial", "not_covered", "not_covered"));
  EXPECT_EQ(coverage.at("items").at(1).at("controls").at(0).at("ref_id"), "A.5.2");
  EXPECT_EQ(coverage.at("items").at(2).at("controls").at(0).at("applicable"), false);

  // The SoA rows name the mapped requirements of the other framework.
  auto row = *Row(alice.Get(Soa()).Json().at("rows"), "A.5.1");
  EXPECT_EQ(row.at("requirements").as_array().size(), 2u);
  EXPECT_EQ(row.at("requirements").at(1),
            (boost::json::object{
                {"framework_id", framework}, {"ref_id", "tc-1"}, {"title", "Have a policy"}}));
}

INSTANTIATE_TEST_SUITE_P(Engines, SoaApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
