// Scheduler and notifications (issue 7 item 3): reminders before, on and after the due date,
// never twice (also with two runners at once: on PostgreSQL the real FOR UPDATE SKIP LOCKED
// claim), the in-app notifications API, preferences and the digest, webhooks signed with
// HMAC-SHA256 and retried with backoff, and email through a real SMTP server (aiosmtpd).
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gmock/gmock.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/encoding.hpp"
#include "modules/notifications/channels.hpp"
#include "modules/notifications/runner.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using notifications::JobRunner;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

/// The duties of each organization, as a test sets them.
class FakeDuties final : public notifications::DutySource {
 public:
  void Add(const std::string& org, tasks::Task task) {
    std::lock_guard lock(mutex_);
    tasks_[org].push_back(std::move(task));
  }
  Expected<std::vector<tasks::Task>> DueBy(const OrgId& org, Date to) override {
    std::lock_guard lock(mutex_);
    std::vector<tasks::Task> out;
    for (const auto& task : tasks_[org.str()]) {
      if (std::chrono::sys_days(task.due) <= std::chrono::sys_days(to)) out.push_back(task);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<tasks::Task>> tasks_;
};

/// Every email handed to it.
class FakeMailer final : public notifications::Mailer {
 public:
  Expected<void> Send(const notifications::Email& email) override {
    std::lock_guard lock(mutex_);
    sent.push_back(email);
    return {};
  }
  std::vector<notifications::Email> Sent() {
    std::lock_guard lock(mutex_);
    return sent;
  }

 private:
  std::mutex mutex_;
  std::vector<notifications::Email> sent;
};

std::string Hmac(const std::string& key, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  return "sha256=" + HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

/// A tiny webhook receiver on 127.0.0.1 and a free port: answers each request with the next
/// status of `statuses` (200 when they run out) and keeps what it received.
class Receiver final {
 public:
  struct Received {
    std::string signature;
    std::string delivery;
    std::string event;
    std::string body;
  };

  explicit Receiver(std::vector<unsigned> statuses)
      : statuses_(std::move(statuses)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~Receiver() {
    stopping_ = true;
    // Wake the blocking accept with a connection of our own.
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket wake(io);
    boost::system::error_code ec;
    wake.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) +
           "/hooks/certus";
  }
  std::vector<Received> Requests() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void Serve() {
    namespace http = boost::beast::http;
    while (!stopping_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      unsigned status = 200;
      {
        std::lock_guard lock(mutex_);
        received_.push_back({std::string(request["X-Certus-Signature"]),
                             std::string(request["X-Certus-Delivery"]),
                             std::string(request["X-Certus-Event"]), request.body()});
        if (next_ < statuses_.size()) status = statuses_[next_++];
      }
      http::response<http::string_body> response{static_cast<http::status>(status), 11};
      response.body() = "ok";
      response.prepare_payload();
      http::write(socket, response, ec);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  std::vector<unsigned> statuses_;
  std::size_t next_ = 0;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<Received> received_;
  std::thread thread_;
};

class NotificationsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    const Actor reader{UserId(), "test", Role::kAdmin, false, {}};
    auto members = server_->app().identity().ListMembers(reader, OrgId(org_));
    ASSERT_TRUE(members);
    for (const auto& member : *members) ids_[member.email] = member.user_id;
  }

  std::unique_ptr<JobRunner> Runner(notifications::Mailer* mailer = nullptr,
                                    notifications::WebhookPoster* poster = nullptr,
                                    std::string instance = "a") {
    return std::make_unique<JobRunner>(
        server_->db(), server_->clock(), random_, server_->app().identity(), duties_, mailer,
        poster,
        notifications::RunnerSettings{.instance_id = std::move(instance),
                                      .base_url = "https://isms.example.com"});
  }

  tasks::Task Duty(const std::string& id, const std::string& title, const std::string& due,
                   const std::string& owner_email) {
    tasks::Task task;
    task.kind = "treatment_action";
    task.source_type = "risk";
    task.source_id = id;
    task.ref = "R-0001";
    task.title = title;
    if (!owner_email.empty()) task.owner = ids_.at(owner_email);
    task.due = *ParseDate(due);
    task.key = "treatment_action:" + id + ":" + due;
    return task;
  }

  Timestamp At(const std::string& text) { return *ParseTimestamp(text); }

  /// Moves the server's clock to `text` and returns it.
  Timestamp MoveTo(const std::string& text) {
    const auto target = At(text);
    server_->clock().Advance(target - server_->clock().Now());
    return target;
  }

  boost::json::array Notifications(const std::string& email, const std::string& query = "") {
    auto client = server_->SignedIn(email);
    auto reply = client.Get("/api/v1/me/notifications" + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json().at("items").as_array();
  }

  std::int64_t Count(const std::string& table) {
    auto tx = server_->db().Begin(storage::TxMode::kRead);
    EXPECT_TRUE(tx);
    auto result = (*tx)->Execute("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(result);
    return result->rows.at(0).Int(0);
  }

  FakeDuties duties_;
  SeededRandom random_{7};
  std::map<std::string, UserId> ids_;
};

TEST_P(NotificationsApi, RemindsBeforeOnAndAfterTheDueDateEachOnce) {
  duties_.Add(org_, Duty("r1", "Patch the VPN gateways", "2026-03-05", "carl@example.com"));
  auto runner = Runner();

  auto ran = runner->RunOnce(server_->clock().Now());  // 2026-03-02: due in 3 days
  ASSERT_TRUE(ran) << ran.error().message() << ran.error().log_detail();
  EXPECT_EQ(ran->reminders, 1);
  auto carl = Notifications("carl@example.com");
  ASSERT_EQ(carl.size(), 1u);
  EXPECT_EQ(carl[0].at("kind"), "reminder.before");
  EXPECT_EQ(carl[0].at("title"), "Due in 3 days: Patch the VPN gateways");
  EXPECT_EQ(carl[0].at("link").as_string(), "/orgs/" + org_ + "/risks?risk=r1");
  EXPECT_TRUE(carl[0].at("read_at").is_null());

  // The same hour again, and the next hour: the sweep finds the reminder recorded.
  EXPECT_EQ(runner->RunOnce(server_->clock().Now())->reminders, 0);
  server_->clock().Advance(hours(1));
  EXPECT_EQ(runner->RunOnce(server_->clock().Now())->reminders, 0);
  EXPECT_EQ(Notifications("carl@example.com").size(), 1u);

  EXPECT_EQ(runner->RunOnce(MoveTo("2026-03-05T08:00:00Z"))->reminders, 1);
  carl = Notifications("carl@example.com");
  ASSERT_EQ(carl.size(), 2u);
  EXPECT_EQ(carl[0].at("kind"), "reminder.due");  // newest first
  EXPECT_EQ(carl[0].at("title"), "Due today: Patch the VPN gateways");

  EXPECT_EQ(runner->RunOnce(MoveTo("2026-03-06T08:00:00Z"))->reminders, 1);
  EXPECT_EQ(runner->RunOnce(MoveTo("2026-03-09T08:00:00Z"))->reminders, 0);
  carl = Notifications("carl@example.com");
  ASSERT_EQ(carl.size(), 3u);
  EXPECT_EQ(carl[0].at("kind"), "reminder.overdue");
  // Overdue duties escalate to the organization's managers and admins, not to readers.
  for (const char* email : {"maria@example.com", "alice@example.com"}) {
    auto items = Notifications(email);
    ASSERT_EQ(items.size(), 1u) << email;
    EXPECT_EQ(items[0].at("kind"), "reminder.overdue");
    EXPECT_EQ(items[0].at("title"), "Overdue since 2026-03-05: Patch the VPN gateways");
  }
  EXPECT_TRUE(Notifications("victor@example.com").empty());
  EXPECT_TRUE(Notifications("mallory@example.com").empty());
  EXPECT_EQ(Count("reminders_sent"), 3);
}

TEST_P(NotificationsApi, ADutyFirstSeenOverdueGetsOnlyItsEscalation) {
  duties_.Add(org_, Duty("r2", "Review the access policy", "2026-02-20", "carl@example.com"));
  duties_.Add(org_, Duty("r3", "Nobody's duty", "2026-03-02", ""));
  auto runner = Runner();
  ASSERT_EQ(runner->RunOnce(server_->clock().Now())->reminders, 2);
  auto carl = Notifications("carl@example.com");
  ASSERT_EQ(carl.size(), 1u);
  EXPECT_EQ(carl[0].at("kind"), "reminder.overdue");
  // A duty that names nobody goes to managers and admins.
  EXPECT_EQ(Notifications("maria@example.com").size(), 2u);
}

TEST_P(NotificationsApi, TwoRunnersAtOnceSendEachReminderExactlyOnce) {
  // Several organizations, so that both runners find jobs to claim at the same moment.
  std::vector<std::string> orgs = {org_};
  for (int i = 0; i < 5; ++i) {
    orgs.push_back(server_->CreateOrg("Org " + std::to_string(i), alice_id_));
  }
  ids_["alice@example.com"] = UserId(alice_id_);
  int expected = 0;
  for (const auto& org : orgs) {
    for (int i = 0; i < 8; ++i) {
      const std::string due = i % 2 ? "2026-03-02" : "2026-03-04";
      duties_.Add(org, Duty(org + "-" + std::to_string(i), "Duty " + std::to_string(i), due,
                            "alice@example.com"));
      ++expected;
    }
  }
  auto first = Runner(nullptr, nullptr, "instance-1");
  auto second = Runner(nullptr, nullptr, "instance-2");
  const auto now = server_->clock().Now();
  std::atomic<int> sent{0};
  std::atomic<bool> go{false};
  auto run = [&](JobRunner& runner) {
    while (!go) std::this_thread::yield();
    for (int round = 0; round < 3; ++round) {
      auto ran = runner.RunOnce(now);
      EXPECT_TRUE(ran) << (ran ? "" : ran.error().message() + " " + ran.error().log_detail());
      if (ran) sent += ran->reminders;
    }
  };
  std::thread a([&] { run(*first); });
  std::thread b([&] { run(*second); });
  go = true;
  a.join();
  b.join();
  EXPECT_EQ(sent.load(), expected);
  EXPECT_EQ(Count("reminders_sent"), expected);
  EXPECT_EQ(static_cast<int>(Notifications("alice@example.com", "?limit=500").size()), expected);
}

TEST_P(NotificationsApi, EachUserReadsAndMarksOnlyTheirOwn) {
  duties_.Add(org_, Duty("r4", "Old duty", "2026-02-01", "carl@example.com"));
  ASSERT_TRUE(Runner()->RunOnce(server_->clock().Now()));
  auto carl = server_->SignedIn("carl@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto list = carl.Get("/api/v1/me/notifications");
  EXPECT_EQ(list.Json().at("unread_count"), 1);
  const std::string id(list.Json().at("items").at(0).at("id").as_string());
  const std::string alices(
      alice.Get("/api/v1/me/notifications").Json().at("items").at(0).at("id").as_string());

  EXPECT_EQ(carl.Post("/api/v1/me/notifications/" + alices + "/read", "").status, 404u);
  EXPECT_EQ(server_->Client().Get("/api/v1/me/notifications").status, 401u);
  auto read = carl.Post("/api/v1/me/notifications/" + id + "/read", "");
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_FALSE(read.Json().at("read_at").is_null());
  EXPECT_EQ(carl.Get("/api/v1/me/notifications/unread-count").Json().at("unread_count"), 0);
  EXPECT_EQ(carl.Get("/api/v1/me/notifications?unread=true").Json().at("items").as_array().size(),
            0u);
  EXPECT_EQ(carl.Get("/api/v1/me/notifications?unread=maybe").status, 422u);
  // Alice's stays unread until she reads all of hers.
  EXPECT_EQ(alice.Get("/api/v1/me/notifications/unread-count").Json().at("unread_count"), 1);
  auto all = alice.Post("/api/v1/me/notifications/read-all", "");
  ASSERT_EQ(all.status, 200u);
  EXPECT_EQ(all.Json().at("marked"), 1);
  EXPECT_EQ(alice.Get("/api/v1/me/notifications/unread-count").Json().at("unread_count"), 0);
}

TEST_P(NotificationsApi, AnApiTokenSeesOnlyItsOrganizationsNotifications) {
  const std::string second = server_->CreateOrg("Second Ltd", alice_id_);
  duties_.Add(org_, Duty("t1", "Acme duty", "2026-03-02", "alice@example.com"));
  duties_.Add(second, Duty("t2", "Second duty", "2026-03-02", "alice@example.com"));
  ASSERT_EQ(Runner()->RunOnce(server_->clock().Now())->reminders, 2);
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(alice.Get("/api/v1/me/notifications/unread-count").Json().at("unread_count"), 2);
  auto created = alice.Post("/api/v1/api-tokens",
                            Json({{"name", "chat"}, {"org_id", second}, {"role", "viewer"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto bot = server_->Client();
  bot.UseBearer(std::string(created.Json().at("token").as_string()));
  auto listed = bot.Get("/api/v1/me/notifications");
  ASSERT_EQ(listed.status, 200u);
  const auto items = listed.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("title"), "Due today: Second duty");
  EXPECT_EQ(listed.Json().at("unread_count"), 1);
  EXPECT_EQ(bot.Post("/api/v1/me/notifications/read-all", "").Json().at("marked"), 1);
  EXPECT_EQ(alice.Get("/api/v1/me/notifications/unread-count").Json().at("unread_count"), 1);
}

TEST_P(NotificationsApi, PreferencesSetTheLeadTimeAndTheChannels) {
  auto carl = server_->SignedIn("carl@example.com");
  const std::string prefs = "/api/v1/me/notification-preferences";
  auto defaults = carl.Get(prefs);
  ASSERT_EQ(defaults.status, 200u);
  EXPECT_EQ(defaults.Json().at("days_before_due"), 7);
  EXPECT_EQ(defaults.Json().at("digest"), "off");

  auto bad = carl.Send("PUT", prefs,
                       R"({"email":true,"in_app":true,"digest":"weekly","days_before_due":91})",
                       {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ::testing::UnorderedElementsAre("digest", "days_before_due"));
  auto saved =
      carl.Send("PUT", prefs, R"({"email":true,"in_app":true,"digest":"off","days_before_due":2})",
                {{"Content-Type", "application/json"}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(saved.Header("etag"), "\"1\"");
  auto stale =
      carl.Send("PUT", prefs, R"({"email":false,"in_app":true,"digest":"off","days_before_due":2})",
                {{"Content-Type", "application/json"}, {"If-Match", "\"5\""}});
  EXPECT_EQ(stale.status, 412u);
  // Alice's preferences are her own.
  EXPECT_EQ(server_->SignedIn("alice@example.com").Get(prefs).Json().at("days_before_due"), 7);

  duties_.Add(org_, Duty("r5", "Three days out", "2026-03-05", "carl@example.com"));
  auto runner = Runner();
  EXPECT_EQ(runner->RunOnce(server_->clock().Now())->reminders, 0);  // 3 > 2 days
  EXPECT_EQ(runner->RunOnce(MoveTo("2026-03-03T08:00:00Z"))->reminders, 1);
  EXPECT_EQ(Notifications("carl@example.com").at(0).at("title"), "Due in 2 days: Three days out");
}

TEST_P(NotificationsApi, TheDailyDigestSendsOneEmailInsteadOfOneEach) {
  auto carl = server_->SignedIn("carl@example.com");
  ASSERT_EQ(carl.Send("PUT", "/api/v1/me/notification-preferences",
                      R"({"email":true,"in_app":true,"digest":"daily","days_before_due":7})",
                      {{"Content-Type", "application/json"}})
                .status,
            200u);
  duties_.Add(org_, Duty("d1", "First duty", "2026-03-02", "carl@example.com"));
  duties_.Add(org_, Duty("d2", "Second duty", "2026-03-04", "carl@example.com"));
  duties_.Add(org_, Duty("d3", "Maria's duty", "2026-03-02", "maria@example.com"));
  FakeMailer mailer;
  auto runner = Runner(&mailer);
  ASSERT_TRUE(runner->RunOnce(server_->clock().Now()));
  // Maria (no digest) has her email at once; Carl's wait for tomorrow's digest.
  auto sent = mailer.Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "maria@example.com");
  EXPECT_EQ(Notifications("carl@example.com").size(), 2u);  // in-app at once all the same

  ASSERT_TRUE(runner->RunOnce(MoveTo("2026-03-03T07:30:00Z")));
  sent = mailer.Sent();
  std::vector<notifications::Email> to_carl;
  for (const auto& email : sent) {
    if (email.to == "carl@example.com") to_carl.push_back(email);
  }
  ASSERT_EQ(to_carl.size(), 1u);
  EXPECT_EQ(to_carl[0].subject, "[Certus] Your reminders of 2026-03-03: 2 duties");
  EXPECT_THAT(to_carl[0].body, ::testing::HasSubstr("Due today: First duty"));
  EXPECT_THAT(to_carl[0].body, ::testing::HasSubstr("Due in 2 days: Second duty"));
  EXPECT_THAT(to_carl[0].body, ::testing::HasSubstr("https://isms.example.com/orgs/" + org_));
  // The digest runs at 06:00, before the 07:00 sweep; nothing pending is sent twice.
  ASSERT_TRUE(runner->RunOnce(MoveTo("2026-03-03T07:45:00Z")));
  EXPECT_EQ(mailer.Sent().size(), sent.size());
}

TEST_P(NotificationsApi, AdminsManageWebhooksAndTheSecretIsShownOnce) {
  const std::string hooks = "/api/v1/orgs/" + org_ + "/webhooks";
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  const std::string body =
      R"({"url":"https://hooks.example.com/certus","events":["reminder.due"]})";
  EXPECT_EQ(maria.Post(hooks, body).status, 403u);
  auto bad = alice.Post(hooks, R"({"url":"ftp://x","events":["reminder.soon"],"extra":1})");
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ::testing::UnorderedElementsAre("url", "events", "extra"));

  auto created = alice.Post(hooks, body);
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string secret(created.Json().at("secret").as_string());
  EXPECT_TRUE(secret.starts_with("whsec_"));
  const std::string id(created.Json().at("id").as_string());
  auto read = maria.Get(hooks + "/" + id);
  ASSERT_EQ(read.status, 200u);
  EXPECT_FALSE(read.Json().as_object().contains("secret"));
  EXPECT_EQ(read.body.find(secret), std::string::npos);
  EXPECT_EQ(alice.Get(hooks).body.find(secret), std::string::npos);
  EXPECT_EQ(alice.Get(hooks + "/" + id + "/history").body.find(secret), std::string::npos);

  EXPECT_EQ(alice.Patch(hooks + "/" + id, R"({"active":false})").status, 428u);
  EXPECT_EQ(alice.Patch(hooks + "/" + id, R"({"active":false})", {{"If-Match", "\"7\""}}).status,
            412u);
  auto patched = alice.Patch(hooks + "/" + id, R"({"active":false})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.Json().at("active"), false);
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(hooks + "/" + id).status, 404u);
  EXPECT_EQ(alice.Delete(hooks + "/" + id, {{"If-Match", "\"1\""}}).status, 412u);
  EXPECT_EQ(alice.Delete(hooks + "/" + id, {{"If-Match", "\"2\""}}).status, 204u);
  EXPECT_EQ(alice.Get(hooks + "/" + id).status, 404u);
}

TEST_P(NotificationsApi, WebhooksAreSignedAndRetriedWithBackoff) {
  Receiver receiver({500});
  auto alice = server_->SignedIn("alice@example.com");
  auto created =
      alice.Post("/api/v1/orgs/" + org_ + "/webhooks",
                 Json(boost::json::object{
                     {"url", receiver.Url()},
                     {"events", boost::json::array{"reminder.due", "reminder.overdue"}}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string secret(created.Json().at("secret").as_string());
  const std::string hook(created.Json().at("id").as_string());
  duties_.Add(org_, Duty("w1", "Renew the TLS certificates", "2026-03-02", "carl@example.com"));
  duties_.Add(org_, Duty("w2", "Not subscribed: before", "2026-03-04", "carl@example.com"));
  notifications::BeastWebhookPoster poster;
  auto runner = Runner(nullptr, &poster);

  auto ran = runner->RunOnce(server_->clock().Now());
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->webhooks_failed, 1);
  ASSERT_EQ(receiver.Requests().size(), 1u);
  // Not yet due for a retry: nothing is sent.
  server_->clock().Advance(std::chrono::seconds(59));
  EXPECT_EQ(runner->RunOnce(server_->clock().Now())->webhooks_delivered, 0);
  EXPECT_EQ(receiver.Requests().size(), 1u);
  server_->clock().Advance(std::chrono::seconds(1));
  EXPECT_EQ(runner->RunOnce(server_->clock().Now())->webhooks_delivered, 1);

  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.signature, Hmac(secret, request.body));
    EXPECT_NE(request.signature, Hmac(secret + "x", request.body));
    EXPECT_EQ(request.event, "reminder.due");
    auto payload = boost::json::parse(request.body);
    EXPECT_EQ(payload.at("id").as_string(), request.delivery);
    EXPECT_EQ(payload.at("event"), "reminder.due");
    EXPECT_EQ(payload.at("task").at("title"), "Renew the TLS certificates");
    EXPECT_EQ(payload.at("task").at("key"), "treatment_action:w1:2026-03-02");
  }
  EXPECT_EQ(requests[0].body, requests[1].body);  // the same delivery, retried
  auto deliveries = alice.Get("/api/v1/orgs/" + org_ + "/webhooks/" + hook + "/deliveries");
  ASSERT_EQ(deliveries.status, 200u);
  const auto deliveries_json = deliveries.Json();
  const auto& items = deliveries_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("status"), "delivered");
  EXPECT_EQ(items[0].at("attempts"), 2);
  EXPECT_EQ(items[0].at("response_code"), 200);
  EXPECT_EQ(server_->SignedIn("maria@example.com")
                .Get("/api/v1/orgs/" + org_ + "/webhooks/" + hook + "/deliveries")
                .status,
            403u);
}

TEST(WebhookBackoff, GrowsThenGivesUp) {
  EXPECT_EQ(notifications::RetryDelay(1), minutes(1));
  EXPECT_EQ(notifications::RetryDelay(2), minutes(5));
  EXPECT_EQ(notifications::RetryDelay(3), minutes(30));
  EXPECT_EQ(notifications::RetryDelay(4), minutes(120));
  EXPECT_EQ(notifications::RetryDelay(5), std::nullopt);
}

TEST(EmailFormat, EncodesTheSubjectAndStuffsDots) {
  EXPECT_EQ(notifications::EncodeHeaderText("Plain subject"), "Plain subject");
  EXPECT_EQ(notifications::EncodeHeaderText("Überprüfung"), "=?UTF-8?B?w5xiZXJwcsO8ZnVuZw==?=");
  EXPECT_EQ(notifications::DotStuff("a\r\n.b\r\n..c\r\n"), "a\r\n..b\r\n...c\r\n.\r\n");
  auto message = notifications::FormatMessage({"bob@example.com", "Hi\r\nBcc: x@y", "one\ntwo"},
                                              "certus@example.com", "date", "id@certus");
  EXPECT_THAT(message, ::testing::HasSubstr("Subject: Hi  Bcc: x@y\r\n"));  // no injection
  EXPECT_THAT(message, ::testing::HasSubstr("\r\n\r\none\r\ntwo\r\n"));
}

/// A real SMTP server: Debian's python3-aiosmtpd, writing every message to a maildir.
class SmtpServer final {
 public:
  SmtpServer() {
    dir_ = std::filesystem::temp_directory_path() /
           ("certus-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    {
      boost::asio::io_context io;
      boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
      port_ = probe.local_endpoint().port();
    }
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    const std::string maildir = (dir_ / "mail").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
              "aiosmtpd.handlers.Mailbox", maildir.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait until it accepts connections (it starts in well under a second).
    for (int i = 0; i < 200 && !ready_; ++i) {
      boost::asio::io_context io;
      boost::asio::ip::tcp::socket socket(io);
      boost::system::error_code ec;
      socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
      if (!ec) {
        ready_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  bool ready() const { return ready_; }
  std::uint16_t port() const { return port_; }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "mail" / "new", ec)) {
      std::ifstream in(entry.path(), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
  }

 private:
  static inline std::atomic<int> counter_{0};
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool ready_ = false;
};

std::string Base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(std::max(n, 0)));
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

TEST_P(NotificationsApi, EmailsReachARealSmtpServer) {
  SmtpServer smtp;
  ASSERT_TRUE(smtp.ready()) << "aiosmtpd did not start: install python3-aiosmtpd (make deps)";
  notifications::SmtpMailer mailer({.host = "127.0.0.1",
                                    .port = smtp.port(),
                                    .from = "certus@isms.example.com",
                                    .timeout = std::chrono::seconds(10)});
  duties_.Add(org_, Duty("m1", "Überprüfung der Zugriffsrechte", "2026-03-02", "carl@example.com"));
  auto runner = Runner(&mailer);
  auto ran = runner->RunOnce(server_->clock().Now());
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->emails_sent, 1);
  EXPECT_EQ(ran->emails_failed, 0);
  auto messages = smtp.Messages();
  ASSERT_EQ(messages.size(), 1u);
  const std::string& message = messages[0];
  EXPECT_THAT(message, ::testing::HasSubstr("To: carl@example.com"));
  EXPECT_THAT(message, ::testing::HasSubstr("From: certus@isms.example.com"));
  EXPECT_THAT(message, ::testing::HasSubstr("Content-Type: text/plain; charset=UTF-8"));
  // The subject is RFC 2047 encoded; decoded, it names the duty.
  const auto start = message.find("Subject: =?UTF-8?B?");
  ASSERT_NE(start, std::string::npos) << message;
  std::string subject;
  for (auto at = start; (at = message.find("=?UTF-8?B?", at)) != std::string::npos;) {
    const auto end = message.find("?=", at + 10);
    subject += Base64Decode(message.substr(at + 10, end - at - 10));
    at = end + 2;
    if (message.compare(at, 3, "\r\n ") != 0 && message.compare(at, 2, "\n ") != 0) break;
  }
  EXPECT_EQ(subject, "[Certus] Due today: Überprüfung der Zugriffsrechte");
  EXPECT_THAT(message, ::testing::HasSubstr("Überprüfung der Zugriffsrechte"));
  EXPECT_THAT(message,
              ::testing::HasSubstr("https://isms.example.com/orgs/" + org_ + "/risks?risk=m1"));
  // Sent once: a second run sends nothing.
  EXPECT_EQ(runner->RunOnce(server_->clock().Now())->emails_sent, 0);
  EXPECT_EQ(smtp.Messages().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotificationsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
