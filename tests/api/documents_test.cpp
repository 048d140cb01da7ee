// HTTP scenarios for documented information (ISO 27001 7.5), the scope (4.3) and the
// information security policy (5.2): refs, the version workflow and its approval rule,
// immutability and hash of published versions, rendering without XSS, diff, acknowledgment
// rounds, roles and optimistic concurrency.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>

#include "core/encoding.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class DocumentsApi : public ApiTest {
 protected:
  std::string Documents() const { return "/api/v1/orgs/" + org_ + "/documents"; }
  std::string Url(const boost::json::value& doc) const {
    return Documents() + "/" + std::string(doc.at("id").as_string());
  }
  std::string VersionUrl(const boost::json::value& doc, int number) const {
    return Url(doc) + "/versions/" + std::to_string(number);
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Create(HttpClient& client, const boost::json::object& body) {
    auto reply = client.Post(Documents(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value Write(HttpClient& client, const boost::json::value& doc,
                           const std::string& content) {
    auto reply = client.Post(Url(doc) + "/versions",
                             Json({{"content", content}, {"change_summary", "edit"}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  Reply Step(HttpClient& client, const boost::json::value& doc, int number, const char* step,
             const boost::json::object& body = {}) {
    return client.Post(VersionUrl(doc, number) + "/" + step, Json(body));
  }

  /// Writes, submits (as the writer), approves and publishes (as `approver`) a version.
  void Publish(HttpClient& writer, HttpClient& approver, const boost::json::value& doc,
               const std::string& content) {
    auto version = Write(writer, doc, content);
    const int number = static_cast<int>(version.at("number").as_int64());
    ASSERT_EQ(Step(writer, doc, number, "submit").status, 200u);
    auto approved = Step(approver, doc, number, "approve", {{"comment", "fit for purpose"}});
    ASSERT_EQ(approved.status, 200u) << approved.body;
    auto published = Step(approver, doc, number, "publish");
    ASSERT_EQ(published.status, 200u) << published.body;
  }

  /// Makes `user_id` hold a role flagged top management (leadership, 5.3).
  void MakeTopManagement(const std::string& user_id) {
    auto alice = server_->SignedIn("alice@example.com");
    auto reply =
        alice.Post("/api/v1/orgs/" + org_ + "/roles",
                   Json({{"name", "Board " + user_id.substr(0, 8)},
                         {"top_management", true},
                         {"assignee_ids", boost::json::array{boost::json::value(user_id)}}}));
    ASSERT_EQ(reply.status, 201u) << reply.body;
  }

  static std::vector<std::string> Refs(const Reply& reply) {
    std::vector<std::string> out;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array()) {
      out.emplace_back(item.at("ref").as_string());
    }
    return out;
  }
};

TEST_P(DocumentsApi, RefsPerTypeFiltersAndValidation) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Post(Documents(), Json({{"type", "policy"}, {"title", "Access control"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto policy = reply.Json();
  EXPECT_EQ(policy.at("ref"), "POL-001");
  EXPECT_EQ(policy.at("status"), "draft");
  EXPECT_EQ(policy.at("owner_id"), boost::json::value(alice_id_));
  EXPECT_EQ(policy.at("latest_version"), 0);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(policy));
  EXPECT_EQ(alice.Get(Url(policy)).Json(), policy);
  EXPECT_EQ(Create(alice, {{"type", "policy"}, {"title", "Crypto"}}).at("ref"), "POL-002");
  EXPECT_EQ(Create(alice, {{"type", "procedure"}, {"title", "Backup"}}).at("ref"), "PRO-001");
  EXPECT_EQ(Create(alice, {{"type", "other"}, {"title", "Misc"}}).at("ref"), "DOC-001");
  EXPECT_EQ(Create(alice, {{"type", "record"}, {"title", "Log"}, {"ref", "LOG-7"}}).at("ref"),
            "LOG-7");
  auto taken = alice.Post(Documents(), Json({{"type", "plan"}, {"title", "X"}, {"ref", "LOG-7"}}));
  EXPECT_EQ(taken.status, 422u);
  EXPECT_THAT(ErrorFields(taken), ElementsAre("ref"));
  auto missing = alice.Post(Documents(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("type", "title"));
  auto wrong = alice.Post(Documents(), Json({{"type", "memo"},
                                             {"title", "X"},
                                             {"review_interval_months", 0},
                                             {"distribution", {{"everyone", true}}}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("type", "review_interval_months", "distribution.everyone"));
  auto outsider =
      alice.Post(Documents(), Json({{"type", "plan"}, {"title", "X"}, {"owner_id", mallory_id_}}));
  EXPECT_EQ(outsider.status, 422u);
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("owner_id"));

  EXPECT_THAT(Refs(alice.Get(Documents() + "?type=policy")), ElementsAre("POL-001", "POL-002"));
  EXPECT_THAT(Refs(alice.Get(Documents() + "?q=backup")), ElementsAre("PRO-001"));
  EXPECT_THAT(Refs(alice.Get(Documents() + "?limit=2")), ElementsAre("DOC-001", "LOG-7"));
  EXPECT_EQ(alice.Get(Documents() + "?type=memo").status, 422u);
  EXPECT_EQ(alice.Get(Documents() + "?status=draft").Json().at("items").as_array().size(), 5u);
  // Another organization's admin does not see them.
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Url(policy)).status, 404u);
}

TEST_P(DocumentsApi, WorkflowApprovalByAnotherPersonAndTheHashOfThePublishedText) {
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto doc = Create(maria, {{"type", "procedure"}, {"title", "Backup"}});
  const std::string content = "# Backup\n\nDaily backups, **tested** monthly.\n";
  auto created = maria.Post(Url(doc) + "/versions",
                            Json({{"content", content}, {"change_summary", "first issue"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto v1 = created.Json();
  EXPECT_EQ(v1.at("number"), 1);
  EXPECT_EQ(v1.at("status"), "draft");
  EXPECT_EQ(v1.at("author_email"), "maria@example.com");
  EXPECT_EQ(v1.at("sha256"), nullptr);
  EXPECT_EQ(created.Header("location"), VersionUrl(doc, 1));
  EXPECT_EQ(alice.Get(Url(doc)).Json().at("status"), "draft");

  ASSERT_EQ(Step(maria, doc, 1, "submit").status, 200u);
  EXPECT_EQ(alice.Get(Url(doc)).Json().at("status"), "in_review");
  // ISO 27001 7.5.2 c: the author never approves their own text, whatever their role.
  auto own = Step(maria, doc, 1, "approve", {{"comment", "looks fine to me"}});
  EXPECT_EQ(own.status, 409u);
  EXPECT_THAT(own.body, HasSubstr("7.5.2 c"));
  auto approved = Step(alice, doc, 1, "approve", {{"comment", "adequate"}});
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(approved.Json().at("status"), "approved");
  EXPECT_EQ(approved.Json().at("approval").at("by_email"), "alice@example.com");
  EXPECT_EQ(approved.Json().at("approval").at("comment"), "adequate");
  EXPECT_EQ(approved.Json().at("approval").at("at"), "2026-03-02T09:00:00.000000Z");

  auto published = Step(alice, doc, 1, "publish");
  ASSERT_EQ(published.status, 200u) << published.body;
  auto v = published.Json();
  EXPECT_EQ(v.at("status"), "published");
  EXPECT_EQ(v.at("sha256"), boost::json::value(Sha256Hex(content)));
  EXPECT_EQ(v.at("publication").at("by_email"), "alice@example.com");
  auto document = alice.Get(Url(doc)).Json();
  EXPECT_EQ(document.at("status"), "published");
  EXPECT_EQ(document.at("published_version"), 1);
  // The next review falls an interval (12 months by default) after the publication.
  EXPECT_EQ(document.at("next_review_on"), "2027-03-02");
  EXPECT_EQ(document.at("overdue_review"), false);
  EXPECT_EQ(alice.Get(VersionUrl(doc, 1)).Json().at("content"), boost::json::value(content));

  // The whole story is in the document's history.
  auto history = alice.Get(Url(doc) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  std::vector<std::string> actions;
  const auto events = history.Json();
  for (const auto& event : events.at("items").as_array()) {
    actions.emplace_back(event.at("action").as_string());
  }
  EXPECT_THAT(actions, ::testing::IsSupersetOf(
                           {"create", "create_version", "submit", "approve", "publish"}));
}

TEST_P(DocumentsApi, WrongStateTransitionsNameTheState) {
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto doc = Create(maria, {{"type", "standard"}, {"title", "Passwords"}});
  Write(maria, doc, "v1");
  auto approve_draft = Step(alice, doc, 1, "approve");
  EXPECT_EQ(approve_draft.status, 409u);
  EXPECT_THAT(approve_draft.body, HasSubstr("is draft"));
  auto publish_draft = Step(alice, doc, 1, "publish");
  EXPECT_EQ(publish_draft.status, 409u);
  EXPECT_THAT(publish_draft.body, HasSubstr("is draft"));
  ASSERT_EQ(Step(maria, doc, 1, "submit").status, 200u);
  auto twice = Step(maria, doc, 1, "submit");
  EXPECT_EQ(twice.status, 409u);
  EXPECT_THAT(twice.body, HasSubstr("is in_review"));
  auto publish_review = Step(alice, doc, 1, "publish");
  EXPECT_EQ(publish_review.status, 409u);
  EXPECT_THAT(publish_review.body, HasSubstr("in_review"));
  // A rejection needs a comment and sends the version back to its author as a draft.
  EXPECT_EQ(Step(alice, doc, 1, "reject").status, 422u);
  auto rejected = Step(alice, doc, 1, "reject", {{"comment", "cover MFA"}});
  ASSERT_EQ(rejected.status, 200u) << rejected.body;
  EXPECT_EQ(rejected.Json().at("status"), "draft");
  EXPECT_EQ(rejected.Json().at("rejection").at("comment"), "cover MFA");
  EXPECT_EQ(rejected.Json().at("rejection").at("by_email"), "alice@example.com");
  // While a version is open, no second one starts.
  auto second = maria.Post(Url(doc) + "/versions", Json({{"content", "other"}}));
  EXPECT_EQ(second.status, 409u);
  EXPECT_THAT(second.body, HasSubstr("is draft"));
  Publish(maria, alice, Create(maria, {{"type", "plan"}, {"title", "P"}}), "x");
  ASSERT_EQ(Step(maria, doc, 1, "submit").status, 200u);
  ASSERT_EQ(Step(alice, doc, 1, "approve").status, 200u);
  ASSERT_EQ(Step(alice, doc, 1, "publish").status, 200u);
  auto again = Step(alice, doc, 1, "publish");
  EXPECT_EQ(again.status, 409u);
  EXPECT_THAT(again.body, HasSubstr("is published"));
  EXPECT_EQ(Step(alice, doc, 9, "submit").status, 404u);
  EXPECT_EQ(Step(alice, doc, 0, "submit").status, 404u);
}

TEST_P(DocumentsApi, DraftsAreEditedByTheirAuthorOnlyAndPublishedVersionsNever) {
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto doc = Create(carl, {{"type", "procedure"}, {"title", "Onboarding"}});
  Write(carl, doc, "first");
  EXPECT_EQ(carl.Patch(VersionUrl(doc, 1), Json({{"content", "x"}})).status, 428u);
  EXPECT_EQ(
      carl.Patch(VersionUrl(doc, 1), Json({{"content", "x"}}), {{"If-Match", "\"7\""}}).status,
      412u);
  EXPECT_EQ(
      maria.Patch(VersionUrl(doc, 1), Json({{"content", "x"}}), {{"If-Match", "\"1\""}}).status,
      403u);
  auto edited =
      carl.Patch(VersionUrl(doc, 1), Json({{"content", "second"}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(edited.status, 200u) << edited.body;
  EXPECT_EQ(edited.Json().at("content"), "second");
  EXPECT_EQ(edited.Header("etag"), "\"2\"");
  ASSERT_EQ(Step(carl, doc, 1, "submit").status, 200u);
  auto in_review =
      carl.Patch(VersionUrl(doc, 1), Json({{"content", "sneaky"}}), {{"If-Match", "\"3\""}});
  EXPECT_EQ(in_review.status, 409u);
  EXPECT_THAT(in_review.body, HasSubstr("in_review"));
  ASSERT_EQ(Step(maria, doc, 1, "approve").status, 200u);
  ASSERT_EQ(Step(alice, doc, 1, "publish").status, 200u);
  auto published =
      carl.Patch(VersionUrl(doc, 1), Json({{"content", "rewrite"}}), {{"If-Match", "\"5\""}});
  EXPECT_EQ(published.status, 409u);
  EXPECT_THAT(published.body, HasSubstr("published"));
  // Not even SQL can change a published version: the database refuses it.
  {
    auto tx = server_->db().Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(tx);
    auto update =
        (*tx)->Execute("UPDATE document_versions SET content = 'forged' WHERE number = 1");
    EXPECT_FALSE(update);
  }
  {
    auto tx = server_->db().Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_FALSE((*tx)->Execute("DELETE FROM document_versions"));
  }
  auto stored = alice.Get(VersionUrl(doc, 1)).Json();
  EXPECT_EQ(stored.at("content"), "second");
  EXPECT_EQ(stored.at("sha256"), boost::json::value(Sha256Hex("second")));
  // A published document is retained.
  auto document = alice.Get(Url(doc));
  auto deleted = alice.Delete(Url(doc), {{"If-Match", document.Header("etag")}});
  EXPECT_EQ(deleted.status, 409u);
  EXPECT_THAT(deleted.body, HasSubstr("7.5.3"));
  auto draft_only = Create(alice, {{"type", "other"}, {"title", "Scratch"}});
  Write(alice, draft_only, "tmp");
  auto etag = alice.Get(Url(draft_only)).Header("etag");
  EXPECT_EQ(alice.Delete(Url(draft_only), {{"If-Match", etag}}).status, 204u);
  EXPECT_EQ(alice.Get(Url(draft_only)).status, 404u);
}

TEST_P(DocumentsApi, PublishingSupersedesAndStartsANewAcknowledgmentRound) {
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto victor = server_->SignedIn("victor@example.com");
  auto audrey = server_->SignedIn("audrey@example.com");
  auto doc = Create(
      maria,
      {{"type", "policy"}, {"title", "Acceptable use"}, {"distribution", {{"all_members", true}}}});
  auto none = victor.Post(Url(doc) + "/acknowledgments", "");
  EXPECT_EQ(none.status, 409u);
  EXPECT_THAT(none.body, HasSubstr("no published version"));
  EXPECT_EQ(alice.Get(Url(doc) + "/acknowledgments").Json().at("pending").as_array().size(), 0u);

  Publish(maria, alice, doc, "Be nice.\n");
  auto first = victor.Post(Url(doc) + "/acknowledgments", "");
  ASSERT_EQ(first.status, 201u) << first.body;
  EXPECT_EQ(first.Json().at("version_number"), 1);
  auto repeated = victor.Post(Url(doc) + "/acknowledgments", "{}");
  EXPECT_EQ(repeated.status, 200u);
  EXPECT_EQ(repeated.Json().at("at"), first.Json().at("at"));
  ASSERT_EQ(audrey.Post(Url(doc) + "/acknowledgments", "").status, 201u);
  auto round = alice.Get(Url(doc) + "/acknowledgments").Json();
  EXPECT_EQ(round.at("version_number"), 1);
  std::vector<std::string> acknowledged;
  for (const auto& a : round.at("acknowledged").as_array()) {
    acknowledged.emplace_back(a.at("email").as_string());
    EXPECT_EQ(a.at("version_number"), 1);
  }
  EXPECT_THAT(acknowledged, UnorderedElementsAre("victor@example.com", "audrey@example.com"));
  std::vector<std::string> pending;
  for (const auto& a : round.at("pending").as_array())
    pending.emplace_back(a.at("email").as_string());
  EXPECT_THAT(pending, ElementsAre("alice@example.com", "carl@example.com", "maria@example.com"));
  // Documents I must read.
  EXPECT_THAT(Refs(victor.Get(Documents() + "?to_acknowledge=me")), ElementsAre());
  EXPECT_THAT(Refs(alice.Get(Documents() + "?to_acknowledge=me")), ElementsAre("POL-001"));

  // Version 2 supersedes version 1; everyone reads again.
  Publish(maria, alice, doc, "Be nice.\nAnd careful.\n");
  auto v1 = alice.Get(VersionUrl(doc, 1)).Json();
  EXPECT_EQ(v1.at("status"), "superseded");
  EXPECT_EQ(v1.at("sha256"), boost::json::value(Sha256Hex("Be nice.\n")));
  EXPECT_EQ(alice.Get(VersionUrl(doc, 2)).Json().at("status"), "published");
  auto next = alice.Get(Url(doc) + "/acknowledgments").Json();
  EXPECT_EQ(next.at("version_number"), 2);
  EXPECT_TRUE(next.at("acknowledged").as_array().empty());
  EXPECT_EQ(next.at("pending").as_array().size(), 5u);
  EXPECT_EQ(next.at("earlier").as_array().size(), 2u);
  EXPECT_THAT(Refs(victor.Get(Documents() + "?to_acknowledge=me")), ElementsAre("POL-001"));
  EXPECT_EQ(victor.Post(Url(doc) + "/acknowledgments", "").Json().at("version_number"), 2);
  EXPECT_EQ(alice.Get(Documents() + "?to_acknowledge=you").status, 422u);
}

TEST_P(DocumentsApi, DistributionByPersonAndByIsmsRole) {
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  const auto carl_id = IdOf("carl@example.com");
  const auto victor_id = IdOf("victor@example.com");
  auto role =
      alice.Post("/api/v1/orgs/" + org_ + "/roles",
                 Json({{"name", "Developers"},
                       {"assignee_ids", boost::json::array{boost::json::value(victor_id)}}}));
  ASSERT_EQ(role.status, 201u) << role.body;
  auto doc = Create(maria, {{"type", "standard"},
                            {"title", "Secure coding"},
                            {"distribution",
                             {{"user_ids", boost::json::array{boost::json::value(carl_id)}},
                              {"role_ids", boost::json::array{role.Json().at("id")}}}}});
  EXPECT_EQ(doc.at("distribution").at("user_ids"), boost::json::array{boost::json::value(carl_id)});
  EXPECT_EQ(doc.at("distribution").at("all_members"), false);
  Publish(maria, alice, doc, "Validate input.");
  std::vector<std::string> pending;
  const auto acks = alice.Get(Url(doc) + "/acknowledgments").Json();
  for (const auto& a : acks.at("pending").as_array()) {
    pending.emplace_back(a.at("email").as_string());
  }
  EXPECT_THAT(pending, ElementsAre("carl@example.com", "victor@example.com"));
  auto victor = server_->SignedIn("victor@example.com");
  EXPECT_THAT(Refs(victor.Get(Documents() + "?to_acknowledge=me")), ElementsAre("STD-001"));
  EXPECT_THAT(Refs(alice.Get(Documents() + "?to_acknowledge=me")), ElementsAre());
  auto outsider = maria.Post(
      Documents(), Json({{"type", "plan"},
                         {"title", "X"},
                         {"distribution",
                          {{"user_ids", boost::json::array{boost::json::value(mallory_id_)}}}}}));
  EXPECT_EQ(outsider.status, 422u);
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("distribution.user_ids"));
}

TEST_P(DocumentsApi, OneSecurityPolicyApprovedByTopManagement) {
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto wrong_type = maria.Post(
      Documents(), Json({{"type", "procedure"}, {"title", "X"}, {"is_security_policy", true}}));
  EXPECT_EQ(wrong_type.status, 422u);
  EXPECT_THAT(ErrorFields(wrong_type), ElementsAre("is_security_policy"));
  auto policy = Create(
      maria,
      {{"type", "policy"}, {"title", "Information security policy"}, {"is_security_policy", true}});
  EXPECT_EQ(policy.at("is_security_policy"), true);
  Write(maria, policy, "We protect information.");
  ASSERT_EQ(Step(maria, policy, 1, "submit").status, 200u);
  // ISO 27001 5.2: alice administers Certus but holds no top-management role yet.
  auto refused = Step(alice, policy, 1, "approve");
  EXPECT_EQ(refused.status, 409u);
  EXPECT_THAT(refused.body, HasSubstr("5.2"));
  MakeTopManagement(alice_id_);
  ASSERT_EQ(Step(alice, policy, 1, "approve").status, 200u);
  ASSERT_EQ(Step(alice, policy, 1, "publish").status, 200u);

  auto second = Create(
      maria,
      {{"type", "policy"}, {"title", "Another security policy"}, {"is_security_policy", true}});
  Write(maria, second, "Competing text.");
  ASSERT_EQ(Step(maria, second, 1, "submit").status, 200u);
  ASSERT_EQ(Step(alice, second, 1, "approve").status, 200u);
  auto conflict = Step(alice, second, 1, "publish");
  EXPECT_EQ(conflict.status, 409u);
  EXPECT_THAT(conflict.body, HasSubstr("POL-001"));
  // Flagging a published policy while another is in force is refused the same way.
  auto plain = Create(maria, {{"type", "policy"}, {"title", "Plain"}});
  Publish(maria, alice, plain, "text");
  auto etag = maria.Get(Url(plain)).Header("etag");
  auto flag = maria.Patch(Url(plain), Json({{"is_security_policy", true}}), {{"If-Match", etag}});
  EXPECT_EQ(flag.status, 409u);
  EXPECT_THAT(flag.body, HasSubstr("POL-001"));
}

TEST_P(DocumentsApi, RenderedHtmlIsSanitizedAndServedWithAStrictPolicy) {
  auto maria = server_->SignedIn("maria@example.com");
  auto auditor = server_->SignedIn("audrey@example.com");
  auto doc = Create(maria, {{"type", "policy"}, {"title", "<script>alert('title')</script>"}});
  const std::vector<std::string> payloads = {
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "<svg onload=alert(1)>",
      "<iframe src=\"javascript:alert(1)\"></iframe>",
      "[a](javascript:alert(1))",
      "[b](JaVaScRiPt:alert(1))",
      "[c](&#106;avascript:alert(1))",
      "[d](java&#x09;script:alert(1))",
      "[e](vbscript:msgbox(1))",
      "[f](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "![g](javascript:alert(1))",
      "<javascript:alert(1)>",
      "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">h</a>",
      "| t |\n|---|\n| <img src=x onerror=alert(1)> |",
      "[safe](https://example.com) and ~~gone~~",
  };
  std::string content;
  for (const auto& payload : payloads) content += payload + "\n\n";
  Write(maria, doc, content);
  auto html = auditor.Get(VersionUrl(doc, 1) + "?format=html");
  ASSERT_EQ(html.status, 200u) << html.body;
  EXPECT_THAT(html.Header("content-type"), HasSubstr("text/html"));
  EXPECT_THAT(html.Header("content-security-policy"), HasSubstr("default-src 'none'"));
  EXPECT_THAT(html.Header("content-security-policy"), HasSubstr("script-src 'none'"));
  EXPECT_THAT(html.Header("content-security-policy"), HasSubstr("sandbox"));
  std::string lower = html.body;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Dangerous schemes may remain as visible text (an autolink's label), never in a URL.
  for (const char* bad : {"<script", "<svg", "<iframe", "onerror", "onload", "onclick",
                          "=\"javascript", "=\"vbscript", "=\"data:", "=\"&#"}) {
    EXPECT_THAT(lower, Not(HasSubstr(bad))) << bad;
  }
  EXPECT_THAT(html.body, HasSubstr("<a href=\"https://example.com\""));
  EXPECT_THAT(html.body, HasSubstr("<del>gone</del>"));
  EXPECT_THAT(html.body, HasSubstr("<table>"));
  EXPECT_THAT(html.body, HasSubstr("&lt;script&gt;alert(&#39;title&#39;)"));
  // The editor's preview goes through the same renderer.
  auto preview = maria.Post(Documents() + "/preview",
                            Json({{"content", "<img src=x onerror=alert(1)> **b**"}}));
  ASSERT_EQ(preview.status, 200u) << preview.body;
  EXPECT_THAT(std::string(preview.Json().at("html").as_string()), Not(HasSubstr("onerror")));
  EXPECT_THAT(std::string(preview.Json().at("html").as_string()), HasSubstr("<strong>b</strong>"));
  EXPECT_EQ(auditor.Post(Documents() + "/preview", Json({{"content", "x"}})).status, 403u);

  auto pdf = auditor.Get(VersionUrl(doc, 1) + "?format=pdf");
  ASSERT_EQ(pdf.status, 200u) << pdf.body;
  EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_THAT(pdf.Header("content-disposition"), HasSubstr("POL-001-v1.pdf"));
  EXPECT_EQ(auditor.Get(VersionUrl(doc, 1) + "?format=docx").status, 422u);
}

TEST_P(DocumentsApi, DiffBetweenTwoVersions) {
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto doc = Create(maria, {{"type", "plan"}, {"title", "Continuity"}});
  Publish(maria, alice, doc, "one\ntwo\nthree\n");
  Write(maria, doc, "one\n2\nthree\nfour\n");
  auto reply = alice.Get(Url(doc) + "/diff?from=1&to=2");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto diff = reply.Json();
  EXPECT_EQ(diff.at("from"), 1);
  EXPECT_EQ(diff.at("to"), 2);
  ASSERT_EQ(diff.at("hunks").as_array().size(), 1u);
  std::vector<std::string> lines;
  for (const auto& line : diff.at("hunks").at(0).at("lines").as_array()) {
    lines.push_back(std::string(line.at("kind").as_string()) + ":" +
                    std::string(line.at("text").as_string()));
  }
  EXPECT_THAT(lines,
              ElementsAre("context:one", "removed:two", "added:2", "context:three", "added:four"));
  EXPECT_THAT(std::string(diff.at("unified").as_string()),
              HasSubstr("--- PLN-001 version 1\n+++ PLN-001 version 2\n@@ -1,3 +1,4 @@\n"));
  EXPECT_TRUE(alice.Get(Url(doc) + "/diff?from=2&to=2").Json().at("hunks").as_array().empty());
  auto bad = alice.Get(Url(doc) + "/diff?from=1&to=7");
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("to"));
  EXPECT_THAT(ErrorFields(alice.Get(Url(doc) + "/diff")), UnorderedElementsAre("from", "to"));
}

TEST_P(DocumentsApi, RolesDecideWhoWritesApprovesAndPublishes) {
  auto victor = server_->SignedIn("victor@example.com");
  auto audrey = server_->SignedIn("audrey@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(victor.Post(Documents(), Json({{"type", "policy"}, {"title", "X"}})).status, 403u);
  EXPECT_EQ(audrey.Post(Documents(), Json({{"type", "policy"}, {"title", "X"}})).status, 403u);
  // Contributors create what they own, and only that.
  EXPECT_EQ(
      carl.Post(Documents(), Json({{"type", "policy"}, {"title", "X"}, {"owner_id", alice_id_}}))
          .status,
      403u);
  auto mine = Create(carl, {{"type", "procedure"}, {"title", "Mine"}});
  auto theirs = Create(maria, {{"type", "procedure"}, {"title", "Theirs"}});
  EXPECT_EQ(carl.Post(Url(theirs) + "/versions", Json({{"content", "x"}})).status, 403u);
  Write(carl, mine, "text");
  ASSERT_EQ(Step(carl, mine, 1, "submit").status, 200u);
  EXPECT_EQ(Step(carl, mine, 1, "approve").status, 403u);
  EXPECT_EQ(Step(audrey, mine, 1, "approve").status, 403u);
  ASSERT_EQ(Step(maria, mine, 1, "approve").status, 200u);
  EXPECT_EQ(Step(carl, mine, 1, "publish").status, 403u);
  ASSERT_EQ(Step(maria, mine, 1, "publish").status, 200u);
  // Everyone reads; viewers and auditors acknowledge.
  EXPECT_EQ(victor.Get(VersionUrl(mine, 1)).status, 200u);
  EXPECT_EQ(audrey.Get(Url(mine) + "/versions").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(victor.Post(Url(mine) + "/acknowledgments", "").status, 201u);
  auto etag = carl.Get(Url(theirs)).Header("etag");
  EXPECT_EQ(carl.Patch(Url(theirs), Json({{"title", "Taken"}}), {{"If-Match", etag}}).status, 403u);
  EXPECT_EQ(carl.Patch(Url(mine), Json({{"title", "Renamed"}}),
                       {{"If-Match", carl.Get(Url(mine)).Header("etag")}})
                .status,
            200u);
}

TEST_P(DocumentsApi, MetadataEditsNeedIfMatchAndReviewsFallDue) {
  auto alice = server_->SignedIn("alice@example.com");
  auto doc = Create(alice, {{"type", "record"}, {"title", "Visitors"}, {"retention_months", 24}});
  EXPECT_EQ(doc.at("retention_months"), 24);
  EXPECT_EQ(alice.Patch(Url(doc), Json({{"title", "X"}})).status, 428u);
  EXPECT_EQ(alice.Patch(Url(doc), Json({{"title", "X"}}), {{"If-Match", "\"9\""}}).status, 412u);
  auto patched = alice.Patch(Url(doc),
                             Json({{"title", "Visitor log"},
                                   {"classification", "confidential"},
                                   {"next_review_on", "2026-01-15"},
                                   {"retention_months", nullptr}}),
                             {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.Json().at("classification"), "confidential");
  EXPECT_EQ(patched.Json().at("retention_months"), nullptr);
  EXPECT_EQ(patched.Json().at("overdue_review"), true);
  EXPECT_EQ(patched.Header("etag"), "\"2\"");
  EXPECT_EQ(alice.Patch(Url(doc), Json({{"title", "Y"}}), {{"If-Match", "\"1\""}}).status, 412u);
  Create(alice, {{"type", "record"}, {"title", "Later"}, {"next_review_on", "2027-01-01"}});
  EXPECT_THAT(Refs(alice.Get(Documents() + "?overdue=true")), ElementsAre("REC-001"));
}

TEST_P(DocumentsApi, ScopeDocumentsCarryTheirStructuredFields) {
  auto maria = server_->SignedIn("maria@example.com");
  auto unjustified = maria.Post(
      Documents(),
      Json({{"type", "scope"},
            {"title", "ISMS scope"},
            {"scope", {{"exclusions", boost::json::array{{{"text", "Retail shops"}}}}}}}));
  EXPECT_EQ(unjustified.status, 422u);
  EXPECT_THAT(ErrorFields(unjustified), ElementsAre("scope.exclusions[0].justification"));
  auto scope = Create(
      maria, {{"type", "scope"},
              {"title", "ISMS scope"},
              {"scope",
               {{"scope_units", boost::json::array{"Engineering", "Operations"}},
                {"scope_locations", boost::json::array{"Berlin HQ"}},
                {"scope_processes", boost::json::array{"Software delivery"}},
                {"scope_asset_ids", boost::json::array{}},
                {"exclusions", boost::json::array{{{"text", "Retail shops"},
                                                   {"justification", "Separate legal entity"}}}},
                {"interfaces", boost::json::array{"Cloud provider"}}}}});
  EXPECT_EQ(scope.at("ref"), "SCO-001");
  EXPECT_EQ(scope.at("scope").at("scope_units"), (boost::json::array{"Engineering", "Operations"}));
  EXPECT_EQ(scope.at("scope").at("exclusions").at(0).at("justification"), "Separate legal entity");
  EXPECT_EQ(maria.Get(Url(scope)).Json().at("scope"), scope.at("scope"));
  auto policy =
      maria.Post(Documents(), Json({{"type", "policy"},
                                    {"title", "P"},
                                    {"scope", {{"scope_units", boost::json::array{"x"}}}}}));
  EXPECT_EQ(policy.status, 422u);
  EXPECT_THAT(ErrorFields(policy), ElementsAre("scope"));
  auto bad_field = maria.Patch(Url(scope), Json({{"scope", {{"units", boost::json::array{}}}}}),
                               {{"If-Match", "\"1\""}});
  EXPECT_EQ(bad_field.status, 422u);
  EXPECT_THAT(ErrorFields(bad_field), ElementsAre("scope.units"));
}

TEST_P(DocumentsApi, AttachmentsChangeWithTheirDraftAndFreezeWithIt) {
  using namespace std::string_literals;
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto doc = Create(carl, {{"type", "procedure"}, {"title", "Backup procedure"}});
  Write(carl, doc, "See the diagram.");
  const std::string attachments = VersionUrl(doc, 1) + "/attachments";
  const std::string png = "\x89PNG\r\n\x1a\n diagram bytes \x00\xff"s;

  auto added = carl.Post(attachments, png, {{"X-Filename", "backup%20flow.png"}});
  ASSERT_EQ(added.status, 201u) << added.body;
  EXPECT_EQ(added.Header("etag"), "\"2\"");
  auto version = added.Json();
  ASSERT_EQ(version.at("attachments").as_array().size(), 1u);
  const auto& attachment = version.at("attachments").at(0);
  EXPECT_EQ(attachment.at("file_name"), "backup flow.png");
  EXPECT_EQ(attachment.at("content_type"), "image/png");  // detected, not the client's claim
  EXPECT_EQ(attachment.at("size"), static_cast<std::int64_t>(png.size()));
  EXPECT_EQ(attachment.at("sha256"), boost::json::value(Sha256Hex(png)));
  EXPECT_EQ(attachment.at("added_by_email"), "carl@example.com");
  const std::string file_url = attachments + "/" + std::string(attachment.at("id").as_string());
  EXPECT_EQ(added.Header("location"), file_url);

  auto download = maria.Get(file_url);
  ASSERT_EQ(download.status, 200u);
  EXPECT_EQ(download.body, png);
  EXPECT_THAT(download.Header("content-disposition"), HasSubstr("attachment;"));
  EXPECT_EQ(download.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(maria.Get(attachments).Json().at("items").as_array().size(), 1u);

  // Bad input changes nothing; only the draft's author adds files.
  EXPECT_EQ(carl.Post(attachments, png, {{"X-Filename", "backup%20flow.png"}}).status, 409u);
  EXPECT_EQ(carl.Post(attachments, png).status, 422u);
  EXPECT_EQ(carl.Post(attachments, "", {{"X-Filename", "empty.txt"}}).status, 422u);
  EXPECT_EQ(maria.Post(attachments, png, {{"X-Filename", "other.png"}}).status, 403u);
  EXPECT_EQ(carl.Post(attachments, png, {{"X-Filename", "x.png"}, {"If-Match", "\"1\""}}).status,
            412u);
  auto markup = carl.Post(attachments, "<script>alert(1)</script>", {{"X-Filename", "evil.html"}});
  ASSERT_EQ(markup.status, 201u) << markup.body;
  std::string evil_id;
  const auto with_markup = markup.Json();
  for (const auto& a : with_markup.at("attachments").as_array()) {
    if (a.at("file_name") == "evil.html") {
      EXPECT_EQ(a.at("content_type"), "text/plain; charset=utf-8");
      evil_id = std::string(a.at("id").as_string());
    }
  }
  ASSERT_FALSE(evil_id.empty());
  EXPECT_EQ(carl.Delete(attachments + "/" + evil_id, {{"If-Match", "\"1\""}}).status, 412u);
  auto removed = carl.Delete(attachments + "/" + evil_id, {{"If-Match", markup.Header("etag")}});
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(removed.Json().at("attachments").as_array().size(), 1u);

  // Submitted, approved, published: the files are frozen with the text (7.5.3).
  ASSERT_EQ(Step(carl, doc, 1, "submit").status, 200u);
  auto late = carl.Post(attachments, png, {{"X-Filename", "late.png"}});
  EXPECT_EQ(late.status, 409u);
  EXPECT_THAT(late.body, HasSubstr("7.5.3"));
  ASSERT_EQ(Step(maria, doc, 1, "approve").status, 200u);
  ASSERT_EQ(Step(alice, doc, 1, "publish").status, 200u);
  {
    auto tx = server_->db().Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_FALSE((*tx)->Execute("DELETE FROM document_attachments"));
  }
  {
    auto tx = server_->db().Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_FALSE((*tx)->Execute("UPDATE document_attachments SET file_name = 'forged.png'"));
  }

  // The next draft starts with the same files; the published version keeps its own.
  auto second = Write(carl, doc, "See the new diagram.");
  ASSERT_EQ(second.at("attachments").as_array().size(), 1u);
  EXPECT_EQ(second.at("attachments").at(0).at("sha256"), boost::json::value(Sha256Hex(png)));
  EXPECT_NE(second.at("attachments").at(0).at("id"), attachment.at("id"));

  // Bytes that no longer match their hash are never served.
  {
    const std::string sha = Sha256Hex(png);
    std::ofstream out(server_->blob_dir() / sha.substr(0, 2) / sha.substr(2),
                      std::ios::binary | std::ios::trunc);
    out << "forged";
  }
  auto tampered = maria.Get(file_url);
  EXPECT_EQ(tampered.status, 500u);
  EXPECT_EQ(tampered.Json().at("title"), "Integrity failure");
}

INSTANTIATE_TEST_SUITE_P(Engines, DocumentsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
