// `certus seed`: realistic, deterministic synthetic ISMS data at scale, written through the
// modules' services on a walking clock, many calls per commit (ADR 0016).
#include "cli/seed_command.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <random>
#include <set>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/seed_batch.hpp"
#include "core/encoding.hpp"

namespace certus::cli {

std::optional<SeedVolume> SeedVolumeOf(std::string_view size) {
  // L, the reference; the others scale it. The 93 Annex A controls are always there, so
  // the smaller sizes keep about a hundred controls.
  const SeedVolume l{.people = 48,
                     .assets = 20'000,
                     .risks = 100'000,
                     .controls = 1'000,
                     .evidence = 200'000,
                     .documents = 5'000,
                     .events = 1'000'000};
  auto scaled = [&](std::int64_t num, std::int64_t den, int people) {
    return SeedVolume{.people = people,
                      .assets = l.assets * num / den,
                      .risks = l.risks * num / den,
                      .controls = std::max<std::int64_t>(100, l.controls * num / den),
                      .evidence = l.evidence * num / den,
                      .documents = l.documents * num / den,
                      .events = l.events * num / den};
  };
  if (size == "S") return scaled(1, 100, 24);
  if (size == "M") return scaled(1, 10, 36);
  if (size == "L") return l;
  if (size == "XL") return scaled(2, 1, 60);
  return std::nullopt;
}

SeedVolume TenantVolume() {
  return {.people = 8,
          .assets = 30,
          .risks = 150,
          .controls = 95,
          .evidence = 300,
          .documents = 10,
          .events = 1'500};
}

namespace seed {
namespace {

using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

/// The data's randomness: std::mt19937_64 with portable reductions (the standard
/// distributions differ between libraries), one stream per organization.
class Rng final {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::int64_t Below(std::int64_t n) {
    return n <= 0 ? 0 : static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(n));
  }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int p) { return Below(100) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Below(static_cast<std::int64_t>(items.size())))];
  }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(Below(static_cast<std::int64_t>(N)))];
  }
  /// A rating 1–5 weighted to the middle, as registers are.
  std::int64_t Rating() {
    static constexpr std::array<int, 5> kWeights = {15, 25, 30, 20, 10};
    auto r = Below(100);
    for (int i = 0; i < 5; ++i) {
      if (r < kWeights[static_cast<std::size_t>(i)]) return i + 1;
      r -= kWeights[static_cast<std::size_t>(i)];
    }
    return 3;
  }

 private:
  std::mt19937_64 engine_;
};

// ------------------------------------------------------------------ word lists

constexpr std::array<const char*, 40> kFirstNames = {
    "Ada",  "Bruno",  "Carla", "Dmitri", "Elena", "Felix", "Greta", "Hugo",    "Ines",  "Jonas",
    "Kara", "Liam",   "Maya",  "Nils",   "Olga",  "Pedro", "Quinn", "Rosa",    "Sami",  "Tara",
    "Uma",  "Victor", "Wanda", "Xavier", "Yara",  "Zane",  "Amir",  "Beatriz", "Chen",  "Dara",
    "Erik", "Fiona",  "Goran", "Hanna",  "Ivo",   "Jana",  "Kofi",  "Lucia",   "Mateo", "Noor"};
constexpr std::array<const char*, 30> kLastNames = {
    "Almeida", "Berg",      "Costa", "Dahl",   "Eriksen", "Ferreira", "Garcia", "Holm",
    "Ivanova", "Jensen",    "Kowal", "Larsen", "Moreno",  "Nakamura", "Olsen",  "Pereira",
    "Quist",   "Ruiz",      "Sousa", "Tanaka", "Ueda",    "Vidal",    "Weber",  "Xu",
    "Yilmaz",  "Zielinski", "Abe",   "Brandt", "Cruz",    "Duarte"};
constexpr std::array<const char*, 12> kAssetAdjectives = {
    "Customer", "Billing",  "Analytics", "Payroll", "Partner", "Internal",
    "Core",     "Regional", "Legacy",    "Mobile",  "Public",  "Research"};
struct AssetKind {
  risk::AssetType type;
  std::array<const char*, 4> nouns;
};
constexpr std::array<AssetKind, 7> kAssetKinds = {{
    {risk::AssetType::kInformation, {"database", "records", "data warehouse", "file share"}},
    {risk::AssetType::kSoftware, {"web application", "mobile app", "API", "batch service"}},
    {risk::AssetType::kHardware, {"laptops", "servers", "network switches", "firewalls"}},
    {risk::AssetType::kService, {"SaaS platform", "cloud account", "email service", "VPN"}},
    {risk::AssetType::kPeople, {"team", "contractors", "on-call rota", "support agents"}},
    {risk::AssetType::kSite, {"office", "data centre cage", "warehouse", "branch"}},
    {risk::AssetType::kSupplier, {"hosting provider", "payment processor", "MSP", "courier"}},
}};
constexpr std::array<const char*, 8> kLocations = {
    "Lisbon", "Berlin", "Dublin", "Warsaw", "Cloud eu-west-1", "Cloud eu-central-1",
    "SaaS",   "Remote"};

constexpr std::array<const char*, 24> kThreats = {
    "Ransomware operators", "Credential phishing", "Malicious insider",    "Careless employee",
    "Supplier compromise",  "DDoS attack",         "Exploit of known CVE", "Misconfiguration",
    "Power failure",        "Fire or flood",       "Theft of equipment",   "Social engineering",
    "Account takeover",     "Data entry error",    "Software defect",      "Loss of key staff",
    "Regulatory change",    "Cloud region outage", "SQL injection",        "Lost device",
    "Unpatched firmware",   "Shadow IT",           "Fraudulent invoice",   "Espionage"};
