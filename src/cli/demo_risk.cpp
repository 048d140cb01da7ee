// `certus demo`: the risk methodology (6.1.2), assets, the risk register and its treatment
// (6.1.3, 8.2, 8.3) and the Statement of Applicability of Northwind Cloud.
#include <set>

#include <fmt/format.h>

#include "cli/demo_seed.hpp"

namespace certus::cli::demo {

namespace {

using risk::AssetType;
using risk::Classification;
using risk::TreatmentOption;

struct AssetSpec {
  const char* name;
  AssetType type;
  const char* owner;
  const char* location;
  Classification classification;
  std::int64_t c, i, a;
};

const std::vector<AssetSpec>& Assets() {
  static const std::vector<AssetSpec> assets = {
      {"Customer database (PostgreSQL)", AssetType::kInformation, "sre", "Cloud eu-west-1",
       Classification::kRestricted, 5, 5, 5},
      {"Customer file storage (object store)", AssetType::kInformation, "sre", "Cloud eu-west-1",
       Classification::kRestricted, 5, 4, 4},
      {"Platform web application", AssetType::kSoftware, "eng", "Cloud eu-west-1",
       Classification::kConfidential, 4, 5, 5},
      {"Public API", AssetType::kService, "eng", "Cloud eu-west-1", Classification::kConfidential,
       4, 5, 5},
      {"Kubernetes production cluster", AssetType::kService, "sre", "Cloud eu-west-1",
       Classification::kConfidential, 4, 5, 5},
      {"Cloud accounts and IAM", AssetType::kService, "sre", "Cloud", Classification::kRestricted,
       5, 5, 4},
      {"CI/CD pipelines", AssetType::kService, "eng", "SaaS", Classification::kConfidential, 4, 5,
       3},
      {"Source code repositories", AssetType::kInformation, "eng", "SaaS",
       Classification::kConfidential, 4, 5, 3},
      {"Secrets manager", AssetType::kService, "sre", "Cloud", Classification::kRestricted, 5, 5,
       4},
      {"Backups and snapshot vault", AssetType::kInformation, "sre", "Cloud eu-central-1",
       Classification::kRestricted, 5, 5, 4},
      {"Logging and monitoring stack", AssetType::kService, "sre", "Cloud",
       Classification::kConfidential, 3, 4, 3},
      {"Identity provider (SSO)", AssetType::kService, "itops", "SaaS", Classification::kRestricted,
       4, 5, 5},
      {"Staff laptops", AssetType::kHardware, "itops", "Remote and office",
       Classification::kConfidential, 4, 3, 3},
      {"Email and office suite", AssetType::kService, "itops", "SaaS",
       Classification::kConfidential, 4, 3, 4},
      {"Support ticketing system", AssetType::kService, "support", "SaaS",
       Classification::kConfidential, 4, 3, 3},
      {"CRM", AssetType::kService, "support", "SaaS", Classification::kConfidential, 3, 3, 3},
      {"HR information system", AssetType::kService, "hr", "SaaS", Classification::kRestricted, 5,
       4, 3},
      {"Employee records", AssetType::kInformation, "hr", "SaaS", Classification::kRestricted, 5, 4,
       2},
      {"Finance and billing system", AssetType::kService, "cfo", "SaaS",
       Classification::kConfidential, 4, 5, 3},
      {"Payment provider integration", AssetType::kSupplier, "cfo", "SaaS",
       Classification::kConfidential, 4, 5, 4},
      {"Cloud infrastructure provider", AssetType::kSupplier, "cto", "EU regions",
       Classification::kInternal, 3, 4, 5},
      {"Lisbon office", AssetType::kSite, "itops", "Lisbon", Classification::kInternal, 2, 2, 3},
      {"Engineering team", AssetType::kPeople, "eng", "Remote", Classification::kInternal, 3, 3, 4},
      {"Analytics data warehouse", AssetType::kInformation, "eng", "Cloud eu-west-1",
       Classification::kConfidential, 4, 3, 2},
      {"Product documentation site", AssetType::kSoftware, "support", "SaaS",
       Classification::kPublic, 1, 3, 3},
  };
  return assets;
}

struct RiskSpec {
  const char* title;
  const char* threat;
  const char* vulnerability;
  std::vector<int> assets;  // indices into Assets()
  const char* owner;
  std::int64_t l, i;
  TreatmentOption treatment;
  const char* controls;  // Annex A refs, comma separated
  std::int64_t rl, ri;   // residual rating after treatment (0: not rated)
};

const std::vector<RiskSpec>& Risks() {
  using T = TreatmentOption;
  static const std::vector<RiskSpec> risks = {
      {"Ransomware encrypts production data",
       "Ransomware operators",
       "Backups reachable with production credentials",
       {0, 9},
       "sre",
       3,
       5,
       T::kMitigate,
       "A.8.13,A.8.7,A.5.30",
       2,
       4},
      {"Phishing steals staff credentials",
       "Credential phishing",
       "Users re-use passwords",
       {11, 13},
       "itops",
       4,
       4,
       T::kMitigate,
       "A.6.3,A.8.5,A.5.17",
       2,
       3},
      {"Compromise of cloud root or admin account",
       "External attacker",
       "Long-lived admin keys, no hardware MFA",
       {5},
       "sre",
       2,
       5,
       T::kMitigate,
       "A.8.2,A.8.5,A.5.15",
       1,
       5},
      {"Secrets leaked in source code",
       "Careless commit, public fork",
       "No secret scanning on pushes",
       {7, 8},
       "eng",
       3,
       4,
       T::kMitigate,
       "A.8.4,A.8.28",
       2,
       3},
      {"Vulnerable open-source dependency exploited",
       "Exploit of known CVE",
       "Dependencies updated irregularly",
       {2, 3},
       "eng",
       4,
       4,
       T::kMitigate,
       "A.8.8,A.8.28",
       2,
       3},
      {"Cross-tenant data exposure through API bug",
       "Authorisation flaw",
       "Tenant checks coded by "
       "hand in each endpoint",
       {3, 0},
       "eng",
       2,
       5,
       T::kMitigate,
       "A.8.26,A.8.29,A.8.25",
       1,
       5},
      {"Region outage of the cloud provider",
       "Provider failure",
       "Single-region services",
       {4, 20},
       "sre",
       2,
       5,
       T::kMitigate,
       "A.5.30,A.8.14",
       2,
       3},
      {"Loss of backups through misconfiguration",
       "Operator error",
       "Backup policies changed without review",
       {9},
       "sre",
       2,
       5,
       T::kMitigate,
       "A.8.13,A.8.32",
       1,
       4},
      {"Insider exfiltrates customer data",
       "Malicious insider",
       "Broad read access to production "
       "data",
       {0, 1},
       "ciso",
       2,
       5,
       T::kMitigate,
       "A.8.3,A.8.15,A.5.18",
       1,
       4},
      {"Leaver keeps access to SaaS tools",
       "Former employee",
       "Manual deprovisioning",
       {11, 14, 15},
       "hr",
       3,
       3,
       T::kMitigate,
       "A.5.18,A.6.5",
       1,
       3},
      {"Stolen or lost laptop",
       "Theft, loss",
       "Local data on devices",
       {12},
       "itops",
       3,
       3,
       T::kMitigate,
       "A.8.1,A.8.24",
       3,
       1},
      {"DDoS takes the public API offline",
       "DDoS attack",
       "Limited rate limiting",
       {3},
       "sre",
       3,
       4,
       T::kMitigate,
       "A.8.20,A.8.6",
       2,
       3},
      {"CI/CD pipeline compromise injects malicious code",
       "Supply-chain attacker",
       "Broad pipeline tokens",
       {6, 7},
       "eng",
       2,
       5,
       T::kMitigate,
       "A.8.31,A.8.32,A.8.4",
       1,
       4},
      {"Undetected intrusion for lack of monitoring",
       "Persistent attacker",
       "Alerts not tuned, logs kept 30 days",
       {10},
       "sre",
       3,
       4,
       T::kMitigate,
       "A.8.15,A.8.16",
       2,
       3},
      {"Personal data breach notified late",
       "Slow escalation",
       "No on-call DPO",
       {0, 17},
       "dpo",
       2,
       4,
       T::kMitigate,
       "A.5.24,A.5.26,A.5.34",
       1,
       3},
      {"Supplier breach exposes our data",
       "Compromise of a supplier",
       "Suppliers assessed once at contract",
       {14, 15, 19},
       "dpo",
       3,
       3,
       T::kMitigate,
       "A.5.19,A.5.20,A.5.22",
       2,
       3},
      {"Misconfigured storage bucket made public",
       "Configuration error",
       "No policy guardrails",
       {1},
       "sre",
       3,
       5,
       T::kMitigate,
       "A.8.9,A.5.23",
       1,
       5},
      {"SQL injection in the web application",
       "Injection attack",
       "Legacy query builder",
       {2, 0},
       "eng",
       2,
       5,
       T::kMitigate,
       "A.8.28,A.8.29",
       1,
       4},
      {"Privileged access not reviewed",
       "Privilege creep",
       "No periodic access review",
       {5, 11},
       "itops",
       3,
       3,
       T::kMitigate,
       "A.5.18,A.8.2",
       2,
       2},
      {"HR data disclosed",
       "Unauthorised access",
       "Shared HR mailbox",
       {16, 17},
       "hr",
       2,
       4,
       T::kMitigate,
       "A.5.15,A.5.34",
       1,
       3},
      {"Key engineer unavailable during an incident",
       "Absence",
       "Knowledge in few heads",
       {22},
       "eng",
       3,
       3,
       T::kMitigate,
       "A.5.37",
       2,
       2},
      {"Payment data tampered in transit",
       "Man in the middle",
       "Legacy webhook endpoint",
       {19},
       "cfo",
       1,
       5,
       T::kTransfer,
       "A.8.24",
       1,
       3},
      {"Fraudulent invoice paid (business email compromise)",
       "Social engineering",
       "No call-back verification",
       {18, 13},
       "cfo",
       2,
       4,
       T::kMitigate,
       "A.6.3,A.5.14",
       1,
       3},
      {"Office break-in",
       "Burglary",
       "Ground-floor windows",
       {21},
       "itops",
       1,
       2,
       T::kAccept,
       "",
       0,
       0},
      {"Laptop malware from unapproved software",
       "Malware",
       "Local admin rights",
       {12},
       "itops",
       3,
       3,
       T::kMitigate,
       "A.8.7,A.8.19",
       2,
       2},
      {"Log data contains personal data beyond retention",
       "Over-retention",
       "No log scrubbing",
       {10},
       "dpo",
       3,
       2,
       T::kMitigate,
       "A.8.10,A.8.11",
       2,
       2},
      {"Test environments hold production data",
       "Data copied for debugging",
       "No anonymisation",
       {23, 0},
       "eng",
       3,
       3,
       T::kMitigate,
       "A.8.33,A.8.31",
       1,
       3},
      {"Expired TLS certificate breaks the API",
       "Operational error",
       "Manual renewal",
       {3},
       "sre",
       2,
       3,
       T::kMitigate,
       "A.8.24",
       1,
       2},
      {"Analytics warehouse over-shared",
       "Excessive permissions",
       "Broad analyst role",
       {23},
       "eng",
       3,
       3,
       T::kMitigate,
       "A.5.15,A.8.3",
       2,
       2},
      {"Customer support staff socially engineered",
       "Pretexting caller",
       "Weak caller "
       "verification",
       {14},
       "support",
       3,
       4,
       T::kMitigate,
       "A.6.3,A.5.17",
       2,
       3},
      {"Unpatched laptops",
       "Exploit of OS vulnerability",
       "Updates deferred by users",
       {12},
       "itops",
       3,
       3,
       T::kMitigate,
       "A.8.8,A.8.1",
       2,
       2},
      {"Shadow IT stores customer data",
       "Unapproved SaaS",
       "No SaaS discovery",
       {13},
       "ciso",
       3,
       3,
       T::kMitigate,
       "A.5.9,A.5.10",
       2,
       3},
      {"Documentation site defaced",
       "Web defacement",
       "Hosted by third party",
       {24},
       "support",
       2,
       2,
       T::kAccept,
       "",
       0,
       0},
      {"Legacy reporting module kept online",
       "Exploit of unmaintained code",
       "End-of-life framework",
       {2},
       "cto",
       2,
       4,
       T::kAvoid,
       "",
       0,
       0},
      {"Loss of the source code hosting",
       "Provider outage or account loss",
       "No independent mirror",
       {7},
       "eng",
       2,
       3,
       T::kMitigate,
       "A.8.13",
       1,
       3},
      {"Email spoofing of the northwind domain",
       "Spoofing",
       "DMARC not enforced",
       {13},
       "itops",
       3,
       3,
       T::kMitigate,
       "A.8.21,A.5.14",
       1,
       3},
      {"Regulatory fine for inadequate records of processing",
       "Regulator audit",
       "Records incomplete",
       {17, 0},
       "dpo",
       2,
       4,
       T::kMitigate,
       "A.5.31,A.5.34",
       1,
       3},
      {"Capacity exhaustion during peak load",
       "Traffic growth",
       "Manual scaling limits",
       {4},
       "sre",
       3,
       3,
       T::kMitigate,
       "A.8.6",
       2,
       2},
      {"Change breaks production without rollback",
       "Faulty deployment",
       "Migrations not "
       "reversible",
       {2, 4},
       "eng",
       3,
       3,
       T::kMitigate,
       "A.8.32",
       2,
       2},
      {"Growth outpaces onboarding security",
       "New hires without training",
       "Onboarding checklist "
       "by hand",
       {22},
       "hr",
       4,
       3,
       T::kAccept,
       "",
       0,
       0},
  };
  return risks;
}

struct ActionSpec {
  int risk;  // index into Risks()
  const char* title;
  const char* owner;
  int planned;  // days ago
  int due;      // days ago (negative: in the future)
  risk::ActionStatus final_status;
  int finished;  // days ago the final status was reached
};

const std::vector<ActionSpec>& Actions() {
  using S = risk::ActionStatus;
  static const std::vector<ActionSpec> actions = {
      {0, "Immutable backup vault in a second region", "sre", 262, 180, S::kDone, 190},
      {1, "Enforce phishing-resistant MFA (FIDO2) for all staff", "itops", 262, 120, S::kDone, 130},
      {2, "Remove long-lived admin keys; just-in-time admin roles", "sre", 262, 150, S::kDone, 160},
      {3, "Secret scanning on every push and in CI", "eng", 260, 200, S::kDone, 205},
      {4, "Automated dependency updates with weekly merge window", "eng", 260, 150, S::kDone, 140},
      {5, "Central tenant isolation middleware with tests", "eng", 258, -20, S::kInProgress, 90},
      {6, "Multi-region failover for the API tier", "sre", 258, -45, S::kInProgress, 70},
      {8, "Quarterly production access review", "ciso", 255, 100, S::kDone, 110},
      {9, "Automate deprovisioning from the HR system", "hr", 255, 50, S::kPlanned, 255},
      {13, "Extend log retention to 12 months; tune alerts", "sre", 250, 90, S::kDone, 95},
      {15, "Yearly assessment of critical suppliers", "dpo", 250, 40, S::kPlanned, 250},
      {16, "Policy guardrails against public buckets", "sre", 248, 170, S::kDone, 175},
      {26, "Anonymised test data sets", "eng", 245, -30, S::kInProgress, 60},
      {35, "Enforce DMARC p=reject", "itops", 240, 150, S::kDone, 155},
  };
  return actions;
}

std::vector<std::string> Split(const char* refs) {
  std::vector<std::string> out;
  std::string current;
  for (const char* p = refs; *p; ++p) {
    if (*p == ',') {
      out.push_back(current);
      current.clear();
    } else {
      current += *p;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// Annex A controls the demo excludes, with why.
const std::map<std::string, std::string>& Exclusions() {
  static const std::map<std::string, std::string> exclusions = {
      {"A.7.11",
       "No own data centre or server room: supporting utilities of the hosting are the "
       "cloud provider's, relied on through A.5.23; the office has no critical "
       "equipment."},
      {"A.7.12",
       "No own data centre: cabling of the hosting is the cloud provider's (A.5.23); "
       "office cabling carries no production traffic."},
      {"A.8.30", "No development is outsourced: all software is built by Northwind staff."},
  };
  return exclusions;
}

std::string OwnerOf(const std::string& ref) {
  if (ref.starts_with("A.6")) return "hr";
  if (ref.starts_with("A.7")) return "itops";
  if (ref.starts_with("A.8")) {
    static const std::set<std::string> engineering = {"A.8.4",  "A.8.25", "A.8.26", "A.8.27",
                                                      "A.8.28", "A.8.29", "A.8.31", "A.8.33"};
    return engineering.contains(ref) ? "eng" : "sre";
  }
  static const std::set<std::string> legal = {"A.5.19", "A.5.20", "A.5.21", "A.5.22",
                                              "A.5.31", "A.5.32", "A.5.33", "A.5.34"};
  if (legal.contains(ref)) return "dpo";
  return "ciso";
}

std::string JustificationOf(const std::string& ref, const std::string& title) {
  if (ref.starts_with("A.6")) {
    return title +
           ": needed for the people handling customer data; staff contracts and "
           "awareness training apply it.";
  }
  if (ref.starts_with("A.7")) {
    return title +
           ": applies to the Lisbon office and remote workplaces; the cloud provider "
           "covers its data centres.";
  }
  if (ref.starts_with("A.8")) {
    return title + ": required to protect the platform and customer data in the cloud.";
  }
  return title + ": required by the ISMS and by customer contracts.";
}

}  // namespace

void PlanRisk(Timeline& t) {
  t.At(345, "risk methodology", [](Seed& s) -> Expected<void> {
    auto& risk = s.app.risk();
    auto state = CERTUS_TRY(risk.GetMethodology(s.As("isms"), s.org));
    auto criteria = risk::RiskService::DefaultCriteria();
    criteria.likelihood_scale[0].description = "Not expected in the next five years.";
    auto drafted =
        CERTUS_TRY(risk.PutMethodology(s.As("isms"), s.org, criteria, state.LatestVersion()));
    CERTUS_TRY(risk.ApproveMethodology(s.As("ciso"), s.org, drafted.LatestVersion()));
    return {};
  });

  t.At(325, "assets", [](Seed& s) -> Expected<void> {
    int n = 0;
    for (const auto& a : Assets()) {
      auto asset = CERTUS_TRY(s.app.risk().CreateAsset(s.As("isms"), s.org,
                                                       {.name = a.name,
                                                        .type = a.type,
                                                        .owner_id = s.User(a.owner),
                                                        .location = a.location,
                                                        .classification = a.classification,
                                                        .confidentiality = a.c,
                                                        .integrity = a.i,
                                                        .availability = a.a,
                                                        .description = ""}));
      s.ids[fmt::format("asset:{}", n++)] = asset.id.str();
      s.Count("assets");
    }
    return {};
  });

  // The SoA rows exist from the first read; every control decided over two weeks.
  t.At(305, "SoA decisions", [](Seed& s) -> Expected<void> {
    auto& controls = s.app.controls();
    CERTUS_CHECK(controls.Prepare(s.As("isms"), s.org));
    auto page =
        CERTUS_TRY(controls.List(s.As("isms"), s.org, {}, {.sort = "ref_id", .limit = 500}));
    const std::set<std::string> partial = {"A.5.9", "A.5.18", "A.8.16", "A.8.33", "A.5.37"};
    for (const auto& c : page.items) {
      s.ids["control:" + c.ref_id] = c.id.str();
      controls::ControlPatch patch;
      auto excluded = Exclusions().find(c.ref_id);
      if (excluded != Exclusions().end()) {
        patch.applicable = std::optional<bool>(false);
        patch.justification = excluded->second;
      } else {
        patch.applicable = std::optional<bool>(true);
        patch.justification = JustificationOf(c.ref_id, c.title);
        patch.inclusion_reasons = std::vector<std::string>{"business", "best_practice"};
        patch.owner_id = std::optional<UserId>(s.User(OwnerOf(c.ref_id)));
        patch.implementation_status = partial.contains(c.ref_id)
                                          ? controls::ImplementationStatus::kPartiallyImplemented
                                          : controls::ImplementationStatus::kImplemented;
      }
      CERTUS_TRY(controls.Update(s.As("isms"), s.org, c.id, patch, c.version));
      s.Count("controls decided");
    }
    return {};
  });

  t.At(290, "risk identification", [](Seed& s) -> Expected<void> {
    int n = 0;
    for (const auto& r : Risks()) {
      risk::RiskPatch patch;
      patch.title = r.title;
      patch.description = fmt::format("{} exploiting: {}.", r.threat, r.vulnerability);
      patch.threat = r.threat;
      patch.vulnerability = r.vulnerability;
      std::vector<risk::AssetId> assets;
      for (int a : r.assets) assets.emplace_back(s.Id(fmt::format("asset:{}", a)));
      patch.asset_ids = assets;
      patch.owner_id = s.User(r.owner);
      patch.likelihood = r.l;
      patch.impact = r.i;
      auto created = CERTUS_TRY(s.app.risk_register().CreateRisk(s.As("isms"), s.org, patch));
      s.ids[fmt::format("risk:{}", n++)] = created.id.str();
      s.Count("risks");
    }
    return {};
  });

  // Treatment decisions by the risk owners' workshop.
  t.At(275, "risk treatment decisions", [](Seed& s) -> Expected<void> {
    auto& reg = s.app.risk_register();
    int n = 0;
    for (const auto& r : Risks()) {
      const risk::RiskId id(s.Id(fmt::format("risk:{}", n++)));
      if (r.treatment == TreatmentOption::kAccept && r.l * r.i > 8) {
        // Above the threshold (8): top management accepts it, for a limited time, before
        // the decision is recorded (6.1.3 f).
        CERTUS_TRY(reg.AcceptRisk(
            s.As("ceo"), s.org, id,
            "Accepted while hiring continues; onboarding automation is budgeted for next "
            "year. Awareness training in the first week compensates.",
            s.Day(-90)));
      }
      auto current = CERTUS_TRY(reg.GetRisk(s.As("isms"), s.org, id));
      risk::RiskPatch patch;
      patch.treatment = r.treatment;
      std::vector<controls::ControlId> linked;
      for (const auto& ref : Split(r.controls)) linked.emplace_back(s.Id("control:" + ref));
      patch.control_ids = linked;
      switch (r.treatment) {
        case TreatmentOption::kMitigate:
          patch.treatment_rationale = "Reduce with the linked controls.";
          break;
        case TreatmentOption::kTransfer:
          patch.treatment_rationale = "The payment provider carries the liability by contract.";
          patch.transfer_to = "Payment provider";
          break;
        case TreatmentOption::kAvoid:
          patch.treatment_rationale = "The module is switched off at the end of the quarter.";
          break;
        default: patch.treatment_rationale = "Within the risk appetite.";
      }
      patch.last_assessed_on = std::optional<std::string>(FormatDate(s.Day(275)));
      patch.next_review_on = std::optional<std::string>(FormatDate(s.Day(275 - 365)));
      CERTUS_TRY(reg.UpdateRisk(s.As("isms"), s.org, id, patch, current.version));
    }
    return {};
  });

  t.At(270, "SoA version 1 approved", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.controls().ApproveVersion(
        s.As("ciso"), s.org, "First Statement of Applicability, after the risk assessment."));
    s.Count("SoA versions");
    return {};
  });
  t.At(268, "risk assessment retained", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.risk_assessments().TakeAssessment(
        s.As("isms"), s.org, "Initial risk assessment",
        "The first assessment of the ISMS with the risk owners; treatment decided in the "
        "workshop."));
    s.Count("risk assessments retained");
    return {};
  });

