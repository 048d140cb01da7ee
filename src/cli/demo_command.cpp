#include "cli/demo_command.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "cli/demo_seed.hpp"
#include "core/encoding.hpp"

namespace certus::cli {

namespace demo {

Date Seed::Day(int days_ago) const { return DateOf(today - std::chrono::days(days_ago)); }

void Timeline::At(int days_ago, std::string what, StepBody body) {
  steps_.push_back({days_ago, steps_.size(), std::move(what), std::move(body)});
}

Expected<void> Timeline::Run(Seed& seed) {
  std::stable_sort(steps_.begin(), steps_.end(),
                   [](const Step& a, const Step& b) { return a.days_ago > b.days_ago; });
  for (auto& step : steps_) {
    // The working day starts at 09:00 UTC of the step's day; today's steps happen an hour
    // before the demo runs, so nothing is dated after the real clock.
    Timestamp at = std::chrono::floor<std::chrono::days>(seed.today) -
                   std::chrono::days(step.days_ago) + std::chrono::hours(9);
    if (step.days_ago <= 0 || at > seed.today - std::chrono::hours(1)) {
      at = seed.today - std::chrono::hours(1);
    }
    seed.clock.MoveTo(at);
    auto done = step.body(seed);
    if (!done) {
      std::string message = "demo step \"" + step.what + "\" failed: " + done.error().message();
      for (const auto& f : done.error().fields())
        message += " [" + f.field + ": " + f.message + "]";
      return Fail(done.error().code(), message);
    }
  }
  return {};
}

namespace {

/// A person of Northwind Cloud: a member of the organization and an entry of the people
/// register (7.2). The membership role says what they may do in Certus.
struct DemoPerson {
  const char* key;
  const char* name;
  const char* job_role;
  const char* department;
  Role role;
  bool acknowledges_policy;
  bool completes_awareness;
};

// 24 people of the ~180: management, the ISMS roles and a sample of staff. Three have not
// acknowledged the policy (87 % did), eight have not done the awareness training (67 %):
// the demo's awareness gap.
constexpr std::array<DemoPerson, 24> kPeople = {{
    {"ceo", "Helen Carter", "Chief Executive Officer", "Executive", Role::kManager, true, true},
    {"cto", "Raj Patel", "Chief Technology Officer", "Executive", Role::kManager, true, true},
    {"cfo", "Maria Lopez", "Chief Financial Officer", "Finance", Role::kManager, true, false},
    {"ciso", "Daniel Okafor", "Chief Information Security Officer", "Security", Role::kManager,
     true, true},
    {"isms", "Sofia Lindqvist", "ISMS Manager", "Security", Role::kManager, true, true},
    {"eng", "Tom Becker", "Head of Engineering", "Engineering", Role::kContributor, true, true},
    {"sre", "Aisha Rahman", "SRE Lead", "Platform", Role::kContributor, true, true},
    {"hr", "Emma Novak", "Head of People", "People & Culture", Role::kContributor, true, true},
    {"support", "Lucas Moreau", "Customer Support Lead", "Customer Success", Role::kContributor,
     true, true},
    {"dpo", "Grace Kim", "Legal Counsel and DPO", "Legal", Role::kContributor, true, true},
    {"auditor", "Omar Haddad", "Internal Auditor", "Finance", Role::kAuditor, true, true},
    {"itops", "Nina Petrova", "IT Operations Manager", "IT", Role::kContributor, true, true},
    {"ben", "Ben Walsh", "Software Engineer", "Engineering", Role::kViewer, true, true},
    {"chloe", "Chloe Dubois", "Software Engineer", "Engineering", Role::kViewer, true, false},
    {"diego", "Diego Santos", "Site Reliability Engineer", "Platform", Role::kViewer, true, true},
    {"fatima", "Fatima Zahra", "QA Engineer", "Engineering", Role::kViewer, true, true},
    {"george", "George Miller", "Account Executive", "Sales", Role::kViewer, false, false},
    {"hana", "Hana Sato", "Product Manager", "Product", Role::kViewer, true, true},
    {"ivan", "Ivan Horvat", "Data Engineer", "Engineering", Role::kViewer, true, false},
    {"julia", "Julia Rossi", "Customer Support Agent", "Customer Success", Role::kViewer, true,
     false},
    {"kwame", "Kwame Mensah", "Sales Engineer", "Sales", Role::kViewer, false, false},
    {"lena", "Lena Fischer", "Recruiter", "People & Culture", Role::kViewer, true, true},
    {"marco", "Marco Bianchi", "Accountant", "Finance", Role::kViewer, false, false},
    {"priya", "Priya Nair", "UX Designer", "Product", Role::kViewer, true, false},
}};

std::string EmailOf(const DemoPerson& p) {
  std::string local;
  for (char c : std::string_view(p.name)) local += c == ' ' ? '.' : static_cast<char>(c);
  return AsciiLower(local) + "@northwind.example";
}

/// The users behind the people: created when missing (a demo removed and added again finds
/// them), with a random password nobody knows, and added to the organization.
Expected<void> AddPeopleAsMembers(Seed& seed, Random& random, const Actor& admin) {
  auto users = CERTUS_TRY(seed.app.identity().ListUsers());
  for (const auto& p : kPeople) {
    const std::string email = EmailOf(p);
    std::optional<identity::User> user;
    for (const auto& u : users) {
      if (AsciiLower(u.email) == email) user = u;
    }
    if (!user) {
      user = CERTUS_TRY(seed.app.identity().CreateUser(
          Actor::System(), {.email = email,
                            .display_name = p.name,
                            .password = SecretString(Base64UrlEncode(random.Bytes(24))),
                            .installation_admin = false}));
    }
    CERTUS_TRY(seed.app.identity().AddMember(admin, seed.org, email, p.role));
    seed.actors[p.key] = Actor{user->id, email, p.role, false, {}};
  }
  return {};
}

}  // namespace

void PlanPeople(Timeline& t) {
  t.At(364, "ISMS roles", [](Seed& s) -> Expected<void> {
    auto& leadership = s.app.leadership();
    const auto& isms = s.As("isms");
    struct RoleSpec {
      const char* key;
      const char* name;
      const char* responsibilities;
      const char* authorities;
      std::vector<std::string> holders;
      bool top = false;
      bool owner = false;
    };
    const std::vector<RoleSpec> roles = {
        {"role:top",
         "Top management",
         "Sets the direction of the ISMS, approves the information security policy, the risk "
         "acceptance and the Statement of Applicability, provides resources, holds the "
         "management review.",
         "Approves policy, budget and residual risk.",
         {"ceo", "cto", "cfo"},
         true,
         false},
        {"role:ciso",
         "Chief Information Security Officer",
         "Owns the ISMS: ensures it conforms to ISO/IEC 27001 and reports on its performance "
         "to top management (5.3 a, b).",
         "Approves security procedures and standards; may stop a release on security grounds.",
         {"ciso"},
         false,
         true},
        {"role:isms",
         "ISMS Manager",
         "Runs the ISMS day to day: risk assessment, SoA, documents, internal audit programme, "
         "awareness, corrective actions.",
         "Maintains the ISMS records; convenes risk owners.",
         {"isms"}},
        {"role:risk-owner",
         "Risk owner",
         "Rates the risks they own, decides and follows their treatment, accepts residual risk "
         "within the criteria.",
         "Accepts residual risk up to the acceptance threshold.",
         {"eng", "sre", "itops", "hr", "dpo", "support"}},
        {"role:auditor",
         "Internal auditor",
         "Plans and carries out internal audits independently of the areas audited (9.2).",
         "Reads every record of the ISMS; reports to the CEO.",
         {"auditor"}},
        {"role:dpo",
         "Data Protection Officer",
         "Advises on GDPR obligations, keeps the records of processing, handles data subject "
         "requests and breach notifications.",
         "Notifies supervisory authorities of personal data breaches.",
         {"dpo"}},
    };
    for (const auto& r : roles) {
      std::vector<UserId> holders;
      for (const auto& h : r.holders) holders.push_back(s.User(h));
      std::sort(holders.begin(), holders.end());
      auto role = CERTUS_TRY(leadership.CreateRole(isms, s.org,
                                                   {.name = r.name,
                                                    .description = "",
                                                    .responsibilities = r.responsibilities,
                                                    .authorities = r.authorities,
                                                    .assignee_ids = holders,
                                                    .top_management = r.top,
                                                    .isms_owner = r.owner}));
      s.ids[r.key] = role.id.str();
      s.Count("ISMS roles");
    }
    return {};
  });

  t.At(363, "top management's commitment", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.leadership().CreateRecord(
        s.As("isms"), s.org,
        {.kind = leadership::RecordKind::kCommitment,
         .date = s.Day(363),
         .decision = "The board commits to establish an ISMS certified to ISO/IEC 27001:2022 "
                     "within fifteen months, led by the CISO, as a condition of enterprise "
                     "customer contracts.",
         .budget = std::nullopt,
         .decided_by = s.User("ceo"),
         .management_review_id = std::nullopt,
         .notes = "Minutes of the board meeting, item 4."}));
    CERTUS_TRY(s.app.leadership().CreateRecord(
        s.As("isms"), s.org,
        {.kind = leadership::RecordKind::kResourceDecision,
         .date = s.Day(363),
         .decision = "Budget for the ISMS programme: an ISMS manager, a security tooling "
                     "budget and external certification costs.",
         .budget = leadership::Budget{.amount_minor = 18500000, .currency = "EUR"},
         .decided_by = s.User("cfo"),
         .management_review_id = std::nullopt,
         .notes = ""}));
    s.Count("leadership records", 2);
    return {};
  });

