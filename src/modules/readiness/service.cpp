#include "modules/readiness/service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "modules/controls/catalog.hpp"
#include "modules/readiness/json.hpp"
#include "modules/readiness/rule.hpp"

namespace certus::readiness {

namespace {

constexpr const char* kSettingsType = "readiness_settings";

/// The version of the rules in AllRules(). Raise it with every change to what a rule checks
/// or to the verdict, so that stored samples of past days are computed again.
constexpr std::int64_t kRulesVersion = 1;

/// The longest span readiness over time covers in one request.
constexpr std::int64_t kMaxTrendDays = 366;

/// Every object type a rule reads, each replayed by one query.
constexpr const char* kObjectTypes[] = {"context_issue",
                                        "interested_party",
                                        "document",
                                        "leadership_record",
                                        "isms_role",
                                        "person",
                                        "competence",
                                        "training",
                                        "communication_plan_item",
                                        "risk_methodology",
                                        "risk",
                                        "treatment",
                                        "risk_assessment",
                                        "control",
                                        "soa_version",
                                        "objective",
                                        "metric",
                                        "isms_change",
                                        "incident",
                                        "audit",
                                        "audit_programme",
                                        "audit_auditor",
                                        "management_review",
                                        "management_review_decision",
                                        "management_review_action",
                                        "nonconformity",
                                        "corrective_action",
                                        "improvement",
                                        kSettingsType};

/// The checks whose failure keeps an organization from stage 1: the documented
/// information a stage 1 auditor reads (scope, policy, methodology and risk assessment,
/// SoA, control of documents).
const std::set<std::string, std::less<>>& DocumentationChecks() {
  static const std::set<std::string, std::less<>> kIds = {
      "scope.published",      "policy.published",    "risk.methodology_approved", "risk.rated",
      "soa.controls_decided", "soa.version_current", "documents.controlled"};
  return kIds;
}

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role && !actor.installation_admin)
    return ::certus::Fail(Error::NotFound("Organization"));
  return {};
}

/// Pass, warn and fail decide; not_evaluable says nothing about a parent.
Status Combine(std::optional<Status> so_far, Status next) {
  if (next == Status::kNotEvaluable) return so_far.value_or(Status::kNotEvaluable);
  if (!so_far || *so_far == Status::kNotEvaluable) return next;
  return Worse(*so_far, next);
}

/// Whether a rule reads records of this object type.
bool ReadType(std::string_view object_type) {
  return std::any_of(std::begin(kObjectTypes), std::end(kObjectTypes),
                     [&](const char* type) { return object_type == type; });
}

/// An instant after every event: the live snapshot folds them all.
constexpr const char* kEndOfTime = "9999-12-31T23:59:59.999999Z";

std::string Until(Date as_of) {
  return FormatDate(Date(std::chrono::sys_days(as_of) + std::chrono::days(1))) +
         "T00:00:00.000000Z";
}

/// Folds an event into `live`, or only passes its sequence number when no rule reads its type.
void FoldEvent(LiveSnapshot& live, const ReadinessStore::Event& e) {
  if (!ReadType(e.object_type)) return live.PassOver(e.seq);
  live.Fold(e.seq, e.object_type, e.object_id, e.action, e.after_json, e.occurred_at);
}

/// The report of `snapshot` as of the end of `day`.
Report EvaluateAsOf(Snapshot& snapshot, Date day) {
  snapshot.as_of = day;
  snapshot.until = Until(day);
  return ReadinessService::Assemble(snapshot, ReadinessService::SettingsOf(snapshot));
}

Sample SampleOf(const Report& report) { return {report.as_of, report.verdict, report.score}; }

}  // namespace

