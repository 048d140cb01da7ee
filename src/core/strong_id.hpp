#pragma once

#include <compare>
#include <functional>
#include <string>
#include <utility>

namespace certus {

/// An opaque identifier that cannot be confused with another kind of identifier:
/// `StrongId<struct RiskTag>` does not convert to `StrongId<struct ControlTag>`.
template <typename Tag>
class StrongId final {
 public:
  StrongId() = default;
  explicit StrongId(std::string value) : value_(std::move(value)) {}

  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the synthesized `< 0`.
  friend auto operator<=>(const StrongId&, const StrongId&) = default;

 private:
  std::string value_;
};

using UserId = StrongId<struct UserTag>;
using OrgId = StrongId<struct OrgTag>;

}  // namespace certus

template <typename Tag>
struct std::hash<certus::StrongId<Tag>> {
  size_t operator()(const certus::StrongId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