  t.At(360, "people register", [](Seed& s) -> Expected<void> {
    for (std::size_t i = 0; i < kPeople.size(); ++i) {
      const auto& p = kPeople[i];
      auto person = CERTUS_TRY(
          s.app.people().CreatePerson(s.As("isms"), s.org,
                                      {.name = p.name,
                                       .email = EmailOf(p),
                                       .job_role = p.job_role,
                                       .department = p.department,
                                       .in_scope = true,
                                       .user_id = s.User(p.key),
                                       .status = people::PersonStatus::kActive,
                                       .start_date = s.Day(static_cast<int>(400 + 97 * i % 1800)),
                                       .left_on = std::nullopt}));
      s.ids[std::string("person:") + p.key] = person.id.str();
      s.Count("people");
    }
    return {};
  });

  t.At(350, "competences", [](Seed& s) -> Expected<void> {
    auto& people = s.app.people();
    const auto& manager = s.As("isms");
    using people::EvidenceKind;
    auto isms = CERTUS_TRY(people.CreateCompetence(
        manager, s.org,
        {.name = "Information security management (ISO/IEC 27001)",
         .description = "Running an ISMS: risk assessment, SoA, internal audit, improvement.",
         .job_roles = std::vector<std::string>{},
         .isms_role_ids = std::vector<std::string>{s.Id("role:ciso"), s.Id("role:isms")},
         .evidence_kinds =
             std::vector<EvidenceKind>{EvidenceKind::kCertification, EvidenceKind::kTraining}}));
    auto audit = CERTUS_TRY(people.CreateCompetence(
        manager, s.org,
        {.name = "Internal auditing (ISO 19011)",
         .description = "Planning and conducting audits, reporting findings objectively.",
         .job_roles = std::vector<std::string>{},
         .isms_role_ids = std::vector<std::string>{s.Id("role:auditor")},
         .evidence_kinds =
             std::vector<EvidenceKind>{EvidenceKind::kCertification, EvidenceKind::kTraining}}));
    auto cloud = CERTUS_TRY(people.CreateCompetence(
        manager, s.org,
        {.name = "Cloud infrastructure security",
         .description = "Securing the production cloud accounts, networks and workloads.",
         .job_roles = std::vector<std::string>{"SRE Lead", "Site Reliability Engineer"},
         .isms_role_ids = std::vector<std::string>{},
         .evidence_kinds = std::vector<EvidenceKind>{EvidenceKind::kCertification}}));
    s.ids["competence:isms"] = isms.id.str();
    s.ids["competence:audit"] = audit.id.str();
    s.ids["competence:cloud"] = cloud.id.str();
    s.Count("competences", 3);
    return {};
  });