Settings ReadinessService::SettingsOf(const Snapshot& snapshot) {
  Settings settings;
  const auto& saved = snapshot.Of(kSettingsType);
  if (!saved.empty()) {
    const auto& json = saved.front().json;
    settings.policy_ack_percent = Int(json, "policy_ack_percent");
    settings.awareness_percent = Int(json, "awareness_percent");
    settings.overdue_tolerance_days = Int(json, "overdue_tolerance_days");
    settings.recent_months = Int(json, "recent_months");
    settings.version = Int(json, "version");
    settings.updated_at = Str(json, "updated_at");
  }
  return settings;
}

std::vector<FieldError> ReadinessService::Validate(const Settings& s) {
  std::vector<FieldError> errors;
  if (s.policy_ack_percent < 0 || s.policy_ack_percent > 100) {
    errors.push_back({"policy_ack_percent", "must be a whole number from 0 to 100"});
  }
  if (s.awareness_percent < 0 || s.awareness_percent > 100) {
    errors.push_back({"awareness_percent", "must be a whole number from 0 to 100"});
  }
  if (s.overdue_tolerance_days < 0 || s.overdue_tolerance_days > 365) {
    errors.push_back({"overdue_tolerance_days", "must be a whole number from 0 to 365"});
  }
  if (s.recent_months < 1 || s.recent_months > 36) {
    errors.push_back({"recent_months", "must be a whole number from 1 to 36"});
  }
  return errors;
}

Expected<Snapshot> ReadinessService::Replayed(storage::Transaction& tx, const OrgId& org,
                                              const std::string& until) {
  Snapshot snapshot;
  snapshot.until = until;
  for (const char* type : kObjectTypes) {
    auto records = CERTUS_TRY(store_.Replay(tx, org, type, until));
    // In byte order of the ids, whatever the database's collation: the order a live
    // snapshot keeps, so that both give the same links in the same order.
    auto by_id = [](const Record& a, const Record& b) { return a.id < b.id; };
    if (!std::is_sorted(records.begin(), records.end(), by_id)) {
      std::sort(records.begin(), records.end(), by_id);
    }
    snapshot.records[type] = std::move(records);
  }
  return snapshot;
}

Expected<Snapshot> ReadinessService::LoadSnapshot(storage::Transaction& tx, const OrgId& org,
                                                  Date as_of) {
  auto snapshot = CERTUS_TRY(Replayed(tx, org, Until(as_of)));
  snapshot.as_of = as_of;
  return snapshot;
}

Expected<std::shared_ptr<const Report>> ReadinessService::EvaluateToday(storage::Transaction& tx,
                                                                        const OrgId& org,
                                                                        Date today,
                                                                        std::int64_t last_seq) {
  std::shared_ptr<Live> live;
  {
    std::lock_guard lock(live_mutex_);
    auto it =
        std::find_if(live_.begin(), live_.end(), [&](const auto& e) { return e.first == org; });
    if (it == live_.end()) {
      live_.emplace_back(org, std::make_shared<Live>());
    } else {
      std::rotate(it, it + 1, live_.end());  // most recently used last
    }
    live = live_.back().second;
  }
  std::shared_ptr<const Report> report;
  std::size_t size = 0;
  {
    std::lock_guard lock(live->mutex);
    if (!live->snapshot) {
      // Every event this transaction sees, whenever it happened: its sequence numbers end
      // at last_seq.
      live->snapshot =
          std::make_unique<LiveSnapshot>(CERTUS_TRY(Replayed(tx, org, kEndOfTime)), last_seq);
    }
    auto& snapshot = *live->snapshot;
    if (snapshot.seq() < last_seq) {
      auto folded = store_.EventsSince(tx, org, snapshot.seq(), last_seq,
                                       [&](const auto& e) { FoldEvent(snapshot, e); });
      if (!folded) {
        live->snapshot.reset();  // half brought up to date: built afresh next time
        live->report.reset();
        return ::certus::Fail(folded.error());
      }
    }
    if (live->report && live->report->as_of == FormatDate(today) &&
        live->report_changes == snapshot.changes()) {
      report = live->report;  // only events no rule reads since (evidence, notifications, …)
    } else if (snapshot.latest_at() < Until(today)) {
      report = std::make_shared<const Report>(EvaluateAsOf(snapshot.snapshot(), today));
      live->report = report;
      live->report_changes = snapshot.changes();
    }
    size = snapshot.size();
  }
  {
    std::lock_guard lock(live_mutex_);
    live->size = size;
    std::size_t total = 0;
    for (const auto& entry : live_) total += entry.second->size;
    while (total > kLiveRecords && live_.size() > 1) {
      total -= live_.front().second->size;
      live_.erase(live_.begin());
    }
  }
  return report;
}

