// HTTP scenarios for framework catalogs: the built-in ISO/IEC 27001:2022, OSCAL catalog
// imports (the NIST SP 800-53 baselines in ../shared/oscal) and requirement mappings.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>

#include "modules/controls/catalog.hpp"
#include "modules/controls/framework_service.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

const std::string kFrameworks = "/api/v1/frameworks";
const std::string kIso = "/api/v1/frameworks/iso27001-2022";
constexpr const char* kModerate =
    "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json";
constexpr const char* kLow = "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json";

/// The project's source directory, from this file's path (the build passes absolute paths).
fs::path SourceDir() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }
fs::path SharedOscal(const std::string& name) {
  return SourceDir() / ".." / "shared" / "oscal" / name;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Groups, controls and enhancements of an OSCAL catalog, counted straight from its JSON.
struct Counts {
  std::int64_t groups = 0, controls = 0, enhancements = 0;
};
void CountInto(const boost::json::object& node, bool in_control, Counts& counts) {
  if (const auto* groups = node.if_contains("groups")) {
    for (const auto& group : groups->as_array()) {
      ++counts.groups;
      CountInto(group.as_object(), false, counts);
    }
  }
  if (const auto* controls = node.if_contains("controls")) {
    for (const auto& control : controls->as_array()) {
      ++(in_control ? counts.enhancements : counts.controls);
      CountInto(control.as_object(), true, counts);
    }
  }
}
Counts CountCatalog(const std::string& text) {
  Counts counts;
  CountInto(boost::json::parse(text).at("catalog").as_object(), false, counts);
  return counts;
}

class FrameworksApi : public ApiTest {
 protected:
  /// Every item of a paged listing, following next_cursor.
  static std::vector<boost::json::value> All(HttpClient& client, const std::string& url) {
    std::vector<boost::json::value> items;
    std::string next = url + (url.find('?') == std::string::npos ? "?" : "&") + "limit=100";
    for (int pages = 0; pages < 100; ++pages) {
      auto reply = client.Get(next);
      EXPECT_EQ(reply.status, 200u) << reply.body;
      if (reply.status != 200) break;
      auto json = reply.Json();
      for (const auto& item : json.at("items").as_array()) items.push_back(item);
      if (json.at("next_cursor").is_null()) break;
      next = url + (url.find('?') == std::string::npos ? "?" : "&") +
             "limit=100&cursor=" + std::string(json.at("next_cursor").as_string());
    }
    return items;
  }

  static std::vector<std::string> Refs(const std::vector<boost::json::value>& items) {
    std::vector<std::string> refs;
    refs.reserve(items.size());
    for (const auto& item : items) refs.emplace_back(item.at("ref_id").as_string());
    return refs;
  }

  /// The OSCAL file's text, or empty (the caller skips) when ../shared is absent.
  static std::string Oscal(const std::string& name) {
    auto path = SharedOscal(name);
    return fs::exists(path) ? ReadText(path) : std::string();
  }

  std::int64_t MappingCount(HttpClient& client, const std::string& framework) {
    auto reply = client.Get(kFrameworks + "/" + framework + "/mappings");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return static_cast<std::int64_t>(reply.Json().at("items").as_array().size());
  }
};

#define SKIP_WITHOUT_SHARED(text)                                                        \
  if ((text).empty()) {                                                                  \
    GTEST_SKIP() << "../shared/oscal is absent (only the project is checked out); this " \
                    "scenario imports the NIST catalogs from there";                     \
  }

TEST_P(FrameworksApi, TheBuiltInIso27001IsListedWithItsRows) {
  auto victor = server_->SignedIn("victor@example.com");
  auto listed = victor.Get(kFrameworks);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  auto json = listed.Json();
  EXPECT_TRUE(json.at("next_cursor").is_null());
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const auto& iso = items[0];
  EXPECT_EQ(iso.at("id"), "iso27001-2022");
  EXPECT_EQ(iso.at("key"), "iso27001-2022");
  EXPECT_EQ(iso.at("source"), "builtin");
  EXPECT_TRUE(iso.at("oscal_uuid").is_null());
  EXPECT_EQ(iso.at("title"), "ISO/IEC 27001:2022");
  // 7 clauses, 34 requirements, 4 Annex A themes, 93 controls.
  EXPECT_EQ(iso.at("requirement_count"), 138);
  EXPECT_EQ(iso.at("requirement_count"),
            static_cast<std::int64_t>(controls::Iso27001Catalog().size()));

  auto fetched = victor.Get(kIso);
  ASSERT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.Json(), iso);
  EXPECT_EQ(victor.Get(kFrameworks + "/nope").status, 404u);
  EXPECT_EQ(victor.Get(kFrameworks + "/nope/requirements").status, 404u);
}

