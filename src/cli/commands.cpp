#include "cli/commands.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "cli/app.hpp"
#include "cli/backup_commands.hpp"
#include "cli/demo_command.hpp"
#include "cli/export_commands.hpp"
#include "cli/import_commands.hpp"
#include "cli/integrity.hpp"
#include "cli/jobs.hpp"
#include "cli/readiness_command.hpp"
#include "cli/seed_command.hpp"
#include "cli/tasks_command.hpp"
#include "core/encoding.hpp"
#include "http/engine/server.hpp"

namespace certus::cli {

namespace {

/// The one mapping from ErrorCode to an exit status (sysexits.h where one fits).
int ExitCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kValidation: return 65;   // EX_DATAERR
    case ErrorCode::kNotFound: return 66;     // EX_NOINPUT
    case ErrorCode::kUnavailable: return 69;  // EX_UNAVAILABLE
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated: return 77;  // EX_NOPERM
    case ErrorCode::kConflict:
    case ErrorCode::kPreconditionFailed:
    case ErrorCode::kPreconditionRequired: return 75;  // EX_TEMPFAIL
    default: return 70;                                // EX_SOFTWARE
  }
}

int Report(const Error& error) {
  std::cerr << "error: " << error.message() << "\n";
  for (const auto& field : error.fields()) {
    std::cerr << "  " << field.field << ": " << field.message << "\n";
  }
  if (!error.log_detail().empty()) std::cerr << "  (" << error.log_detail() << ")\n";
  return ExitCode(error.code());
}

/// Options every data-touching subcommand shares.
struct DataOptions {
  std::string data_dir;
  std::string database;

  std::string Url() const {
    return database.empty() ? "sqlite:" + (std::filesystem::path(data_dir) / "certus.db").string()
                            : database;
  }
};

void AddDataOptions(CLI::App* command, DataOptions& options) {
  command->add_option("--data-dir", options.data_dir, "Data directory (database, evidence files)")
      ->envname("CERTUS_DATA_DIR")
      ->default_val("data");
  command
      ->add_option(
          "--database", options.database,
          "Database URL: sqlite:PATH or postgresql://… (default sqlite:DATA_DIR/certus.db)")
      ->envname("CERTUS_DATABASE");
}

/// Opens and migrates the database the options name, creating the data directory.
Expected<std::unique_ptr<storage::Database>> OpenData(const DataOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                "Cannot create data directory " + options.data_dir + ": " + ec.message());
  }
  auto db = CERTUS_TRY(storage::OpenDatabase(options.Url()));
  CERTUS_TRY(db->Migrate());
  return db;
}

Expected<SecretString> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "Cannot read password file " + path);
  std::string password;
  std::getline(in, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  return SecretString(std::move(password));
}

struct Context {
  SystemClock clock;
  SystemRandom random;
};

template <typename Body>
int WithApp(const DataOptions& options, Body&& body) {
  Context context;
  auto db = OpenData(options);
  if (!db) return Report(db.error());
  AppSettings settings;
  settings.blob_dir = std::filesystem::path(options.data_dir) / "blobs";
  App app(**db, context.clock, context.random, settings);
  auto result = body(app, context);
  if (!result) return Report(result.error());
  return *result;
}

Expected<int> Init(App& app, Random& random, const std::string& email,
                   const std::string& password_file, const std::string& org_name) {
  if (CERTUS_TRY(app.identity().CountUsers()) > 0) {
    return Fail(ErrorCode::kConflict,
                "This installation is already initialized; nothing was changed. Use "
                "`certus user add` to add users.");
  }
  bool generated = password_file.empty();
  SecretString password = generated ? SecretString(Base64UrlEncode(random.Bytes(15)))
                                    : CERTUS_TRY(ReadPasswordFile(password_file));
  auto user = CERTUS_TRY(app.identity().CreateUser(
      Actor::System(),
      {.email = email, .display_name = "", .password = password, .installation_admin = true}));
  std::cout << "Created installation admin " << user.email << "\n";
  if (generated) {
    std::cout << "Generated password (shown only now): " << password.Expose() << "\n";
  }
  if (!org_name.empty()) {
    auto org = CERTUS_TRY(app.identity().CreateOrg(Actor::System(), org_name, user.id));
    std::cout << "Created organization \"" << org.name << "\" (" << org.id.str() << ")\n";
  }
  return 0;
}