Report ReadinessService::Assemble(const Snapshot& snapshot, const Settings& settings) {
  std::vector<Check> checks;
  for (const auto& rule : AllRules()) checks.push_back(rule->Evaluate(snapshot, settings));

  Report report;
  report.as_of = FormatDate(snapshot.as_of);
  const auto& catalog = controls::Iso27001Catalog();
  // Requirements in catalog order; a parent's status is the worst of its own checks and
  // its children's.
  std::map<std::string, RequirementResult> rows;
  std::map<std::string, std::string> parent_of;
  std::vector<std::string> order;
  for (const auto& row : catalog) {
    if (row.kind == "clause") {
      report.clauses.push_back({row.ref_id, row.title, Status::kNotEvaluable, {}});
    } else if (row.kind == "requirement") {
      rows[row.ref_id] = {row.ref_id, row.title, Status::kNotEvaluable, {}};
      parent_of[row.ref_id] = row.parent;
      order.push_back(row.ref_id);
    }
  }
  for (auto& check : checks) {
    auto it = rows.find(check.requirement_ref);
    if (it != rows.end()) it->second.checks.push_back(std::move(check));
  }
  // Own checks, then children into parents, deepest first (refs are at most three levels).
  std::map<std::string, std::optional<Status>> status;
  for (const auto& ref : order) {
    std::optional<Status> s;
    for (const auto& c : rows[ref].checks) s = Combine(s, c.status);
    status[ref] = s;
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::string& parent = parent_of[*it];
    if (auto p = status.find(parent); p != status.end() && status[*it]) {
      p->second = Combine(p->second, *status[*it]);
    }
  }
  std::int64_t evaluated = 0;
  double points = 0;
  bool any_fail = false;
  bool documentation_fail = false;
  for (auto& clause : report.clauses) {
    std::optional<Status> clause_status;
    for (const auto& ref : order) {
      const std::string& parent = parent_of[ref];
      // The clause of a requirement is its first component.
      if (ref.substr(0, ref.find('.')) != clause.ref) continue;
      auto& row = rows[ref];
      row.status = status[ref].value_or(Status::kNotEvaluable);
      if (parent == clause.ref && status[ref]) clause_status = Combine(clause_status, *status[ref]);
      for (const auto& c : row.checks) {
        if (c.status == Status::kNotEvaluable) continue;
        ++evaluated;
        points += c.status == Status::kPass ? 1.0 : c.status == Status::kWarn ? 0.5 : 0.0;
        if (c.status == Status::kFail) {
          any_fail = true;
          if (DocumentationChecks().contains(c.id)) documentation_fail = true;
        }
      }
      clause.requirements.push_back(row);
    }
    clause.status = clause_status.value_or(Status::kNotEvaluable);
  }
  report.score = evaluated == 0 ? 0 : std::lround(points * 100.0 / static_cast<double>(evaluated));
  report.verdict = documentation_fail ? "not_ready"
                   : any_fail         ? "ready_for_stage_1"
                                      : "ready_for_stage_2";
  if (evaluated == 0) report.verdict = "not_ready";
  return report;
}

