// The certification pack (issue 7 item 5): a ZIP of the mandatory documented information a
// stage 1 auditor asks for, as of a day, with a SHA-256 manifest; who may take it out, and
// the audit event that says who did.
#include <algorithm>
#include <map>
#include <sstream>
#include <string>

#include <gmock/gmock.h>

#include "core/encoding.hpp"
#include "reports/zip.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::HasSubstr;

class CertificationPackApi : public ApiTest {
 protected:
  std::string Base() const { return "/api/v1/orgs/" + org_; }
  std::string Pack() const { return Base() + "/certification-pack"; }

  static std::string Id(const boost::json::value& o) { return std::string(o.at("id").as_string()); }
  static std::vector<std::pair<std::string, std::string>> IfMatch(const boost::json::value& o) {
    return {{"If-Match", "\"" + std::to_string(o.at("version").as_int64()) + "\""}};
  }

  boost::json::value Created(const Reply& reply) {
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
  boost::json::value Ok(const Reply& reply) {
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json();
  }

  /// A small ISMS, all on the fake clock's first day (2026-03-02): a top manager, an SoA
  /// decision and an approved SoA version, a risk, a published procedure, a reported audit,
  /// a held management review and a nonconformity.
  void SeedIsms() {
    auto alice = server_->SignedIn("alice@example.com");
    auto maria = server_->SignedIn("maria@example.com");
    auto audrey = server_->SignedIn("audrey@example.com");
    Created(
        alice.Post(Base() + "/roles",
                   Json({{"name", "Board"},
                         {"top_management", true},
                         {"assignee_ids", boost::json::array{boost::json::value(alice_id_)}}})));

    // 6.1.3 d: one decision, then an approved version.
    auto controls = alice.Get(Base() + "/controls?limit=500").Json();
    boost::json::value control;
    for (const auto& item : controls.at("items").as_array()) {
      if (item.at("ref_id") == "A.5.1") control = item;
    }
    ASSERT_FALSE(control.is_null());
    Ok(alice.Patch(Base() + "/controls/" + Id(control),
                   Json({{"applicable", true}, {"justification", "Policies are required"}}),
                   IfMatch(control)));
    Created(maria.Post(Base() + "/soa/versions", Json({{"notes", "First SoA"}})));

    Created(alice.Post(Base() + "/risks", Json({{"title", "Log tampering"},
                                                {"owner_id", alice_id_},
                                                {"likelihood", 3},
                                                {"impact", 3}})));

    // 7.5: written by maria, approved and published by alice.
    auto doc = Created(
        alice.Post(Base() + "/documents", Json({{"type", "procedure"}, {"title", "Backup"}})));
    const std::string doc_url = Base() + "/documents/" + Id(doc);
    Created(maria.Post(
        doc_url + "/versions",
        Json({{"content", "# Backup\n\nDaily, tested monthly."}, {"change_summary", "first"}})));
    Ok(maria.Post(doc_url + "/versions/1/submit", "{}"));
    Ok(alice.Post(doc_url + "/versions/1/approve", Json({{"comment", "fine"}})));
    Ok(alice.Post(doc_url + "/versions/1/publish", "{}"));

    // 9.2: an audit of clause 10, every checklist item answered, reported.
    auto audit = Created(
        audrey.Post(Base() + "/audits", Json({{"title", "Improvement"}, {"clause_refs", {"10"}}})));
    const std::string audit_url = Base() + "/audits/" + Id(audit);
    Ok(audrey.Post(audit_url + "/start", ""));
    auto items = Ok(audrey.Post(audit_url + "/checklist", "")).at("items").as_array();
    for (const auto& item : items) {
      Ok(audrey.Patch(audit_url + "/checklist/" + Id(item), Json({{"result", "conforming"}}),
                      IfMatch(item)));
    }
    Ok(audrey.Send(
        "PUT", audit_url + "/report",
        Json({{"summary", "Works."}, {"conclusion", "Conforms."}, {"distribution", {alice_id_}}}),
        {}));
    Ok(audrey.Post(audit_url + "/report", ""));

    // 9.3: a review with top management, held.
    auto review = Created(
        alice.Post(Base() + "/management-reviews",
                   Json({{"title", "Annual review"},
                         {"planned_on", "2026-03-02"},
                         {"attendee_ids", boost::json::array{boost::json::value(alice_id_)}}})));
    Ok(alice.Post(Base() + "/management-reviews/" + Id(review) + "/hold", ""));

    Created(alice.Post(Base() + "/nonconformities", Json({{"title", "Backups not tested"},
                                                          {"source", "internal_audit"},
                                                          {"severity", "minor"}})));
  }

  static std::map<std::string, reports::ZipEntry> Unzip(const std::string& body) {
    auto entries = reports::ReadZip(body);
    EXPECT_TRUE(entries) << (entries ? "" : entries.error().message());
    std::map<std::string, reports::ZipEntry> by_path;
    if (!entries) return by_path;
    for (auto& e : *entries) by_path[e.path] = std::move(e);
    return by_path;
  }
};

TEST_P(CertificationPackApi, HoldsEveryMandatoryRecordWithAManifestThatChecks) {
  SeedIsms();
  auto audrey = server_->SignedIn("audrey@example.com");
  auto reply = audrey.Get(Pack());
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Header("content-type"), "application/zip");
  EXPECT_EQ(reply.Header("content-disposition"),
            "attachment; filename=\"certification-pack-acme-ltd-2026-03-02.zip\"");