/// Blocks SIGTERM and SIGINT in every thread, then waits for one on its own thread and
/// stops the server: in-flight requests finish, and `serve` exits 0.
class SignalStopper final {
 public:
  explicit SignalStopper(http::Server& server) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this, &server] {
      int received = 0;
      sigwait(&signals_, &received);
      if (received == SIGTERM || received == SIGINT) {
        spdlog::info("signal {}: finishing in-flight requests", received);
        server.Stop();
      }
    });
  }
  ~SignalStopper() {
    // Wake the waiter if the server stopped on its own: every thread blocks SIGTERM, so
    // the signal goes to the one thread waiting for it.
    kill(getpid(), SIGTERM);
    waiter_.join();
  }

 private:
  sigset_t signals_{};
  std::thread waiter_;
};

/// A duration such as `24h`, `30m` or `45s` (`0`: none), in seconds; nullopt when malformed.
std::optional<std::chrono::seconds> ParseInterval(const std::string& text) {
  if (text == "0") return std::chrono::seconds(0);
  if (text.size() < 2) return std::nullopt;
  std::int64_t count = 0;
  const char* end = text.data() + text.size() - 1;
  auto [stop, ec] = std::from_chars(text.data(), end, count);
  if (ec != std::errc() || stop != end || count <= 0 || count > 1'000'000) return std::nullopt;
  switch (text.back()) {
    case 's': return std::chrono::seconds(count);
    case 'm': return std::chrono::minutes(count);
    case 'h': return std::chrono::hours(count);
    default: return std::nullopt;
  }
}

/// The options of `certus serve`.
struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string web_dir = "web/dist";
  int threads = 0;
  bool access_log = true;
  std::string integrity_interval = "24h";
  std::string tls_cert;
  std::string tls_key;
  bool behind_tls_proxy = false;
  std::vector<std::string> trusted_proxies;
  std::string jobs_interval = "30s";
  std::string sweep_interval = "1h";
  std::string jobs_lease = "5m";
  std::string smtp_host;
  std::uint16_t smtp_port = 25;
  std::string smtp_from = "certus@localhost";
  std::string public_url = "http://localhost:8080";
  // OpenID Connect sign-in (ADR 0019).
  std::string oidc_issuer;
  std::string oidc_client_id;
  std::string oidc_client_secret_file;
  std::string oidc_redirect_url;
  std::string oidc_name = "single sign-on";
};

