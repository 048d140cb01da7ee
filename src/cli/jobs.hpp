#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "cli/app.hpp"
#include "modules/notifications/channels.hpp"
#include "modules/notifications/duty_source.hpp"
#include "modules/notifications/runner.hpp"

namespace certus::cli {

/// The tasks module's duties, as the notifications module reads them (DutySource): the
/// composition root connects the two so that neither depends on the other.
class TaskDuties final : public notifications::DutySource {
 public:
  explicit TaskDuties(tasks::TaskService& tasks) : tasks_(tasks) {}
  Expected<std::vector<tasks::Task>> DueBy(const OrgId& org, Date to) override {
    return tasks_.DueBy(org, to);
  }

 private:
  tasks::TaskService& tasks_;
};

struct JobSettings {
  notifications::SmtpSettings smtp;  ///< empty host: no email
  notifications::RunnerSettings runner;
  std::chrono::milliseconds every{std::chrono::seconds(30)};
};

/// The job runner of `certus serve` with its channels, running on a thread of its own
/// from construction until destruction (which waits for a run under way).
class BackgroundJobs final {
 public:
  BackgroundJobs(App& app, const Clock& clock, Random& random, const JobSettings& settings);

  notifications::JobRunner& runner() { return runner_; }

 private:
  TaskDuties duties_;
  std::unique_ptr<notifications::SmtpMailer> mailer_;
  notifications::BeastWebhookPoster poster_;
  notifications::JobRunner runner_;
  std::optional<notifications::BackgroundRunner> thread_;
};

}  // namespace certus::cli