TEST_P(FrameworksApi, BuiltinsInstallOnceWhenProcessesRace) {
  // Two services over one database stand for two `certus serve` processes starting at once.
  SeededRandom random_a(1), random_b(2);
  auto& app = server_->app();
  controls::FrameworkService a(server_->db(), server_->clock(), random_a, app.audit_log(),
                               app.identity());
  controls::FrameworkService b(server_->db(), server_->clock(), random_b, app.audit_log(),
                               app.identity());
  std::thread other([&b] {
    auto installed = b.EnsureBuiltins();
    EXPECT_TRUE(installed) << installed.error().message() << " " << installed.error().log_detail();
  });
  auto installed = a.EnsureBuiltins();
  EXPECT_TRUE(installed) << installed.error().message() << " " << installed.error().log_detail();
  other.join();
  ASSERT_TRUE(a.EnsureBuiltins());

  auto alice = server_->SignedIn("alice@example.com");
  auto items = alice.Get(kFrameworks).Json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("requirement_count"), 138);
  EXPECT_EQ(All(alice, kIso + "/requirements").size(), 138u);
}

TEST_P(FrameworksApi, SigningInIsRequired) {
  auto anonymous = server_->Client();
  EXPECT_EQ(anonymous.Get(kFrameworks).status, 401u);
  EXPECT_EQ(anonymous.Get(kIso + "/requirements").status, 401u);
  EXPECT_EQ(anonymous.Post(kFrameworks + "/import", R"({"catalog": {}})").status, 401u);
  EXPECT_EQ(anonymous.Post(kFrameworks + "/mappings", "a,b").status, 401u);
}

TEST_P(FrameworksApi, RequirementsPageInCatalogOrder) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto all = All(audrey, kIso + "/requirements");
  std::vector<std::string> expected;
  for (const auto& row : controls::Iso27001Catalog()) expected.push_back(row.ref_id);
  EXPECT_EQ(Refs(all), expected);

  auto first = audrey.Get(kIso + "/requirements?limit=2").Json();
  EXPECT_THAT(Refs({first.at("items").as_array().begin(), first.at("items").as_array().end()}),
              ElementsAre("4", "4.1"));
  EXPECT_FALSE(first.at("next_cursor").is_null());

  auto controls = All(audrey, kIso + "/requirements?kind=control");
  EXPECT_EQ(controls.size(), 93u);
  const auto& a51 = controls.front();
  EXPECT_EQ(a51.at("ref_id"), "A.5.1");
  EXPECT_EQ(a51.at("framework_id"), "iso27001-2022");
  EXPECT_EQ(a51.at("kind"), "control");
  EXPECT_EQ(a51.at("title"), "Policies for information security");
  EXPECT_EQ(a51.at("parent_ref"), "A.5");
  EXPECT_EQ(a51.at("theme"), "Organizational controls");
  EXPECT_EQ(a51.at("withdrawn"), false);
  EXPECT_TRUE(a51.at("params").is_null());
  EXPECT_TRUE(a51.at("parts").is_null());
  EXPECT_THAT(a51.at("attributes").at("control_type").as_array(), Contains("#Preventive"));
  EXPECT_TRUE(a51.at("attributes").at("security_domains").is_array());

  // Natural order, not text order: A.5.2 comes before A.5.10.
  auto people = Refs(All(audrey, kIso + "/requirements?parent=A.6"));
  EXPECT_THAT(people,
              ElementsAre("A.6.1", "A.6.2", "A.6.3", "A.6.4", "A.6.5", "A.6.6", "A.6.7", "A.6.8"));
  auto organizational = Refs(All(audrey, kIso + "/requirements?parent=A.5"));
  ASSERT_EQ(organizational.size(), 37u);
  EXPECT_EQ(organizational[1], "A.5.2");
  EXPECT_EQ(organizational[9], "A.5.10");

  EXPECT_THAT(Refs(All(audrey, kIso + "/requirements?q=CLOUD%20services")), ElementsAre("A.5.23"));
  EXPECT_THAT(Refs(All(audrey, kIso + "/requirements?kind=theme")),
              ElementsAre("A.5", "A.6", "A.7", "A.8"));
  EXPECT_EQ(All(audrey, kIso + "/requirements?kind=clause").size(), 7u);

  auto bad = audrey.Get(kIso + "/requirements?kind=policy&limit=0");
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ::testing::UnorderedElementsAre("kind", "limit"));
  EXPECT_EQ(audrey.Get(kIso + "/requirements?cursor=garbage").status, 422u);
}