int Serve(const DataOptions& data, const ServeOptions& options) {
  const std::string& listen = options.listen;
  const std::string& web_dir = options.web_dir;
  const auto integrity_every = ParseInterval(options.integrity_interval);
  if (!integrity_every) {
    std::cerr << "error: --integrity-check-interval must be a number followed by s, m or h "
                 "(e.g. 24h), or 0\n";
    return 2;
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "error: --listen must be HOST:PORT\n";
    return 64;
  }
  http::ServerSettings server_settings;
  server_settings.host = listen.substr(0, colon);
  if (server_settings.host.size() > 2 && server_settings.host.front() == '[') {
    server_settings.host = server_settings.host.substr(1, server_settings.host.size() - 2);
  }
  try {
    server_settings.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  } catch (const std::exception&) {
    std::cerr << "error: --listen must be HOST:PORT\n";
    return 64;
  }
  server_settings.threads = options.threads;
  server_settings.tls_cert_file = options.tls_cert;
  server_settings.tls_key_file = options.tls_key;

  Context context;
  auto db = OpenData(data);
  if (!db) return Report(db.error());
  AppSettings settings;
  settings.web_dir = web_dir;
  settings.http.access_log = options.access_log;
  // Under TLS, here or at a proxy in front: Secure cookies and HSTS.
  settings.http.tls = !options.tls_cert.empty() || options.behind_tls_proxy;
  settings.http.trusted_proxies = options.trusted_proxies;
  settings.blob_dir = std::filesystem::path(data.data_dir) / "blobs";
  if (!options.oidc_issuer.empty()) {
    if (options.oidc_client_id.empty() || options.oidc_client_secret_file.empty()) {
      std::cerr << "error: --oidc-issuer needs --oidc-client-id and --oidc-client-secret-file\n";
      return 64;
    }
    if (!identity::oidc::AcceptableUrl(options.oidc_issuer)) {
      std::cerr << "error: --oidc-issuer must be an https:// URL (http:// only on loopback)\n";
      return 64;
    }
    auto secret = ReadPasswordFile(options.oidc_client_secret_file);
    if (!secret) return Report(secret.error());
    settings.oidc.issuer = options.oidc_issuer;
    settings.oidc.client_id = options.oidc_client_id;
    settings.oidc.client_secret = std::move(*secret);
    std::string base = options.public_url;
    while (base.ends_with('/')) base.pop_back();
    settings.oidc.redirect_url = options.oidc_redirect_url.empty()
                                     ? base + "/api/v1/auth/oidc/callback"
                                     : options.oidc_redirect_url;
    settings.oidc.label = options.oidc_name;
  }
  App app(**db, context.clock, context.random, settings);
  if (!std::filesystem::exists(std::filesystem::path(web_dir) / "index.html")) {
    spdlog::warn("no web UI in {}: the API works, pages do not (run `make build`)", web_dir);
  }

  server_settings.body_limit_for = [&app](const http::Request& head) {
    return app.http().BodyLimitFor(head);
  };
  http::Server server(server_settings, [&app](http::Request& r) { return app.http().Handle(r); });
  if (auto listening = server.Listen(); !listening) return Report(listening.error());
  SignalStopper stopper(server);
  std::optional<PeriodicIntegrityCheck> integrity;
  if (integrity_every->count() > 0) {
    // The first check waits a little (or the interval, when shorter), so that a restart
    // does not re-read every file at once.
    integrity.emplace(app,
                      std::min<std::chrono::seconds>(*integrity_every, std::chrono::minutes(10)),
                      *integrity_every);
  }
  // Reminders, emails and webhooks (issue 7 item 3): destroyed, and so stopped, before the
  // server and the app.
  const auto jobs_every = ParseInterval(options.jobs_interval);
  const auto sweep_every = ParseInterval(options.sweep_interval);
  const auto lease = ParseInterval(options.jobs_lease);
  if (!jobs_every || !sweep_every || sweep_every->count() == 0 || !lease || lease->count() == 0) {
    std::cerr << "error: --jobs-interval, --reminder-sweep-interval and --jobs-lease must be a "
                 "number followed by s, m or h (--jobs-interval may be 0)\n";
    return 2;
  }
  std::optional<BackgroundJobs> jobs;
  if (jobs_every->count() > 0) {
    JobSettings job_settings;
    job_settings.smtp.host = options.smtp_host;
    job_settings.smtp.port = options.smtp_port;
    job_settings.smtp.from = options.smtp_from;
    job_settings.runner.base_url = options.public_url;
    job_settings.runner.sweep_every = *sweep_every;
    job_settings.runner.lease = *lease;
    job_settings.every = *jobs_every;
    jobs.emplace(app, context.clock, context.random, job_settings);
  }
  spdlog::info("Certus listening on {}://{}:{}", options.tls_cert.empty() ? "http" : "https",
               server_settings.host, server.port());
  server.Run();
  spdlog::info("Certus stopped");
  return 0;
}

int VerifyAuditLog(App& app) {
  auto chains = storage::InReadTransaction(
      app.db(), [&](storage::Transaction& tx) { return app.audit_log().Chains(tx); });
  if (!chains) return Report(chains.error());
  int bad = 0;
  std::int64_t total = 0;
  for (const auto& chain : *chains) {
    auto verdict = storage::InReadTransaction(
        app.db(), [&](storage::Transaction& tx) { return app.audit_log().Verify(tx, chain); });
    if (!verdict) return Report(verdict.error());
    total += verdict->events;
    if (verdict->ok) continue;
    ++bad;
    std::cout << "chain " << chain << ": FAILED at event "
              << (verdict->first_bad_event ? std::to_string(*verdict->first_bad_event) : "(end)")
              << ": " << verdict->problem << "\n";
  }
  std::cout << chains->size() << " chains, " << total
            << " events: " << (bad == 0 ? "all verify" : std::to_string(bad) + " broken") << "\n";
  return bad == 0 ? 0 : 1;
}

}  // namespace

