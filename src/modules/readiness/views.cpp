#include "modules/readiness/views.hpp"

#include <algorithm>

namespace certus::readiness {

DocumentView ViewDocument(const Record& document) {
  DocumentView view;
  view.record = &document;
  // The document's own JSON is the starting point: an import may carry a published version.
  if (!IsNull(document.json, "published_version")) {
    view.published_number = Int(document.json, "published_version");
    view.published_on = DateField(document.json, "published_at");
    view.approved_by_someone = true;
  }
  for (const auto& e : document.events) {
    if (e.action == "publish") {
      view.published_number = Int(e.after, "number");
      view.published_on = DateOfText(e.at);
      auto approval = e.after.find("approval");
      view.approved_by_someone = approval != e.after.end() && approval->value().is_object();
      view.acknowledged_user_ids.clear();
    } else if (e.action == "acknowledge" && view.published_number &&
               Int(e.after, "version_number") == *view.published_number) {
      view.acknowledged_user_ids.push_back(Str(e.after, "user_id"));
    }
  }
  // A publication is a review: the next one falls an interval after it, unless the
  // document itself was later given another date.
  auto own = DateField(document.json, "next_review_on");
  std::optional<Date> by_publication;
  if (view.published_on) {
    by_publication = AddMonths(*view.published_on, Int(document.json, "review_interval_months"));
  }
  if (own && by_publication) {
    view.next_review_on = std::max(*own, *by_publication, [](Date a, Date b) {
      return std::chrono::sys_days(a) < std::chrono::sys_days(b);
    });
  } else {
    view.next_review_on = own ? own : by_publication;
  }
  return view;
}

std::vector<const Record*> PeopleInScope(const Snapshot& snapshot) {
  std::vector<const Record*> out;
  for (const auto& p : snapshot.Of("person")) {
    if (!Bool(p.json, "in_scope") || Str(p.json, "status") == "left") continue;
    auto left = DateField(p.json, "left_on");
    if (left && DaysBetween(*left, snapshot.as_of) >= 0) continue;
    out.push_back(&p);
  }
  return out;
}

const Record* ApprovedMethodology(const Snapshot& snapshot) {
  const Record* found = nullptr;
  for (const auto& m : snapshot.Of("risk_methodology")) {
    if (Str(m.json, "status") == "approved" && (!found || m.updated_at > found->updated_at)) {
      found = &m;
    }
  }
  return found;
}

std::vector<Date> MeasurementDates(const Record& metric) {
  std::vector<Date> out;
  for (const auto& e : metric.events) {
    if (e.action != "record_measurement" && e.action != "correct_measurement") continue;
    if (auto d = DateField(e.after, "measured_on")) out.push_back(*d);
  }
  return out;
}

}  // namespace certus::readiness