TEST_P(FrameworksApi, ImportsTheBasicOscalCatalog) {
  auto text = Oscal("basic-catalog.json");
  SKIP_WITHOUT_SHARED(text);
  auto maria = server_->SignedIn("maria@example.com");
  auto reply = maria.Post(kFrameworks + "/import", text);
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto framework = reply.Json();
  EXPECT_EQ(framework.at("source"), "oscal");
  EXPECT_EQ(framework.at("oscal_uuid"), "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724");
  EXPECT_EQ(framework.at("version"), "1.1");
  EXPECT_EQ(framework.at("key"), "sample-security-catalog-for-demonstration-and-testing");
  EXPECT_EQ(framework.at("requirement_count"), 8);
  EXPECT_EQ(framework.at("imported"),
            boost::json::parse(R"({"groups": 4, "controls": 4, "enhancements": 0})"));
  const std::string id(framework.at("id").as_string());
  EXPECT_EQ(reply.Header("location"), kFrameworks + "/" + id);

  auto listed = maria.Get(kFrameworks).Json().at("items").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].at("id").as_string(), id);
  // The key names it as well as the id.
  EXPECT_EQ(
      maria.Get(kFrameworks + "/" + id).Json(),
      maria.Get(kFrameworks + "/sample-security-catalog-for-demonstration-and-testing").Json());

  auto rows = All(maria, kFrameworks + "/" + id + "/requirements");
  EXPECT_THAT(Refs(rows),
              ElementsAre("s1", "s1.1", "s1.1.1", "s1.1.2", "s2", "s2.1", "s2.1.1", "s2.1.2"));
  EXPECT_EQ(rows[2].at("kind"), "control");
  EXPECT_EQ(rows[2].at("parent_ref"), "s1.1");
  EXPECT_EQ(rows[2].at("theme"), "Organization of Information Security");
  EXPECT_EQ(rows[1].at("kind"), "group");
  EXPECT_TRUE(rows[0].at("parent_ref").is_null());

  // The import is an installation event, with who did it.
  auto tx = server_->db().Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx);
  auto events = server_->app().audit_log().History(**tx, "installation", "framework", id);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action, "import");
  EXPECT_EQ((*events)[0].actor_label, "maria@example.com");
}

