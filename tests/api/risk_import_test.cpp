// HTTP scenarios for the CSV import of the risk register (ISO 27001 6.1.2): dry runs, creates,
// updates by ref, every kind of invalid row by line, all-or-nothing, permissions and size.
#include <chrono>
#include <iostream>
#include <string>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class RiskImportApi : public ApiTest {
 protected:
  std::string Risks() const { return "/api/v1/orgs/" + org_ + "/risks"; }
  std::string Import(bool dry_run = false) const {
    return Risks() + "/import" + (dry_run ? "?dry_run=true" : "");
  }
  static Reply Send(HttpClient& client, const std::string& target, const std::string& csv) {
    return client.Post(target, csv, {{"Content-Type", "text/csv"}});
  }
  boost::json::array AllRisks(HttpClient& client) {
    auto reply = client.Get(Risks() + "?limit=500&sort=ref");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json().at("items").as_array();
  }
  /// "line N: field" of each error of a 422.
  static std::vector<std::string> Fields(const Reply& reply) { return ErrorFields(reply); }
};

constexpr const char* kGoodFile =
    "title,owner,likelihood,impact,threat,treatment,transfer_to\n"
    "Ransomware on file servers,alice@example.com,4,4,Ransomware,undecided,\n"
    "Laptop theft,MARIA@example.com,2,3,Theft,transfer,Insurer plc\n";

TEST_P(RiskImportApi, ADryRunReportsAndWritesNothing) {
  auto maria = server_->SignedIn("maria@example.com");
  auto reply = Send(maria, Import(true), kGoodFile);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json(), boost::json::parse(R"({"dry_run": true, "created": 2, "updated": 0,
                                                 "errors": []})"));
  EXPECT_TRUE(AllRisks(maria).empty());
  // Nothing in the audit log either, and the refs are not used up.
  auto created = Send(maria, Import(), kGoodFile);
  ASSERT_EQ(created.status, 200u) << created.body;
  EXPECT_EQ(AllRisks(maria).at(0).at("ref"), "R-0001");
}

TEST_P(RiskImportApi, AGoodFileCreatesRisksWithComputedScoresAndAuditEvents) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = Send(alice, Import(), kGoodFile);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json(), boost::json::parse(R"({"dry_run": false, "created": 2, "updated": 0,
                                                 "errors": []})"));
  auto risks = AllRisks(alice);
  ASSERT_EQ(risks.size(), 2u);
  EXPECT_EQ(risks[0].at("ref"), "R-0001");
  EXPECT_EQ(risks[0].at("title"), "Ransomware on file servers");
  EXPECT_EQ(risks[0].at("owner_id"), boost::json::value(alice_id_));
  EXPECT_EQ(risks[0].at("inherent_score"), 16);
  EXPECT_EQ(risks[0].at("inherent_level"), "High");
  EXPECT_EQ(risks[0].at("last_assessed_on"), "2026-03-02");
  EXPECT_EQ(risks[1].at("treatment"), "transfer");
  EXPECT_EQ(risks[1].at("transfer_to"), "Insurer plc");
  auto log = alice.Get("/api/v1/orgs/" + org_ + "/audit-log").Json().at("items").as_array();
  int creates = 0;
  for (const auto& event : log) {
    if (event.at("object_type") == "risk" && event.at("action") == "create") ++creates;
  }
  EXPECT_EQ(creates, 2);
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(RiskImportApi, ReimportingTheExportWithRefsUpdatesInsteadOfDuplicating) {
  auto alice = server_->SignedIn("alice@example.com");
  ASSERT_EQ(Send(alice, Import(), kGoodFile).status, 200u);
  auto exported = alice.Get(Risks() + "/export?format=csv");
  ASSERT_EQ(exported.status, 200u);
  // The export as it is imports as is (computed columns ignored), changing nothing but versions.
  auto same = Send(alice, Import(), exported.body);
  ASSERT_EQ(same.status, 200u) << same.body;
  EXPECT_EQ(same.Json().at("updated"), 2);
  EXPECT_EQ(same.Json().at("created"), 0);

  auto reply = Send(alice, Import(),
                    "ref,title,owner,likelihood,impact,residual_likelihood,residual_impact\n"
                    "R-0002,Laptop theft (revised),carl@example.com,1,3,1,2\n"
                    ",A new risk,alice@example.com,2,2,,\n");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json().at("created"), 1);
  EXPECT_EQ(reply.Json().at("updated"), 1);
  auto risks = AllRisks(alice);
  ASSERT_EQ(risks.size(), 3u);
  EXPECT_EQ(risks[1].at("title"), "Laptop theft (revised)");
  EXPECT_EQ(risks[1].at("inherent_score"), 3);
  EXPECT_EQ(risks[1].at("residual_score"), 2);
  EXPECT_EQ(risks[1].at("version"), 3);
  EXPECT_EQ(risks[2].at("ref"), "R-0003");
  auto history = alice.Get(Risks() + "/" + std::string(risks[1].at("id").as_string()) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  EXPECT_EQ(history.Json().at("items").as_array().size(), 3u) << history.body;
}

