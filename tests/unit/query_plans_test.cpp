// The plans of the main read queries (issue 8, item 3): no full scan where an index can serve.
//
// A small installation is seeded through the services (`certus seed`), then the read paths
// the web UI uses at scale are called through the HTTP application exactly as a request
// would run them: the risk register with each filter, each sort both ways and its next page,
// the heat map, the treatment plan, assets, controls and the SoA, evidence, documents, tasks
// and the calendar, notifications, the audit log and objects' history, context issues and
// readiness (whose as-of replay reads the audit log). A decorator of the database records
// every statement they execute (authentication included); each is then explained with the
// same values, and a step that reads a whole table or a whole index fails:
//   SQLite:      EXPLAIN QUERY PLAN; `SCAN t` and `SCAN t USING [COVERING] INDEX i` fail,
//                `SEARCH t USING …` (a key lookup or range) passes.
//   PostgreSQL:  SET LOCAL enable_seqscan = off, then EXPLAIN (FORMAT JSON). With sequential
//                scans off the planner still picks a `Seq Scan` where no index can serve, or
//                reads a whole index instead; so an index scan must have an index condition
//                on the index's first column.
// Tables whose full scan stays cheap are listed with their reason in kScannable.
// Set CERTUS_PLANS_VERBOSE=1 to print every statement with its plan.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "cli/app.hpp"
#include "cli/seed_command.hpp"
#include "modules/context/store.hpp"
#include "modules/controls/store.hpp"
#include "modules/documents/store.hpp"
#include "modules/evidence/store.hpp"
#include "modules/notifications/store.hpp"
#include "modules/risk/register_store.hpp"
#include "modules/risk/store.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/recording_database.hpp"
#include "tests/support/test_database.hpp"

namespace certus::testing {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

/// Tables a plan may scan in full, and why that stays cheap however large the ISMS grows.
const std::map<std::string, std::string, std::less<>> kScannable = {
    // The installation's framework catalogs (ISO 27001 built in, a few imported), listed
    // whole by the SoA and the frameworks page; they grow with imports, never with an ISMS.
    {"frameworks", "a handful of catalogs per installation"},
};

/// Fragments of statements that look records up by key or through their links.
constexpr std::string_view kLookups[] = {
    "AND id IN (",    "rc.control_id IN (", "ec.control_id IN (",
    "ra.asset_id = ", "ec.control_id = ",   "WHERE id IN ("};
/// Tables of which an organization has a handful of rows (its ISMS roles): walking them is
/// no cost.
const std::set<std::string, std::less<>> kFewPerOrganization = {"isms_roles"};

bool Verbose() {
  const char* value = std::getenv("CERTUS_PLANS_VERBOSE");
  return value != nullptr && *value != '\0' && std::string_view(value) != "0";
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// Whether a statement is one a plan can be asked for: DML, not SET, PRAGMA or DDL.
bool Explainable(std::string_view sql) {
  const auto start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos) return false;
  const std::string head = Upper(sql.substr(start, 7));
  for (std::string_view verb : {"SELECT", "WITH", "UPDATE", "DELETE", "INSERT"}) {
    if (head.starts_with(verb)) return true;
  }
  return false;
}

std::string ParamsText(const std::vector<storage::Value>& params) {
  std::string out;
  for (std::size_t i = 0; i < params.size(); ++i) {
    out += fmt::format("{}${}=", i == 0 ? "" : ", ", i + 1);
    const auto& value = params[i];
    if (std::holds_alternative<std::nullptr_t>(value)) {
      out += "NULL";
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      out += std::to_string(*integer);
    } else if (const auto* number = std::get_if<double>(&value)) {
      out += fmt::format("{}", *number);
    } else {
      out += "'" + std::get<std::string>(value) + "'";
    }
  }
  return out;
}

/// What SQLite's plan calls a table: its name, or the alias the statement gave it. Reads the
/// aliases of `FROM t a`, `JOIN t AS a`, `, t a` where `t` is a table, and the names of CTEs
/// (`WITH c AS (`, `, c(x) AS (`), whose scans read a result, not a table.
struct Names {
  std::map<std::string, std::string> table_of;  ///< alias or table name -> table
  std::set<std::string> ctes;
};

Names NamesIn(const std::string& sql, const std::set<std::string>& tables) {
  static const std::set<std::string> kKeywords = {
      "WHERE", "JOIN",  "LEFT",  "RIGHT",  "INNER",  "OUTER",     "CROSS",  "ON",
      "USING", "ORDER", "GROUP", "LIMIT",  "UNION",  "EXCEPT",    "SET",    "VALUES",
      "AND",   "OR",    "AS",    "SELECT", "HAVING", "INTERSECT", "NATURAL"};
  static const std::regex kSource(
      R"((?:\bFROM|\bJOIN|\bUPDATE|\bINTO|,)\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+(?:AS\s+)?([A-Za-z_][A-Za-z0-9_]*))?)",
      std::regex::icase);
  static const std::regex kCte(
      R"((?:\bWITH(?:\s+RECURSIVE)?|,)\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\([^()]*\))?\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s*)?\()",
      std::regex::icase);
  Names names;
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), kCte); it != std::sregex_iterator();
       ++it) {
    names.ctes.insert((*it)[1].str());
  }
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), kSource);
       it != std::sregex_iterator(); ++it) {
    const std::string table = (*it)[1].str();
    if (!tables.contains(table)) continue;
    names.table_of[table] = table;
    const std::string alias = (*it)[2].str();
    if (!alias.empty() && !kKeywords.contains(Upper(alias))) names.table_of[alias] = table;
  }
  return names;
}