TEST_P(FrameworksApi, ImportsTheNistBaselinesCompletely) {
  auto low = Oscal(kLow);
  auto moderate = Oscal(kModerate);
  SKIP_WITHOUT_SHARED(moderate);
  auto alice = server_->SignedIn("alice@example.com");

  const auto started = std::chrono::steady_clock::now();
  auto reply = alice.Post(kFrameworks + "/import?key=nist-800-53r5", moderate);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  ASSERT_EQ(reply.status, 201u) << reply.body.substr(0, 2000);
  std::cout << "[ MEASURED ] MODERATE import over HTTP (parse + write): " << elapsed.count()
            << " ms\n";
  // Generous for sanitizer builds; an unbatched import takes many times longer.
  EXPECT_LT(elapsed.count(), 15000);

  const Counts expected = CountCatalog(moderate);
  auto framework = reply.Json();
  EXPECT_EQ(framework.at("key"), "nist-800-53r5");
  EXPECT_EQ(framework.at("oscal_uuid"), "4b12cf47-447b-47bb-8653-0a9cf544b744");
  EXPECT_EQ(framework.at("imported").at("groups"), expected.groups);
  EXPECT_EQ(framework.at("imported").at("controls"), expected.controls);
  EXPECT_EQ(framework.at("imported").at("enhancements"), expected.enhancements);
  EXPECT_EQ(framework.at("requirement_count"),
            expected.groups + expected.controls + expected.enhancements);

  const std::string base = kFrameworks + "/nist-800-53r5/requirements";
  EXPECT_EQ(static_cast<std::int64_t>(All(alice, base + "?kind=group").size()), expected.groups);
  EXPECT_EQ(static_cast<std::int64_t>(All(alice, base + "?kind=control").size()),
            expected.controls);
  auto all = All(alice, base);
  EXPECT_EQ(static_cast<std::int64_t>(all.size()),
            expected.groups + expected.controls + expected.enhancements);
  const auto refs = Refs(all);
  std::set<std::string> unique(refs.begin(), refs.end());
  EXPECT_EQ(unique.size(), all.size());

  auto children = All(alice, base + "?parent=ac-2");
  ASSERT_FALSE(children.empty());
  const auto& ac21 = children.front();
  EXPECT_EQ(ac21.at("ref_id"), "ac-2.1");
  EXPECT_EQ(ac21.at("kind"), "enhancement");
  EXPECT_EQ(ac21.at("parent_ref"), "ac-2");
  EXPECT_EQ(ac21.at("label"), "AC-2(1)");
  EXPECT_EQ(ac21.at("theme"), "Access Control");
  ASSERT_TRUE(ac21.at("params").is_array());
  EXPECT_EQ(ac21.at("params").as_array()[0].at("id"), "ac-02.01_odp");
  ASSERT_TRUE(ac21.at("parts").is_array());
  EXPECT_FALSE(ac21.at("parts").as_array().empty());
  EXPECT_THAT(std::string(ac21.at("text").as_string()), HasSubstr("ac-02.01_odp"));

  // The same catalog again is a conflict; so is another catalog under a taken key.
  auto again = alice.Post(kFrameworks + "/import?key=other-key", moderate);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_THAT(again.body, HasSubstr("nist-800-53r5"));
  SKIP_WITHOUT_SHARED(low);
  auto taken = alice.Post(kFrameworks + "/import?key=nist-800-53r5", low);
  EXPECT_EQ(taken.status, 409u) << taken.body;

  auto low_reply = alice.Post(kFrameworks + "/import?key=nist-800-53r5-low", low);
  ASSERT_EQ(low_reply.status, 201u) << low_reply.body.substr(0, 2000);
  const Counts low_expected = CountCatalog(low);
  EXPECT_EQ(low_reply.Json().at("imported").at("controls"), low_expected.controls);
  EXPECT_EQ(low_reply.Json().at("imported").at("enhancements"), low_expected.enhancements);
  EXPECT_EQ(low_reply.Json().at("imported").at("groups"), low_expected.groups);
  EXPECT_EQ(alice.Get(kFrameworks).Json().at("items").as_array().size(), 3u);
}

TEST_P(FrameworksApi, RefusesWhatIsNotACatalog) {
  auto alice = server_->SignedIn("alice@example.com");
  auto not_json = alice.Post(kFrameworks + "/import", "{\"catalog\": ");
  EXPECT_EQ(not_json.status, 400u) << not_json.body;

  auto profile = Oscal("NIST_SP-800-53_rev5_MODERATE-baseline_profile.json");
  SKIP_WITHOUT_SHARED(profile);
  auto refused = alice.Post(kFrameworks + "/import", profile);
  EXPECT_EQ(refused.status, 422u) << refused.body;
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
  EXPECT_THAT(refused.body, HasSubstr("profile"));

  auto bad_key =
      alice.Post(kFrameworks + "/import?key=Not%20A%20Slug", Oscal("basic-catalog.json"));
  EXPECT_EQ(bad_key.status, 422u);
  EXPECT_THAT(ErrorFields(bad_key), ElementsAre("key"));
  EXPECT_EQ(alice.Get(kFrameworks).Json().at("items").as_array().size(), 1u);
}

