// The authorization sweep (security issue, item 2): every route the router knows, called by
// each kind of caller, answers as the roles of DESIGN.md §4 say, and nothing of one
// organization is readable or writable from another. New routes are swept without a change
// here; a route that needs an exception must be named in this file, with the reason.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include <gmock/gmock.h>

#include "http/request.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

/// A path of `pattern` with every parameter filled: the organization under test for
/// `{org}`, and for any other parameter a value that names nothing (the sweep is about who
/// may knock, not about what is behind the door).
std::string Fill(const std::string& pattern, const std::string& org) {
  std::string path;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const std::size_t open = pattern.find('{', at);
    if (open == std::string::npos) {
      path += pattern.substr(at);
      break;
    }
    const std::size_t close = pattern.find('}', open);
    path += pattern.substr(at, open - at);
    const std::string name = pattern.substr(open + 1, close - open - 1);
    if (name == "org") {
      path += org;
    } else if (name == "number" || name == "n" || name == "version") {
      path += "1";
    } else {
      path += "00000000-0000-4000-8000-000000000001";
    }
    at = close + 1;
  }
  return path;
}

bool Writes(http::Method method) {
  return method != http::Method::kGet && method != http::Method::kHead;
}

bool UnderOrg(const std::string& pattern) { return pattern.starts_with("/api/v1/orgs/{org}"); }

/// Org-scoped writes that a viewer or auditor may make, each with its reason.
const std::map<std::string, std::string>& ReaderWrites() {
  static const std::map<std::string, std::string> allowed = {
      // Every person in scope acknowledges the policies they must read (5.2 f, 7.3).
      {"POST /api/v1/orgs/{org}/documents/{id}/acknowledgments", "everyone acknowledges"},
  };
  return allowed;
}

/// Org-scoped reads kept from viewers and contributors, each with its reason; auditors,
/// managers and admins read them.
const std::map<std::string, std::string>& RestrictedReads() {
  static const std::map<std::string, std::string> restricted = {
      {"GET /api/v1/orgs/{org}/audit-log", "every change, memberships included"},
      {"GET /api/v1/orgs/{org}/audit-log/verify", "as the log itself"},
      {"GET /api/v1/orgs/{org}/certification-pack",
       "the whole documented information leaves the system at once (7.5.3 c)"},
      {"GET /api/v1/orgs/{org}/guest-access-log",
       "what external auditors read (A.8.15), as the audit log"},
  };
  return restricted;
}

class AuthorizationSweep : public ApiTest {
 protected:
  struct Call {
    std::string route;  ///< "METHOD /pattern"
    unsigned status = 0;
  };

  /// Calls every route once as `client` and returns the answers.
  std::vector<Call> Sweep(HttpClient& client, const std::string& org,
                          const std::function<bool(const http::Route&)>& which) {
    std::vector<Call> calls;
    for (const auto& route : server_->app().http().router().routes()) {
      if (!which(route)) continue;
      const std::string method(http::MethodName(route.method));
      const std::string path = Fill(route.pattern, org);
      // A body and a precondition that pass the parsers, so what answers is the gate.
      auto reply = client.Send(method, path, Writes(route.method) ? "{}" : "",
                               {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
      calls.push_back({method + " " + route.pattern, reply.status});
    }
    return calls;
  }

  std::int64_t AuditEvents(const std::string& org) {
    auto tx = server_->db().Begin(storage::TxMode::kRead);
    EXPECT_TRUE(tx);
    auto page =
        server_->app().audit_log().List(**tx, org, PageQuery{.limit = 1, .after = std::nullopt});
    EXPECT_TRUE(page);
    return page && !page->items.empty() ? page->items.front().seq : 0;
  }
};

TEST_P(AuthorizationSweep, NobodySignedOutReachesAnythingButThePublicRoutes) {
  auto anonymous = server_->Client();
  for (const auto& call : Sweep(anonymous, org_, [](const http::Route& route) {
         return route.access == http::Access::kUser;
       })) {
    EXPECT_EQ(call.status, 401u) << call.route;
  }
}

TEST_P(AuthorizationSweep, AnotherOrganizationsAdminSeesAndChangesNothing) {
  const std::int64_t before = AuditEvents(org_);
  auto mallory = server_->SignedIn("mallory@example.com");
  for (const auto& call :
       Sweep(mallory, org_, [](const http::Route& route) { return UnderOrg(route.pattern); })) {
    EXPECT_EQ(call.status, 404u) << call.route << ": an outsider must not learn the org exists";
  }
  EXPECT_EQ(AuditEvents(org_), before);
}

TEST_P(AuthorizationSweep, OnlyTheNamedRoutesLetEveryMemberWrite) {
  std::set<std::string> open;
  for (const auto& route : server_->app().http().router().routes()) {
    if (route.options.writers == http::Writers::kAnyMember) {
      open.insert(std::string(http::MethodName(route.method)) + " " + route.pattern);
    }
  }
  std::set<std::string> named;
  for (const auto& [route, reason] : ReaderWrites()) named.insert(route);
  EXPECT_EQ(open, named);
}

/// Whether a route writes audit records (9.2), which auditors write too.
bool WritesAuditRecords(const http::Route& route) {
  return route.options.writers == http::Writers::kAuditors;
}

TEST_P(AuthorizationSweep, AuditorsWriteOnlyAuditRecords) {
  for (const auto& route : server_->app().http().router().routes()) {
    if (!WritesAuditRecords(route)) continue;
    EXPECT_TRUE(route.pattern.starts_with("/api/v1/orgs/{org}/audits") ||
                route.pattern.starts_with("/api/v1/orgs/{org}/audit-programmes"))
        << route.pattern << ": auditors write audits, checklists and findings, nothing else";
  }
}

TEST_P(AuthorizationSweep, ViewersNeverWriteAndAuditorsOnlyAuditRecords) {
  for (const char* email : {"victor@example.com", "audrey@example.com"}) {
    SCOPED_TRACE(email);
    const bool auditor = std::string(email) == "audrey@example.com";
    const std::int64_t before = AuditEvents(org_);
    auto reader = server_->SignedIn(email);
    for (const auto& call : Sweep(reader, org_, [auditor](const http::Route& route) {
           return UnderOrg(route.pattern) && Writes(route.method) &&
                  !(auditor && WritesAuditRecords(route));
         })) {
      if (ReaderWrites().contains(call.route)) continue;
      EXPECT_EQ(call.status, 403u) << call.route;
    }
    EXPECT_EQ(AuditEvents(org_), before);
  }
}

TEST_P(AuthorizationSweep, EveryMemberReadsWithoutAServerError) {
  for (const char* email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    SCOPED_TRACE(email);
    auto member = server_->SignedIn(email);
    for (const auto& call : Sweep(member, org_, [](const http::Route& route) {
           return UnderOrg(route.pattern) && !Writes(route.method);
         })) {
      if (RestrictedReads().contains(call.route) && std::string(email) != "audrey@example.com") {
        EXPECT_EQ(call.status, 403u) << call.route;
        continue;
      }
      EXPECT_THAT(call.status, ::testing::AnyOf(200u, 404u, 409u, 422u)) << call.route;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthorizationSweep, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