/// One full scan a plan makes.
struct Scan {
  std::string table;  ///< the table, or the plan's name for it when it could not be resolved
  std::string step;
};

/// A seeded installation on one engine, shared by the tests of that engine: seeding is the
/// slow part. The application reads through a RecordingDatabase; plans are asked of the
/// database underneath, so that explaining records nothing.
class Installation final {
 public:
  explicit Installation(Engine engine) : database_(TestDatabase::Create(engine)) {
    blob_dir_ = std::filesystem::temp_directory_path() /
                fmt::format("certus-plans-{}-{}", getpid(),
                            engine == Engine::kSqlite ? "sqlite" : "postgres");
    recording_ = std::make_unique<RecordingDatabase>(database_->db());
    cli::AppSettings settings;
    settings.blob_dir = blob_dir_;
    settings.identity.hash_cost = identity::HashCost::kMinimum;
    settings.http.access_log = false;
    app_ = std::make_unique<cli::App>(*recording_, clock_, random_, settings);
  }
  ~Installation() {
    app_.reset();
    recording_.reset();
    database_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(blob_dir_, ignored);
  }
  Installation(const Installation&) = delete;
  Installation& operator=(const Installation&) = delete;

  /// `certus init`, `certus seed` of a small organization (written to the database
  /// underneath, unrecorded), and an admin API token of that organization for the requests.
  void Seed() {
    auto admin =
        app_->identity().CreateUser(Actor::System(), {.email = "admin@example.com",
                                                      .display_name = "Admin",
                                                      .password = SecretString("correct-horse-1"),
                                                      .installation_admin = true});
    ASSERT_TRUE(admin) << admin.error().message();
    cli::SeedOptions options;
    options.size = "T";
    options.volume = {.people = 6,
                      .assets = 8,
                      .risks = 24,
                      .controls = 95,
                      .evidence = 8,
                      .documents = 4,
                      .events = 350};
    // Plans do not depend on the data (SQLite keeps no statistics here; PostgreSQL has
    // sequential scans off), so one organization, just large enough for next pages, will do.
    options.tenants = 0;
    options.seed = 8;
    options.today = clock_.Now();
    options.blob_dir = blob_dir_;
    options.batch = 100;
    std::ostringstream progress;
    auto seeded = cli::SeedOrganizations(database_->db(), random_, options, progress);
    ASSERT_TRUE(seeded) << seeded.error().message();
    org_ = seeded->front().id;
    const Actor actor{admin->id, admin->email, Role::kAdmin, true, {}};
    auto token = app_->identity().CreateToken(actor, "plans", org_, Role::kAdmin);
    ASSERT_TRUE(token) << token.error().message();
    token_ = token->secret.Expose();
    auto catalog = ReadCatalog();
    ASSERT_TRUE(catalog) << catalog.error().message() << " " << catalog.error().log_detail();
    recording_->Take();
  }

