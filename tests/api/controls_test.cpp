// HTTP scenarios for the rows of the Statement of Applicability (ISO 27001 6.1.3 d).
#include <thread>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ControlsApi : public ApiTest {
 protected:
  std::string Controls() const { return "/api/v1/orgs/" + org_ + "/controls"; }
  std::string Risks() const { return "/api/v1/orgs/" + org_ + "/risks"; }

  std::string Url(const boost::json::value& control) const {
    return Controls() + "/" + std::string(control.at("id").as_string());
  }

  static std::string Etag(const boost::json::value& object) {
    return "\"" + std::to_string(object.at("version").as_int64()) + "\"";
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  static std::vector<std::string> Refs(const boost::json::value& page) {
    std::vector<std::string> refs;
    for (const auto& item : page.at("items").as_array()) {
      refs.emplace_back(item.at("ref_id").as_string());
    }
    return refs;
  }

  /// The control with `ref` (an Annex A row or a custom one).
  boost::json::value Control(HttpClient& client, const std::string& ref) {
    auto page = client.Get(Controls() + "?limit=500").Json();
    for (const auto& item : page.at("items").as_array()) {
      if (item.at("ref_id") == ref.c_str()) return item;
    }
    ADD_FAILURE() << "no control " << ref;
    return nullptr;
  }

  boost::json::value Patch(HttpClient& client, const boost::json::value& control,
                           const boost::json::object& body, unsigned expected = 200) {
    auto reply = client.Patch(Url(control), Json(body), {{"If-Match", Etag(control)}});
    EXPECT_EQ(reply.status, expected) << reply.body;
    return reply.Json();
  }

  boost::json::value CreateRisk(HttpClient& client, const std::string& title,
                                const boost::json::array& control_ids) {
    auto reply = client.Post(Risks(), Json({{"title", title},
                                            {"owner_id", alice_id_},
                                            {"likelihood", 3},
                                            {"impact", 3},
                                            {"control_ids", control_ids}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
};

std::vector<std::string> AnnexARefs() {
  std::vector<std::string> refs;
  for (auto [theme, count] :
       {std::pair{5, 37}, std::pair{6, 8}, std::pair{7, 14}, std::pair{8, 34}}) {
    for (int i = 1; i <= count; ++i) {
      refs.push_back("A." + std::to_string(theme) + "." + std::to_string(i));
    }
  }
  return refs;
}

TEST_P(ControlsApi, ANewOrganizationHasThe93AnnexAControlsInCatalogOrder) {
  auto victor = server_->SignedIn("victor@example.com");
  auto reply = victor.Get(Controls() + "?limit=500");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto page = reply.Json();
  EXPECT_EQ(Refs(page), AnnexARefs());
  EXPECT_EQ(page.at("next_cursor"), nullptr);
  const auto& first = page.at("items").at(0);
  EXPECT_EQ(first.at("title"), "Policies for information security");
  EXPECT_EQ(first.at("framework_id"), "iso27001-2022");
  EXPECT_EQ(first.at("theme"), "Organizational controls");
  EXPECT_EQ(first.at("custom"), false);
  EXPECT_EQ(first.at("applicable"), nullptr);
  EXPECT_EQ(first.at("justification"), "");
  EXPECT_EQ(first.at("inclusion_reasons"), boost::json::array());
  EXPECT_EQ(first.at("implementation_status"), "not_started");
  EXPECT_EQ(first.at("owner_id"), nullptr);
  EXPECT_EQ(first.at("owner_email"), nullptr);
  EXPECT_EQ(first.at("last_reviewed_on"), nullptr);
  EXPECT_EQ(first.at("risk_ids"), boost::json::array());
  EXPECT_EQ(first.at("risks"), boost::json::array());
  EXPECT_EQ(first.at("evidence_ids"), boost::json::array());
  EXPECT_EQ(first.at("version"), 1);
  EXPECT_EQ(page.at("items").at(92).at("title"),
            "Protection of information systems during audit testing");

  // Seeded once: a second reader sees the same rows, and the log holds one initialization.
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(Refs(alice.Get(Controls() + "?limit=500").Json()).size(), 93u);
  auto log = alice.Get("/api/v1/orgs/" + org_ + "/audit-log?limit=500").Json();
  int initialized = 0;
  int created = 0;
  for (const auto& event : log.at("items").as_array()) {
    if (event.at("object_type") == "soa" && event.at("action") == "initialized") ++initialized;
    if (event.at("object_type") == "control" && event.at("action") == "create") ++created;
  }
  EXPECT_EQ(initialized, 1);
  EXPECT_EQ(created, 93);
  auto history = alice.Get(Url(first) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  EXPECT_EQ(history.Json().at("items").as_array().size(), 1u);

  // Natural order across pages: A.5.2 before A.5.10, and back again.
  std::vector<std::string> paged;
  std::string target = Controls() + "?limit=10";
  for (int i = 0; i < 20; ++i) {
    auto next = alice.Get(target).Json();
    for (auto& ref : Refs(next)) paged.push_back(ref);
    if (next.at("next_cursor").is_null()) break;
    target = Controls() + "?limit=10&cursor=" + std::string(next.at("next_cursor").as_string());
  }
  EXPECT_EQ(paged, AnnexARefs());
  auto reversed = Refs(alice.Get(Controls() + "?limit=3&sort=-ref_id").Json());
  EXPECT_THAT(reversed, ElementsAre("A.8.34", "A.8.33", "A.8.32"));
}

TEST_P(ControlsApi, ConcurrentFirstReadsSeedTheRowsOnce) {
  std::vector<HttpClient> clients;
  for (const char* email :
       {"alice@example.com", "maria@example.com", "victor@example.com", "audrey@example.com"}) {
    clients.push_back(server_->SignedIn(email));
  }
  std::vector<unsigned> statuses(clients.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    threads.emplace_back([&, i] { statuses[i] = clients[i].Get(Controls() + "?limit=1").status; });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(statuses, ::testing::Each(200u));
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(Refs(alice.Get(Controls() + "?limit=500").Json()), AnnexARefs());
  auto log = alice.Get("/api/v1/orgs/" + org_ + "/audit-log?limit=500").Json();
  int initialized = 0;
  for (const auto& event : log.at("items").as_array()) {
    if (event.at("object_type") == "soa") ++initialized;
  }
  EXPECT_EQ(initialized, 1);
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(ControlsApi, FiltersNarrowTheRows) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  EXPECT_EQ(Refs(alice.Get(Controls() + "?theme=People%20controls&limit=500").Json()).size(), 8u);
  EXPECT_THAT(Refs(alice.Get(Controls() + "?q=cloud").Json()), ElementsAre("A.5.23"));

  Patch(alice, Control(alice, "A.5.10"),
        {{"applicable", true},
         {"justification", "Acceptable use is required by our policy set."},
         {"implementation_status", "implemented"},
         {"owner_id", carl_id}});
  Patch(alice, Control(alice, "A.7.5"),
        {{"applicable", false}, {"justification", "No premises of our own: fully remote."}});
  EXPECT_THAT(Refs(alice.Get(Controls() + "?applicable=true").Json()), ElementsAre("A.5.10"));
  EXPECT_THAT(Refs(alice.Get(Controls() + "?applicable=false").Json()), ElementsAre("A.7.5"));
  EXPECT_EQ(Refs(alice.Get(Controls() + "?applicable=undecided&limit=500").Json()).size(), 91u);
  EXPECT_THAT(Refs(alice.Get(Controls() + "?implementation_status=implemented").Json()),
              ElementsAre("A.5.10"));
  EXPECT_THAT(Refs(alice.Get(Controls() + "?owner_id=" + carl_id).Json()), ElementsAre("A.5.10"));
  auto by_status = Refs(alice.Get(Controls() + "?sort=-implementation_status&limit=1").Json());
  EXPECT_THAT(by_status, ElementsAre("A.5.10"));

  auto bad = alice.Get(Controls() + "?applicable=maybe&implementation_status=done");
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("applicable", "implementation_status"));
}

TEST_P(ControlsApi, ApplicabilityNeedsAJustificationBothWays) {
  auto alice = server_->SignedIn("alice@example.com");
  auto control = Control(alice, "A.5.7");
  for (bool applicable : {true, false}) {
    auto reply = alice.Patch(Url(control), Json({{"applicable", applicable}}),
                             {{"If-Match", Etag(control)}});
    EXPECT_EQ(reply.status, 422u) << reply.body;
    EXPECT_THAT(ErrorFields(reply), ElementsAre("justification"));
    auto blank =
        alice.Patch(Url(control), Json({{"applicable", applicable}, {"justification", "  "}}),
                    {{"If-Match", Etag(control)}});
    EXPECT_EQ(blank.status, 422u) << blank.body;
  }
  auto decided = Patch(alice, control,
                       {{"applicable", true},
                        {"justification", "Threat intelligence feeds our patching."},
                        {"inclusion_reasons", boost::json::array{"best_practice", "contractual"}},
                        {"last_reviewed_on", "2026-02-20"},
                        {"implementation", "Subscribed to two CERT feeds."}});
  EXPECT_EQ(decided.at("applicable"), true);
  EXPECT_EQ(decided.at("version"), 2);
  EXPECT_EQ(decided.at("inclusion_reasons"), (boost::json::array{"best_practice", "contractual"}));
  EXPECT_EQ(decided.at("last_reviewed_on"), "2026-02-20");
  // Emptying the justification of a decided row is refused too; undeciding needs none.
  auto emptied =
      alice.Patch(Url(decided), Json({{"justification", ""}}), {{"If-Match", Etag(decided)}});
  EXPECT_EQ(emptied.status, 422u);
  EXPECT_THAT(ErrorFields(emptied), ElementsAre("justification"));
  auto undecided = Patch(alice, decided, {{"applicable", nullptr}, {"justification", ""}});
  EXPECT_EQ(undecided.at("applicable"), nullptr);

  // The title of an Annex A control is the standard's.
  auto retitled = alice.Patch(Url(undecided), Json({{"title", "Something else"}}),
                              {{"If-Match", Etag(undecided)}});
  EXPECT_EQ(retitled.status, 422u);
  EXPECT_THAT(ErrorFields(retitled), ElementsAre("title"));
  auto wrong = alice.Patch(Url(undecided),
                           Json({{"applicable", "yes"},
                                 {"implementation_status", "done"},
                                 {"inclusion_reasons", "legal_regulatory"},
                                 {"ref_id", "A.9.9"},
                                 {"colour", "red"}}),
                           {{"If-Match", Etag(undecided)}});
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              ::testing::UnorderedElementsAre("applicable", "inclusion_reasons",
                                              "implementation_status", "ref_id", "colour"));
}

TEST_P(ControlsApi, RiskTreatmentIsDerivedFromLinkedRisks) {
  auto alice = server_->SignedIn("alice@example.com");
  auto control = Control(alice, "A.8.7");
  auto typed =
      alice.Patch(Url(control), Json({{"inclusion_reasons", boost::json::array{"risk_treatment"}}}),
                  {{"If-Match", Etag(control)}});
  EXPECT_EQ(typed.status, 422u) << typed.body;
  EXPECT_THAT(ErrorFields(typed), ElementsAre("inclusion_reasons"));
  EXPECT_THAT(typed.body, HasSubstr("derived from linked risks"));

  control = Patch(alice, control,
                  {{"applicable", true},
                   {"justification", "Malware is our top risk."},
                   {"inclusion_reasons", boost::json::array{"legal_regulatory"}}});
  auto first = CreateRisk(alice, "Ransomware", {control.at("id")});
  auto second = CreateRisk(alice, "Malicious attachment", {control.at("id")});
  control = alice.Get(Url(control)).Json();
  EXPECT_EQ(control.at("inclusion_reasons"),
            (boost::json::array{"risk_treatment", "legal_regulatory"}));
  EXPECT_EQ(control.at("risk_ids"), (boost::json::array{first.at("id"), second.at("id")}));
  EXPECT_EQ(control.at("risks").at(0), (boost::json::object{{"id", first.at("id")},
                                                            {"ref", "R-0001"},
                                                            {"title", "Ransomware"},
                                                            {"treatment", "undecided"}}));

  // ISO 27001 6.1.3: a control risks rely on cannot be excluded; the refusal names them.
  auto excluded =
      alice.Patch(Url(control), Json({{"applicable", false}, {"justification", "Not needed."}}),
                  {{"If-Match", Etag(control)}});
  EXPECT_EQ(excluded.status, 409u) << excluded.body;
  EXPECT_THAT(excluded.body, HasSubstr("R-0001, R-0002"));
  EXPECT_EQ(alice.Get(Url(control)).Json().at("applicable"), true);

  // Unlinked from both, the control can be excluded, and the derived reason is gone.
  for (const auto& risk : {first, second}) {
    auto reply =
        alice.Patch(Risks() + "/" + std::string(risk.at("id").as_string()),
                    Json({{"control_ids", boost::json::array()}}), {{"If-Match", Etag(risk)}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
  }
  control = alice.Get(Url(control)).Json();
  EXPECT_EQ(control.at("inclusion_reasons"), boost::json::array{"legal_regulatory"});
  Patch(alice, control, {{"applicable", false}, {"justification", "No longer needed."}});
}

TEST_P(ControlsApi, CustomControlsAndWhatCannotBeDeleted) {
  auto alice = server_->SignedIn("alice@example.com");
  auto annex = Control(alice, "A.5.1");
  auto refused = alice.Delete(Url(annex), {{"If-Match", Etag(annex)}});
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("A.5.1"));

  auto missing = alice.Post(Controls(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), ::testing::UnorderedElementsAre("ref_id", "title"));
  auto bad_ref = alice.Post(Controls(), Json({{"ref_id", "C 1"}, {"title", "X"}}));
  EXPECT_EQ(bad_ref.status, 422u);

  auto created =
      alice.Post(Controls(), Json({{"ref_id", "C-10"},
                                   {"title", "Board-level security briefing"},
                                   {"applicable", true},
                                   {"justification", "Required by our investors."},
                                   {"inclusion_reasons", boost::json::array{"contractual"}}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto custom = created.Json();
  EXPECT_EQ(created.Header("location"), Url(custom));
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_EQ(custom.at("custom"), true);
  EXPECT_EQ(custom.at("framework_id"), nullptr);
  EXPECT_EQ(custom.at("theme"), "");
  auto second = alice.Post(Controls(), Json({{"ref_id", "C-9"}, {"title", "Clean desk audit"}}));
  ASSERT_EQ(second.status, 201u);
  // Natural order puts C-9 before C-10, after the Annex A rows.
  auto tail = Refs(alice.Get(Controls() + "?sort=-ref_id&limit=2").Json());
  EXPECT_THAT(tail, ElementsAre("C-10", "C-9"));

  auto duplicate = alice.Post(Controls(), Json({{"ref_id", "C-10"}, {"title", "Again"}}));
  EXPECT_EQ(duplicate.status, 409u);
  auto annex_ref = alice.Post(Controls(), Json({{"ref_id", "A.5.1"}, {"title", "Mine"}}));
  EXPECT_EQ(annex_ref.status, 409u);

  auto retitled = Patch(alice, custom, {{"title", "Quarterly board security briefing"}});
  EXPECT_EQ(retitled.at("title"), "Quarterly board security briefing");

  // A custom control a risk links stays; once unlinked it can go.
  auto risk = CreateRisk(alice, "Board unaware of threats", {custom.at("id")});
  auto linked = alice.Delete(Url(retitled), {{"If-Match", Etag(retitled)}});
  EXPECT_EQ(linked.status, 409u) << linked.body;
  EXPECT_THAT(linked.body, HasSubstr("R-0001"));
  ASSERT_EQ(alice
                .Patch(Risks() + "/" + std::string(risk.at("id").as_string()),
                       Json({{"control_ids", boost::json::array()}}), {{"If-Match", "\"1\""}})
                .status,
            200u);
  EXPECT_EQ(alice.Delete(Url(retitled), {{"If-Match", Etag(retitled)}}).status, 204u);
  EXPECT_EQ(alice.Get(Url(retitled)).status, 404u);
  auto history = alice.Get(Url(retitled) + "/history").Json();
  ASSERT_EQ(history.at("items").as_array().size(), 3u);
  EXPECT_EQ(history.at("items").at(2).at("action"), "delete");
}

TEST_P(ControlsApi, ChangesNeedTheCurrentVersion) {
  auto alice = server_->SignedIn("alice@example.com");
  auto control = Control(alice, "A.6.3");
  EXPECT_EQ(alice.Get(Url(control)).Header("etag"), "\"1\"");
  auto without = alice.Patch(Url(control), Json({{"implementation_status", "planned"}}));
  EXPECT_EQ(without.status, 428u);
  auto changed = Patch(alice, control, {{"implementation_status", "planned"}});
  auto stale = alice.Patch(Url(control), Json({{"implementation_status", "implemented"}}),
                           {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(alice.Delete(Url(control)).status, 428u);
  EXPECT_EQ(alice.Get(Url(control)).Json().at("implementation_status"), "planned");
  EXPECT_EQ(changed.at("version"), 2);
}

TEST_P(ControlsApi, RolesDecideWhoChangesWhichRow) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto carl_id = IdOf("carl@example.com");
  auto maria_id = IdOf("maria@example.com");
  auto control = Control(alice, "A.8.13");

  for (const char* reader : {"victor@example.com", "audrey@example.com"}) {
    auto client = server_->SignedIn(reader);
    EXPECT_EQ(client.Get(Url(control)).status, 200u);
    auto reply = client.Patch(Url(control), Json({{"implementation_status", "planned"}}),
                              {{"If-Match", Etag(control)}});
    EXPECT_EQ(reply.status, 403u) << reader;
    EXPECT_EQ(client.Post(Controls(), Json({{"ref_id", "V-1"}, {"title", "X"}})).status, 403u);
  }
  // A contributor changes only the rows they own.
  auto not_owned = carl.Patch(Url(control), Json({{"implementation_status", "planned"}}),
                              {{"If-Match", Etag(control)}});
  EXPECT_EQ(not_owned.status, 403u);
  auto foreign_owner =
      maria.Patch(Url(control), Json({{"owner_id", mallory_id_}}), {{"If-Match", Etag(control)}});
  EXPECT_EQ(foreign_owner.status, 422u);
  EXPECT_THAT(ErrorFields(foreign_owner), ElementsAre("owner_id"));
  control = Patch(maria, control, {{"owner_id", carl_id}});
  EXPECT_EQ(control.at("owner_email"), "carl@example.com");
  control = Patch(carl, control,
                  {{"implementation_status", "partially_implemented"},
                   {"implementation", "Nightly backups; restore test pending."}});
  // …and cannot give them away.
  auto give_away =
      carl.Patch(Url(control), Json({{"owner_id", maria_id}}), {{"If-Match", Etag(control)}});
  EXPECT_EQ(give_away.status, 403u);
  auto other = Control(carl, "A.8.14");
  EXPECT_EQ(
      carl.Patch(Url(other), Json({{"owner_id", carl_id}}), {{"If-Match", Etag(other)}}).status,
      403u);
  // Contributors create custom controls for themselves only.
  EXPECT_EQ(carl.Post(Controls(), Json({{"ref_id", "K-1"}, {"title", "Mine"}})).status, 403u);
  EXPECT_EQ(
      carl.Post(Controls(), Json({{"ref_id", "K-1"}, {"title", "Mine"}, {"owner_id", carl_id}}))
          .status,
      201u);

  // Another organization's members see nothing, not even that the rows exist.
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Controls()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(control)).status, 404u);
  EXPECT_EQ(
      mallory.Patch(Url(control), Json({{"implementation", "x"}}), {{"If-Match", Etag(control)}})
          .status,
      404u);
  // Their own organization's rows have other ids.
  auto own = mallory.Get("/api/v1/orgs/" + other_org_ + "/controls?limit=1").Json();
  EXPECT_NE(own.at("items").at(0).at("id"), control.at("id"));
  EXPECT_EQ(mallory
                .Get("/api/v1/orgs/" + other_org_ + "/controls/" +
                     std::string(control.at("id").as_string()))
                .status,
            404u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ControlsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
