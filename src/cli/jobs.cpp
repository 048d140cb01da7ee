#include "cli/jobs.hpp"

#include <spdlog/spdlog.h>

namespace certus::cli {

BackgroundJobs::BackgroundJobs(App& app, const Clock& clock, Random& random,
                               const JobSettings& settings)
    : duties_(app.tasks()),
      mailer_(settings.smtp.host.empty()
                  ? nullptr
                  : std::make_unique<notifications::SmtpMailer>(settings.smtp)),
      runner_(app.db(), clock, random, app.identity(), duties_, mailer_.get(), &poster_,
              settings.runner) {
  if (mailer_) {
    spdlog::info("jobs: reminders by email through {}:{}", settings.smtp.host, settings.smtp.port);
  } else {
    spdlog::info("jobs: no --smtp-host, reminders are in-app and webhooks only");
  }
  if (settings.every.count() > 0) thread_.emplace(runner_, clock, settings.every);
}

}  // namespace certus::cli