  // Treatment actions: planned after the assessment, then carried out.
  for (std::size_t i = 0; i < Actions().size(); ++i) {
    const auto& a = Actions()[i];
    t.At(a.planned, "treatment action planned", [i](Seed& s) -> Expected<void> {
      const auto& a = Actions()[i];
      risk::TreatmentPatch patch;
      patch.risk_id = risk::RiskId(s.Id(fmt::format("risk:{}", a.risk)));
      patch.title = a.title;
      patch.owner_id = std::optional<UserId>(s.User(a.owner));
      patch.due_on = std::optional<std::string>(FormatDate(s.Day(a.due)));
      auto created = CERTUS_TRY(s.app.risk_register().CreateTreatment(s.As("isms"), s.org, patch));
      s.ids[fmt::format("treatment:{}", i)] = created.id.str();
      s.Count("treatment actions");
      return {};
    });
    if (a.final_status == risk::ActionStatus::kPlanned) continue;
    t.At(a.finished + 20 < a.planned ? a.finished + 20 : a.planned - 1, "treatment started",
         [i](Seed& s) -> Expected<void> {
           const risk::TreatmentId id(s.Id(fmt::format("treatment:{}", i)));
           auto& reg = s.app.risk_register();
           auto current = CERTUS_TRY(reg.GetTreatment(s.As("isms"), s.org, id));
           risk::TreatmentPatch patch;
           patch.status = risk::ActionStatus::kInProgress;
           CERTUS_TRY(
               reg.UpdateTreatment(s.As(Actions()[i].owner), s.org, id, patch, current.version));
           return {};
         });
    if (a.final_status != risk::ActionStatus::kDone) continue;
    t.At(a.finished, "treatment done", [i](Seed& s) -> Expected<void> {
      const risk::TreatmentId id(s.Id(fmt::format("treatment:{}", i)));
      auto& reg = s.app.risk_register();
      auto current = CERTUS_TRY(reg.GetTreatment(s.As("isms"), s.org, id));
      risk::TreatmentPatch patch;
      patch.status = risk::ActionStatus::kDone;
      patch.completion_note = "Implemented and verified; evidence in the change record.";
      CERTUS_TRY(reg.UpdateTreatment(s.As(Actions()[i].owner), s.org, id, patch, current.version));
      return {};
    });
  }