  auto files = Unzip(reply.body);
  std::vector<std::string> paths;
  paths.reserve(files.size());
  for (const auto& [path, entry] : files) paths.push_back(path);
  EXPECT_THAT(paths,
              ::testing::ElementsAre(
                  "00-overview.pdf", "01-statement-of-applicability.xlsx", "02-risk-register.xlsx",
                  "03-risk-treatment-plan.xlsx", "04-nonconformity-log.xlsx",
                  "audits/AUD-0001-report.pdf", ::testing::StartsWith("documents/"),
                  "management-reviews/MR-0001-minutes.pdf", "manifest.json", "manifest.sha256"));
  EXPECT_THAT(paths[6], ::testing::MatchesRegex("documents/[A-Z]+-[0-9]+-backup-v1\\.pdf"));

  for (const auto& [path, entry] : files) {
    EXPECT_EQ(entry.modified,
              (std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{3},
                                           std::chrono::day{2}}))
        << path;
    if (path.ends_with(".pdf")) EXPECT_EQ(entry.data.substr(0, 5), "%PDF-") << path;
    if (path.ends_with(".xlsx")) {
      auto sheet = reports::ReadZip(entry.data);
      ASSERT_TRUE(sheet) << path;
      EXPECT_TRUE(std::any_of(sheet->begin(), sheet->end(), [](const auto& e) {
        return e.path == "xl/workbook.xml";
      })) << path;
    }
  }

  // sha256sum format: "<hex>  <path>" for every file but the manifest itself.
  const auto& sums = files.at("manifest.sha256").data;
  EXPECT_EQ(reply.Header("x-certus-manifest-sha256"), Sha256Hex(sums));
  std::istringstream lines(sums);
  std::string line;
  std::size_t checked = 0;
  while (std::getline(lines, line)) {
    ASSERT_GT(line.size(), 66u) << line;
    const std::string hex = line.substr(0, 64);
    EXPECT_EQ(line.substr(64, 2), "  ");
    const std::string path = line.substr(66);
    ASSERT_TRUE(files.contains(path)) << path;
    EXPECT_EQ(Sha256Hex(files.at(path).data), hex) << path;
    ++checked;
  }
  EXPECT_EQ(checked, files.size() - 1);

  auto manifest = boost::json::parse(files.at("manifest.json").data);
  EXPECT_EQ(manifest.at("as_of"), "2026-03-02");
  EXPECT_EQ(manifest.at("soa"), "approved version 1");
  const auto& listed = manifest.at("files").as_array();
  EXPECT_EQ(listed.size(), files.size() - 2);
  for (const auto& f : listed) {
    const std::string path(f.at("path").as_string());
    ASSERT_TRUE(files.contains(path)) << path;
    EXPECT_EQ(f.at("size").as_int64(), static_cast<std::int64_t>(files.at(path).data.size()));
    EXPECT_EQ(f.at("sha256"), Sha256Hex(files.at(path).data).c_str());
    EXPECT_FALSE(f.at("description").as_string().empty());
  }

  // The log says who took the pack out, of which day, and what its manifest was.
  auto alice = server_->SignedIn("alice@example.com");
  auto log = alice.Get(Base() + "/audit-log").Json();
  bool found = false;
  for (const auto& event : log.at("items").as_array()) {
    if (event.at("object_type") != "certification_pack") continue;
    found = true;
    EXPECT_EQ(event.at("action"), "exported");
    EXPECT_EQ(event.at("actor_email"), "audrey@example.com");
    EXPECT_EQ(event.at("after").at("as_of"), "2026-03-02");
    EXPECT_EQ(event.at("after").at("manifest_sha256"), Sha256Hex(sums).c_str());
    EXPECT_EQ(event.at("after").at("sha256"), Sha256Hex(reply.body).c_str());
  }
  EXPECT_TRUE(found);
}