  const OrgId& org() const { return org_; }
  std::string Org(std::string_view rest) const {
    return fmt::format("/api/v1/orgs/{}{}", org_.str(), rest);
  }

  /// Runs GET `path` as the UI would and checks the plan of every statement it executed.
  /// Answers the response's JSON (null unless it is 200 and JSON).
  boost::json::value Get(const std::string& path, const Params& query = {}) {
    http::Request request;
    request.method = http::Method::kGet;
    request.path = path;
    request.target = path;
    for (std::size_t i = 0; i < query.size(); ++i) {
      request.target += (i == 0 ? "?" : "&") + query[i].first + "=" + query[i].second;
    }
    request.query = query;
    request.remote_address = "127.0.0.1";
    request.headers.emplace_back("authorization", "Bearer " + token_);
    const http::Response response = app_->http().Handle(request);
    auto statements = recording_->Take();
    EXPECT_EQ(response.status, 200u) << request.target << ": " << response.body;
    EXPECT_FALSE(statements.empty()) << request.target << " ran no SQL";
    for (const auto& statement : statements) Check(request.target, statement);
    boost::system::error_code ec;
    auto body = boost::json::parse(response.body, ec);
    return response.status == 200 && !ec ? body : boost::json::value();
  }

  /// Every sort of a collection both ways, each with its next page (limit 3).
  void GetPages(const std::string& path, const std::vector<std::string>& sorts,
                const Params& filter = {}) {
    for (const auto& field : sorts) {
      for (const auto& sort : {field, "-" + field}) {
        Params query = filter;
        query.emplace_back("sort", sort);
        query.emplace_back("limit", "3");
        auto page = Get(path, query);
        const auto* cursor =
            page.is_object() ? page.as_object().if_contains("next_cursor") : nullptr;
        if (cursor == nullptr || !cursor->is_string()) continue;
        query.emplace_back("cursor", std::string(cursor->as_string()));
        Get(path, query);
      }
    }
  }

  bool seeded() const { return !token_.empty(); }
  /// How many distinct statements were explained.
  std::size_t explained() const { return explained_.size(); }

  /// Every full scan in the plan of `statement`, of allowed tables too; `plan` gets its text.
  Expected<std::vector<Scan>> ScansOf(const RecordedStatement& statement, std::string& plan) {
    std::vector<Scan> scans;
    if (database_->engine() == Engine::kSqlite) {
      CERTUS_CHECK(ExplainSqlite(statement, plan, scans));
    } else {
      CERTUS_CHECK(ExplainPostgres(statement, plan, scans));
    }
    return scans;
  }

 private:
  /// An index of the PostgreSQL schema: its table and the column it is ordered by first
  /// (empty for an expression).
  struct IndexInfo {
    std::string table;
    std::string leading_column;
  };

