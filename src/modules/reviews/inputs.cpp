#include <algorithm>
#include <map>

#include <boost/json.hpp>

#include "modules/reviews/service.hpp"

// The input pack of a management review (ISO 27001 9.3.2 a–g), assembled on read from the
// other modules' services as of the review's date. Nothing of it is stored but the notes.

namespace certus::reviews {

namespace {

/// Every item of a paged listing, page by page.
template <typename T, typename ListPage>
Expected<std::vector<T>> All(ListPage list_page, std::string sort = "created_at") {
  std::vector<T> items;
  PageQuery page;
  page.sort = std::move(sort);
  page.limit = 500;
  while (true) {
    auto result = CERTUS_TRY(list_page(page));
    for (auto& item : result.items) items.push_back(std::move(item));
    if (!result.next) break;
    page.after = result.next;
  }
  return items;
}

/// The day of an RFC 3339 timestamp.
std::string DayOf(const std::string& timestamp) { return timestamp.substr(0, 10); }

/// The window of a review's inputs: days in [since, as_of]. Records created after `as_of`
/// did not exist on the review's date and are left out.
struct Window {
  Date since_date;
  Date as_of_date;
  std::string since = FormatDate(since_date);
  std::string as_of = FormatDate(as_of_date);

  bool Contains(const std::string& day) const { return day >= since && day <= as_of; }
  bool Contains(const std::optional<Date>& date) const {
    return date && Contains(FormatDate(*date));
  }
  bool Existed(const std::string& created_at) const { return DayOf(created_at) <= as_of; }
};

/// One input's data and readable lines.
struct Assembled {
  boost::json::object data;
  std::vector<std::string> summary;
};

Date MonthsBefore(Date date, int months) {
  Date earlier = date - std::chrono::months(months);
  if (!earlier.ok()) earlier = Date(earlier.year() / earlier.month() / std::chrono::last);
  return earlier;
}

std::string Plural(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

boost::json::value Opt(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return boost::json::value(*text);
}

// a) Actions decided by earlier reviews, with their status as of the review's date.
Assembled PreviousActions(const std::vector<ReviewAction>& earlier, const Window& window) {
  const std::string& as_of = window.as_of;
  Assembled part;
  boost::json::array items;
  std::int64_t open = 0, done = 0, overdue = 0, cancelled = 0;
  for (const auto& action : earlier) {
    if (!window.Existed(action.created_at)) continue;
    // A status reached after the date did not exist yet on it.
    std::string status(ActionStatusName(action.status));
    const bool done_later = action.status == ActionStatus::kDone && action.done_on &&
                            FormatDate(*action.done_on) > as_of;
    const bool changed_later =
        action.status != ActionStatus::kDone && DayOf(action.updated_at) > as_of;
    if (done_later || changed_later) status = "open";
    const bool finished = status == "done" || status == "cancelled";
    // Finished before the previous review: already reported there.
    if (finished && status == "done" && action.done_on &&
        FormatDate(*action.done_on) < window.since) {
      continue;
    }
    if (finished && status == "cancelled" && DayOf(action.updated_at) < window.since) continue;
    const bool late = !finished && action.due_on && FormatDate(*action.due_on) < as_of;
    if (status == "done") ++done;
    if (status == "cancelled") ++cancelled;
    if (!finished) ++open;
    if (late) ++overdue;
    items.push_back(boost::json::object{
        {"id", action.id.str()},
        {"ref", action.ref},
        {"review_ref", action.review_ref},
        {"title", action.title},
        {"owner_id", action.owner_id.str()},
        {"due_on", action.due_on ? boost::json::value(FormatDate(*action.due_on))
                                 : boost::json::value(nullptr)},
        {"status", status},
        {"overdue", late}});
  }
  part.data = {{"actions", items},
               {"open", open},
               {"overdue", overdue},
               {"done", done},
               {"cancelled", cancelled}};
  if (items.empty()) {
    part.summary.push_back("No actions from previous management reviews to follow up.");
  } else {
    part.summary.push_back(Plural(static_cast<std::int64_t>(items.size()), "action", "actions") +
                           " from previous reviews: " + std::to_string(open) + " open (" +
                           std::to_string(overdue) + " overdue), " + std::to_string(done) +
                           " done, " + std::to_string(cancelled) + " cancelled.");
  }
  return part;
}

// b) External and internal issues (4.1) new or changed in the window.
Expected<Assembled> IssueChanges(const InputSources& s, const Actor& actor, const OrgId& org,
                                 const Window& window) {
  Assembled part;
  auto issues = CERTUS_TRY(All<context::ContextIssue>([&](const PageQuery& page) {
    return s.context.List(actor, org, context::ContextIssueFilter{}, page);
  }));
  boost::json::array added, changed;
  std::int64_t total = 0;
  for (const auto& issue : issues) {
    if (!window.Existed(issue.created_at)) continue;
    ++total;
    boost::json::object item{{"id", issue.id.str()},
                             {"ref", issue.ref},
                             {"kind", context::KindName(issue.kind)},
                             {"title", issue.title},
                             {"updated_at", issue.updated_at}};
    if (window.Contains(DayOf(issue.created_at))) {
      added.push_back(item);
    } else if (window.Contains(DayOf(issue.updated_at))) {
      changed.push_back(item);
    }
  }
  part.data = {{"new", added}, {"changed", changed}, {"total", total}};
  part.summary.push_back(Plural(static_cast<std::int64_t>(added.size()), "issue", "issues") +
                         " new and " + std::to_string(changed.size()) + " changed since " +
                         window.since + ", of " + std::to_string(total) + " on record.");
  return part;
}

// c) Interested parties (4.2) and their requirements, new or changed in the window.
Expected<Assembled> PartyChanges(const InputSources& s, const Actor& actor, const OrgId& org,
                                 const Window& window) {
  Assembled part;
  auto parties = CERTUS_TRY(All<context::InterestedParty>([&](const PageQuery& page) {
    return s.interested_parties.List(actor, org, context::InterestedPartyFilter{}, page);
  }));
  boost::json::array added, changed;
  std::int64_t total = 0, unaddressed = 0;
  for (const auto& party : parties) {
    if (!window.Existed(party.created_at)) continue;
    ++total;
    unaddressed += party.UnaddressedCount();
    boost::json::object item{{"id", party.id.str()},
                             {"ref", party.ref},
                             {"name", party.name},
                             {"category", context::PartyCategoryName(party.category)},
                             {"requirements", static_cast<std::int64_t>(party.requirements.size())},
                             {"unaddressed", party.UnaddressedCount()},
                             {"updated_at", party.updated_at}};
    if (window.Contains(DayOf(party.created_at))) {
      added.push_back(item);
    } else if (window.Contains(DayOf(party.updated_at))) {
      changed.push_back(item);
    }
  }
  part.data = {{"new", added},
               {"changed", changed},
               {"total", total},
               {"unaddressed_requirements", unaddressed}};
  part.summary.push_back(
      Plural(static_cast<std::int64_t>(added.size()), "interested party", "interested parties") +
      " new and " + std::to_string(changed.size()) + " changed since " + window.since + ", of " +
      std::to_string(total) + " on record; " + Plural(unaddressed, "requirement", "requirements") +
      " not addressed by the ISMS.");
  return part;
}

// d) Performance: nonconformities and corrective actions, monitoring and measurement,
// audit results, objectives.
Expected<Assembled> Performance(const InputSources& s, const Actor& actor, const OrgId& org,
                                const Window& window,
                                const std::vector<improvement::Nonconformity>& ncs) {
  const std::string& as_of = window.as_of;
  Assembled part;
  std::int64_t nc_opened = 0, nc_closed = 0, nc_open = 0, nc_major_open = 0;
  boost::json::array opened_refs;
  for (const auto& nc : ncs) {
    if (!window.Existed(nc.created_at)) continue;
    if (window.Contains(nc.reported_on)) {
      ++nc_opened;
      opened_refs.push_back(
          boost::json::object{{"ref", nc.ref},
                              {"title", nc.title},
                              {"source", improvement::SourceName(nc.source)},
                              {"severity", improvement::SeverityName(nc.severity)}});
    }
    if (window.Contains(nc.closed_on)) ++nc_closed;
    const bool open_then = !nc.closed_on || FormatDate(*nc.closed_on) > as_of;
    if (open_then && FormatDate(nc.reported_on) <= as_of) {
      ++nc_open;
      if (nc.severity == improvement::Severity::kMajor) ++nc_major_open;
    }
  }
  auto actions = CERTUS_TRY(All<improvement::CorrectiveAction>([&](const PageQuery& page) {
    return s.nonconformities.ListActions(actor, org, improvement::ActionFilter{}, false, page);
  }));
  std::int64_t ca_opened = 0, ca_done = 0, ca_open = 0, ca_overdue = 0;
  for (const auto& a : actions) {
    if (!window.Existed(a.created_at)) continue;
    if (window.Contains(DayOf(a.created_at))) ++ca_opened;
    if (window.Contains(a.done_on)) ++ca_done;
    bool finished_then = false;
    if (a.status == improvement::ActionStatus::kDone) {
      finished_then = a.done_on && FormatDate(*a.done_on) <= as_of;
    } else if (a.status == improvement::ActionStatus::kCancelled) {
      finished_then = DayOf(a.updated_at) <= as_of;
    }
    if (!finished_then) {
      ++ca_open;
      if (a.due_on && FormatDate(*a.due_on) < as_of) ++ca_overdue;
    }
  }

  // Monitoring and measurement results (9.1): each metric's measurements in the window
  // and its latest value as of the date.
  auto metrics = CERTUS_TRY(All<objectives::Metric>([&](const PageQuery& page) {
    return s.objectives.ListMetrics(actor, org, objectives::MetricFilter{}, page);
  }));
  boost::json::array monitoring;
  std::int64_t off_target = 0;
  for (const auto& metric : metrics) {
    if (!window.Existed(metric.created_at)) continue;
    auto measurements = CERTUS_TRY(All<objectives::Measurement>(
        [&](const PageQuery& page) {
          return s.objectives.ListMeasurements(actor, org, metric.id, page);
        },
        "measured_on"));
    std::vector<const objectives::Measurement*> known;
    for (const auto& m : measurements) {
      if (window.Existed(m.created_at) && FormatDate(m.measured_on) <= as_of) known.push_back(&m);
    }
    std::int64_t in_window = 0;
    const objectives::Measurement* latest = nullptr;
    for (const auto* m : known) {
      // A correction recorded by the date replaces what it corrects.
      const bool superseded = std::any_of(known.begin(), known.end(), [&](const auto* other) {
        return other->corrects_id && *other->corrects_id == m->id;
      });
      if (superseded) continue;
      if (window.Contains(m->measured_on)) ++in_window;
      if (!latest || std::pair(FormatDate(m->measured_on), m->seq) >
                         std::pair(FormatDate(latest->measured_on), latest->seq)) {
        latest = m;
      }
    }
    boost::json::value latest_json = nullptr;
    bool meets = false;
    if (latest) {
      meets = metric.direction == objectives::Direction::kHigherIsBetter
                  ? latest->value >= metric.target
                  : latest->value <= metric.target;
      if (!meets) ++off_target;
      latest_json = boost::json::object{{"value", latest->value},
                                        {"measured_on", FormatDate(latest->measured_on)},
                                        {"meets_target", meets}};
    }
    monitoring.push_back(
        boost::json::object{{"ref", metric.ref},
                            {"name", metric.name},
                            {"unit", metric.unit},
                            {"target", metric.target},
                            {"direction", objectives::DirectionName(metric.direction)},
                            {"measurements_in_window", in_window},
                            {"latest", latest_json}});
  }

  auto objectives_list = CERTUS_TRY(All<objectives::Objective>([&](const PageQuery& page) {
    return s.objectives.ListObjectives(actor, org, objectives::ObjectiveFilter{}, page);
  }));
  boost::json::array objectives_json;
  std::map<std::string, std::int64_t> by_status;
  for (const auto& o : objectives_list) {
    if (!window.Existed(o.created_at)) continue;
    ++by_status[std::string(objectives::ObjectiveStatusName(o.status))];
    objectives_json.push_back(
        boost::json::object{{"ref", o.ref},
                            {"title", o.title},
                            {"due_on", FormatDate(o.due_on)},
                            {"state", objectives::ObjectiveStateName(o.state)},
                            {"status", objectives::ObjectiveStatusName(o.status)},
                            {"status_reason", o.status_reason}});
  }

  boost::json::object audits;
  std::string audit_line;
  if (s.audits) {
    auto results =
        CERTUS_TRY(s.audits->ReportedBetween(actor, org, window.since_date, window.as_of_date));
    boost::json::array items;
    for (const auto& r : results) {
      items.push_back(boost::json::object{{"ref", r.ref},
                                          {"title", r.title},
                                          {"conclusion", r.conclusion},
                                          {"reported_on", r.reported_on},
                                          {"major_nonconformities", r.major_nonconformities},
                                          {"minor_nonconformities", r.minor_nonconformities},
                                          {"observations", r.observations},
                                          {"opportunities", r.opportunities}});
    }
    audits = {{"available", true}, {"items", items}};
    audit_line =
        Plural(static_cast<std::int64_t>(results.size()), "internal audit", "internal audits") +
        " reported since " + window.since + ".";
  } else {
    audits = {{"available", false},
              {"items", boost::json::array{}},
              {"note", "Audit results are unavailable: no audit programme is connected."}};
    audit_line = "Audit results are unavailable: no audit programme is connected.";
  }

  boost::json::object status_counts;
  for (const auto& [status, n] : by_status) status_counts[status] = n;
  part.data = {
      {"nonconformities", boost::json::object{{"opened", nc_opened},
                                              {"closed", nc_closed},
                                              {"open", nc_open},
                                              {"open_major", nc_major_open},
                                              {"opened_items", opened_refs}}},
      {"corrective_actions",
       boost::json::object{
           {"opened", ca_opened}, {"done", ca_done}, {"open", ca_open}, {"overdue", ca_overdue}}},
      {"monitoring", monitoring},
      {"audits", audits},
      {"objectives", objectives_json},
      {"objectives_by_status", status_counts}};
  part.summary.push_back("Nonconformities: " + std::to_string(nc_opened) + " reported and " +
                         std::to_string(nc_closed) + " closed since " + window.since + "; " +
                         std::to_string(nc_open) + " open on " + as_of + " (" +
                         std::to_string(nc_major_open) + " major).");
  part.summary.push_back("Corrective actions: " + std::to_string(ca_opened) + " planned and " +
                         std::to_string(ca_done) + " done since " + window.since + "; " +
                         std::to_string(ca_open) + " open, " + std::to_string(ca_overdue) +
                         " overdue on " + as_of + ".");
  part.summary.push_back("Monitoring and measurement: " +
                         Plural(static_cast<std::int64_t>(monitoring.size()), "metric", "metrics") +
                         ", " + std::to_string(off_target) + " off target at their latest value.");
  part.summary.push_back(audit_line);
  std::string objective_line =
      "Objectives: " +
      Plural(static_cast<std::int64_t>(objectives_json.size()), "objective", "objectives");
  std::vector<std::string> counts;
  counts.reserve(by_status.size());
  for (const auto& [status, n] : by_status) counts.push_back(std::to_string(n) + " " + status);
  if (!counts.empty()) objective_line += " (" + Join(counts, ", ") + ")";
  part.summary.push_back(objective_line + ".");
  return part;
}

// e) Feedback from interested parties: communications in the window and complaints.
Expected<Assembled> PartyFeedback(const InputSources& s, const Actor& actor, const OrgId& org,
                                  const Window& window,
                                  const std::vector<improvement::Nonconformity>& ncs) {
  const std::string& as_of = window.as_of;
  Assembled part;
  communication::CommunicationFilter filter;
  filter.from = window.since;
  filter.to = as_of;
  auto entries = CERTUS_TRY(All<communication::Communication>([&](const PageQuery& page) {
    return s.communications.ListCommunications(actor, org, filter, page);
  }));
  boost::json::array communications;
  for (const auto& c : entries) {
    if (!window.Existed(c.created_at)) continue;
    communications.push_back(boost::json::object{{"ref", c.ref},
                                                 {"subject", c.subject},
                                                 {"communicated_on", FormatDate(c.communicated_on)},
                                                 {"channel", communication::ChannelName(c.channel)},
                                                 {"summary", c.summary}});
  }
  boost::json::array complaints;
  for (const auto& nc : ncs) {
    if (nc.source != improvement::Source::kComplaint || !window.Existed(nc.created_at) ||
        !window.Contains(nc.reported_on)) {
      continue;
    }
    complaints.push_back(boost::json::object{{"ref", nc.ref},
                                             {"title", nc.title},
                                             {"reported_on", FormatDate(nc.reported_on)},
                                             {"status", improvement::NcStatusName(nc.status)}});
  }
  part.data = {{"communications", communications}, {"complaints", complaints}};
  part.summary.push_back(
      Plural(static_cast<std::int64_t>(communications.size()), "communication", "communications") +
      " logged and " +
      Plural(static_cast<std::int64_t>(complaints.size()), "complaint", "complaints") +
      " received since " + window.since + ".");
  return part;
}

// f) Risk assessment (8.2) and the treatment plan (6.1.3 e, 8.3).
Expected<Assembled> RiskResults(const InputSources& s, const Actor& actor, const OrgId& org,
                                const Window& window) {
  const std::string& as_of = window.as_of;
  Assembled part;
  auto assessments = CERTUS_TRY(All<risk::RiskAssessment>(
      [&](const PageQuery& page) { return s.risk_assessments.ListAssessments(actor, org, page); }));
  const risk::RiskAssessment* latest = nullptr;
  for (const auto& a : assessments) {
    if (DayOf(a.taken_at) > as_of) continue;
    if (!latest || a.taken_at > latest->taken_at) latest = &a;
  }
  boost::json::value assessment_json = nullptr;
  if (latest) {
    std::vector<risk::RatedRisk> rows;
    std::optional<std::string> after;
    while (true) {
      auto page = CERTUS_TRY(s.risk_assessments.AssessedRisks(actor, org, latest->id, after, 501));
      const bool more = page.size() > 500;
      if (more) page.pop_back();
      for (auto& row : page) rows.push_back(std::move(row));
      if (!more || rows.empty()) break;
      after = rows.back().ref;
    }
    const auto threshold = latest->methodology.acceptance_threshold;
    boost::json::array above;
    for (const auto& r : rows) {
      const auto score = r.residual_score.value_or(r.inherent_score);
      if (score <= threshold) continue;
      above.push_back(boost::json::object{{"ref", r.ref},
                                          {"title", r.title},
                                          {"score", score},
                                          {"level", r.residual_level.value_or(r.inherent_level)},
                                          {"treatment", r.treatment}});
    }
    assessment_json = boost::json::object{{"ref", latest->ref},
                                          {"name", latest->name},
                                          {"taken_at", latest->taken_at},
                                          {"risk_count", latest->risk_count},
                                          {"acceptance_threshold", threshold},
                                          {"above_threshold", above}};
    part.summary.push_back("Latest risk assessment on " + as_of + ": " + latest->ref + " " +
                           latest->name + " (" + DayOf(latest->taken_at) + "), " +
                           Plural(latest->risk_count, "risk", "risks") + ", " +
                           std::to_string(above.size()) + " above the acceptance threshold " +
                           std::to_string(threshold) + ".");
  } else {
    part.summary.push_back("No risk assessment was retained on or before " + as_of + ".");
  }
  auto treatments = CERTUS_TRY(All<risk::Treatment>([&](const PageQuery& page) {
    return s.risk_register.ListTreatments(actor, org, risk::TreatmentFilter{}, false, page);
  }));
  std::int64_t total = 0, open = 0, overdue = 0, done = 0;
  boost::json::array open_items;
  for (const auto& t : treatments) {
    if (!window.Existed(t.created_at)) continue;
    ++total;
    // A status reached after the date did not exist on it.
    const bool open_then = t.IsOpen() || DayOf(t.updated_at) > as_of;
    if (!open_then) {
      if (t.status == risk::ActionStatus::kDone) ++done;
      continue;
    }
    ++open;
    const bool late = t.due_on && *t.due_on < as_of;
    if (late) ++overdue;
    open_items.push_back(boost::json::object{
        {"ref", t.ref}, {"title", t.title}, {"due_on", Opt(t.due_on)}, {"overdue", late}});
  }
  part.data = {{"assessment", assessment_json},
               {"treatments", boost::json::object{{"total", total},
                                                  {"open", open},
                                                  {"overdue", overdue},
                                                  {"done", done},
                                                  {"open_items", open_items}}}};
  part.summary.push_back("Risk treatment plan: " + Plural(total, "action", "actions") + ", " +
                         std::to_string(open) + " open (" + std::to_string(overdue) +
                         " overdue), " + std::to_string(done) + " done.");
  return part;
}

// g) Opportunities for improvement (10.1) raised or decided in the window.
Expected<Assembled> Improvements(const InputSources& s, const Actor& actor, const OrgId& org,
                                 const Window& window) {
  const std::string& as_of = window.as_of;
  Assembled part;
  auto ofis = CERTUS_TRY(All<improvement::Improvement>([&](const PageQuery& page) {
    return s.improvements.List(actor, org, improvement::ImprovementFilter{}, page);
  }));
  boost::json::array raised, decided;
  std::int64_t pending = 0;
  for (const auto& i : ofis) {
    if (!window.Existed(i.created_at)) continue;
    boost::json::object item{{"ref", i.ref},
                             {"title", i.title},
                             {"source", improvement::SourceName(i.source)},
                             {"raised_on", FormatDate(i.raised_on)}};
    const bool decided_then = i.decided_on && FormatDate(*i.decided_on) <= as_of;
    item["decision"] = decided_then ? improvement::DecisionName(i.decision) : "pending";
    if (!decided_then) ++pending;
    if (window.Contains(i.raised_on)) raised.push_back(item);
    if (window.Contains(i.decided_on)) decided.push_back(item);
  }
  part.data = {{"raised", raised}, {"decided", decided}, {"pending", pending}};
  part.summary.push_back(Plural(static_cast<std::int64_t>(raised.size()),
                                "opportunity for improvement", "opportunities for improvement") +
                         " raised and " + std::to_string(decided.size()) + " decided since " +
                         window.since + "; " + std::to_string(pending) + " awaiting a decision.");
  return part;
}

}  // namespace

Expected<InputPack> ReviewService::Inputs(const Actor& actor, const OrgId& org,
                                          const ReviewId& id) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  // The review, its predecessor and the earlier reviews' actions first; then each module
  // through its service, each in its own read transaction.
  struct Head {
    ManagementReview review;
    std::optional<ManagementReview> previous;
    std::vector<ReviewAction> earlier_actions;
  };
  const Date today = Today();
  auto as_of_of = [&](const ManagementReview& review) {
    const Date date = review.held_on.value_or(review.planned_on);
    return std::chrono::sys_days(date) > std::chrono::sys_days(today) ? today : date;
  };
  auto head =
      CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Head> {
        Head h;
        h.review = CERTUS_TRY(Load(tx, org, id));
        h.previous = CERTUS_TRY(store_.PreviousHeld(tx, org, FormatDate(as_of_of(h.review)), id));
        h.earlier_actions = CERTUS_TRY(store_.ActionsOfOthers(tx, org, id));
        return h;
      }));
  InputPack pack;
  pack.as_of = as_of_of(head.review);
  if (head.previous) {
    pack.since = *head.previous->held_on;
    pack.previous_review_ref = head.previous->ref;
  } else {
    pack.since = MonthsBefore(pack.as_of, 12);
  }
  const Window window{pack.since, pack.as_of};
  const InputSources& s = sources_;
  auto ncs = CERTUS_TRY(All<improvement::Nonconformity>([&](const PageQuery& page) {
    return s.nonconformities.List(actor, org, improvement::NonconformityFilter{}, page);
  }));

  std::vector<Assembled> parts;
  parts.push_back(PreviousActions(head.earlier_actions, window));
  parts.push_back(CERTUS_TRY(IssueChanges(s, actor, org, window)));
  parts.push_back(CERTUS_TRY(PartyChanges(s, actor, org, window)));
  parts.push_back(CERTUS_TRY(Performance(s, actor, org, window, ncs)));
  parts.push_back(CERTUS_TRY(PartyFeedback(s, actor, org, window, ncs)));
  parts.push_back(CERTUS_TRY(RiskResults(s, actor, org, window)));
  parts.push_back(CERTUS_TRY(Improvements(s, actor, org, window)));

  const auto& specs = InputSpecs();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    ReviewInput input;
    input.key = std::string(specs[i].key);
    input.title = std::string(specs[i].title);
    input.data = std::move(parts[i].data);
    input.summary = std::move(parts[i].summary);
    auto it = head.review.notes.find(input.key);
    if (it != head.review.notes.end()) input.notes = it->second;
    pack.inputs.push_back(std::move(input));
  }
  return pack;
}

}  // namespace certus::reviews