constexpr std::array<const char*, 24> kVulnerabilities = {"No multi-factor authentication",
                                                          "Backups reachable from production",
                                                          "Manual deprovisioning",
                                                          "Irregular patching",
                                                          "Shared administrator accounts",
                                                          "No encryption at rest",
                                                          "Single point of failure",
                                                          "No change review",
                                                          "Weak supplier due diligence",
                                                          "Insufficient logging",
                                                          "Flat network",
                                                          "Outdated operating system",
                                                          "No awareness training",
                                                          "Secrets in source code",
                                                          "Unclear data ownership",
                                                          "No tested restore",
                                                          "Excessive privileges",
                                                          "No input validation",
                                                          "Unmanaged devices",
                                                          "No capacity monitoring",
                                                          "Paper records unlocked",
                                                          "Single-region deployment",
                                                          "No contract security clauses",
                                                          "Default credentials"};
constexpr std::array<const char*, 12> kConsequences = {
    "Disclosure", "Encryption",   "Corruption", "Unavailability", "Leak",  "Alteration",
    "Deletion",   "Interruption", "Compromise", "Destruction",    "Theft", "Misuse"};
constexpr std::array<const char*, 8> kTransferTo = {
    "Cyber insurer",        "Hosting provider", "Payment processor",   "Managed SOC provider",
    "Outsourced help desk", "Courier company",  "Facilities landlord", "Card scheme"};
constexpr std::array<const char*, 16> kActions = {"Enforce MFA for",
                                                  "Automate patching of",
                                                  "Test restores of",
                                                  "Encrypt",
                                                  "Segment the network of",
                                                  "Review access to",
                                                  "Add monitoring to",
                                                  "Harden the configuration of",
                                                  "Train the owners of",
                                                  "Add a second region for",
                                                  "Rotate secrets of",
                                                  "Assess the supplier of",
                                                  "Document procedures for",
                                                  "Add logging to",
                                                  "Remove shared accounts from",
                                                  "Introduce change review for"};
constexpr std::array<const char*, 12> kEvidenceKinds = {
    "Access review",       "Vulnerability scan",      "Backup restore test",
    "Training records",    "Change log sample",       "Firewall rule review",
    "Supplier assessment", "Incident drill",          "Configuration export",
    "Log review",          "Penetration test report", "Policy attestation"};
constexpr std::array<const char*, 10> kDocumentSubjects = {
    "Access control",         "Backup",
    "Incident response",      "Supplier security",
    "Cryptography",           "Secure development",
    "Asset management",       "Business continuity",
    "Logging and monitoring", "Remote working"};
constexpr std::array<documents::DocumentType, 6> kDocumentTypes = {
    documents::DocumentType::kPolicy,   documents::DocumentType::kProcedure,
    documents::DocumentType::kStandard, documents::DocumentType::kPlan,
    documents::DocumentType::kRecord,   documents::DocumentType::kOther};
constexpr std::array<const char*, 10> kCustomControlSubjects = {
    "Customer security questionnaire handling",
    "Tenant isolation testing",
    "Privileged session recording",
    "Quarterly key ceremony",
    "Bug bounty triage",
    "Data residency checks",
    "Release security sign-off",
    "SaaS inventory review",
    "Break-glass account audit",
    "Payment data scoping"};

/// demo::WalkingClock's walk (a millisecond per reading, never backwards within a story),
/// restarted for each organization so that every one tells its own year: each
/// organization's chain is in time order; the installation's chain (users and
/// organizations created) is not, as with `certus demo`.
class StoryClock final : public certus::Clock {
 public:
  Timestamp Now() const override {
    return Timestamp(std::chrono::microseconds(now_.fetch_add(1000)));
  }
  void MoveTo(Timestamp at) {
    const auto target = at.time_since_epoch().count();
    if (target > now_.load()) now_.store(target);
  }
  void Restart(Timestamp at) { now_.store(at.time_since_epoch().count()); }

 private:
  mutable std::atomic<std::int64_t> now_{0};
};

// ------------------------------------------------------------------ progress

/// A line per phase as it ends; on a terminal (live), rewritten in place as it advances.
class Progress final {
 public:
  Progress(std::ostream& out, bool enabled, bool live)
      : out_(out), enabled_(enabled), live_(enabled && live) {}

  void Start(std::string label, std::int64_t total) {
    label_ = std::move(label);
    total_ = total;
    done_ = 0;
    started_ = last_ = SteadyClock::now();
    if (live_) Print(false);
  }
  void Tick() {
    ++done_;
    if (!live_) return;
    if (SteadyClock::now() - last_ < std::chrono::milliseconds(250)) return;
    last_ = SteadyClock::now();
    Print(false);
  }
  void End() { Print(true); }

 private:
  void Print(bool final) {
    if (!enabled_) return;
    out_ << fmt::format("{}  {:<44} {:>9}/{:<9} {:7.1f} s", live_ ? "\r" : "", label_, done_,
                        total_, Seconds(started_));
    out_ << (final ? "\n" : "") << std::flush;
  }

  std::ostream& out_;
  bool enabled_;
  bool live_;
  std::string label_;
  std::int64_t total_ = 0;
  std::int64_t done_ = 0;
  SteadyClock::time_point started_, last_;
};

// ------------------------------------------------------------------ one organization

struct Member {
  Actor actor;
  std::string name;
};

struct SeededRisk {
  risk::RiskId id;
  std::int64_t version = 1;
  risk::TreatmentOption treatment = risk::TreatmentOption::kUndecided;
  std::int64_t likelihood = 1;
  std::int64_t impact = 1;
  std::size_t owner = 0;
  bool closed = false;
  bool has_action = false;
  std::vector<controls::ControlId> controls;
};

struct SeededAction {
  risk::TreatmentId id;
  std::int64_t version = 1;
  int due_days_ago = 0;  ///< negative: due in the future
  std::size_t owner = 0;
  bool done = false;
};

struct SeededEvidence {
  evidence::EvidenceId id;
  std::int64_t version = 1;
};