  Expected<void> ReadCatalog() {
    const bool sqlite = database_->engine() == Engine::kSqlite;
    auto tx = CERTUS_TRY(database_->db().Begin(storage::TxMode::kRead));
    auto tables = CERTUS_TRY(tx->Execute(
        sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table'"
               : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"));
    for (const auto& row : tables.rows) tables_.insert(row.Text(0));
    if (sqlite) return {};
    auto indexes = CERTUS_TRY(tx->Execute(
        "SELECT c.relname, t.relname, COALESCE(a.attname::text, '') FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
        "WHERE n.nspname = current_schema()"));
    for (const auto& row : indexes.rows) indexes_[row.Text(0)] = {row.Text(1), row.Text(2)};
    return {};
  }

  void Check(const std::string& target, const RecordedStatement& statement) {
    if (!Explainable(statement.sql)) return;
    // A statement is explained once: the plan of a text does not depend on where it ran
    // (SQLite has no statistics; PostgreSQL here has sequential scans off).
    if (!explained_.insert(statement.sql).second) return;
    std::string plan;
    auto scans = ScansOf(statement, plan);
    if (!scans) {
      ADD_FAILURE() << target << ": cannot explain\n"
                    << statement.sql << "\n"
                    << scans.error().message() << " " << scans.error().log_detail();
      return;
    }
    if (Verbose()) {
      std::cout << "---- " << target << "\n"
                << statement.sql << "\n  [" << ParamsText(statement.params) << "]\n"
                << plan;
    }
    for (const auto& scan : *scans) {
      if (kScannable.contains(scan.table)) continue;
      ADD_FAILURE() << "GET " << target << " scans the whole table " << scan.table
                    << " (plan step: " << scan.step << ")\n"
                    << statement.sql << "\n  [" << ParamsText(statement.params) << "]\n"
                    << plan;
    }
  }

  Expected<void> ExplainSqlite(const RecordedStatement& statement, std::string& plan,
                               std::vector<Scan>& scans) {
    const Names names = NamesIn(statement.sql, tables_);
    auto tx = CERTUS_TRY(database_->db().Begin(storage::TxMode::kWrite));  // never committed
    auto result = CERTUS_TRY(tx->Execute("EXPLAIN QUERY PLAN " + statement.sql, statement.params));
    // `SEARCH t USING …` looks rows up by a key; `SCAN t` reads the whole table, and
    // `SCAN t USING [COVERING] INDEX i` the whole index i (for its order, or because no
    // index has the columns the query constrains first): both grow with every organization.
    static const std::regex kScan(R"(^SCAN (\S+)(.*)$)");
    // A statement that finds a few records by key or through their links must not walk the
    // organization by `(org_id=?)` alone instead: at scale that is as slow as a scan, and
    // SQLite's heuristics choose it unless the query is written against it (ADR 0024).
    static const std::regex kOrgWalk(R"(^SEARCH (\S+) USING (COVERING )?INDEX \S+ \(org_id=\?\)$)");
    const bool lookup = std::any_of(std::begin(kLookups), std::end(kLookups), [&](auto marker) {
      return statement.sql.find(marker) != std::string::npos;
    });
    for (const auto& row : result.rows) {
      const std::string detail = row.Text(3);
      plan += fmt::format("  {:>3} {:>3}  {}\n", row.Int(0), row.Int(1), detail);
      std::smatch match;
      if (lookup && std::regex_match(detail, match, kOrgWalk)) {
        const auto table = names.table_of.find(match[1].str());
        const std::string name = table != names.table_of.end() ? table->second : match[1].str();
        if (!kFewPerOrganization.contains(name)) {
          scans.push_back({name, detail + " (a lookup that walks the whole organization)"});
        }
        continue;
      }
      if (!std::regex_match(detail, match, kScan)) continue;
      const std::string name = match[1].str();
      const std::string rest = match[2].str();
      // Subqueries, VALUES rows and table-valued functions are no tables.
      if (name.starts_with('(') || name == "CONSTANT" ||
          rest.find("CONSTANT ROW") != std::string::npos ||
          rest.find("VIRTUAL TABLE") != std::string::npos) {
        continue;
      }
      if (auto table = names.table_of.find(name); table != names.table_of.end()) {
        scans.push_back({table->second, detail});
      } else if (!names.ctes.contains(name)) {
        // Neither a table nor a CTE the statement names: fail rather than guess.
        scans.push_back({name + " (unresolved name)", detail});
      }
    }
    return {};
  }

  /// Whether an index condition constrains `column` of the index's own table (written
  /// unqualified, where the other side of a join is qualified: `(programme_id = p.id)`).
  static bool Constrains(const std::string& condition, const std::string& column) {
    const std::regex pattern("(^|[^.\\w\"])\"?" + column + "\"?\\b");
    return std::regex_search(condition, pattern);
  }

  void CollectScans(const boost::json::value& node, std::vector<Scan>& scans) const {
    if (const auto* object = node.if_object()) {
      const auto text = [&](std::string_view key) {
        const auto* value = object->if_contains(key);
        return value != nullptr && value->is_string() ? std::string(value->as_string())
                                                      : std::string();
      };
      const std::string type = text("Node Type");
      if (type == "Seq Scan") {
        scans.push_back(
            {text("Relation Name"), "Seq Scan on " + text("Relation Name") + " " + text("Alias")});
      } else if (type == "Index Scan" || type == "Index Only Scan" || type == "Bitmap Index Scan") {
        // With sequential scans off, the planner reads a whole index instead where no index
        // serves: with no condition, or one on later columns only.
        const std::string index = text("Index Name");
        const std::string condition = text("Index Cond");
        const auto info = indexes_.find(index);
        const bool searched =
            !condition.empty() && (info == indexes_.end() || info->second.leading_column.empty() ||
                                   Constrains(condition, info->second.leading_column));
        if (!searched) {
          const std::string table = info != indexes_.end() ? info->second.table : index;
          scans.push_back(
              {table, fmt::format("{} using {} ({}): the whole index", type, index,
                                  condition.empty()
                                      ? "no condition"
                                      : "condition " + condition + " not on its first column " +
                                            info->second.leading_column)});
        }
      }
      for (const auto& [key, child] : *object) CollectScans(child, scans);
    } else if (const auto* array = node.if_array()) {
      for (const auto& child : *array) CollectScans(child, scans);
    }
  }

  /// A compact text of a JSON plan: one line per node, indented by depth.
  static void PlanLines(const boost::json::value& node, int depth, std::string& plan) {
    const auto* object = node.if_object();
    if (object == nullptr) return;
    std::string line = std::string(static_cast<std::size_t>(2 + 2 * depth), ' ');
    for (const char* key : {"Node Type", "Relation Name", "Alias", "Index Name", "Index Cond",
                            "Recheck Cond", "Filter", "Sort Key"}) {
      if (const auto* value = object->if_contains(key)) {
        line += std::string(key) + ": " + boost::json::serialize(*value) + "  ";
      }
    }
    plan += line + "\n";
    if (const auto* children = object->if_contains("Plans"); children && children->is_array()) {
      for (const auto& child : children->as_array()) PlanLines(child, depth + 1, plan);
    }
  }

  Expected<void> ExplainPostgres(const RecordedStatement& statement, std::string& plan,
                                 std::vector<Scan>& scans) {
    auto tx = CERTUS_TRY(database_->db().Begin(storage::TxMode::kWrite));  // never committed
    CERTUS_TRY(tx->Execute("SET LOCAL enable_seqscan = off"));
    auto result =
        CERTUS_TRY(tx->Execute("EXPLAIN (FORMAT JSON) " + statement.sql, statement.params));
    if (result.rows.size() != 1) return Fail(Error::Internal("EXPLAIN answered no single row"));
    boost::system::error_code ec;
    const auto json = boost::json::parse(result.rows.front().Text(0), ec);
    if (ec || !json.is_array() || json.as_array().empty() || !json.as_array()[0].is_object()) {
      return Fail(Error::Internal("EXPLAIN answered no JSON plan"));
    }
    const auto& root = json.as_array()[0].as_object();
    if (const auto* top = root.if_contains("Plan")) {
      PlanLines(*top, 0, plan);
      CollectScans(*top, scans);
    }
    return {};
  }

  FakeClock clock_{*ParseTimestamp("2026-11-24T15:00:00Z")};
  SeededRandom random_;
  std::unique_ptr<TestDatabase> database_;
  std::filesystem::path blob_dir_;
  std::unique_ptr<RecordingDatabase> recording_;
  std::unique_ptr<cli::App> app_;
  OrgId org_;
  std::string token_;
  std::set<std::string> tables_;
  std::map<std::string, IndexInfo> indexes_;  // PostgreSQL, by index name
  std::set<std::string> explained_;
};

std::string Text(const boost::json::value& value, std::string_view key) {
  if (!value.is_object()) return {};
  const auto* field = value.as_object().if_contains(key);
  if (field == nullptr) return {};
  if (field->is_string()) return std::string(field->as_string());
  if (field->is_int64()) return std::to_string(field->as_int64());
  return {};
}

/// The first item of a page, or null.
boost::json::value First(const boost::json::value& page) {
  if (!page.is_object()) return {};
  const auto* items = page.as_object().if_contains("items");
  if (items == nullptr || !items->is_array() || items->as_array().empty()) return {};
  return items->as_array()[0];
}

class QueryPlans : public ::testing::TestWithParam<Engine> {
 protected:
  static void TearDownTestSuite() { installations_.clear(); }

  void SetUp() override {
    auto& installation = installations_[GetParam()];
    if (installation == nullptr) {
      installation = std::make_unique<Installation>(GetParam());
      installation->Seed();
    }
    ASSERT_TRUE(installation->seeded()) << "seeding failed (see the first test of the engine)";
    site_ = installation.get();
  }

  Installation& site() { return *site_; }

 private:
  static std::map<Engine, std::unique_ptr<Installation>> installations_;
  Installation* site_ = nullptr;
};

std::map<Engine, std::unique_ptr<Installation>> QueryPlans::installations_;

// A check that cannot fail is a defect: the plans of a query no index serves, of one that
// reads a whole index, and of one that searches an index.
TEST_P(QueryPlans, TheCheckTellsScansFromSearches) {
  const std::vector<storage::Value> org{site().org().str()};
  std::string plan;
  auto by_title =
      site().ScansOf({"SELECT id FROM risks WHERE description = $1", {"lost laptop"}}, plan);
  ASSERT_TRUE(by_title) << by_title.error().log_detail();
  ASSERT_EQ(by_title->size(), 1u) << plan;
  EXPECT_EQ(by_title->front().table, "risks") << plan;

  plan.clear();
  auto whole_index =
      site().ScansOf({"SELECT p.id FROM audit_programmes p WHERE p.org_id = $1 AND "
                      "NOT EXISTS (SELECT 1 FROM audits a WHERE a.programme_id = p.id)",
                      org},
                     plan);
  ASSERT_TRUE(whole_index) << whole_index.error().log_detail();
  ASSERT_EQ(whole_index->size(), 1u) << plan;
  EXPECT_EQ(whole_index->front().table, "audits") << plan;

  plan.clear();
  auto searched = site().ScansOf(
      {"SELECT r.id FROM risks r JOIN risk_assets l ON l.risk_id = r.id WHERE r.org_id = $1 "
       "ORDER BY r.inherent_score DESC, r.id DESC LIMIT 5",
       org},
      plan);
  ASSERT_TRUE(searched) << searched.error().log_detail();
  EXPECT_TRUE(searched->empty()) << plan;
}

TEST_P(QueryPlans, RiskRegisterWithEveryFilterSortAndNextPage) {
  const std::string risks = site().Org("/risks");
  const auto risk = First(site().Get(risks));  // the default: -inherent_score
  ASSERT_TRUE(risk.is_object());
  std::string asset_id;
  if (const auto* assets = risk.as_object().if_contains("asset_ids");
      assets != nullptr && assets->is_array() && !assets->as_array().empty()) {
    asset_id = std::string(assets->as_array()[0].as_string());
  }
  const std::vector<Params> filters = {
      {{"treatment", "mitigate"}},
      {{"status", "open"}},
      {{"owner_id", Text(risk, "owner_id")}},
      {{"level", Text(risk, "inherent_level")}},
      {{"asset_id", asset_id.empty() ? "none" : asset_id}},
      {{"likelihood", Text(risk, "likelihood")}, {"impact", Text(risk, "impact")}},
      {{"likelihood", "2"}, {"impact", "3"}, {"basis", "residual"}},
      {{"q", "access"}},
      {{"treatment", "accept"}, {"status", "open"}, {"owner_id", Text(risk, "owner_id")}},
      // An asset's risks come from its links joined to the register (and the text search
      // names the register's rowid in that join).
      {{"asset_id", asset_id.empty() ? "none" : asset_id}, {"q", "access"}},
  };
  for (const auto& filter : filters) site().Get(risks, filter);
  site().GetPages(risks, risk::RegisterStore::RiskSortFields());
  site().GetPages(risks, {"inherent_score"}, {{"treatment", "mitigate"}});
  site().GetPages(risks, {"inherent_score", "title"},
                  {{"asset_id", asset_id.empty() ? "none" : asset_id}});
  site().Get(risks + "/" + Text(risk, "id"));
}

TEST_P(QueryPlans, HeatMapAndTreatmentPlan) {
  site().Get(site().Org("/risks/heatmap"));
  site().Get(site().Org("/risks/heatmap"), {{"basis", "residual"}});
  site().Get(site().Org("/risk-treatment-plan"));
  const std::string treatments = site().Org("/treatments");
  const auto action = First(site().Get(treatments));
  ASSERT_TRUE(action.is_object());
  site().Get(treatments, {{"risk_id", Text(action, "risk_id")}});
  site().Get(treatments, {{"status", "planned"}});
  site().Get(treatments, {{"owner_id", Text(action, "owner_id")}});
  site().Get(treatments, {{"overdue", "true"}});
  site().GetPages(treatments, risk::RegisterStore::TreatmentSortFields());
}

TEST_P(QueryPlans, Assets) {
  const std::string assets = site().Org("/assets");
  const auto asset = First(site().Get(assets));
  ASSERT_TRUE(asset.is_object());
  site().Get(assets, {{"type", Text(asset, "type")}});
  site().Get(assets, {{"classification", Text(asset, "classification")}});
  site().Get(assets, {{"owner_id", Text(asset, "owner_id")}});
  site().Get(assets, {{"q", "server"}});
  site().GetPages(assets, risk::RiskStore::AssetSortFields());
  site().Get(assets + "/" + Text(asset, "id"));
}

TEST_P(QueryPlans, ControlsAndStatementOfApplicability) {
  const std::string controls = site().Org("/controls");
  const auto control = First(site().Get(controls));
  ASSERT_TRUE(control.is_object());
  site().Get(controls, {{"theme", Text(control, "theme")}});
  site().Get(controls, {{"applicable", "true"}});
  site().Get(controls, {{"implementation_status", "implemented"}});
  site().Get(controls, {{"owner_id", Text(control, "owner_id")}});
  site().Get(controls, {{"q", "access"}});
  site().GetPages(controls, controls::ControlStore::SortFields());
  site().Get(controls + "/" + Text(control, "id"));
  site().Get(site().Org("/soa"));
  site().Get(site().Org("/soa"), {{"rows", "false"}});
}

TEST_P(QueryPlans, Evidence) {
  const std::string evidence = site().Org("/evidence");
  const auto item = First(site().Get(evidence));
  ASSERT_TRUE(item.is_object());
  std::string control_id;
  if (const auto* ids = item.as_object().if_contains("control_ids");
      ids != nullptr && ids->is_array() && !ids->as_array().empty()) {
    control_id = std::string(ids->as_array()[0].as_string());
  }
  site().Get(evidence, {{"kind", Text(item, "kind")}});
  site().Get(evidence, {{"control_id", control_id.empty() ? "none" : control_id}});
  site().Get(evidence, {{"control_id", control_id.empty() ? "none" : control_id}, {"q", "policy"}});
  site().GetPages(evidence, {"created_at", "title"},
                  {{"control_id", control_id.empty() ? "none" : control_id}});
  site().Get(evidence, {{"owner_id", Text(item, "owner_id")}});
  site().Get(evidence, {{"expired", "true"}});
  site().Get(evidence, {{"expiring_before", "2027-01-31"}});
  site().Get(evidence, {{"archived", "true"}});
  site().Get(evidence, {{"q", "policy"}});
  site().GetPages(evidence, evidence::EvidenceStore::SortFields());
  site().Get(evidence + "/" + Text(item, "id"));
}

TEST_P(QueryPlans, Documents) {
  const std::string documents = site().Org("/documents");
  const auto document = First(site().Get(documents));
  ASSERT_TRUE(document.is_object());
  site().Get(documents, {{"type", Text(document, "type")}});
  site().Get(documents, {{"status", "published"}});
  site().Get(documents, {{"owner_id", Text(document, "owner_id")}});
  site().Get(documents, {{"overdue", "true"}});
  site().Get(documents, {{"to_acknowledge", "me"}});
  site().Get(documents, {{"q", "policy"}});
  site().GetPages(documents, documents::DocumentStore::SortFields());
  site().Get(documents + "/" + Text(document, "id"));
}

TEST_P(QueryPlans, TasksAndNotifications) {
  site().Get(site().Org("/tasks"));
  site().Get(site().Org("/tasks"), {{"assignee", "me"}});
  site().Get(site().Org("/tasks"), {{"overdue", "true"}});
  site().Get(site().Org("/calendar"), {{"from", "2026-11-01"}, {"to", "2026-12-31"}});
  // Each source read a page at a time from a cursor, with each filter (ADR 0010).
  for (const Params& filter : {Params{}, Params{{"assignee", "me"}}, Params{{"overdue", "true"}},
                               Params{{"due_before", "2027-12-31"}}}) {
    Params query = filter;
    query.emplace_back("limit", "5");
    const auto page = site().Get(site().Org("/tasks"), query);
    if (const auto* cursor =
            page.is_object() ? page.as_object().if_contains("next_cursor") : nullptr;
        cursor != nullptr && cursor->is_string()) {
      query.emplace_back("cursor", std::string(cursor->as_string()));
      site().Get(site().Org("/tasks"), query);
    }
  }
  const std::string notifications = "/api/v1/me/notifications";
  site().Get(notifications);
  site().Get(notifications, {{"unread", "true"}});
  site().Get(notifications + "/unread-count");
  site().GetPages(notifications, notifications::NotificationStore::SortFields());
}

TEST_P(QueryPlans, AuditLogAndHistory) {
  const std::string log = site().Org("/audit-log");
  const auto page = site().Get(log, {{"limit", "20"}});
  if (const auto* cursor = page.is_object() ? page.as_object().if_contains("next_cursor") : nullptr;
      cursor != nullptr && cursor->is_string()) {
    site().Get(log, {{"limit", "20"}, {"cursor", std::string(cursor->as_string())}});
  }
  for (const char* collection : {"/risks", "/assets", "/controls", "/evidence", "/documents"}) {
    const auto object = First(site().Get(site().Org(collection), {{"limit", "1"}}));
    ASSERT_TRUE(object.is_object()) << collection;
    site().Get(site().Org(std::string(collection) + "/" + Text(object, "id") + "/history"));
  }
}

TEST_P(QueryPlans, ContextIssues) {
  const std::string issues = site().Org("/context-issues");
  site().Get(issues);
  site().Get(issues, {{"kind", "internal"}});
  site().Get(issues, {{"q", "market"}});
  site().GetPages(issues, context::ContextStore::SortFields());
}

TEST_P(QueryPlans, ReadinessAndItsReplayOfTheAuditLog) {
  site().Get(site().Org("/readiness"));
  site().Get(site().Org("/readiness"), {{"as_of", "2026-06-30"}});
  site().Get(site().Org("/readiness/trend"), {{"from", "2026-11-20"}, {"to", "2026-11-24"}});
  EXPECT_GT(site().explained(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, QueryPlans, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
