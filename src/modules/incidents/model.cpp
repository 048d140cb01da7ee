#include "modules/incidents/model.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <utility>

namespace certus::incidents {

namespace {

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::vector<std::string> NamesOf(const std::array<std::pair<E, std::string_view>, N>& table) {
  std::vector<std::string> names;
  names.reserve(N);
  for (const auto& [v, n] : table) names.emplace_back(n);
  return names;
}

constexpr std::array<std::pair<Status, std::string_view>, 5> kStatuses = {{
    {Status::kNew, "new"},
    {Status::kTriaged, "triaged"},
    {Status::kContained, "contained"},
    {Status::kResolved, "resolved"},
    {Status::kClosed, "closed"},
}};

constexpr std::array<std::pair<Severity, std::string_view>, 4> kSeverities = {{
    {Severity::kLow, "low"},
    {Severity::kMedium, "medium"},
    {Severity::kHigh, "high"},
    {Severity::kCritical, "critical"},
}};

constexpr std::array<std::pair<Category, std::string_view>, 8> kCategories = {{
    {Category::kMalware, "malware"},
    {Category::kPhishing, "phishing"},
    {Category::kUnauthorizedAccess, "unauthorized_access"},
    {Category::kDataLeak, "data_leak"},
    {Category::kDenialOfService, "denial_of_service"},
    {Category::kLossOrTheft, "loss_or_theft"},
    {Category::kMisconfiguration, "misconfiguration"},
    {Category::kOther, "other"},
}};

constexpr std::array<std::pair<Step, std::string_view>, 5> kSteps = {{
    {Step::kTriage, "triage"},
    {Step::kContain, "contain"},
    {Step::kResolve, "resolve"},
    {Step::kClose, "close"},
    {Step::kReopen, "reopen"},
}};

constexpr std::array<std::pair<LinkKind, std::string_view>, 3> kLinkKinds = {{
    {LinkKind::kAsset, "asset"},
    {LinkKind::kRisk, "risk"},
    {LinkKind::kNonconformity, "nonconformity"},
}};

}  // namespace

std::string_view StatusName(Status status) { return NameOf(kStatuses, status); }
std::optional<Status> ParseStatus(std::string_view name) { return Parse(kStatuses, name); }
const std::vector<std::string>& StatusNames() {
  static const auto kNames = NamesOf(kStatuses);
  return kNames;
}

std::string_view SeverityName(Severity severity) { return NameOf(kSeverities, severity); }
std::optional<Severity> ParseSeverity(std::string_view name) { return Parse(kSeverities, name); }
const std::vector<std::string>& SeverityNames() {
  static const auto kNames = NamesOf(kSeverities);
  return kNames;
}

std::string_view CategoryName(Category category) { return NameOf(kCategories, category); }
std::optional<Category> ParseCategory(std::string_view name) { return Parse(kCategories, name); }
const std::vector<std::string>& CategoryNames() {
  static const auto kNames = NamesOf(kCategories);
  return kNames;
}

std::string_view StepName(Step step) { return NameOf(kSteps, step); }

std::string_view LinkKindName(LinkKind kind) { return NameOf(kLinkKinds, kind); }
std::optional<LinkKind> ParseLinkKind(std::string_view name) { return Parse(kLinkKinds, name); }

std::vector<std::string> Incident::LinkIds(LinkKind kind) const {
  std::vector<std::string> ids;
  for (const auto& link : links) {
    if (link.kind == kind) ids.push_back(link.id);
  }
  return ids;
}

std::optional<double> HoursBetween(const std::string& from, const std::optional<std::string>& to) {
  if (!to) return std::nullopt;
  auto start = ParseTimestamp(from);
  auto end = ParseTimestamp(*to);
  if (!start || !end) return std::nullopt;
  const double hours = std::chrono::duration<double, std::ratio<3600>>(*end - *start).count();
  return std::round(hours * 10.0) / 10.0;
}

}  // namespace certus::incidents
