#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::communication {

using PlanItemId = StrongId<struct CommunicationPlanItemTag>;
using CommunicationId = StrongId<struct CommunicationTag>;

/// How often a planned communication is due (ISO 27001 7.4 b: when to communicate).
/// Stored as the lowercase name.
enum class Frequency { kOneOff, kMonthly, kQuarterly, kYearly, kOnEvent };

std::string_view FrequencyName(Frequency frequency);
std::optional<Frequency> ParseFrequency(std::string_view name);
const std::vector<std::string>& FrequencyNames();

/// How a communication reaches its audience (7.4 e: how to communicate).
enum class Channel { kEmail, kIntranet, kMeeting, kTraining, kReport, kOther };

std::string_view ChannelName(Channel channel);
std::optional<Channel> ParseChannel(std::string_view name);
const std::vector<std::string>& ChannelNames();

/// Inside the organization or to the outside (7.4: internal and external communications).
enum class Direction { kInternal, kExternal };

std::string_view DirectionName(Direction direction);
std::optional<Direction> ParseDirection(std::string_view name);
const std::vector<std::string>& DirectionNames();

/// The months between two occurrences of a recurring frequency; 0 for one-off and on-event.
int FrequencyMonths(Frequency frequency);

/// One line of the communication plan (ISO 27001 7.4 a–e): on what (subject), when
/// (frequency with its due date or trigger), with whom (interested parties of the 4.2
/// register and free text such as "all staff"), who communicates (owner) and how (channel).
struct PlanItem {
  PlanItemId id;
  OrgId org_id;
  std::string ref;  ///< COM-001, …
  std::string subject;
  std::vector<std::string> audience_party_ids;  ///< interested parties (4.2), sorted
  std::string audience_text;
  Direction direction = Direction::kInternal;
  Frequency frequency = Frequency::kOneOff;
  /// One-off: the date. Recurring: the first date it is due. On event: none.
  std::optional<Date> due_on;
  std::string trigger;  ///< on_event: what triggers the communication
  UserId owner_id;
  Channel channel = Channel::kEmail;
  std::string notes;
  /// Derived from the log and kept with the item: the latest communication recorded under
  /// it, and when the next one is due (nullopt: nothing more is due).
  std::optional<Date> last_communicated_on;
  std::optional<Date> next_due_on;
  bool overdue = false;  ///< next_due_on before today; computed when read
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

/// Create and update alike: an absent field stays as it is (create: takes its default).
struct PlanItemPatch {
  std::optional<std::string> subject;
  std::optional<std::vector<std::string>> audience_party_ids;
  std::optional<std::string> audience_text;
  std::optional<Direction> direction;
  std::optional<Frequency> frequency;
  std::optional<std::optional<Date>> due_on;  ///< inner nullopt clears it
  std::optional<std::string> trigger;
  std::optional<UserId> owner_id;
  std::optional<Channel> channel;
  std::optional<std::string> notes;
};

struct PlanItemFilter {
  std::optional<Direction> direction;
  std::optional<Frequency> frequency;
  std::optional<Channel> channel;
  std::optional<UserId> owner_id;
  std::optional<std::string> party_id;
  std::optional<std::string> overdue_before;  ///< next_due_on before this date
  std::optional<std::string> text;            ///< in subject, audience text or notes
};

/// A communication made (7.4, retained as documented information of the ISMS's operation).
struct Communication {
  CommunicationId id;
  OrgId org_id;
  std::string ref;  ///< CL-0001, …
  std::optional<PlanItemId> plan_item_id;
  std::string subject;
  Date communicated_on;
  std::vector<std::string> audience_party_ids;  ///< sorted
  std::string audience_text;
  Channel channel = Channel::kEmail;
  std::string summary;
  UserId communicated_by;
  UserId author_id;  ///< who recorded it
  std::string author_email;
  std::optional<std::string> evidence_id;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct CommunicationPatch {
  std::optional<std::optional<PlanItemId>> plan_item_id;
  std::optional<std::string> subject;
  std::optional<Date> communicated_on;
  std::optional<std::vector<std::string>> audience_party_ids;
  std::optional<std::string> audience_text;
  std::optional<Channel> channel;
  std::optional<std::string> summary;
  std::optional<UserId> communicated_by;
  std::optional<std::optional<std::string>> evidence_id;
};

struct CommunicationFilter {
  std::optional<PlanItemId> plan_item_id;
  std::optional<Channel> channel;
  std::optional<std::string> party_id;
  std::optional<UserId> communicated_by;
  std::optional<std::string> from;  ///< communicated on or after
  std::optional<std::string> to;    ///< communicated on or before
  std::optional<std::string> text;  ///< in subject, summary or audience text
};

/// When a plan item is next due, given its frequency, first due date and the latest
/// communication under it: one-off items are due on their date until communicated;
/// recurring ones one period after the latest communication (their first date before any);
/// on-event items have no date.
std::optional<Date> NextDue(Frequency frequency, const std::optional<Date>& due_on,
                            const std::optional<Date>& last_communicated_on);

}  // namespace certus::communication
