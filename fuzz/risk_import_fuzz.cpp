// The risk register's CSV import (6.1.2; POST /orgs/{org}/risks/import and `certus import
// risks`): risk::RegisterService::ImportRisks (src/modules/risk/register_import.cpp) as a
// dry run, over a SQLite database in a temporary directory that holds one organization with
// two members and two risks (R-0001, R-0002) for the `ref` column to update.
//
// Invariants: a dry run always answers with a report (any error is a bug: the file's
// problems belong in the report); each problem names a line of the file and a field; a file
// with no problem would create or update one risk per record of the CSV; and a dry run
// writes nothing: no risk, no audit event, no ref used up.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <unistd.h>

#include "auditlog/audit_log.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "fuzz/check.hpp"
#include "identity/service.hpp"
#include "interchange/csv.hpp"
#include "modules/risk/register_service.hpp"
#include "modules/risk/service.hpp"
#include "storage/database.hpp"

namespace {

using namespace certus;

/// One database and the services over it for the whole run.
struct World {
  std::filesystem::path dir;
  std::unique_ptr<storage::Database> db;
  SystemClock clock;
  SystemRandom random;
  std::unique_ptr<auditlog::AuditLog> audit_log;
  std::unique_ptr<identity::IdentityService> identity;
  std::unique_ptr<risk::RiskService> risks;
  std::unique_ptr<risk::RegisterService> register_service;
  OrgId org;
  Actor actor;
  std::string counts;  ///< rows of risks and audit events, and the counters, after setup
};

template <typename T>
T Must(Expected<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "risk_import_fuzz setup: %s: %s\n", what,
                 result.error().message().c_str());
    std::abort();
  }
  return std::move(*result);
}

std::string Counts(World& world) {
  auto tx = Must(world.db->Begin(storage::TxMode::kRead), "begin");
  std::string counts;
  for (const char* sql : {"SELECT COUNT(*) FROM risks", "SELECT COUNT(*) FROM audit_events",
                          "SELECT COALESCE(SUM(value), 0) FROM org_counters"}) {
    const auto result = Must(tx->Execute(sql), sql);
    counts += std::to_string(result.rows.at(0).Int(0));
    counts += ' ';
  }
  return counts;
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;  // lives for the whole process, like the fuzzer
    char pattern[] = "/tmp/certus-fuzz-risk-XXXXXX";
    if (mkdtemp(pattern) == nullptr) std::abort();
    w->dir = pattern;
    std::atexit([] { std::filesystem::remove_all(TheWorld().dir); });
    w->db = Must(storage::OpenDatabase("sqlite:" + (w->dir / "fuzz.db").string()), "open");
    Must(w->db->Migrate(), "migrate");
    w->audit_log = std::make_unique<auditlog::AuditLog>(w->clock);
    identity::IdentitySettings settings;
    settings.hash_cost = identity::HashCost::kMinimum;
    w->identity = std::make_unique<identity::IdentityService>(*w->db, w->clock, w->random,
                                                              *w->audit_log, settings);
    w->risks = std::make_unique<risk::RiskService>(*w->db, w->clock, w->random, *w->audit_log,
                                                   *w->identity);
    w->register_service = std::make_unique<risk::RegisterService>(
        *w->db, w->clock, w->random, *w->audit_log, *w->identity, *w->risks);
    const auto system = Actor::System();
    const auto alice =
        Must(w->identity->CreateUser(
                 system, {"alice@example.com", "Alice", SecretString("correct horse 1"), false}),
             "alice");
    const auto bob = Must(w->identity->CreateUser(system, {"bob@example.com", "Bob",
                                                           SecretString("correct horse 2"), false}),
                          "bob");
    w->org = Must(w->identity->CreateOrg(system, "Fuzz Ltd", alice.id), "org").id;
    w->actor = Actor{alice.id, alice.email, Role::kAdmin, false, "fuzz"};
    Must(w->identity->AddMember(w->actor, w->org, bob.email, Role::kContributor), "member");
    const auto seeded =
        Must(w->register_service->ImportRisks(w->actor, w->org,
                                              "title,owner,likelihood,impact,treatment\n"
                                              "Ransomware,alice@example.com,4,4,undecided\n"
                                              "Laptop theft,bob@example.com,2,3,undecided\n",
                                              risk::DryRun::kNo),
             "seed");
    if (seeded.created != 2) std::abort();
    w->counts = Counts(*w);
    return w;
  }();
  return *world;
}

std::size_t LineCount(std::string_view text) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
      ++lines;
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& world = TheWorld();
  const std::string_view csv = fuzz::Text(data, size);
  auto report =
      world.register_service->ImportRisks(world.actor, world.org, csv, risk::DryRun::kYes);
  FUZZ_CHECK(report.has_value(), report.error().message() + " / " + report.error().log_detail());
  FUZZ_CHECK(report->dry_run, csv);
  const std::size_t lines = LineCount(csv);
  for (const auto& problem : report->errors) {
    FUZZ_CHECK(problem.line >= 1 && problem.line <= lines, std::to_string(problem.line));
    FUZZ_CHECK(!problem.field.empty() && !problem.message.empty(), problem.message);
  }
  if (report->errors.empty()) {
    auto table = interchange::ParseCsv(csv);
    FUZZ_CHECK(table.has_value(), csv);
    FUZZ_CHECK(
        report->created + report->updated == static_cast<std::int64_t>(table->records.size()), csv);
  }
  FUZZ_CHECK(Counts(world) == world.counts, Counts(world));
  return 0;
}