TEST_P(FrameworksApi, OnlyAdminsAndManagersImport) {
  auto text = Oscal("basic-catalog.json");
  SKIP_WITHOUT_SHARED(text);
  for (const char* email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Post(kFrameworks + "/import", text).status, 403u) << email;
    EXPECT_EQ(client
                  .Post(kFrameworks + "/mappings",
                        "source_framework,source_ref,target_framework,target_ref,relationship\n")
                  .status,
              403u)
        << email;
  }
  // An API token acts with no more than its role, whoever issued it.
  auto alice = server_->SignedIn("alice@example.com");
  auto token = alice.Post("/api/v1/api-tokens",
                          Json({{"name", "reader"}, {"org_id", org_}, {"role", "viewer"}}));
  ASSERT_EQ(token.status, 201u) << token.body;
  auto bot = server_->Client();
  bot.UseBearer(std::string(token.Json().at("token").as_string()));
  EXPECT_EQ(bot.Post(kFrameworks + "/import", text).status, 403u);
  EXPECT_EQ(bot.Get(kFrameworks).status, 200u);
  EXPECT_EQ(alice.Get(kFrameworks).Json().at("items").as_array().size(), 1u);

  // Mallory administers another organization: that is enough for installation-wide data.
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Post(kFrameworks + "/import", text).status, 201u);
}

TEST_P(FrameworksApi, MappingsImportAllOrNothing) {
  auto text = Oscal("basic-catalog.json");
  SKIP_WITHOUT_SHARED(text);
  auto maria = server_->SignedIn("maria@example.com");
  ASSERT_EQ(maria.Post(kFrameworks + "/import?key=basic", text).status, 201u);
  const std::string header =
      "source_framework,source_ref,target_framework,target_ref,relationship\n";

  auto bad =
      maria.Post(kFrameworks + "/mappings", header +
                                                "iso27001-2022,A.5.2,basic,s1.1.1,equivalent\n"
                                                "iso27001-2022,A.5.99,basic,s1.1.2,related\n"
                                                "iso27001-2022,A.5.3,nowhere,s1.1.2,related\n"
                                                "basic,s2.1.1,basic,s2.1.2,related\n");
  ASSERT_EQ(bad.status, 422u) << bad.body;
  EXPECT_THAT(ErrorFields(bad), ElementsAre("line 3", "line 4", "line 5"));
  EXPECT_THAT(bad.body, HasSubstr("A.5.99"));
  EXPECT_THAT(bad.body, HasSubstr("nowhere"));
  EXPECT_EQ(MappingCount(maria, "iso27001-2022"), 0);

  auto malformed = maria.Post(kFrameworks + "/mappings", header + "iso27001-2022,A.5.2,basic\n");
  EXPECT_EQ(malformed.status, 422u) << malformed.body;
  EXPECT_EQ(maria.Post(kFrameworks + "/mappings", header).status, 422u);

  auto good =
      maria.Post(kFrameworks + "/mappings", header +
                                                "iso27001-2022,A.5.2,basic,s1.1.1,equivalent\n"
                                                "iso27001-2022,A.5.3,basic,s1.1.2,subset\n"
                                                "basic,s2.1.1,iso27001-2022,A.5.15,superset\n");
  ASSERT_EQ(good.status, 201u) << good.body;
  EXPECT_EQ(good.Json(), boost::json::parse(R"({"imported": 3, "skipped": 0})"));

  // Seen from ISO, every mapping starts at an ISO requirement, in catalog order.
  auto iso = maria.Get(kIso + "/mappings").Json().at("items").as_array();
  ASSERT_EQ(iso.size(), 3u);
  EXPECT_EQ(iso[0].at("source_ref"), "A.5.2");
  EXPECT_EQ(iso[1].at("source_ref"), "A.5.3");
  EXPECT_EQ(iso[1].at("relationship"), "subset");
  EXPECT_EQ(iso[2].at("source_ref"), "A.5.15");
  EXPECT_EQ(iso[2].at("target_ref"), "s2.1.1");
  EXPECT_EQ(iso[2].at("relationship"), "subset");  // stored the other way round as superset
  const std::string basic_id(maria.Get(kFrameworks + "/basic").Json().at("id").as_string());
  EXPECT_EQ(iso[0].at("target_framework_id").as_string(), basic_id);

  auto basic = maria.Get(kFrameworks + "/basic/mappings?target=iso27001-2022").Json();
  ASSERT_EQ(basic.at("items").as_array().size(), 3u);
  EXPECT_EQ(basic.at("items").as_array()[1].at("source_ref"), "s1.1.2");
  EXPECT_EQ(basic.at("items").as_array()[1].at("relationship"), "superset");
  EXPECT_EQ(maria.Get(kFrameworks + "/basic/mappings?target=nope").status, 404u);

  // Importing again updates the relationship instead of duplicating; the target column can
  // be overridden for every row.
  auto again = maria.Post(kFrameworks + "/mappings?target_framework=basic",
                          header + "iso27001-2022,A.5.2,whatever,s1.1.1,intersects\n");
  ASSERT_EQ(again.status, 201u) << again.body;
  iso = maria.Get(kIso + "/mappings?target=basic").Json().at("items").as_array();
  ASSERT_EQ(iso.size(), 3u);
  EXPECT_EQ(iso[0].at("relationship"), "intersects");
  auto unknown = maria.Post(kFrameworks + "/mappings?target_framework=nope",
                            header + "iso27001-2022,A.5.2,basic,s1.1.1,related\n");
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_THAT(ErrorFields(unknown), ElementsAre("target_framework"));
}