TEST_P(RiskImportApi, EveryKindOfInvalidRowIsReportedByLineAndNothingIsImported) {
  auto alice = server_->SignedIn("alice@example.com");
  ASSERT_EQ(Send(alice, Import(), "title,owner,likelihood,impact\nExisting,alice@example.com,1,1\n")
                .status,
            200u);
  // mallory's organization has a R-0002; it is not a risk of this one.
  auto mallory = server_->SignedIn("mallory@example.com");
  const std::string other = "/api/v1/orgs/" + other_org_ + "/risks/import";
  ASSERT_EQ(Send(mallory, other,
                 "title,owner,likelihood,impact\na,mallory@example.com,1,1\n"
                 "b,mallory@example.com,1,1\n")
                .status,
            200u);

  const std::string file =
      "ref,title,owner,likelihood,impact,treatment,status,last_assessed_on,residual_impact\n"
      "R-0001,Fine,alice@example.com,1,1,,,,\n"                   // 2: valid
      "R-0001,Twice,alice@example.com,1,1,,,,\n"                  // 3: duplicate ref
      "R-0002,Foreign,alice@example.com,1,1,,,,\n"                // 4: other org's ref
      "R-0099,Unknown,alice@example.com,1,1,,,,\n"                // 5: unknown ref
      ",Out of scale,alice@example.com,6,0,,,,\n"                 // 6: likelihood, impact
      ",Stranger,mallory@example.com,1,1,,,,\n"                   // 7: not a member
      ",Bad names,alice@example.com,1,1,ignore,pending,,\n"       // 8: treatment, status
      ",Bad date,alice@example.com,1,1,,,2026-02-30,\n"           // 9: date
      ",,alice@example.com,1,1,,,,\n"                             // 10: empty title
      ",Half residual,alice@example.com,1,1,,,,2\n"               // 11: residual pair
      ",Transfer to nobody,alice@example.com,1,1,transfer,,,\n";  // 12: rule of 6.1.3
  for (bool dry_run : {true, false}) {
    auto reply = Send(alice, Import(dry_run), file);
    ASSERT_EQ(reply.status, dry_run ? 200u : 422u) << reply.body;
    if (dry_run) {
      std::vector<std::string> lines;
      const auto report = reply.Json();
      for (const auto& error : report.at("errors").as_array()) {
        lines.push_back(std::to_string(error.at("line").as_int64()) + ": " +
                        std::string(error.at("field").as_string()));
      }
      EXPECT_THAT(lines, UnorderedElementsAre("3: ref", "4: ref", "5: ref", "6: likelihood",
                                              "6: impact", "7: owner", "8: treatment", "8: status",
                                              "9: last_assessed_on", "10: title",
                                              "11: residual_likelihood", "12: risk"));
    } else {
      EXPECT_EQ(reply.Header("content-type"), "application/problem+json");
      EXPECT_THAT(
          Fields(reply),
          UnorderedElementsAre("line 3: ref", "line 4: ref", "line 5: ref", "line 6: likelihood",
                               "line 6: impact", "line 7: owner", "line 8: treatment",
                               "line 8: status", "line 9: last_assessed_on", "line 10: title"));
    }
  }
  // A real import stops at the field errors; rows that pass them meet the register's rules.
  auto rules = Send(alice, Import(),
                    "title,owner,likelihood,impact,treatment,residual_impact\n"
                    "Fine,alice@example.com,1,1,,\n"
                    "Half residual,alice@example.com,1,1,,2\n"
                    "Transfer to nobody,alice@example.com,1,1,transfer,\n");
  ASSERT_EQ(rules.status, 422u) << rules.body;
  EXPECT_THAT(Fields(rules), UnorderedElementsAre("line 3: residual_likelihood", "line 4: risk"));
  // Not even the valid rows were written.
  auto risks = AllRisks(alice);
  ASSERT_EQ(risks.size(), 1u);
  EXPECT_EQ(risks[0].at("version"), 1);
}