  t.At(349, "competence evidence", [](Seed& s) -> Expected<void> {
    auto& people = s.app.people();
    const auto& isms = s.As("isms");
    using people::EvidenceKind;
    auto add = [&](const char* person, const char* competence, EvidenceKind kind, const char* title,
                   Date obtained, std::optional<Date> expires) {
      return people.AddEvidence(isms, s.org,
                                people::PersonId(s.Id(std::string("person:") + person)),
                                {.competence_id = people::CompetenceId(s.Id(competence)),
                                 .kind = kind,
                                 .title = title,
                                 .obtained_on = obtained,
                                 .expires_on = expires,
                                 .evidence_id = std::nullopt});
    };
    CERTUS_TRY(add("ciso", "competence:isms", EvidenceKind::kCertification,
                   "ISO/IEC 27001 Lead Implementer (PECB)", s.Day(900), s.Day(-195)));
    CERTUS_TRY(add("isms", "competence:isms", EvidenceKind::kCertification,
                   "ISO/IEC 27001 Lead Implementer (PECB)", s.Day(420), s.Day(-675)));
    CERTUS_TRY(add("auditor", "competence:audit", EvidenceKind::kCertification,
                   "ISO/IEC 27001 Lead Auditor (IRCA)", s.Day(700), s.Day(-395)));
    CERTUS_TRY(add("diego", "competence:cloud", EvidenceKind::kCertification,
                   "AWS Certified Security – Specialty", s.Day(500), s.Day(-595)));
    // Expires during the year: the gap analysis shows it expired.
    CERTUS_TRY(add("sre", "competence:cloud", EvidenceKind::kCertification,
                   "AWS Certified Security – Specialty", s.Day(1110), s.Day(20)));
    s.Count("competence evidence", 5);
    return {};
  });

