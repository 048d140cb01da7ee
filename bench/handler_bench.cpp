// In-process cost of requests through the whole application (middleware, service, store,
// JSON) without the network: what one request costs the server's CPU. SQLite in a
// temporary directory, 10,000 context issues, an API token, as bench/run.sh does over HTTP.
#include <filesystem>

#include <benchmark/benchmark.h>

#include "cli/app.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"

namespace certus {
namespace {

class Fixture {
 public:
  Fixture() {
    dir_ = std::filesystem::temp_directory_path() / ("certus-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    db_ = storage::OpenDatabase("sqlite:" + (dir_ / "certus.db").string()).value();
    db_->Migrate().value();
    cli::AppSettings settings;
    settings.identity.hash_cost = identity::HashCost::kMinimum;
    settings.http.access_log = false;
    app_ = std::make_unique<cli::App>(*db_, clock_, random_, settings);
    auto admin = app_->identity()
                     .CreateUser(Actor::System(),
                                 {"bench@example.com", "", SecretString("bench-password-1"), true})
                     .value();
    org_ = app_->identity().CreateOrg(Actor::System(), "Bench", admin.id).value().id.str();
    Actor actor{admin.id, admin.email, Role::kAdmin, false, {}};
    std::vector<context::NewContextIssue> issues;
    issues.reserve(10000);
    for (int i = 0; i < 10000; ++i) {
      issues.push_back({context::IssueKind::kInternal, "Issue " + std::to_string(i),
                        "Synthetic issue for benchmarks.", "Affects outcomes.", std::nullopt});
    }
    app_->context().CreateMany(actor, OrgId(org_), issues).value();
    token_ = app_->identity()
                 .CreateToken(actor, "bench", OrgId(org_), Role::kViewer)
                 .value()
                 .secret.Expose();
  }
  ~Fixture() { std::filesystem::remove_all(dir_); }

  http::Response Get(const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& query) {
    http::Request request;
    request.method = http::Method::kGet;
    request.path = path;
    request.query = query;
    request.headers = {{"authorization", "Bearer " + token_}};
    return app_->http().Handle(request);
  }

  const std::string& org() const { return org_; }

 private:
  std::filesystem::path dir_;
  SystemClock clock_;
  SystemRandom random_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<cli::App> app_;
  std::string org_;
  std::string token_;
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void BM_Healthz(benchmark::State& state) {
  auto& fixture = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(fixture.Get("/healthz", {}));
}
BENCHMARK(BM_Healthz);

void BM_ContextIssuesFirstPage(benchmark::State& state) {
  auto& fixture = Shared();
  const std::string path = "/api/v1/orgs/" + fixture.org() + "/context-issues";
  for (auto _ : state) {
    auto response = fixture.Get(path, {{"limit", std::to_string(state.range(0))}});
    if (response.status != 200) state.SkipWithError("list did not answer 200");
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_ContextIssuesFirstPage)->Arg(1)->Arg(50)->Arg(500);

void BM_ContextIssuesSearch(benchmark::State& state) {
  auto& fixture = Shared();
  const std::string path = "/api/v1/orgs/" + fixture.org() + "/context-issues";
  for (auto _ : state) {
    benchmark::DoNotOptimize(fixture.Get(path, {{"q", "issue 99"}, {"sort", "title"}}));
  }
}
BENCHMARK(BM_ContextIssuesSearch);

}  // namespace
}  // namespace certus

BENCHMARK_MAIN();