Expected<Report> ReadinessService::Evaluate(const Actor& actor, const OrgId& org,
                                            std::optional<Date> as_of) {
  CERTUS_CHECK(CheckCanRead(actor));
  const Date today = DateOf(clock_.Now());
  const Date day = as_of.value_or(today);
  if (std::chrono::sys_days(day) > std::chrono::sys_days(today)) {
    return ::certus::Fail(Error::Field("as_of", "must not be in the future"));
  }
  return EvaluateDay(org, day);
}

Expected<Report> ReadinessService::EvaluateDay(const OrgId& org, Date day) {
  std::string key;
  auto report = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::shared_ptr<const Report>> {
        const std::int64_t last_seq = CERTUS_TRY(store_.LastSeq(tx, org));
        key = fmt::format("{}/{}/{}", org.str(), FormatDate(day), last_seq);
        {
          std::lock_guard lock(memo_mutex_);
          for (const auto& memo : memo_) {
            if (memo.key == key) return memo.report;
          }
        }
        if (day == DateOf(clock_.Now())) {
          if (auto live = CERTUS_TRY(EvaluateToday(tx, org, day, last_seq))) return live;
        }
        auto snapshot = CERTUS_TRY(LoadSnapshot(tx, org, day));
        return std::make_shared<const Report>(EvaluateAsOf(snapshot, day));
      }));
  std::lock_guard lock(memo_mutex_);
  if (std::none_of(memo_.begin(), memo_.end(), [&](const Memo& m) { return m.key == key; })) {
    memo_.push_back({key, report});
    if (memo_.size() > kMemoReports) memo_.pop_front();
  }
  return *report;
}

Expected<std::vector<Sample>> ReadinessService::EvaluatePastDays(const OrgId& org,
                                                                 const std::vector<Date>& days) {
  if (days.size() == 1) return std::vector<Sample>{SampleOf(CERTUS_TRY(EvaluateDay(org, days[0])))};
  std::vector<Sample> samples;
  const bool in_one_pass =
      CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
        // The first day by a replay; each later one by folding the events up to its end. The
        // log's times are taken to grow with its sequence numbers: the first event at or after
        // a day's end is found by a binary search, and a pass that meets an event older than
        // one before it stops, the remaining days then replayed one by one.
        const std::int64_t last_seq = CERTUS_TRY(store_.LastSeq(tx, org));
        const std::string first_until = Until(days.front());
        const std::int64_t start = CERTUS_TRY(store_.FirstSeqFrom(tx, org, first_until, last_seq));
        const std::int64_t end =
            CERTUS_TRY(store_.FirstSeqFrom(tx, org, Until(days.back()), last_seq)) - 1;
        LiveSnapshot live(CERTUS_TRY(Replayed(tx, org, first_until)), start - 1);
        std::size_t next = 0;
        auto evaluate_ended = [&](std::string_view now) {
          for (; next < days.size() && Until(days[next]) <= now; ++next) {
            samples.push_back(SampleOf(EvaluateAsOf(live.snapshot(), days[next])));
          }
        };
        evaluate_ended(first_until);
        bool in_order = true;
        CERTUS_CHECK(
            store_.EventsSince(tx, org, start - 1, end, [&](const ReadinessStore::Event& e) {
              if (!in_order) return;
              if (e.occurred_at < live.latest_at() || e.occurred_at < first_until) {
                in_order = false;
                return;
              }
              evaluate_ended(e.occurred_at);
              FoldEvent(live, e);
            }));
        if (in_order) evaluate_ended(kEndOfTime);
        return in_order;
      }));
  for (std::size_t i = samples.size(); !in_one_pass && i < days.size(); ++i) {
    samples.push_back(SampleOf(CERTUS_TRY(EvaluateDay(org, days[i]))));
  }
  return samples;
}