TEST_P(CertificationPackApi, AnEarlierDayHoldsWhatExistedThenAndADraftSoa) {
  SeedIsms();
  server_->clock().Advance(std::chrono::hours(24 * 2));
  auto maria = server_->SignedIn("maria@example.com");
  auto before = maria.Get(Pack() + "?as_of=2026-03-01");
  ASSERT_EQ(before.status, 200u) << before.body;
  EXPECT_THAT(before.Header("content-disposition"), HasSubstr("-2026-03-01.zip"));
  auto files = Unzip(before.body);
  std::vector<std::string> paths;
  paths.reserve(files.size());
  for (const auto& [path, entry] : files) paths.push_back(path);
  // Nothing was published, reported or held by then; the SoA had no approved version.
  EXPECT_THAT(paths, ::testing::ElementsAre("00-overview.pdf", "01-statement-of-applicability.xlsx",
                                            "02-risk-register.xlsx", "03-risk-treatment-plan.xlsx",
                                            "04-nonconformity-log.xlsx", "manifest.json",
                                            "manifest.sha256"));
  auto manifest = boost::json::parse(files.at("manifest.json").data);
  EXPECT_THAT(std::string(manifest.at("soa").as_string()), HasSubstr("DRAFT"));
  // The workbook itself says so: its sheet is named after the draft.
  auto workbook = reports::ReadZip(files.at("01-statement-of-applicability.xlsx").data);
  ASSERT_TRUE(workbook);
  bool named = false;
  for (const auto& part : *workbook) {
    if (part.path == "xl/workbook.xml") {
      named = part.data.find("SoA DRAFT - not approved") != std::string::npos;
    }
  }
  EXPECT_TRUE(named);
  EXPECT_EQ(manifest.at("as_of"), "2026-03-01");

  auto later = maria.Get(Pack() + "?as_of=2026-03-03");
  ASSERT_EQ(later.status, 200u) << later.body;
  EXPECT_EQ(Unzip(later.body).size(), 10u);
}

TEST_P(CertificationPackApi, AuditorsManagersAndAdminsTakeItOutOthersDoNot) {
  for (const char* email : {"alice@example.com", "maria@example.com", "audrey@example.com"}) {
    EXPECT_EQ(server_->SignedIn(email).Get(Pack()).status, 200u) << email;
  }
  for (const char* email : {"victor@example.com", "carl@example.com"}) {
    auto reply = server_->SignedIn(email).Get(Pack());
    EXPECT_EQ(reply.status, 403u) << email;
    EXPECT_EQ(reply.Header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(Pack()).status, 404u);
  EXPECT_EQ(server_->Client().Get(Pack()).status, 401u);

  auto alice = server_->SignedIn("alice@example.com");
  auto bad = alice.Get(Pack() + "?as_of=2026-02-30");
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ::testing::ElementsAre("as_of"));
  auto future = alice.Get(Pack() + "?as_of=2026-03-03");
  EXPECT_EQ(future.status, 422u);
  EXPECT_THAT(ErrorFields(future), ::testing::ElementsAre("as_of"));
}

INSTANTIATE_TEST_SUITE_P(Engines, CertificationPackApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