  t.At(210, "awareness training opened", [](Seed& s) -> Expected<void> {
    auto& people = s.app.people();
    auto awareness = CERTUS_TRY(people.CreateTraining(
        s.As("isms"), s.org,
        {.title = "Security awareness " + std::to_string(static_cast<int>(s.Day(210).year())),
         .description = "Phishing, passwords and MFA, handling customer data, reporting "
                        "incidents, the information security policy. 45 minutes, online.",
         .audience = people::AudienceKind::kAll,
         .departments = std::vector<std::string>{},
         .person_ids = std::vector<people::PersonId>{},
         .due_on = s.Day(150),
         .status = people::TrainingStatus::kOpen,
         .competence_id = std::nullopt,
         .validity_months = 12}));
    s.ids["training:awareness"] = awareness.id.str();
    auto secure = CERTUS_TRY(people.CreateTraining(
        s.As("isms"), s.org,
        {.title = "Secure development (OWASP Top 10)",
         .description = "Half-day workshop for engineers on the OWASP Top 10 and Northwind's "
                        "secure development standard.",
         .audience = people::AudienceKind::kDepartments,
         .departments = std::vector<std::string>{"Engineering", "Platform"},
         .person_ids = std::vector<people::PersonId>{},
         .due_on = s.Day(120),
         .status = people::TrainingStatus::kOpen,
         .competence_id = std::nullopt,
         .validity_months = 24}));
    s.ids["training:secure"] = secure.id.str();
    s.Count("trainings", 2);
    return {};
  });

  for (std::size_t i = 0; i < kPeople.size(); ++i) {
    if (!kPeople[i].completes_awareness) continue;
    const int day = 200 - static_cast<int>(i) * 2;
    t.At(day, "awareness completion", [i, day](Seed& s) -> Expected<void> {
      CERTUS_TRY(s.app.people().Complete(
          s.As("isms"), s.org, people::TrainingId(s.Id("training:awareness")),
          {.person_id = people::PersonId(s.Id(std::string("person:") + kPeople[i].key)),
           .completed_on = s.Day(day),
           .note = "Completed online (LMS export)."}));
      s.Count("training completions");
      return {};
    });
  }
  t.At(125, "secure development workshop", [](Seed& s) -> Expected<void> {
    for (const char* key : {"eng", "sre", "ben", "chloe", "diego", "fatima", "ivan"}) {
      CERTUS_TRY(s.app.people().Complete(
          s.As("isms"), s.org, people::TrainingId(s.Id("training:secure")),
          {.person_id = people::PersonId(s.Id(std::string("person:") + key)),
           .completed_on = s.Day(125),
           .note = "Attended the workshop."}));
      s.Count("training completions");
    }
    return {};
  });
}