Expected<std::vector<Sample>> ReadinessService::Trend(const Actor& actor, const OrgId& org,
                                                      std::optional<Date> from,
                                                      std::optional<Date> to) {
  CERTUS_CHECK(CheckCanRead(actor));
  using std::chrono::days;
  using std::chrono::sys_days;
  const Date today = DateOf(clock_.Now());
  const Date last = to.value_or(today);
  const Date first = from.value_or(Date(sys_days(last) - days(29)));
  if (sys_days(last) > sys_days(today)) {
    return ::certus::Fail(Error::Field("to", "must not be in the future"));
  }
  if (sys_days(first) > sys_days(last)) {
    return ::certus::Fail(Error::Field("from", "must not be after to"));
  }
  if (DaysBetween(first, last) >= kMaxTrendDays) {
    return ::certus::Fail(
        Error::Field("from", fmt::format("must be at most {} days before to", kMaxTrendDays - 1)));
  }
  auto stored = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return store_.Samples(tx, org, FormatDate(first), FormatDate(last), kRulesVersion);
  }));
  std::map<std::string, Sample> by_day;
  for (auto& sample : stored) by_day.emplace(sample.day, std::move(sample));

  // Past days without a stored sample are evaluated together, in one pass over the log.
  std::vector<Date> missing;
  for (sys_days day = sys_days(first); day <= sys_days(last) && day < sys_days(today);
       day += days(1)) {
    if (!by_day.contains(FormatDate(Date(day)))) missing.emplace_back(day);
  }
  std::vector<Sample> computed;
  if (!missing.empty()) {
    for (auto& sample : CERTUS_TRY(EvaluatePastDays(org, missing))) {
      computed.push_back(sample);
      by_day.emplace(sample.day, std::move(sample));
    }
  }
  std::vector<Sample> samples;
  for (sys_days day = sys_days(first); day <= sys_days(last); day += days(1)) {
    const std::string text = FormatDate(Date(day));
    if (auto it = by_day.find(text); it != by_day.end()) {
      samples.push_back(it->second);
      continue;
    }
    samples.push_back(SampleOf(CERTUS_TRY(EvaluateDay(org, Date(day)))));  // today
  }
  if (!computed.empty()) {
    // Samples are a memo of what the audit log already says: no audit event of their own.
    CERTUS_CHECK(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
      for (const auto& sample : computed) {
        CERTUS_CHECK(store_.SaveSample(tx, org, sample, kRulesVersion));
      }
      return {};
    }));
  }
  return samples;
}

Expected<Settings> ReadinessService::GetSettings(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Settings> {
    auto saved = CERTUS_TRY(store_.FindSettings(tx, org));
    if (saved) return *saved;
    Settings defaults;
    defaults.version = 1;
    return defaults;
  });
}

Expected<Settings> ReadinessService::PutSettings(const Actor& actor, const OrgId& org,
                                                 const Settings& input,
                                                 std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (!actor.role || *actor.role < Role::kManager) {
    return ::certus::Fail(ErrorCode::kPermissionDenied,
                          "Only managers and admins may change the readiness thresholds.");
  }
  if (auto errors = Validate(input); !errors.empty()) {
    return ::certus::Fail(Error::Validation(std::move(errors)));
  }
  const Error stale{ErrorCode::kPreconditionFailed,
                    "Someone else changed the readiness thresholds since you read them; reload "
                    "them and try again."};
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Settings> {
    auto saved = CERTUS_TRY(store_.FindSettings(tx, org));
    Settings before;
    before.version = 1;
    if (saved) before = *saved;
    if (before.version != expected_version) return ::certus::Fail(stale);
    Settings after = input;
    after.version = expected_version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.SaveSettings(tx, org, after, saved ? expected_version : 0))) {
      return ::certus::Fail(stale);
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, {org.str(), actor.user_id.str(), actor.email, kSettingsType, org.str(),
             saved ? "update" : "create", saved ? ToJson(before, org) : boost::json::value(nullptr),
             ToJson(after, org), actor.request_id}));
    return after;
  });
}

}  // namespace certus::readiness