int Run(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("certus"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  CLI::App cli{"Certus: the ISO/IEC 27001 information security management system"};
  cli.require_subcommand(1);
  DataOptions data;

  auto* init = cli.add_subcommand(
      "init", "Create the database, the first admin and optionally an organization");
  AddDataOptions(init, data);
  std::string admin_email, admin_password_file, init_org;
  init->add_option("--admin-email", admin_email, "Email of the installation admin")->required();
  init->add_option("--admin-password-file", admin_password_file,
                   "File holding the admin's password (generated and printed when omitted)");
  init->add_option("--org", init_org, "Name of a first organization, administered by the admin");

  auto* serve = cli.add_subcommand("serve", "Serve the API and the web UI");
  AddDataOptions(serve, data);
  ServeOptions serve_options;
  serve->add_option("--listen", serve_options.listen, "HOST:PORT to listen on")
      ->capture_default_str();
  serve->add_option("--web-dir", serve_options.web_dir, "Directory of the built web UI")
      ->envname("CERTUS_WEB_DIR")
      ->capture_default_str();
  serve->add_option(
      "--threads", serve_options.threads,
      "Threads that read requests and run their handlers (0: 32, or one per core if more)");
  serve->add_option("--access-log", serve_options.access_log, "Log every request (true/false)")
      ->capture_default_str();
  serve
      ->add_option("--integrity-check-interval", serve_options.integrity_interval,
                   "Re-hash every evidence file this often (e.g. 24h, 30m; 0: never)")
      ->capture_default_str();
  auto* tls_cert = serve->add_option("--tls-cert", serve_options.tls_cert,
                                     "Serve HTTPS with this PEM certificate chain");
  auto* tls_key =
      serve->add_option("--tls-key", serve_options.tls_key, "The certificate's PEM private key");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  serve
      ->add_flag("--behind-tls-proxy", serve_options.behind_tls_proxy,
                 "A reverse proxy terminates TLS: mark cookies Secure and send HSTS")
      ->excludes(tls_cert);
  serve
      ->add_option("--trusted-proxy", serve_options.trusted_proxies,
                   "Address of a reverse proxy whose X-Forwarded-For names the client (repeatable)")
      ->envname("CERTUS_TRUSTED_PROXY");
  serve
      ->add_option("--jobs-interval", serve_options.jobs_interval,
                   "Run due jobs (reminders, emails, webhooks) this often (e.g. 30s; 0: never)")
      ->envname("CERTUS_JOBS_INTERVAL")
      ->capture_default_str();
  serve
      ->add_option("--reminder-sweep-interval", serve_options.sweep_interval,
                   "Look for duties to remind of this often (e.g. 1h)")
      ->envname("CERTUS_REMINDER_SWEEP_INTERVAL")
      ->capture_default_str();
  serve
      ->add_option("--jobs-lease", serve_options.jobs_lease,
                   "How long a claimed job or email is held before another instance may take "
                   "it over (e.g. 5m)")
      ->envname("CERTUS_JOBS_LEASE")
      ->capture_default_str();
  serve->add_option("--smtp-host", serve_options.smtp_host, "SMTP relay for reminder emails")
      ->envname("CERTUS_SMTP_HOST");
  serve->add_option("--smtp-port", serve_options.smtp_port, "SMTP relay port")
      ->envname("CERTUS_SMTP_PORT")
      ->capture_default_str();
  serve->add_option("--smtp-from", serve_options.smtp_from, "Sender address of reminder emails")
      ->envname("CERTUS_SMTP_FROM")
      ->capture_default_str();
  serve
      ->add_option("--public-url", serve_options.public_url,
                   "Where users reach Certus, for links in emails and webhooks")
      ->envname("CERTUS_PUBLIC_URL")
      ->capture_default_str();
  serve
      ->add_option("--oidc-issuer", serve_options.oidc_issuer,
                   "OpenID Connect provider (issuer URL) for single sign-on")
      ->envname("CERTUS_OIDC_ISSUER");
  serve
      ->add_option("--oidc-client-id", serve_options.oidc_client_id,
                   "Client id of Certus at the OpenID Connect provider")
      ->envname("CERTUS_OIDC_CLIENT_ID");
  serve
      ->add_option("--oidc-client-secret-file", serve_options.oidc_client_secret_file,
                   "File holding the client secret at the OpenID Connect provider")
      ->envname("CERTUS_OIDC_CLIENT_SECRET_FILE");
  serve
      ->add_option("--oidc-redirect-url", serve_options.oidc_redirect_url,
                   "Redirect URL registered at the provider (default: <public-url>/api/v1/auth/"
                   "oidc/callback)")
      ->envname("CERTUS_OIDC_REDIRECT_URL");
  serve
      ->add_option("--oidc-name", serve_options.oidc_name,
                   "Name of the provider on the sign-in button (\"Sign in with ...\")")
      ->envname("CERTUS_OIDC_NAME")
      ->capture_default_str();

  auto* user = cli.add_subcommand("user", "Manage users")->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user");
  AddDataOptions(user_add, data);
  std::string email, password_file, name;
  bool installation_admin = false;
  user_add->add_option("--email", email, "Email address")->required();
  user_add->add_option("--password-file", password_file, "File holding the password")->required();
  user_add->add_option("--name", name, "Display name");
  user_add->add_flag("--installation-admin", installation_admin,
                     "May create users (any user may create organizations)");
  auto* user_list = user->add_subcommand("list", "List users");
  AddDataOptions(user_list, data);
  auto* user_reset =
      user->add_subcommand("reset-password", "Set a user's password; ends their sessions");
  AddDataOptions(user_reset, data);
  user_reset->add_option("--email", email, "Email address")->required();
  user_reset->add_option("--password-file", password_file, "File holding the new password")
      ->required();
  auto* user_unlock =
      user->add_subcommand("unlock", "Unlock an account that repeated failed sign-ins locked");
  AddDataOptions(user_unlock, data);
  user_unlock->add_option("--email", email, "Email address")->required();
  auto* user_reset_totp = user->add_subcommand(
      "reset-totp", "Remove a user's second factor (a lost authenticator) and end their sessions");
  AddDataOptions(user_reset_totp, data);
  user_reset_totp->add_option("--email", email, "Email address")->required();

  auto* org = cli.add_subcommand("org", "Manage organizations")->require_subcommand(1);
  auto* org_create = org->add_subcommand("create", "Create an organization");
  AddDataOptions(org_create, data);
  std::string org_name, org_admin;
  org_create->add_option("--name", org_name, "Name")->required();
  org_create->add_option("--admin-email", org_admin, "Its first admin (an existing user)")
      ->required();
  auto* org_list = org->add_subcommand("list", "List organizations");
  AddDataOptions(org_list, data);

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  AddDataOptions(migrate, data);

  auto* audit =
      cli.add_subcommand("audit-log", "The tamper-evident audit log")->require_subcommand(1);
  auto* verify =
      audit->add_subcommand("verify", "Verify every hash chain; exit 1 if one is broken");
  AddDataOptions(verify, data);

  auto* blobs = cli.add_subcommand("blobs", "The store of evidence files and attachments")
                    ->require_subcommand(1);
  auto* blobs_verify = blobs->add_subcommand(
      "verify", "Re-hash every stored file and record the result; exit 1 if one is damaged");
  AddDataOptions(blobs_verify, data);

  auto* seed = cli.add_subcommand(
      "seed-context", "Benchmark data: an organization with N context issues and an API token");
  AddDataOptions(seed, data);
  std::string seed_org = "Benchmark Ltd";
  int seed_count = 10000;
  seed->add_option("--org-name", seed_org, "Organization name")->capture_default_str();
  seed->add_option("--count", seed_count, "Number of context issues")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));

  auto* import_command =
      cli.add_subcommand("import", "Import reference data")->require_subcommand(1);
  auto* import_catalog =
      import_command->add_subcommand("oscal-catalog", "Import an OSCAL catalog as a framework");
  AddDataOptions(import_catalog, data);
  std::string import_file, import_key, import_target;
  import_catalog->add_option("FILE", import_file, "OSCAL catalog JSON")->required();
  import_catalog->add_option("--key", import_key, "Framework key (default: from the title)");
  auto* import_mappings = import_command->add_subcommand(
      "mappings", "Import requirement mappings (CSV: source_framework,source_ref,…)");
  AddDataOptions(import_mappings, data);
  import_mappings->add_option("FILE", import_file, "Mapping CSV")->required();
  import_mappings->add_option("--target-framework", import_target,
                              "Key of the target framework for every row");
  bool import_skip_missing = false;
  import_mappings->add_flag("--skip-missing", import_skip_missing,
                            "Skip rows whose requirement the catalog does not hold (a baseline)");

  auto* import_risks =
      import_command->add_subcommand("risks", "Import a risk register CSV into an organization");
  AddDataOptions(import_risks, data);
  std::string import_org;
  bool import_dry_run = false;
  import_risks->add_option("FILE", import_file, "Risk register CSV")->required();
  import_risks->add_option("--org", import_org, "Organization id")->required();
  import_risks->add_flag("--dry-run", import_dry_run, "Validate and report; write nothing");
  auto* export_command =
      cli.add_subcommand("export", "Export records to files")->require_subcommand(1);
  auto* export_soa = export_command->add_subcommand("soa", "Export the Statement of Applicability");
  AddDataOptions(export_soa, data);
  std::string export_org, export_format, export_out;
  std::int64_t export_version = 0;
  export_soa->add_option("--org", export_org, "Organization id")->required();
  export_soa->add_option("--format", export_format, "xlsx, pdf, csv, json or oscal")->required();
  export_soa->add_option("--version", export_version,
                         "Approved version number (default: the current SoA)");
  export_soa->add_option("--out", export_out, "File to write")->required();
  auto* export_risks = export_command->add_subcommand("risks", "Export the risk register");
  AddDataOptions(export_risks, data);
  export_risks->add_option("--org", export_org, "Organization id")->required();
  export_risks->add_option("--format", export_format, "csv or xlsx")->required();
  export_risks->add_option("--out", export_out, "File to write")->required();
  auto* export_pack = export_command->add_subcommand(
      "certification-pack", "Export the certification pack (ZIP) a stage 1 auditor asks for");
  AddDataOptions(export_pack, data);
  std::string export_as_of;
  export_pack->add_option("--org", export_org, "Organization id")->required();
  export_pack->add_option("--as-of", export_as_of, "Day YYYY-MM-DD (default: today)");
  export_pack->add_option("--out,--output", export_out, "File to write")->required();

  auto* readiness_command = cli.add_subcommand(
      "readiness", "Evaluate readiness for certification; exit 0 when ready for stage 2");
  AddDataOptions(readiness_command, data);
  std::string readiness_org, readiness_as_of, readiness_format = "text";
  readiness_command->add_option("--org", readiness_org, "Organization id")->required();
  readiness_command->add_option("--as-of", readiness_as_of,
                                "Evaluate as of the end of this day, YYYY-MM-DD (default today)");
  readiness_command->add_option("--format", readiness_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));

  auto* tasks_command = cli.add_subcommand(
      "tasks", "List the dated duties of an organization (tasks and calendar), by due date");
  AddDataOptions(tasks_command, data);
  std::string tasks_org, tasks_assignee, tasks_format = "text";
  bool tasks_overdue = false;
  tasks_command->add_option("--org", tasks_org, "Organization id")->required();
  tasks_command->add_option("--assignee", tasks_assignee, "Only the tasks of this user id");
  tasks_command->add_flag("--overdue", tasks_overdue, "Only the tasks due before today");
  tasks_command->add_option("--format", tasks_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));

  auto* backup_command = cli.add_subcommand(
      "backup", "Write a backup archive (database, evidence files, manifest); works while serving");
  AddDataOptions(backup_command, data);
  BackupCommandOptions backup_options;
  backup_command->add_option("--to", backup_options.file, "Archive file to write (mode 0600)");
  backup_command->allow_extras();  // reported by BackupCommand with exit status 2
  auto* restore_command = cli.add_subcommand(
      "restore", "Verify a backup archive, then restore it into a data directory");
  AddDataOptions(restore_command, data);
  BackupCommandOptions restore_options;
  restore_command->add_option("--from", restore_options.file, "Backup archive to restore");
  restore_command->add_flag("--force", restore_options.force,
                            "Replace a non-empty data directory or populated database");
  restore_command->allow_extras();

  auto* demo_command = cli.add_subcommand(
      "demo", "Add the sample organization \"Northwind Cloud\" with a year of ISMS history");
  AddDataOptions(demo_command, data);

  auto* seed_scale = cli.add_subcommand(
      "seed",
      "Benchmark data at scale: one large organization (and optionally many small ones) of "
      "realistic, deterministic synthetic ISMS records, written through the services");
  AddDataOptions(seed_scale, data);
  std::string seed_size = "S";
  int seed_tenants = 0;
  std::uint64_t seed_number = 1;
  bool seed_token = false;
  seed_scale
      ->add_option("--org-size", seed_size,
                   "S, M, L or XL. L: 100,000 risks, 20,000 assets, 1,000 controls, 200,000 "
                   "evidence records, 5,000 documents, 1,000,000 audit events; XL doubles L, "
                   "M is a tenth of L, S a hundredth")
      ->check(CLI::IsMember({"S", "M", "L", "XL"}))
      ->capture_default_str();
  seed_scale
      ->add_option("--tenants", seed_tenants,
                   "Also add N small organizations (150 risks, 1,500 audit events each)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  seed_scale
      ->add_option("--seed", seed_number,
                   "The same seed writes the same records (ids and timestamps aside)")
      ->capture_default_str();
  seed_scale->add_flag("--token", seed_token,
                       "Also issue a manager API token for the large organization and print it");
  seed_scale->footer(
      "Needs an initialized installation (`certus init`); its installation admins administer "
      "the new organizations. History spreads over the past year; audit chains verify. See "
      "bench/README.md.");

  auto* version = cli.add_subcommand("version", "Print the version");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2, as Unix tools do (CLI11 would
    // answer 105, 106, 109, …).
    return cli.exit(e) == 0 ? 0 : 2;
  }

  if (version->parsed()) {
    std::cout << "certus " << CERTUS_VERSION << "\n";
    return 0;
  }
  if (init->parsed()) {
    return WithApp(data, [&](App& app, Context& context) {
      return Init(app, context.random, admin_email, admin_password_file, init_org);
    });
  }
  if (serve->parsed()) return Serve(data, serve_options);
  if (user_add->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      auto password = CERTUS_TRY(ReadPasswordFile(password_file));
      auto created = CERTUS_TRY(
          app.identity().CreateUser(Actor::System(), {email, name, password, installation_admin}));
      std::cout << "Created user " << created.email << " (" << created.id.str() << ")\n";
      return 0;
    });
  }
  if (user_list->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      for (const auto& u : CERTUS_TRY(app.identity().ListUsers())) {
        std::cout << fmt::format("{}\t{}\t{}{}{}\n", u.id.str(), u.email, u.display_name,
                                 u.installation_admin ? "\tinstallation-admin" : "",
                                 u.locked_at ? "\tlocked since " + *u.locked_at : "");
      }
      return 0;
    });
  }
  if (user_reset->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      auto password = CERTUS_TRY(ReadPasswordFile(password_file));
      CERTUS_CHECK(app.identity().ResetPassword(Actor::System(), email, password));
      std::cout << "Password changed for " << email << "; their sessions have ended.\n";
      return 0;
    });
  }
  if (user_unlock->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      CERTUS_CHECK(app.identity().UnlockUser(Actor::System(), email));
      std::cout << "Unlocked " << email << ": they may sign in again.\n";
      return 0;
    });
  }
  if (user_reset_totp->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      std::optional<UserId> id;
      for (const auto& u : CERTUS_TRY(app.identity().ListUsers())) {
        if (AsciiLower(u.email) == AsciiLower(email)) id = u.id;
      }
      if (!id) return Fail(Error::NotFound("User " + email));
      CERTUS_CHECK(app.identity().ResetTotp(Actor::System(), *id));
      std::cout << "Reset the second factor of " << email
                << ": they sign in with their password and enroll again.\n";
      return 0;
    });
  }
  if (org_create->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      std::optional<identity::User> admin;
      for (auto& u : CERTUS_TRY(app.identity().ListUsers())) {
        if (AsciiLower(u.email) == AsciiLower(org_admin)) admin = u;
      }
      if (!admin) return Fail(Error::NotFound("User " + org_admin));
      auto created = CERTUS_TRY(app.identity().CreateOrg(Actor::System(), org_name, admin->id));
      std::cout << "Created organization \"" << created.name << "\" (" << created.id.str() << ")\n";
      return 0;
    });
  }
  if (org_list->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) {
        std::cout << o.id.str() << "\t" << o.name << "\n";
      }
      return 0;
    });
  }
  if (migrate->parsed()) {
    // OpenData applies pending migrations; report where the schema now stands.
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      std::cout << "Schema at version " << CERTUS_TRY(app.db().SchemaVersion()) << "\n";
      return 0;
    });
  }
  if (blobs_verify->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      auto findings = CERTUS_TRY(CheckBlobIntegrity(app));
      const auto& report = findings.store;
      for (const auto& blob : report.damaged) std::cout << "damaged\t" << blob << "\n";
      for (const auto& blob : report.unreadable) std::cout << "unreadable\t" << blob << "\n";
      for (const auto& blob : findings.missing) std::cout << "missing\t" << blob << "\n";
      std::cout << report.blobs << " files, " << report.bytes << " bytes: "
                << (report.ok() ? "all match their SHA-256"
                                : std::to_string(report.damaged.size() + report.unreadable.size()) +
                                      " damaged or unreadable")
                << "; " << findings.referenced << " named by records: "
                << (findings.missing.empty() ? "all present"
                                             : std::to_string(findings.missing.size()) + " missing")
                << "\n";
      return findings.ok() ? 0 : 1;
    });
  }
  if (verify->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> { return VerifyAuditLog(app); });
  }
  if (export_soa->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return ExportSoa(
          app, export_org, export_format,
          export_version > 0 ? std::optional<std::int64_t>(export_version) : std::nullopt,
          export_out);
    });
  }
  if (seed->parsed()) {
    return WithApp(data, [&](App& app, Context&) -> Expected<int> {
      auto users = CERTUS_TRY(app.identity().ListUsers());
      if (users.empty()) return Fail(ErrorCode::kConflict, "Run `certus init` first.");
      const auto& admin = users.front();
      auto created = CERTUS_TRY(app.identity().CreateOrg(Actor::System(), seed_org, admin.id));
      Actor actor{admin.id, admin.email, Role::kAdmin, false, {}};
      std::vector<context::NewContextIssue> issues;
      issues.reserve(static_cast<std::size_t>(seed_count));
      for (int i = 0; i < seed_count; ++i) {
        issues.push_back(
            {i % 3 == 0 ? context::IssueKind::kExternal : context::IssueKind::kInternal,
             fmt::format("Context issue {:05}", i),
             fmt::format("Synthetic issue number {} for benchmarks.", i),
             "Affects the ISMS's intended outcomes.", std::nullopt});
      }
      CERTUS_TRY(app.context().CreateMany(actor, created.id, issues));
      auto token =
          CERTUS_TRY(app.identity().CreateToken(actor, "benchmark", created.id, Role::kViewer));
      std::cout << "org_id=" << created.id.str() << "\n";
      std::cout << "token=" << token.secret.Expose() << "\n";
      return 0;
    });
  }
  if (import_catalog->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return ImportOscalCatalogFile(app, import_file,
                                    import_key.empty() ? std::nullopt : std::optional(import_key),
                                    std::cout);
    });
  }
  if (import_risks->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return ImportRisksFile(app, import_file, import_org, import_dry_run, std::cout, std::cerr);
    });
  }
  if (export_risks->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return ExportRisks(app, export_org, export_format, export_out);
    });
  }
  if (export_pack->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return ExportCertificationPack(app, export_org, export_as_of, export_out);
    });
  }
  if (tasks_command->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return Tasks(app, tasks_org, tasks_assignee, tasks_overdue, tasks_format, std::cout);
    });
  }
  if (readiness_command->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return Readiness(app, readiness_org, readiness_as_of, readiness_format, std::cout);
    });
  }
  if (import_mappings->parsed()) {
    return WithApp(data, [&](App& app, Context&) {
      return ImportMappingsFile(app, import_file,
                                import_target.empty() ? std::nullopt : std::optional(import_target),
                                import_skip_missing, std::cout);
    });
  }
  if (demo_command->parsed()) {
    auto db = OpenData(data);
    if (!db) return Report(db.error());
    SystemRandom random;
    auto status = Demo(**db, random, SystemClock().Now(),
                       std::filesystem::path(data.data_dir) / "blobs", std::cout, std::cerr);
    return status ? *status : Report(status.error());
  }
  if (seed_scale->parsed()) {
    auto db = OpenData(data);
    if (!db) return Report(db.error());
    SeedOptions options;
    options.size = seed_size;
    options.volume = *SeedVolumeOf(seed_size);
    options.tenants = seed_tenants;
    options.seed = seed_number;
    options.today = SystemClock().Now();
    options.blob_dir = std::filesystem::path(data.data_dir) / "blobs";
    const std::string url = data.Url();
    if (url.starts_with("sqlite:") && url != "sqlite::memory:")
      options.database_file = url.substr(7);
    options.progress = true;
    options.live = isatty(STDERR_FILENO) != 0;
    options.token = seed_token;
    SystemRandom random;
    auto status = SeedCommand(**db, random, options, std::cout, std::cerr);
    return status ? *status : Report(status.error());
  }
  if (backup_command->parsed() || restore_command->parsed()) {
    const bool is_backup = backup_command->parsed();
    auto options = is_backup ? backup_options : restore_options;
    options.data_dir = data.data_dir;
    options.database = data.database;
    options.unexpected_arguments =
        !(is_backup ? backup_command : restore_command)->remaining().empty();
    return is_backup ? BackupCommand(options, std::cout, std::cerr)
                     : RestoreCommand(options, std::cout, std::cerr);
  }
  return 64;
}

}  // namespace certus::cli