struct SeededControl {
  controls::ControlId id;
  std::string ref;
  std::int64_t version = 1;
  bool applicable = true;
};

struct SeededDocument {
  documents::DocumentId id;
  std::string subject;
};

/// Writes one organization, phase by phase, each phase on its own stretch of the year.
class OrgSeeder final {
 public:
  OrgSeeder(App& app, BatchDatabase& batch, StoryClock& clock, Random& random,
            const SeedOptions& options, const SeedVolume& volume, std::string name,
            std::string slug, std::uint64_t stream, Progress& progress)
      : app_(app),
        batch_(batch),
        clock_(clock),
        random_(random),
        options_(options),
        volume_(volume),
        name_(std::move(name)),
        short_name_(name_.substr(0, name_.find(' '))),
        slug_(std::move(slug)),
        rng_(options.seed * 0x9E3779B97F4A7C15ULL + stream),
        progress_(progress) {}

  Expected<SeededOrg> Run(const std::vector<identity::User>& admins) {
    CERTUS_CHECK(Phase("organization and members", 365, 362, 1,
                       [&](std::int64_t) { return Setup(admins); }));
    CERTUS_CHECK(Phase("SoA decisions", 362, 355, 1, [&](std::int64_t) { return DecideAnnexA(); }));
    CERTUS_CHECK(Phase("custom controls", 355, 350, CustomControls(),
                       [&](std::int64_t i) { return CustomControl(i); }));
    CERTUS_CHECK(
        Phase("assets", 350, 330, volume_.assets, [&](std::int64_t i) { return Asset(i); }));
    CERTUS_CHECK(Phase("risks", 330, 240, volume_.risks, [&](std::int64_t i) { return Risk(i); }));
    CERTUS_CHECK(Phase("treatment actions", 240, 220, volume_.risks,
                       [&](std::int64_t i) { return Action(i); }));
    CERTUS_CHECK(Phase("documents", 220, 190, volume_.documents,
                       [&](std::int64_t i) { return Document(i); }));
    CERTUS_CHECK(
        Phase("evidence", 190, 120, volume_.evidence, [&](std::int64_t i) { return Evidence(i); }));
    CERTUS_CHECK(Phase("treatment progress", 120, 100, static_cast<std::int64_t>(actions_.size()),
                       [&](std::int64_t i) { return Advance(i); }));
    CERTUS_CHECK(Phase("residual ratings and closures", 100, 80, volume_.risks,
                       [&](std::int64_t i) { return Residual(i); }));
    CERTUS_CHECK(Phase("document revisions", 80, 60, volume_.documents,
                       [&](std::int64_t i) { return Revision(i); }));
    CERTUS_CHECK(batch_.Flush());
    const auto head = CERTUS_TRY(ChainLength());
    const auto updates = std::max<std::int64_t>(0, volume_.events - head);
    CERTUS_CHECK(Phase("re-ratings, renewals, reviews", 60, 1, updates,
                       [&](std::int64_t i) { return Update(i); }));
    CERTUS_CHECK(batch_.Flush());
    result_.events = CERTUS_TRY(ChainLength());
    return result_;
  }

 private:
  // ---- the frame

