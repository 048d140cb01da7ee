// `certus demo`: the context (4.1, 4.2), the scope (4.3), the policy (5.2), the documented
// information (7.5) and the communication plan (7.4) of Northwind Cloud.
#include <fmt/format.h>

#include "cli/demo_seed.hpp"

namespace certus::cli::demo {

namespace {

using context::IssueKind;
using context::PartyCategory;
using context::RequirementSource;

struct IssueSpec {
  IssueKind kind;
  const char* title;
  const char* description;
  const char* effect;
};

const std::vector<IssueSpec>& Issues() {
  static const std::vector<IssueSpec> issues = {
      {IssueKind::kExternal, "Enterprise customers require ISO/IEC 27001 certification",
       "Three of the five largest prospects ask for a certificate in their security "
       "questionnaires; two renewals depend on it.",
       "The ISMS must reach certification within the year; its scope must cover the platform "
       "customers buy."},
      {IssueKind::kExternal, "GDPR and customer data processing agreements",
       "Northwind processes personal data of its customers' end users as a processor in the "
       "EU and the UK.",
       "Privacy requirements shape access control, retention, breach notification and "
       "supplier management."},
      {IssueKind::kExternal, "NIS2 obligations of our customers",
       "Customers in energy and health fall under NIS2 and flow its supply-chain requirements "
       "down to their SaaS providers.",
       "Incident reporting and supplier security clauses get stricter; evidence is asked for."},
      {IssueKind::kExternal, "Ransomware and credential phishing aimed at SaaS vendors",
       "Threat reports show attackers targeting SaaS admin consoles and CI/CD secrets.",
       "Identity, MFA, secrets management and backups are the controls that matter most."},
      {IssueKind::kExternal, "Dependence on one public cloud provider",
       "The whole platform runs in two regions of one hyperscaler.",
       "Availability and continuity depend on the provider; its assurance reports are reviewed "
       "each year."},
      {IssueKind::kInternal, "Fast growth: 60 hires planned this year",
       "Headcount grows from about 180 to 240, mostly in engineering and customer success.",
       "Onboarding, awareness and access management must scale without manual steps."},
      {IssueKind::kInternal, "Remote-first organization",
       "Most staff work from home in six countries; the Lisbon office hosts 40 desks.",
       "Endpoint security and secure remote access replace the office perimeter."},
      {IssueKind::kInternal, "Engineering culture of continuous delivery",
       "Around 30 production deployments a day through automated pipelines.",
       "Change management and secure development rely on pipeline controls, not approvals by "
       "hand."},
      {IssueKind::kInternal, "Security team of three",
       "The CISO, the ISMS manager and one security engineer carry the programme.",
       "Priorities must follow the risk assessment; tooling automates evidence collection."},
  };
  return issues;
}

context::RequirementInput Req(const char* text, bool addressed, const char* how,
                              RequirementSource source) {
  return {.id = std::nullopt,
          .text = text,
          .addressed_by_isms = addressed,
          .how = how,
          .source = source};
}

/// A document's life: created and written by `author`, submitted, approved by `approver`
/// and published `days_to_publish` days later.
struct DocumentSpec {
  const char* key;
  documents::DocumentType type;
  const char* title;
  const char* owner;
  const char* author;
  const char* approver;
  int written;  ///< days ago
  int review_interval_months;
  std::string content;
  bool security_policy = false;
};

std::string Body(const char* title, const char* purpose,
                 std::initializer_list<const char*> statements) {
  std::string md = fmt::format(
      "# {}\n\n## Purpose\n\n{}\n\n## Scope\n\nAll Northwind Cloud "
      "staff, contractors and systems within the ISMS scope.\n\n## "
      "Statements\n\n",
      title, purpose);
  for (const char* s : statements) md += fmt::format("- {}\n", s);
  md +=
      "\n## Exceptions\n\nExceptions are requested from the CISO, recorded with their risk "
      "and reviewed every six months.\n";
  return md;
}

void PlanDocument(Timeline& t, const DocumentSpec& spec) {
  t.At(spec.written, std::string("document ") + spec.title, [spec](Seed& s) -> Expected<void> {
    auto& docs = s.app.documents();
    documents::DocumentPatch patch;
    patch.type = spec.type;
    patch.title = spec.title;
    patch.owner_id = s.User(spec.owner);
    patch.classification = "internal";
    patch.review_interval_months = spec.review_interval_months;
    if (spec.security_policy) {
      patch.is_security_policy = true;
      patch.distribution =
          documents::Distribution{.all_members = true, .user_ids = {}, .role_ids = {}};
    }
    if (spec.type == documents::DocumentType::kScope) {
      patch.scope = documents::ScopeFields{
          .units = {"Engineering", "Platform", "Customer Success", "Security", "IT",
                    "People & Culture", "Legal", "Finance", "Executive"},
          .locations = {"Lisbon office", "Remote workplaces",
                        "Cloud regions eu-west-1 and "
                        "eu-central-1"},
          .processes = {"Development and operation of the Northwind Cloud platform",
                        "Customer onboarding and support", "Corporate IT"},
          .asset_ids = {},
          .exclusions = {{.text = "Physical data centre security",
                          .justification = "No own data centre: the cloud provider's controls "
                                           "are relied on through its ISO 27001 certificate "
                                           "and SOC 2 report (A.5.23)."}},
          .interfaces = {"Cloud provider (IaaS)", "Payment provider",
                         "Email and office suite "
                         "(SaaS)"}};
    }
    auto doc = CERTUS_TRY(docs.CreateDocument(s.As(spec.author), s.org, patch));
    s.ids[std::string("doc:") + spec.key] = doc.id.str();
    auto version = CERTUS_TRY(
        docs.CreateVersion(s.As(spec.author), s.org, doc.id, spec.content, "First issue."));
    CERTUS_TRY(docs.Transition(s.As(spec.author), s.org, doc.id, version.number,
                               documents::Step::kSubmit, "Ready for approval.", std::nullopt));
    s.Count("documents");
    return {};
  });
  t.At(spec.written - 2, std::string("approve ") + spec.title, [spec](Seed& s) -> Expected<void> {
    auto& docs = s.app.documents();
    const documents::DocumentId id(s.Id(std::string("doc:") + spec.key));
    CERTUS_TRY(docs.Transition(s.As(spec.approver), s.org, id, 1, documents::Step::kApprove,
                               "Approved.", std::nullopt));
    CERTUS_TRY(docs.Transition(s.As(spec.approver), s.org, id, 1, documents::Step::kPublish,
                               "Published to all staff.", std::nullopt));
    return {};
  });
}

}  // namespace

void PlanFoundation(Timeline& t) {
  t.At(358, "context issues", [](Seed& s) -> Expected<void> {
    for (const auto& i : Issues()) {
      auto issue = CERTUS_TRY(s.app.context().Create(s.As("isms"), s.org,
                                                     {.kind = i.kind,
                                                      .title = i.title,
                                                      .description = i.description,
                                                      .effect = i.effect,
                                                      .reviewed_on = s.Day(358)}));
      s.ids[std::string("issue:") + i.title] = issue.id.str();
      s.Count("context issues");
    }
    return {};
  });
  // The yearly review of the issues, before the management review.
  t.At(82, "context issues reviewed", [](Seed& s) -> Expected<void> {
    for (const auto& i : Issues()) {
      const context::ContextIssueId id(s.Id(std::string("issue:") + i.title));
      auto issue = CERTUS_TRY(s.app.context().Get(s.As("isms"), s.org, id));
      context::ContextIssuePatch patch;
      patch.reviewed_on = std::optional<Date>(s.Day(82));
      CERTUS_TRY(s.app.context().Update(s.As("isms"), s.org, id, patch, issue.version));
    }
    return {};
  });

  t.At(356, "interested parties", [](Seed& s) -> Expected<void> {
    struct PartySpec {
      const char* key;
      const char* name;
      PartyCategory category;
      const char* contact;
      std::vector<context::RequirementInput> requirements;
    };
    const std::vector<PartySpec> parties = {
        {"customers",
         "Enterprise customers",
         PartyCategory::kCustomer,
         "Account management",
         {Req("ISO/IEC 27001 certificate covering the platform", true,
              "Certification of the ISMS; scope document SCOPE-001", RequirementSource::kContract),
          Req("Security incident notification within 24 hours", true,
              "Incident response procedure, notification step", RequirementSource::kContract),
          Req("Annual penetration test report", true, "Yearly external penetration test (A.8.8)",
              RequirementSource::kContract)}},
        {"regulator",
         "Data protection authorities (CNPD, ICO)",
         PartyCategory::kRegulator,
         "DPO",
         {Req("Notification of personal data breaches within 72 hours (GDPR Art. 33)", true,
              "Incident response procedure with the DPO", RequirementSource::kLaw),
          Req("Records of processing activities (GDPR Art. 30)", false, "",
              RequirementSource::kLaw)}},
        {"cloud",
         "Cloud infrastructure provider",
         PartyCategory::kSupplier,
         "Technical account manager",
         {Req("Shared responsibility model: customer secures its workloads and identities", true,
              "Cloud security controls A.5.23, A.8.9", RequirementSource::kContract)}},
        {"staff",
         "Employees and contractors",
         PartyCategory::kEmployee,
         "People & Culture",
         {Req("Clear, reasonable rules for the use of devices and data", true,
              "Acceptable use policy", RequirementSource::kExpectation),
          Req("Protection of their own personal data", true, "HR data access restricted",
              RequirementSource::kLaw)}},
        {"investors",
         "Investors and board",
         PartyCategory::kShareholder,
         "CEO",
         {Req("Security risks reported quarterly to the board", true,
              "Management review and quarterly CISO report", RequirementSource::kExpectation)}},
        {"partners",
         "Implementation partners",
         PartyCategory::kPartner,
         "Partner programme",
         {Req("Sandbox environments without customer production data", true,
              "Test data rules in the secure development standard", RequirementSource::kContract),
          Req("Single sign-on to the partner portal", false, "", RequirementSource::kExpectation)}},
        {"insurer",
         "Cyber insurer",
         PartyCategory::kOther,
         "Broker",
         {Req("MFA on all remote and privileged access", true,
              "Access control policy; enforced through SSO", RequirementSource::kContract),
          Req("Offline or immutable backups tested twice a year", true,
              "Backup and restore procedure", RequirementSource::kContract)}},
    };
    for (const auto& p : parties) {
      auto party = CERTUS_TRY(s.app.interested_parties().Create(s.As("isms"), s.org,
                                                                {.name = p.name,
                                                                 .category = p.category,
                                                                 .contact = p.contact,
                                                                 .requirements = p.requirements,
                                                                 .reviewed_on = s.Day(356)}));
      s.ids[std::string("party:") + p.key] = party.id.str();
      s.Count("interested parties");
    }
    return {};
  });

  using documents::DocumentType;
  PlanDocument(t,
               {"scope", DocumentType::kScope, "Scope of the ISMS", "ciso", "isms", "ciso", 350, 12,
                "# Scope of the ISMS\n\nThe ISMS of Northwind Cloud covers the development, "
                "operation and support of the Northwind Cloud platform, offered as software "
                "as a service, and the corporate IT supporting it.\n\n## Boundaries\n\n- All "
                "departments; about 180 staff and contractors.\n- The Lisbon office and "
                "remote workplaces.\n- The production cloud accounts in two EU regions.\n\n"
                "## Exclusions\n\nPhysical security of the data centres, which the cloud "
                "provider operates under its own certified ISMS.\n"});
  PlanDocument(t, {"policy", DocumentType::kPolicy, "Information security policy", "ciso", "ciso",
                   "ceo", 340, 12,
                   Body("Information security policy",
                        "Northwind Cloud protects the confidentiality, integrity and "
                        "availability of its customers' data and its own as the basis of its "
                        "business.",
                        {"Top management sets information security objectives each year and "
                         "reviews them in the management review.",
                         "Risks are assessed with the approved methodology and treated by their "
                         "owners.",
                         "Everyone completes security awareness training each year and reports "
                         "incidents at once.",
                         "Northwind meets its legal, regulatory and contractual obligations.",
                         "The ISMS is continually improved."}),
                   true});
  PlanDocument(
      t, {"access", DocumentType::kPolicy, "Access control policy", "ciso", "isms", "ciso", 320, 12,
          Body("Access control policy",
               "Access to information and systems is granted on least privilege and "
               "need to know.",
               {"Single sign-on with MFA for every application that supports it.",
                "Privileged access is just-in-time and logged.",
                "Access rights are reviewed every quarter by the system owners.",
                "Leavers lose access on their last day, automated from the HR "
                "system."})});
  PlanDocument(t, {"backup", DocumentType::kProcedure, "Backup and restore procedure", "sre", "sre",
                   "ciso", 318, 6,
                   Body("Backup and restore procedure",
                        "Customer data can be restored after loss or corruption.",
                        {"Databases: continuous backups with 35 days point-in-time recovery.",
                         "Daily snapshots copied to an immutable vault in a second region.",
                         "A restore is tested every quarter and the result recorded.",
                         "Restore targets: RPO 15 minutes, RTO 4 hours."})});
  PlanDocument(t, {"incident", DocumentType::kProcedure, "Incident response procedure", "ciso",
                   "isms", "ciso", 315, 12,
                   Body("Incident response procedure",
                        "Security incidents are detected, contained and learned from.",
                        {"Anyone reports a suspected incident in #security-incidents or to "
                         "security@northwind.example.",
                         "The on-call security engineer triages within one hour.",
                         "Personal data breaches go to the DPO at once (72 hours to notify).",
                         "Every closed incident records its lessons learned."})});
  PlanDocument(
      t, {"aup", DocumentType::kPolicy, "Acceptable use policy", "hr", "isms", "ciso", 312, 12,
          Body("Acceptable use policy",
               "Company devices, accounts and data are used safely and lawfully.",
               {"Devices are encrypted, managed and locked when unattended.",
                "Customer data never leaves approved systems.",
                "Personal use is allowed within reason; no unapproved software."})});
  PlanDocument(t, {"supplier", DocumentType::kPolicy, "Supplier security policy", "dpo", "isms",
                   "ciso", 300, 6,
                   Body("Supplier security policy",
                        "Suppliers that handle Northwind or customer data meet our security "
                        "requirements.",
                        {"Critical suppliers are assessed before contract and every year.",
                         "Contracts include security and data protection clauses.",
                         "Sub-processors are listed on the trust page."})});
  PlanDocument(
      t, {"sdlc", DocumentType::kStandard, "Secure development standard", "eng", "isms", "cto", 296,
          12,
          Body("Secure development standard", "Software is designed, built and deployed securely.",
               {"Every change is reviewed by a second engineer and passes automated "
                "tests, SAST and dependency scanning.",
                "Secrets live in the secrets manager, never in code.",
                "Production data is not used in test environments."})});
  PlanDocument(
      t, {"crypto", DocumentType::kPolicy, "Cryptography policy", "cto", "isms", "ciso", 290, 12,
          Body("Cryptography policy", "Data is protected by strong cryptography.",
               {"TLS 1.2 or later for all traffic; HSTS on every public endpoint.",
                "Data at rest encrypted with keys in the cloud KMS, rotated yearly.",
                "Customer-managed keys are available to enterprise customers."})});
  PlanDocument(
      t, {"bcp", DocumentType::kPlan, "Business continuity plan", "itops", "isms", "ciso", 240, 12,
          Body("Business continuity plan",
               "The platform and the business keep running through disruption.",
               {"Region failover is rehearsed twice a year.",
                "Crisis team: CEO, CTO, CISO, Head of Customer Success.",
                "Customers are informed through the status page within 30 minutes."})});

  t.At(330, "communication plan", [](Seed& s) -> Expected<void> {
    using communication::Channel;
    using communication::Direction;
    using communication::Frequency;
    struct ItemSpec {
      const char* subject;
      const char* audience;
      Direction direction;
      Frequency frequency;
      const char* owner;
      Channel channel;
      std::vector<std::string> parties;
    };
    const std::vector<ItemSpec> items = {
        {"Security newsletter: incidents, phishing trends, reminders",
         "All staff",
         Direction::kInternal,
         Frequency::kMonthly,
         "isms",
         Channel::kEmail,
         {}},
        {"ISMS performance report to the board",
         "Board and investors",
         Direction::kInternal,
         Frequency::kQuarterly,
         "ciso",
         Channel::kReport,
         {s.Id("party:investors")}},
        {"Trust page and certificate updates",
         "Customers and prospects",
         Direction::kExternal,
         Frequency::kYearly,
         "ciso",
         Channel::kOther,
         {s.Id("party:customers")}},
        {"Personal data breach notification",
         "Supervisory authorities",
         Direction::kExternal,
         Frequency::kOnEvent,
         "dpo",
         Channel::kEmail,
         {s.Id("party:regulator")}},
    };
    for (const auto& i : items) {
      communication::PlanItemPatch patch;
      patch.subject = i.subject;
      patch.audience_text = i.audience;
      patch.audience_party_ids = i.parties;
      patch.direction = i.direction;
      patch.frequency = i.frequency;
      patch.owner_id = s.User(i.owner);
      patch.channel = i.channel;
      if (i.frequency == Frequency::kOnEvent) patch.trigger = "A breach likely to affect people";
      if (i.frequency != Frequency::kOnEvent) patch.due_on = std::optional<Date>(s.Day(300));
      CERTUS_TRY(s.app.communications().CreatePlanItem(s.As("isms"), s.org, patch));
      s.Count("communication plan items");
    }
    return {};
  });
}

}  // namespace certus::cli::demo