  // Residual ratings once the treatments took effect.
  t.At(60, "residual risk rated", [](Seed& s) -> Expected<void> {
    auto& reg = s.app.risk_register();
    int n = 0;
    for (const auto& r : Risks()) {
      const risk::RiskId id(s.Id(fmt::format("risk:{}", n++)));
      if (r.rl == 0) continue;
      auto current = CERTUS_TRY(reg.GetRisk(s.As("isms"), s.org, id));
      risk::RiskPatch patch;
      patch.residual_likelihood = std::optional<std::int64_t>(r.rl);
      patch.residual_impact = std::optional<std::int64_t>(r.ri);
      patch.last_assessed_on = std::optional<std::string>(FormatDate(s.Day(60)));
      CERTUS_TRY(reg.UpdateRisk(s.As("isms"), s.org, id, patch, current.version));
    }
    return {};
  });

  // Controls finished since version 1, and the SoA approved again.
  t.At(40, "SoA controls implemented", [](Seed& s) -> Expected<void> {
    for (const char* ref : {"A.5.18", "A.8.16"}) {
      const controls::ControlId id(s.Id(std::string("control:") + ref));
      auto c = CERTUS_TRY(s.app.controls().Get(s.As("isms"), s.org, id));
      controls::ControlPatch patch;
      patch.implementation_status = controls::ImplementationStatus::kImplemented;
      patch.last_reviewed_on = std::optional<std::string>(FormatDate(s.Day(40)));
      CERTUS_TRY(s.app.controls().Update(s.As("isms"), s.org, id, patch, c.version));
    }
    return {};
  });
  t.At(38, "SoA version 2 approved", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.controls().ApproveVersion(s.As("ciso"), s.org,
                                               "Access reviews and monitoring now implemented."));
    s.Count("SoA versions");
    return {};
  });
  t.At(36, "risk assessment retained", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.risk_assessments().TakeAssessment(
        s.As("isms"), s.org, "Reassessment before certification",
        "Residual risk after the first year of treatment, for the management review "
        "follow-up and the certification audit."));
    s.Count("risk assessments retained");
    return {};
  });
}

}  // namespace certus::cli::demo