  /// Runs `step` for 0..count-1 with the clock walking from `from_days` to `to_days` ago.
  template <typename Step>
  Expected<void> Phase(const char* label, double from_days, double to_days, std::int64_t count,
                       Step&& step) {
    progress_.Start(fmt::format("{}: {}", short_name_, label), count);
    for (std::int64_t i = 0; i < count; ++i) {
      const double days = from_days - (from_days - to_days) * static_cast<double>(i) /
                                          static_cast<double>(std::max<std::int64_t>(count, 1));
      clock_.MoveTo(options_.today -
                    std::chrono::microseconds(static_cast<std::int64_t>(days * 86'400'000'000.0)));
      auto done = step(i);
      if (!done) {
        std::string message = fmt::format("seeding \"{}\", {} (record {} of {}) failed: {}", name_,
                                          label, i + 1, count, done.error().message());
        for (const auto& f : done.error().fields()) {
          message += " [" + f.field + ": " + f.message + "]";
        }
        return Fail(done.error().code(), message);
      }
      CERTUS_CHECK(batch_.FlushEvery(options_.batch));
      progress_.Tick();
    }
    progress_.End();
    return {};
  }

  Expected<std::int64_t> ChainLength() {
    auto page = CERTUS_TRY(storage::InReadTransaction(batch_, [&](storage::Transaction& tx) {
      return app_.audit_log().List(tx, org_.str(), {.limit = 1});
    }));
    return page.items.empty() ? 0 : page.items.front().seq;
  }

  Date Today() const { return DateOf(clock_.Now()); }
  /// A day relative to the real end of the story (negative: after it).
  Date DaysAgo(int days) const { return DateOf(options_.today - std::chrono::days(days)); }
  static Date Plus(Date day, int days) {
    return Date(std::chrono::sys_days(day) + std::chrono::days(days));
  }
  const Actor& Isms() const { return members_[2].actor; }
  const Actor& Ciso() const { return members_[1].actor; }
  std::size_t Owner() { return owners_[static_cast<std::size_t>(rng_.Below(Count(owners_)))]; }
  template <typename T>
  static std::int64_t Count(const std::vector<T>& v) {
    return static_cast<std::int64_t>(v.size());
  }
  void Counted(const char* what, std::int64_t n = 1) { result_.counts[what] += n; }

  // ---- phases

  Expected<void> Setup(const std::vector<identity::User>& admins) {
    auto& identity = app_.identity();
    auto org = CERTUS_TRY(identity.CreateOrg(Actor::System(), name_, admins.front().id));
    org_ = org.id;
    result_.id = org.id;
    result_.name = name_;
    const Actor admin{admins.front().id, admins.front().email, Role::kAdmin, true, {}};
    for (std::size_t i = 1; i < admins.size(); ++i) {
      CERTUS_TRY(identity.AddMember(admin, org_, admins[i].email, Role::kAdmin));
    }
    std::map<std::string, identity::User> users;
    for (auto& u : CERTUS_TRY(identity.ListUsers())) users.emplace(AsciiLower(u.email), u);
    for (int p = 0; p < volume_.people; ++p) {
      const std::string first = kFirstNames[static_cast<std::size_t>(p) % kFirstNames.size()];
      const std::string last =
          kLastNames[static_cast<std::size_t>(p * 7 + p / 30) % kLastNames.size()];
      const std::string email =
          AsciiLower(fmt::format("{}.{}.{}@{}.example", first, last, p, slug_));
      // Five managers (CEO, CISO, ISMS manager, CTO and one more), two internal auditors,
      // contributors owning risks and controls, viewers for the rest.
      const Role role = p < 4 || p == 6              ? Role::kManager
                        : p < 6                      ? Role::kAuditor
                        : p < volume_.people * 2 / 3 ? Role::kContributor
                                                     : Role::kViewer;
      const std::string full_name = fmt::format("{} {}", first, last);
      auto found = users.find(email);
      identity::User user;
      if (found != users.end()) {
        user = found->second;
      } else {
        // Nobody signs in as a seeded person: a random password nobody is told.
        user = CERTUS_TRY(identity.CreateUser(
            Actor::System(), {.email = email,
                              .display_name = full_name,
                              .password = SecretString(Base64UrlEncode(random_.Bytes(24))),
                              .installation_admin = false}));
      }
      CERTUS_TRY(identity.AddMember(admin, org_, email, role));
      members_.push_back({Actor{user.id, email, role, false, {}}, full_name});
      if (role == Role::kManager || role == Role::kContributor) {
        owners_.push_back(members_.size() - 1);
      }
      Counted("members");
    }
    // ISO 27001 5.3: top management and the owner of the ISMS.
    auto& leadership = app_.leadership();
    std::vector<UserId> top = {members_[0].actor.user_id, members_[3].actor.user_id};
    std::sort(top.begin(), top.end());
    CERTUS_TRY(leadership.CreateRole(
        Isms(), org_,
        {.name = std::string("Top management"),
         .description = std::string(),
         .responsibilities = std::string("Sets the direction of the ISMS, approves policy, "
                                         "residual risk and the SoA."),
         .authorities = std::string("Approves policy, budget and residual risk."),
         .assignee_ids = top,
         .top_management = true,
         .isms_owner = false}));
    CERTUS_TRY(leadership.CreateRole(
        Isms(), org_,
        {.name = std::string("Chief Information Security Officer"),
         .description = std::string(),
         .responsibilities = std::string("Owns the ISMS and reports on its performance."),
         .authorities = std::string("Approves security procedures and standards."),
         .assignee_ids = std::vector<UserId>{members_[1].actor.user_id},
         .top_management = false,
         .isms_owner = true}));
    Counted("ISMS roles", 2);
    // The approved default methodology (5×5, threshold 8).
    const auto methodology = CERTUS_TRY(app_.risk().GetMethodology(Isms(), org_));
    threshold_ = methodology.in_force.criteria.acceptance_threshold;
    return {};
  }

  Expected<void> DecideAnnexA() {
    auto& controls = app_.controls();
    CERTUS_CHECK(controls.Prepare(Isms(), org_));
    auto page = CERTUS_TRY(controls.List(Isms(), org_, {}, {.sort = "ref_id", .limit = 500}));
    static const std::set<std::string> excluded = {"A.7.11", "A.7.12", "A.8.30"};
    for (const auto& c : page.items) {
      controls::ControlPatch patch;
      const bool applicable = !excluded.contains(c.ref_id);
      patch.applicable = std::optional<bool>(applicable);
      if (applicable) {
        patch.justification = c.title + ": required by the risk assessment and contracts.";
        patch.inclusion_reasons = std::vector<std::string>{"business", "best_practice"};
        patch.owner_id = std::optional<UserId>(members_[Owner()].actor.user_id);
        patch.implementation_status = ImplementationStatusOf();
      } else {
        patch.justification = "No own data centre or outsourced development: not relevant.";
      }
      auto updated = CERTUS_TRY(controls.Update(Isms(), org_, c.id, patch, c.version));
      controls_.push_back({updated.id, updated.ref_id, updated.version, applicable});
      if (applicable) applicable_.push_back(controls_.size() - 1);
      Counted("controls");
    }
    return {};
  }

  controls::ImplementationStatus ImplementationStatusOf() {
    const auto r = rng_.Below(100);
    return r < 70   ? controls::ImplementationStatus::kImplemented
           : r < 90 ? controls::ImplementationStatus::kPartiallyImplemented
                    : controls::ImplementationStatus::kPlanned;
  }

  std::int64_t CustomControls() const { return std::max<std::int64_t>(0, volume_.controls - 93); }

  Expected<void> CustomControl(std::int64_t i) {
    const std::string subject = rng_.Pick(kCustomControlSubjects);
    controls::ControlPatch patch;
    patch.ref_id = fmt::format("ORG-{:04}", i + 1);
    patch.title = fmt::format("{} ({})", subject, rng_.Pick(kAssetAdjectives));
    patch.applicable = std::optional<bool>(true);
    patch.justification = "A contractual commitment to customers beyond Annex A.";
    patch.inclusion_reasons = std::vector<std::string>{"contractual"};
    patch.owner_id = std::optional<UserId>(members_[Owner()].actor.user_id);
    patch.implementation_status = ImplementationStatusOf();
    patch.implementation = subject + " is performed and recorded by the control owner.";
    auto created = CERTUS_TRY(app_.controls().Create(Isms(), org_, patch));
    controls_.push_back({created.id, created.ref_id, created.version, true});
    applicable_.push_back(controls_.size() - 1);
    Counted("controls");
    return {};
  }

  Expected<void> Asset(std::int64_t i) {
    const auto& kind = rng_.Pick(kAssetKinds);
    static constexpr std::array<risk::Classification, 4> kClasses = {
        risk::Classification::kPublic, risk::Classification::kInternal,
        risk::Classification::kConfidential, risk::Classification::kRestricted};
    const std::string name =
        fmt::format("{} {} {:05}", rng_.Pick(kAssetAdjectives), rng_.Pick(kind.nouns), i + 1);
    auto asset = CERTUS_TRY(app_.risk().CreateAsset(
        Isms(), org_,
        {.name = name,
         .type = kind.type,
         .owner_id = members_[Owner()].actor.user_id,
         .location = rng_.Pick(kLocations),
         .classification = kClasses[static_cast<std::size_t>(rng_.Below(4))],
         .confidentiality = rng_.Rating(),
         .integrity = rng_.Rating(),
         .availability = rng_.Rating(),
         .description = fmt::format("{} ({}).", name, risk::AssetTypeName(kind.type))}));
    assets_.push_back(asset.id);
    asset_versions_.push_back(asset.version);
    asset_names_.push_back(name);
    Counted("assets");
    return {};
  }

  /// One to `max` applicable controls, as indices into controls_, in order.
  std::vector<std::size_t> SomeControlIndices(int max) {
    std::set<std::size_t> picked;
    const auto n = rng_.Between(1, max);
    for (std::int64_t k = 0; k < n; ++k) {
      picked.insert(applicable_[static_cast<std::size_t>(rng_.Below(Count(applicable_)))]);
    }
    return {picked.begin(), picked.end()};
  }
  std::vector<controls::ControlId> SomeControls(int max) {
    std::vector<controls::ControlId> ids;
    for (auto c : SomeControlIndices(max)) ids.push_back(controls_[c].id);
    return ids;
  }

  Expected<void> Risk(std::int64_t) {
    auto& reg = app_.risk_register();
    const std::string threat = rng_.Pick(kThreats);
    const std::string vulnerability = rng_.Pick(kVulnerabilities);
    const auto first_asset = static_cast<std::size_t>(rng_.Below(Count(assets_)));
    std::vector<risk::AssetId> assets = {assets_[first_asset]};
    for (auto extra = rng_.Below(3); extra > 0; --extra) {
      assets.push_back(assets_[static_cast<std::size_t>(rng_.Below(Count(assets_)))]);
    }
    SeededRisk r;
    r.owner = Owner();
    r.likelihood = rng_.Rating();
    r.impact = rng_.Rating();
    const auto t = rng_.Below(100);
    r.treatment = t < 60   ? risk::TreatmentOption::kMitigate
                  : t < 75 ? risk::TreatmentOption::kAccept
                  : t < 83 ? risk::TreatmentOption::kTransfer
                  : t < 88 ? risk::TreatmentOption::kAvoid
                           : risk::TreatmentOption::kUndecided;
    risk::RiskPatch patch;
    patch.title = fmt::format("{} of {} ({})", rng_.Pick(kConsequences), asset_names_[first_asset],
                              AsciiLower(threat));
    patch.description = fmt::format("{} exploiting: {}.", threat, vulnerability);
    patch.threat = threat;
    patch.vulnerability = vulnerability;
    patch.asset_ids = assets;
    patch.owner_id = members_[r.owner].actor.user_id;
    patch.likelihood = r.likelihood;
    patch.impact = r.impact;
    // ISO 27001 6.1.3 f: accepting a risk above the threshold needs its owner's acceptance
    // first, so such a risk is identified undecided, accepted, then decided.
    const bool needs_acceptance =
        r.treatment == risk::TreatmentOption::kAccept && r.likelihood * r.impact > threshold_;
    if (!needs_acceptance) SetTreatment(patch, r);
    auto created = CERTUS_TRY(reg.CreateRisk(Isms(), org_, patch));
    r.id = created.id;
    r.version = created.version;
    Counted("risks");
    if (needs_acceptance) {
      auto accepted = CERTUS_TRY(reg.AcceptRisk(
          members_[r.owner].actor, org_, r.id,
          "Accepted by the risk owner: the cost of further treatment exceeds the expected loss.",
          DaysAgo(-static_cast<int>(rng_.Between(90, 365)))));
      risk::RiskPatch decide;
      SetTreatment(decide, r);
      auto decided = CERTUS_TRY(reg.UpdateRisk(Isms(), org_, r.id, decide, accepted.version));
      r.version = decided.version;
      Counted("risk acceptances");
    }
    risks_.push_back(std::move(r));
    return {};
  }

  void SetTreatment(risk::RiskPatch& patch, SeededRisk& r) {
    patch.treatment = r.treatment;
    switch (r.treatment) {
      case risk::TreatmentOption::kMitigate:
        r.controls = SomeControls(3);
        patch.control_ids = r.controls;
        patch.treatment_rationale = "Reduce with the linked controls.";
        break;
      case risk::TreatmentOption::kTransfer:
        patch.transfer_to = rng_.Pick(kTransferTo);
        patch.treatment_rationale = "Carried by contract or insurance.";
        break;
      case risk::TreatmentOption::kAvoid:
        patch.treatment_rationale = "The activity is stopped.";
        break;
      case risk::TreatmentOption::kAccept:
        patch.treatment_rationale = "Within the risk appetite.";
        break;
      case risk::TreatmentOption::kUndecided: break;
    }
  }

  /// Treatment actions for about a third of the mitigated risks.
  Expected<void> Action(std::int64_t i) {
    auto& r = risks_[static_cast<std::size_t>(i)];
    if (r.treatment != risk::TreatmentOption::kMitigate || !rng_.Percent(35)) return {};
    const int due = static_cast<int>(rng_.Between(-150, 120));
    risk::TreatmentPatch patch;
    patch.risk_id = r.id;
    patch.title = fmt::format("{} {}", rng_.Pick(kActions),
                              asset_names_[static_cast<std::size_t>(rng_.Below(Count(assets_)))]);
    patch.description = std::string("Action of the risk treatment plan.");
    patch.owner_id = std::optional<UserId>(members_[r.owner].actor.user_id);
    patch.due_on = std::optional<std::string>(FormatDate(DaysAgo(due)));
    if (!r.controls.empty()) {
      patch.control_id = std::optional<controls::ControlId>(r.controls.front());
    }
    auto created = CERTUS_TRY(app_.risk_register().CreateTreatment(Isms(), org_, patch));
    actions_.push_back({created.id, created.version, due, r.owner});
    r.has_action = true;
    Counted("treatment actions");
    return {};
  }

  Expected<void> Document(std::int64_t i) {
    auto& docs = app_.documents();
    const std::string subject =
        kDocumentSubjects[static_cast<std::size_t>(i) % kDocumentSubjects.size()];
    const auto type = rng_.Pick(kDocumentTypes);
    documents::DocumentPatch patch;
    patch.type = type;
    patch.title = fmt::format("{} {} {:04}", subject, documents::DocumentTypeName(type), i + 1);
    patch.owner_id = members_[Owner()].actor.user_id;
    patch.classification = "internal";
    patch.review_interval_months = rng_.Percent(80) ? 12 : 24;
    auto doc = CERTUS_TRY(docs.CreateDocument(Isms(), org_, patch));
    CERTUS_TRY(docs.CreateVersion(Isms(), org_, doc.id, Content(subject, 1), "First issue."));
    CERTUS_CHECK(Publish(doc.id, 1));
    documents_.push_back({doc.id, subject});
    Counted("documents");
    Counted("document versions");
    return {};
  }

  std::string Content(const std::string& subject, int version) {
    return fmt::format(
        "# {}\n\nVersion {}.\n\n## Purpose\n\nThis document sets out how {} is managed.\n\n"
        "## Rules\n\n- {} is reviewed at least yearly.\n- Exceptions are approved by the CISO.\n"
        "- Records are kept for three years.\n",
        subject, version, AsciiLower(subject), subject);
  }

  Expected<void> Publish(const documents::DocumentId& id, std::int64_t number) {
    auto& docs = app_.documents();
    CERTUS_TRY(docs.Transition(Isms(), org_, id, number, documents::Step::kSubmit,
                               "Ready for approval.", std::nullopt));
    // ISO 27001 7.5.2 c: approved by someone other than the author.
    CERTUS_TRY(docs.Transition(Ciso(), org_, id, number, documents::Step::kApprove, "Approved.",
                               std::nullopt));
    CERTUS_TRY(docs.Transition(Ciso(), org_, id, number, documents::Step::kPublish, "Published.",
                               std::nullopt));
    return {};
  }

  Expected<void> Evidence(std::int64_t i) {
    evidence::NewEvidence input;
    const std::string what = rng_.Pick(kEvidenceKinds);
    const auto linked = SomeControlIndices(2);
    for (auto c : linked) input.control_ids.push_back(controls_[c].id);
    const auto& control = controls_[linked.front()];
    input.title = fmt::format("{} for {} #{}", what, control.ref, i + 1);
    input.description = what + " collected by the control owner.";
    if (rng_.Percent(40)) {
      input.kind = evidence::EvidenceKind::kLink;
      input.url = fmt::format("https://records.{}.example/evidence/{}", slug_, i + 1);
    } else {
      input.kind = evidence::EvidenceKind::kNote;
      input.note = what + ": performed, reviewed and signed off; no exceptions.";
    }
    input.owner_id = members_[Owner()].actor.user_id;
    input.collected_on = Today();
    // Most for a year; some for a quarter (expired by now), some for half a year (expiring).
    const auto v = rng_.Below(100);
    input.valid_until = Plus(Today(), v < 70 ? 365 : v < 85 ? 90 : 170);
    auto created = CERTUS_TRY(app_.evidence().Create(Isms(), org_, input));
    evidence_.push_back({created.id, created.version});
    Counted("evidence");
    return {};
  }

  /// Actions move on: those due long ago are mostly done, some still open (overdue).
  Expected<void> Advance(std::int64_t i) {
    auto& a = actions_[static_cast<std::size_t>(i)];
    auto& reg = app_.risk_register();
    const Actor& owner = members_[a.owner].actor;
    if (a.due_days_ago < -60 && rng_.Percent(60)) return {};  // not started yet
    risk::TreatmentPatch start;
    start.status = risk::ActionStatus::kInProgress;
    auto started = CERTUS_TRY(reg.UpdateTreatment(owner, org_, a.id, start, a.version));
    a.version = started.version;
    if (a.due_days_ago > 0 && rng_.Percent(75)) {
      risk::TreatmentPatch done;
      done.status = risk::ActionStatus::kDone;
      done.completion_note = std::string("Implemented and verified.");
      auto finished = CERTUS_TRY(reg.UpdateTreatment(owner, org_, a.id, done, a.version));
      a.version = finished.version;
      a.done = true;
      Counted("treatment actions done");
    }
    return {};
  }

  /// Residual ratings once treatments took effect; avoided risks closed.
  Expected<void> Residual(std::int64_t i) {
    auto& r = risks_[static_cast<std::size_t>(i)];
    auto& reg = app_.risk_register();
    risk::RiskPatch patch;
    if (r.treatment == risk::TreatmentOption::kMitigate ||
        r.treatment == risk::TreatmentOption::kTransfer) {
      if (!rng_.Percent(70)) return {};
      patch.residual_likelihood =
          std::optional<std::int64_t>(std::max<std::int64_t>(1, r.likelihood - rng_.Between(0, 2)));
      patch.residual_impact =
          std::optional<std::int64_t>(std::max<std::int64_t>(1, r.impact - rng_.Between(0, 1)));
    } else if (r.treatment == risk::TreatmentOption::kAvoid && !r.has_action) {
      patch.status = risk::RiskStatus::kClosed;
      r.closed = true;
      Counted("risks closed");
    } else {
      return {};
    }
    auto updated = CERTUS_TRY(reg.UpdateRisk(Isms(), org_, r.id, patch, r.version));
    r.version = updated.version;
    return {};
  }

  /// Second versions for most documents, a third in review for some.
  Expected<void> Revision(std::int64_t i) {
    if (!rng_.Percent(60)) return {};
    auto& docs = app_.documents();
    const auto& d = documents_[static_cast<std::size_t>(i)];
    CERTUS_TRY(docs.CreateVersion(Isms(), org_, d.id, Content(d.subject, 2), "Yearly review."));
    CERTUS_CHECK(Publish(d.id, 2));
    Counted("document versions");
    if (rng_.Percent(25)) {
      CERTUS_TRY(
          docs.CreateVersion(Isms(), org_, d.id, Content(d.subject, 3), "Proposed changes."));
      CERTUS_TRY(docs.Transition(Isms(), org_, d.id, 3, documents::Step::kSubmit,
                                 "Ready for approval.", std::nullopt));
      Counted("document versions");
    }
    return {};
  }

  /// One audit event each: evidence renewed, a risk re-rated, an open action rescheduled,
  /// an asset re-valued, or (rarely) a control reviewed.
  Expected<void> Update(std::int64_t) {
    const auto kind = rng_.Below(100);
    if (kind >= 2 && kind < 42 && !evidence_.empty()) {
      auto& e = evidence_[static_cast<std::size_t>(rng_.Below(Count(evidence_)))];
      evidence::EvidencePatch patch;
      patch.collected_on = std::optional<std::optional<Date>>(Today());
      patch.valid_until = std::optional<std::optional<Date>>(Plus(Today(), 365));
      auto updated = CERTUS_TRY(app_.evidence().Update(Isms(), org_, e.id, patch, e.version));
      e.version = updated.version;
      Counted("evidence renewals");
      return {};
    }
    if (kind >= 42 && kind < 62 && !actions_.empty()) {
      // Open actions not yet due slip by a few weeks; overdue ones stay overdue.
      auto& a = actions_[static_cast<std::size_t>(rng_.Below(Count(actions_)))];
      if (!a.done && a.due_days_ago < 0) {
        a.due_days_ago -= static_cast<int>(rng_.Between(7, 42));
        risk::TreatmentPatch patch;
        patch.due_on =
            std::optional<std::optional<std::string>>(FormatDate(DaysAgo(a.due_days_ago)));
        auto updated = CERTUS_TRY(app_.risk_register().UpdateTreatment(
            members_[a.owner].actor, org_, a.id, patch, a.version));
        a.version = updated.version;
        Counted("treatment actions rescheduled");
        return {};
      }
    }
    if (kind >= 62 && kind < 72 && !assets_.empty()) {
      const auto i = static_cast<std::size_t>(rng_.Below(Count(assets_)));
      risk::AssetPatch patch;
      patch.confidentiality = std::optional<std::optional<std::int64_t>>(rng_.Rating());
      patch.integrity = std::optional<std::optional<std::int64_t>>(rng_.Rating());
      patch.availability = std::optional<std::optional<std::int64_t>>(rng_.Rating());
      auto updated =
          CERTUS_TRY(app_.risk().UpdateAsset(Isms(), org_, assets_[i], patch, asset_versions_[i]));
      asset_versions_[i] = updated.version;
      Counted("asset re-valuations");
      return {};
    }
    // Control reviews are few: a control's audit event carries its linked risks and
    // evidence, hundreds of them at this scale.
    const bool review = kind < 2 && reviews_ < volume_.controls / 10;
    for (int attempt = 0; !review && attempt < 16 && !risks_.empty(); ++attempt) {
      auto& r = risks_[static_cast<std::size_t>(rng_.Below(Count(risks_)))];
      if (r.closed || r.treatment == risk::TreatmentOption::kAccept) continue;
      risk::RiskPatch patch;
      r.likelihood = std::clamp<std::int64_t>(r.likelihood + rng_.Between(-1, 1), 1, 5);
      r.impact =
          std::clamp<std::int64_t>(r.impact + (rng_.Percent(30) ? rng_.Between(-1, 1) : 0), 1, 5);
      patch.likelihood = r.likelihood;
      patch.impact = r.impact;
      patch.last_assessed_on = std::optional<std::optional<std::string>>(FormatDate(Today()));
      auto updated = CERTUS_TRY(
          app_.risk_register().UpdateRisk(members_[r.owner].actor, org_, r.id, patch, r.version));
      r.version = updated.version;
      Counted("risk re-ratings");
      return {};
    }
    auto& c = controls_[applicable_[static_cast<std::size_t>(rng_.Below(Count(applicable_)))]];
    controls::ControlPatch patch;
    patch.last_reviewed_on = std::optional<std::optional<std::string>>(FormatDate(Today()));
    auto updated = CERTUS_TRY(app_.controls().Update(Isms(), org_, c.id, patch, c.version));
    c.version = updated.version;
    ++reviews_;
    Counted("control reviews");
    return {};
  }

  App& app_;
  BatchDatabase& batch_;
  StoryClock& clock_;
  Random& random_;
  const SeedOptions& options_;
  SeedVolume volume_;
  std::string name_;
  std::string short_name_;
  std::string slug_;
  Rng rng_;
  Progress& progress_;

  OrgId org_;
  SeededOrg result_;
  std::int64_t threshold_ = 8;
  std::int64_t reviews_ = 0;
  std::vector<Member> members_;
  std::vector<std::size_t> owners_;  ///< members who own risks, assets and controls
  std::vector<SeededControl> controls_;
  std::vector<std::size_t> applicable_;  ///< indices into controls_
  std::vector<risk::AssetId> assets_;
  std::vector<std::int64_t> asset_versions_;
  std::vector<std::string> asset_names_;
  std::vector<SeededRisk> risks_;
  std::vector<SeededAction> actions_;
  std::vector<SeededEvidence> evidence_;
  std::vector<SeededDocument> documents_;
};

}  // namespace
}  // namespace seed

Expected<std::vector<SeededOrg>> SeedOrganizations(storage::Database& db, Random& random,
                                                   const SeedOptions& options,
                                                   std::ostream& progress_out) {
  // The story runs over the year before `today`; every organization tells it again.
  seed::StoryClock clock;
  clock.Restart(options.today - std::chrono::days(367));
  seed::BatchDatabase batch(db);
  AppSettings settings;
  settings.blob_dir = options.blob_dir;
  // Seeded people never sign in (nobody knows their random passwords).
  settings.identity.hash_cost = identity::HashCost::kMinimum;
  App app(batch, clock, random, settings);

  std::vector<identity::User> admins;
  for (auto& u : CERTUS_TRY(app.identity().ListUsers())) {
    if (u.installation_admin && !u.disabled) admins.push_back(u);
  }
  if (admins.empty()) {
    return Fail(ErrorCode::kConflict,
                "This installation is not initialized: run `certus init` first (the seeded "
                "organizations are administered by its installation admins).");
  }
  struct Planned {
    std::string name;
    std::string slug;
    SeedVolume volume;
  };
  std::vector<Planned> planned;
  planned.push_back({fmt::format("Scale-{} organization (seed {})", options.size, options.seed),
                     fmt::format("scale-{}-{}", AsciiLower(options.size), options.seed),
                     options.volume});
  for (int t = 1; t <= options.tenants; ++t) {
    planned.push_back({fmt::format("Tenant-{:04} (seed {})", t, options.seed),
                       fmt::format("tenant-{}-{}", t, options.seed), options.tenant_volume});
  }
  std::set<std::string> existing;
  for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) existing.insert(o.name);
  for (const auto& p : planned) {
    if (existing.contains(p.name)) {
      return Fail(ErrorCode::kConflict,
                  "An organization named \"" + p.name +
                      "\" already exists: this database was seeded with --seed " +
                      std::to_string(options.seed) +
                      " before; nothing was changed. Use another --seed or a fresh database.");
    }
  }
  CERTUS_CHECK(batch.Flush());