TEST_P(RiskImportApi, HeaderAndEncodingErrorsNameTheirLine) {
  auto alice = server_->SignedIn("alice@example.com");
  auto unknown =
      Send(alice, Import(), "title,owner,likelihood,impact,colour\nx,alice@example.com,1,1,red\n");
  ASSERT_EQ(unknown.status, 422u) << unknown.body;
  EXPECT_THAT(Fields(unknown), ElementsAre("line 1: colour"));

  auto missing = Send(alice, Import(), "title,likelihood,likelihood\nx,1,1\n");
  ASSERT_EQ(missing.status, 422u) << missing.body;
  EXPECT_THAT(Fields(missing),
              UnorderedElementsAre("line 1: likelihood", "line 1: owner", "line 1: impact"));

  auto utf8 = Send(alice, Import(),
                   "title,owner,likelihood,impact\nok,alice@example.com,1,1\nbad \xC3\x28,a,1,1\n");
  ASSERT_EQ(utf8.status, 422u) << utf8.body;
  EXPECT_THAT(Fields(utf8), ElementsAre("line 3: file"));

  // Computed columns are accepted and ignored.
  auto computed = Send(alice, Import(true),
                       "title,owner,likelihood,impact,inherent_score,inherent_level\n"
                       "x,alice@example.com,1,1,25,Critical\n");
  ASSERT_EQ(computed.status, 200u) << computed.body;
  EXPECT_EQ(computed.Json().at("created"), 1);

  auto wrong_type = alice.Post(Import(), R"({"title": "x"})");
  EXPECT_EQ(wrong_type.status, 400u) << wrong_type.body;
  EXPECT_EQ(Send(alice, Risks() + "/import?dry_run=maybe", kGoodFile).status, 422u);
}

TEST_P(RiskImportApi, OnlyManagersAndAdminsImportAndOutsidersSeeNothing) {
  for (const auto* email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(Send(client, Import(true), kGoodFile).status, 403u) << email;
  }
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(Send(mallory, Import(), kGoodFile).status, 404u);
  EXPECT_EQ(server_->Client().Post(Import(), kGoodFile, {{"Content-Type", "text/csv"}}).status,
            401u);
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_TRUE(AllRisks(alice).empty());
}

/// `rows` valid rows, owned by maria, ratings cycling through the default 5x5 scales.
std::string GeneratedFile(int rows, const std::string& last_owner = "maria@example.com") {
  std::string csv = "title,owner,likelihood,impact\n";
  csv.reserve(std::size_t{40} * static_cast<std::size_t>(rows));
  for (int i = 1; i <= rows; ++i) {
    csv += "Risk " + std::to_string(i) + "," + (i == rows ? last_owner : "maria@example.com") +
           "," + std::to_string(i % 5 + 1) + "," + std::to_string((i / 5) % 5 + 1) + "\n";
  }
  return csv;
}

TEST_P(RiskImportApi, LargeFilesImportInOneRequest) {
  auto alice = server_->SignedIn("alice@example.com");
  auto token = alice.Post("/api/v1/api-tokens",
                          Json({{"name", "import"}, {"org_id", org_}, {"role", "manager"}}));
  ASSERT_EQ(token.status, 201u) << token.body;
  const std::string bearer(token.Json().at("token").as_string());
  // The client's usual wait is 5 s; a large import under the sanitizers may take longer.
  auto post = [&](const std::string& csv) {
    const std::string raw =
        "POST " + Import() +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        "Authorization: Bearer " +
        bearer + "\r\nContent-Type: text/csv\r\nContent-Length: " + std::to_string(csv.size()) +
        "\r\n\r\n" + csv;
    auto client = server_->Client();
    return ParseReply(client.SendRaw(raw, 120000));
  };

  // 100,000 rows, the last one invalid: every row is read and checked, its line is named
  // and nothing is written. (bench/make_risks_csv.py times the full write in a release build.)
  constexpr int kRows = 100000;
  auto refused = post(GeneratedFile(kRows, "nobody@example.com"));
  ASSERT_EQ(refused.status, 422u) << refused.body.substr(0, 500);
  EXPECT_THAT(Fields(refused), ElementsAre("line 100001: owner"));
  EXPECT_TRUE(AllRisks(alice).empty());

  // A few thousand rows written for real, numbered on from the refs in use.
  constexpr int kWritten = 3000;
  auto first = alice.Post(
      Risks(),
      Json({{"title", "First"}, {"owner_id", alice_id_}, {"likelihood", 1}, {"impact", 1}}));
  ASSERT_EQ(first.status, 201u) << first.body;
  const auto started = std::chrono::steady_clock::now();
  auto reply = post(GeneratedFile(kWritten));
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(reply.status, 200u) << reply.body.substr(0, 500);
  EXPECT_EQ(reply.Json().at("created"), kWritten);
  std::cout << "[ info ] imported " << kWritten << " risks in " << seconds << " s\n";
  auto last = alice.Get(Risks() + "?q=Risk%203000");
  ASSERT_EQ(last.status, 200u) << last.body;
  EXPECT_EQ(last.Json().at("items").at(0).at("ref"), "R-3001") << last.body;
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

INSTANTIATE_TEST_SUITE_P(Engines, RiskImportApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