/// Every control and enhancement id of an OSCAL catalog, from its JSON.
void CollectIds(const boost::json::object& node, std::set<std::string>& ids) {
  for (const char* key : {"groups", "controls"}) {
    if (const auto* children = node.if_contains(key)) {
      for (const auto& child : children->as_array()) {
        ids.emplace(child.at("id").as_string());
        CollectIds(child.as_object(), ids);
      }
    }
  }
}

// The shipped crosswalk targets the full SP 800-53 Rev. 5 catalog; ../shared holds only the
// LOW and MODERATE baselines. Imports are all or nothing, so against MODERATE every refused
// line must be one naming a control outside that baseline, and the rest must import.
TEST_P(FrameworksApi, ShippedMappingsImportAgainstModerate) {
  auto moderate = Oscal(kModerate);
  SKIP_WITHOUT_SHARED(moderate);
  const fs::path folder = SourceDir() / "catalogs" / "mappings";
  std::vector<fs::path> files;
  if (fs::exists(folder)) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".csv") && name.find("nist-800-53") != std::string::npos) {
        files.push_back(entry.path());
      }
    }
  }
  if (files.empty()) {
    GTEST_SKIP() << "catalogs/mappings/*.csv does not exist yet";
  }
  std::set<std::string> in_baseline;
  CollectIds(boost::json::parse(moderate).at("catalog").as_object(), in_baseline);
  auto alice = server_->SignedIn("alice@example.com");
  ASSERT_EQ(alice.Post(kFrameworks + "/import?key=nist-800-53r5", moderate).status, 201u);

  std::int64_t total = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const std::string text = ReadText(file);
    auto reply = alice.Post(kFrameworks + "/mappings", text);
    if (reply.status == 201) {
      total += reply.Json().at("imported").as_int64();
      continue;
    }
    ASSERT_EQ(reply.status, 422u) << reply.body.substr(0, 3000);
    EXPECT_EQ(MappingCount(alice, "nist-800-53r5"), total) << "a refused file wrote nothing";
    std::set<std::size_t> refused;
    const auto problem = reply.Json();
    for (const auto& error : problem.at("errors").as_array()) {
      const std::string field(error.at("field").as_string());
      const std::string message(error.at("message").as_string());
      const std::string suffix = "\" is not a requirement of nist-800-53r5";
      ASSERT_TRUE(field.starts_with("line ") && message.front() == '"' && message.ends_with(suffix))
          << field << ": " << message;
      const std::string ref = message.substr(1, message.size() - 1 - suffix.size());
      EXPECT_FALSE(in_baseline.contains(ref)) << ref << " is in MODERATE yet refused";
      refused.insert(std::stoul(field.substr(5)));
    }
    std::istringstream lines(text);
    std::string line, kept;
    for (std::size_t number = 1; std::getline(lines, line); ++number) {
      if (!refused.contains(number)) kept += line + "\n";
    }
    auto rest = alice.Post(kFrameworks + "/mappings", kept);
    ASSERT_EQ(rest.status, 201u) << rest.body.substr(0, 3000);
    total += rest.Json().at("imported").as_int64();

    // The same file with skip_missing: the rows beyond the baseline are skipped, the
    // others imported (again: an upsert), in one request.
    auto skipping = alice.Post(kFrameworks + "/mappings?skip_missing=true", text);
    ASSERT_EQ(skipping.status, 201u) << skipping.body.substr(0, 3000);
    EXPECT_EQ(skipping.Json().at("skipped").as_int64(), static_cast<std::int64_t>(refused.size()));
    EXPECT_EQ(MappingCount(alice, "nist-800-53r5"), total);
  }
  EXPECT_GT(total, 100);
  EXPECT_EQ(MappingCount(alice, "iso27001-2022"), total);
}