  seed::Progress progress(progress_out, options.progress, options.live);
  // The tenants' phases are not shown one by one: a line counts the tenants.
  seed::Progress quiet(progress_out, false, false);
  std::vector<SeededOrg> seeded;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (i == 1) progress.Start("tenants", options.tenants);
    clock.Restart(options.today - std::chrono::days(366));
    seed::OrgSeeder seeder(app, batch, clock, random, options, planned[i].volume, planned[i].name,
                           planned[i].slug, i, i == 0 ? progress : quiet);
    seeded.push_back(CERTUS_TRY(seeder.Run(admins)));
    if (i > 0) progress.Tick();
  }
  if (planned.size() > 1) progress.End();
  CERTUS_CHECK(batch.Flush());
  if (options.token && !seeded.empty()) {
    const Actor admin{admins.front().id, admins.front().email, Role::kAdmin, true, {}};
    auto token = CERTUS_TRY(
        app.identity().CreateToken(admin, "benchmark", seeded.front().id, Role::kManager));
    CERTUS_CHECK(batch.Flush());
    seeded.front().token = token.secret.Expose();
  }
  return seeded;
}

namespace {

Expected<std::int64_t> DatabaseBytes(storage::Database& db, const SeedOptions& options) {
  if (db.dialect() == storage::Dialect::kPostgres) {
    auto result = CERTUS_TRY(storage::InReadTransaction(db, [](storage::Transaction& tx) {
      return tx.Execute("SELECT pg_database_size(current_database())");
    }));
    return result.rows.empty() ? 0 : result.rows.front().Int(0);
  }
  std::int64_t bytes = 0;
  for (const auto& path :
       {options.database_file, std::filesystem::path(options.database_file.string() + "-wal")}) {
    std::error_code ec;
    if (path.empty()) continue;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec) bytes += static_cast<std::int64_t>(size);
  }
  return bytes;
}

}  // namespace

