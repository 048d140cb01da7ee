// In-process cost of the controls issue's targets, without the network: the export of a
// 1,000-control Statement of Applicability through the whole application (query, table,
// writer), and the NIST SP 800-53 MODERATE resolved catalog (../shared/oscal) parsed and
// imported. bench/run.sh measures the same over HTTP against the release binary.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>
#include <fmt/format.h>

#include "cli/app.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "interchange/oscal.hpp"

// bench/CMakeLists.txt defines it; a tool that compiles this file alone (clang-tidy) may not.
#ifndef CERTUS_SOURCE_DIR
#define CERTUS_SOURCE_DIR "."
#endif

namespace certus {
namespace {

/// An installation with one organization whose SoA holds the 93 Annex A rows and 907 custom
/// controls, most decided with a justification (as bench/seed.py does over HTTP).
class SoaFixture {
 public:
  SoaFixture() {
    dir_ = std::filesystem::temp_directory_path() /
           ("certus-controls-bench-" + std::to_string(::getpid()));
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
    token_ = app_->identity()
                 .CreateToken(actor, "bench", OrgId(org_), Role::kAdmin)
                 .value()
                 .secret.Expose();
    const std::string controls = "/api/v1/orgs/" + org_ + "/controls";
    // The first read seeds the Annex A rows; decide them as custom rows are decided.
    auto page = boost::json::parse(Call(http::Method::kGet, controls, {{"limit", "500"}}).body);
    int i = 0;
    for (const auto& row : page.at("items").as_array()) {
      auto fields = Decision(i++, std::string(row.at("ref_id").as_string()));
      if (fields.empty()) continue;
      auto response =
          Call(http::Method::kPatch, controls + "/" + std::string(row.at("id").as_string()), {},
               boost::json::serialize(fields), fmt::format("\"{}\"", row.at("version").as_int64()));
      if (response.status != 200) throw std::runtime_error("PATCH control: " + response.body);
    }
    for (; i < 1000; ++i) {
      const std::string ref = fmt::format("C-{}", 1000 + i);
      auto fields = Decision(i, ref);
      fields["ref_id"] = ref;
      fields["title"] = "Custom control " + std::to_string(i);
      auto response = Call(http::Method::kPost, controls, {}, boost::json::serialize(fields));
      if (response.status != 201) throw std::runtime_error("POST control: " + response.body);
    }
  }
  ~SoaFixture() { std::filesystem::remove_all(dir_); }
  SoaFixture(const SoaFixture&) = delete;
  SoaFixture& operator=(const SoaFixture&) = delete;

  http::Response Call(http::Method method, const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& query,
                      std::string body = "", const std::string& if_match = "") {
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = query;
    request.headers = {{"authorization", "Bearer " + token_}};
    if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
    if (!if_match.empty()) request.headers.emplace_back("if-match", if_match);
    request.body = std::move(body);
    return app_->http().Handle(request);
  }

  const std::string& org() const { return org_; }
  cli::App& app() { return *app_; }

 private:
  static boost::json::object Decision(int i, const std::string& ref) {
    if (i % 11 == 10) return {};
    if (i % 7 == 0) {
      return {{"applicable", false},
              {"justification", ref + " is excluded: the activity it governs is not performed in "
                                      "scope; reviewed at the annual management review."}};
    }
    return {{"applicable", true},
            {"justification", ref + " treats risks R-" + std::to_string(i) +
                                  " of the register and is required by contracts with "
                                  "customers, \"quoted\", with commas."},
            {"inclusion_reasons", boost::json::array{"contractual", "business"}},
            {"implementation_status", "implemented"},
            {"implementation", "Procedure P-" + std::to_string(i) + " describes how " + ref +
                                   " operates; evidence is reviewed quarterly."}};
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  SystemRandom random_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<cli::App> app_;
  std::string org_;
  std::string token_;
};

SoaFixture& Soa() {
  static SoaFixture fixture;
  return fixture;
}

void BM_SoaExport(benchmark::State& state, const char* format) {
  auto& fixture = Soa();
  const std::string path = "/api/v1/orgs/" + fixture.org() + "/soa/export";
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto response = fixture.Call(http::Method::kGet, path, {{"format", format}});
    if (response.status != 200) state.SkipWithError("export did not answer 200");
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK_CAPTURE(BM_SoaExport, csv_1000, "csv")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SoaExport, xlsx_1000, "xlsx")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SoaExport, pdf_1000, "pdf")->Unit(benchmark::kMillisecond);

/// The MODERATE resolved catalog next to the source tree, or empty when it is absent.
const std::string& ModerateCatalog() {
  static const std::string text = [] {
    const auto path = std::filesystem::path(CERTUS_SOURCE_DIR) / ".." / "shared" / "oscal" /
                      "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  }();
  return text;
}

void BM_OscalParseModerate(benchmark::State& state) {
  if (ModerateCatalog().empty()) {
    state.SkipWithError("../shared/oscal is absent");
    return;
  }
  for (auto _ : state) {
    auto catalog = interchange::ParseOscalCatalog(ModerateCatalog());
    if (!catalog) state.SkipWithError("the catalog did not parse");
    benchmark::DoNotOptimize(catalog);
  }
}
BENCHMARK(BM_OscalParseModerate)->Unit(benchmark::kMillisecond);

// Parse and import; each iteration imports it under another uuid and key (a catalog imported
// before is refused), so the installation holds one more framework after each.
void BM_OscalImportModerate(benchmark::State& state) {
  if (ModerateCatalog().empty()) {
    state.SkipWithError("../shared/oscal is absent");
    return;
  }
  auto& app = Soa().app();
  static int imported = 0;
  for (auto _ : state) {
    auto catalog = interchange::ParseOscalCatalog(ModerateCatalog());
    if (!catalog) {
      state.SkipWithError("the catalog did not parse");
      break;
    }
    ++imported;
    catalog->uuid = "00000000-0000-4000-8000-" + std::to_string(100000000000 + imported);
    auto done = app.frameworks().Import(Actor::System(), *catalog,
                                        "nist-bench-" + std::to_string(imported));
    if (!done) state.SkipWithError("the import failed");
  }
}
BENCHMARK(BM_OscalImportModerate)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace certus