// The shipped ISO/IEC 27001:2013 Annex A catalog and its correspondence to 2022 (after
// ISO/IEC 27002:2022 Annex B): every 2013 control maps to one 2022 control, and every 2022
// control is reached except the 11 that 2022 introduced.
TEST_P(FrameworksApi, ShippedIso2013CatalogMapsOntoIso2022) {
  const std::string catalog = ReadText(SourceDir() / "catalogs" / "iso27001-2013-annex-a.json");
  const std::string mappings =
      ReadText(SourceDir() / "catalogs" / "mappings" / "iso27001-2013_iso27001-2022.csv");
  ASSERT_FALSE(catalog.empty());
  ASSERT_FALSE(mappings.empty());
  auto alice = server_->SignedIn("alice@example.com");
  auto imported = alice.Post(kFrameworks + "/import?key=iso27001-2013", catalog);
  ASSERT_EQ(imported.status, 201u) << imported.body;
  EXPECT_EQ(imported.Json().at("imported"),
            boost::json::parse(R"({"groups": 49, "controls": 114, "enhancements": 0})"));
  auto rows = All(alice, kFrameworks + "/iso27001-2013/requirements");
  ASSERT_EQ(rows.size(), 163u);
  EXPECT_EQ(rows[0].at("ref_id"), "A.5");
  EXPECT_EQ(rows[2].at("ref_id"), "A.5.1.1");
  EXPECT_EQ(rows[2].at("title"), "Policies for information security");
  EXPECT_EQ(rows[2].at("parent_ref"), "A.5.1");

  auto reply = alice.Post(kFrameworks + "/mappings", mappings);
  ASSERT_EQ(reply.status, 201u) << reply.body.substr(0, 3000);
  EXPECT_EQ(reply.Json().at("imported"), 114);

  auto listed = alice.Get(kFrameworks + "/iso27001-2022/mappings");
  ASSERT_EQ(listed.status, 200u);
  const auto listed_json = listed.Json();
  std::set<std::string> reached;
  for (const auto& item : listed_json.at("items").as_array()) {
    for (const char* side : {"source_ref", "target_ref"}) {
      const std::string ref(item.at(side).as_string());
      if (ref.starts_with("A.") && std::count(ref.begin(), ref.end(), '.') == 2) {
        reached.insert(ref);
      }
    }
  }
  std::set<std::string> unreached;
  for (const auto& row : All(alice, kIso + "/requirements")) {
    const std::string ref(row.at("ref_id").as_string());
    if (row.at("kind") == "control" && !reached.contains(ref)) unreached.insert(ref);
  }
  EXPECT_EQ(unreached,
            (std::set<std::string>{"A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10",
                                   "A.8.11", "A.8.12", "A.8.16", "A.8.23", "A.8.28"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, FrameworksApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