/// Policy acknowledgments, spread over the weeks after publication.
void PlanAcknowledgments(Timeline& t) {
  for (std::size_t i = 0; i < kPeople.size(); ++i) {
    if (!kPeople[i].acknowledges_policy) continue;
    t.At(333 - static_cast<int>(i), "policy acknowledgment", [i](Seed& s) -> Expected<void> {
      CERTUS_TRY(s.app.documents().Acknowledge(s.As(kPeople[i].key), s.org,
                                               documents::DocumentId(s.Id("doc:policy"))));
      s.Count("policy acknowledgments");
      return {};
    });
  }
}

}  // namespace demo

Expected<int> Demo(storage::Database& db, Random& random, Timestamp today,
                   const std::filesystem::path& blob_dir, std::ostream& out, std::ostream& err) {
  demo::WalkingClock clock(today - std::chrono::days(366));
  AppSettings settings;
  settings.blob_dir = blob_dir;
  // The demo's people never sign in (nobody knows their random passwords): the cheapest
  // hash keeps `certus demo` quick.
  settings.identity.hash_cost = identity::HashCost::kMinimum;
  App app(db, clock, random, settings);

  for (const auto& o : CERTUS_TRY(app.identity().ListAllOrgs())) {
    if (o.name == kDemoOrgName) {
      err << "error: an organization named \"" << kDemoOrgName << "\" already exists ("
          << o.id.str() << "); nothing was changed. Use another data directory (or "
          << "database) to add the demo again.\n";
      return 1;
    }
  }
  std::vector<identity::User> admins;
  for (auto& u : CERTUS_TRY(app.identity().ListUsers())) {
    if (u.installation_admin && !u.disabled) admins.push_back(u);
  }
  if (admins.empty()) {
    return Fail(ErrorCode::kConflict,
                "No installation admin to administer the demo: run `certus init` first.");
  }

  // Day one of the story: the organization, its admins and its people.
  clock.MoveTo(std::chrono::floor<std::chrono::days>(today) - std::chrono::days(365) +
               std::chrono::hours(8));
  auto org = CERTUS_TRY(
      app.identity().CreateOrg(Actor::System(), std::string(kDemoOrgName), admins[0].id));
  const Actor admin{admins[0].id, admins[0].email, Role::kAdmin, true, {}};
  for (std::size_t i = 1; i < admins.size(); ++i) {
    CERTUS_TRY(app.identity().AddMember(admin, org.id, admins[i].email, Role::kAdmin));
  }
  demo::Seed seed{app, clock, today, org.id, {}, {}, {}};
  CERTUS_CHECK(demo::AddPeopleAsMembers(seed, random, admin));

  demo::Timeline timeline;
  demo::PlanPeople(timeline);
  demo::PlanFoundation(timeline);
  demo::PlanAcknowledgments(timeline);
  demo::PlanRisk(timeline);
  demo::PlanOperation(timeline);
  CERTUS_CHECK(timeline.Run(seed));

  out << "Created the demo organization \"" << kDemoOrgName << "\" (" << org.id.str()
      << ") with a year of ISMS history:\n";
  for (const auto& [what, n] : seed.counts) out << fmt::format("  {:>5}  {}\n", n, what);
  out << "Admins: ";
  for (std::size_t i = 0; i < admins.size(); ++i) out << (i ? ", " : "") << admins[i].email;
  out << "\nSign in as one of them and choose \"" << kDemoOrgName
      << "\" to explore it; start with Readiness.\n"
      << "From the command line: certus readiness --org " << org.id.str() << "\n";
  return 0;
}

}  // namespace certus::cli