Expected<int> SeedCommand(storage::Database& db, Random& random, const SeedOptions& options,
                          std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  auto seeded = SeedOrganizations(db, random, options, err);
  if (!seeded) {
    if (seeded.error().code() == ErrorCode::kConflict) {
      err << "error: " << seeded.error().message() << "\n";
      return 1;
    }
    return Fail(seeded.error().code(),
                seeded.error().message() +
                    " (the organizations committed so far are incomplete: seed a fresh database)");
  }
  const double elapsed = seed::Seconds(started);
  std::int64_t events = 0;
  for (const auto& org : *seeded) events += org.events;
  const auto& main = seeded->front();
  out << fmt::format("Seeded \"{}\" ({}):\n", main.name, main.id.str());
  for (const auto& [what, n] : main.counts) out << fmt::format("  {:>9}  {}\n", n, what);
  out << fmt::format("  {:>9}  audit events in its chain\n", main.events);
  if (seeded->size() > 1) {
    out << fmt::format("and {} tenant organizations ({} audit events in all).\n",
                       seeded->size() - 1, events - main.events);
  }
  const auto bytes = DatabaseBytes(db, options);
  out << fmt::format("{} audit events in {:.1f} s ({:.0f} events/s); database {:.1f} MB\n", events,
                     elapsed, static_cast<double>(events) / std::max(elapsed, 1e-3),
                     bytes ? static_cast<double>(*bytes) / 1e6 : 0.0);
  out << "org_id=" << main.id.str() << "\n";
  if (!main.token.empty()) out << "token=" << main.token << "\n";
  return 0;
}

}  // namespace certus::cli
