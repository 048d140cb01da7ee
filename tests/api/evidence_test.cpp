// HTTP scenarios for evidence (ISO 27001 7.5, 8.1): files, links and notes linked to the
// controls of the SoA, the content-addressed blob store behind files, and what a browser
// is allowed to do with an uploaded file.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>

#include "core/encoding.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using namespace std::string_literals;

const std::string kPdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n\x00\xff binary"s;

class EvidenceApi : public ApiTest {
 protected:
  std::string Evidence() const { return "/api/v1/orgs/" + org_ + "/evidence"; }
  std::string Controls() const { return "/api/v1/orgs/" + org_ + "/controls"; }
  std::string Url(const boost::json::value& evidence) const {
    return Evidence() + "/" + std::string(evidence.at("id").as_string());
  }
  static std::string Etag(const boost::json::value& object) {
    return "\"" + std::to_string(object.at("version").as_int64()) + "\"";
  }
  static std::string Str(const boost::json::value& value) { return std::string(value.as_string()); }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return Str(client.Get("/api/v1/auth/me").Json().at("user").at("id"));
  }

  /// A bearer token of `email` in the organization with `role`: uploads need a client that
  /// sends its own Content-Type, which the session client does not.
  std::string Token(const std::string& email, const std::string& role) {
    auto client = server_->SignedIn(email);
    auto reply = client.Post("/api/v1/api-tokens",
                             Json({{"name", "uploads"}, {"org_id", org_}, {"role", role}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return Str(reply.Json().at("token"));
  }

  /// Sends `bytes` as the raw body of `method target`, as a browser uploads a file.
  Reply Upload(const std::string& token, const std::string& method, const std::string& target,
               const std::string& bytes, const std::string& content_type,
               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                      "Connection: close\r\nContent-Type: " + content_type +
                      "\r\nContent-Length: " + std::to_string(bytes.size()) + "\r\n";
    if (!token.empty()) raw += "Authorization: Bearer " + token + "\r\n";
    for (const auto& [name, value] : headers)
      raw.append(name).append(": ").append(value).append("\r\n");
    raw += "\r\n" + bytes;
    return ParseReply(server_->Client().SendRaw(raw, 20000));
  }

  Reply UploadFile(const std::string& token, const std::string& query, const std::string& bytes,
                   const std::string& content_type, const std::string& filename) {
    return Upload(token, "POST", Evidence() + "/files?" + query, bytes, content_type,
                  {{"X-Filename", filename}});
  }

  boost::json::value Create(HttpClient& client, const boost::json::object& body) {
    auto reply = client.Post(Evidence(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  /// The control with `ref`.
  boost::json::value Control(HttpClient& client, const std::string& ref) {
    auto page = client.Get(Controls() + "?limit=500").Json();
    for (const auto& item : page.at("items").as_array()) {
      if (item.at("ref_id") == ref.c_str()) return item;
    }
    ADD_FAILURE() << "no control " << ref;
    return nullptr;
  }

  static std::vector<std::string> Refs(const boost::json::value& page) {
    std::vector<std::string> refs;
    for (const auto& item : page.at("items").as_array())
      refs.emplace_back(item.at("ref").as_string());
    return refs;
  }

  int BlobFiles() const {
    int files = 0;
    if (!std::filesystem::exists(server_->blob_dir())) return 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(server_->blob_dir())) {
      if (entry.is_regular_file()) ++files;
    }
    return files;
  }

  std::filesystem::path BlobPath(const std::string& sha256) const {
    return server_->blob_dir() / sha256.substr(0, 2) / sha256.substr(2);
  }
};

TEST_P(EvidenceApi, LinksAndNotesAreCreatedWithReferences) {
  auto alice = server_->SignedIn("alice@example.com");
  auto a51 = Control(alice, "A.5.1");
  auto created = alice.Post(Evidence(), Json({{"kind", "link"},
                                              {"title", "Backup restore test, Q1"},
                                              {"url", "https://wiki.example.com/backup-q1"},
                                              {"control_ids", boost::json::array{a51.at("id")}},
                                              {"collected_on", "2026-02-27"},
                                              {"valid_until", "2027-02-27"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto link = created.Json();
  EXPECT_EQ(created.Header("location"), Url(link));
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_EQ(link.at("ref"), "EV-0001");
  EXPECT_EQ(link.at("kind"), "link");
  EXPECT_EQ(link.at("url"), "https://wiki.example.com/backup-q1");
  EXPECT_EQ(link.at("note"), nullptr);
  EXPECT_EQ(link.at("file"), nullptr);
  EXPECT_EQ(link.at("expired"), false);
  EXPECT_EQ(link.at("archived"), false);
  EXPECT_EQ(link.at("control_ids"), boost::json::array{a51.at("id")});
  EXPECT_EQ(link.at("controls").at(0).at("ref_id"), "A.5.1");

  server_->clock().Advance(std::chrono::seconds(1));  // so that "newest first" is defined
  auto note = Create(alice, {{"kind", "note"},
                             {"title", "Walkthrough of the clean desk rule"},
                             {"note", "Observed on 2026-03-01: every desk on floor 2 was clear."}});
  EXPECT_EQ(note.at("ref"), "EV-0002");
  EXPECT_EQ(note.at("url"), nullptr);

  auto got = alice.Get(Url(link));
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.Header("etag"), "\"1\"");
  EXPECT_EQ(got.Json(), link);
  EXPECT_THAT(Refs(alice.Get(Evidence()).Json()), ElementsAre("EV-0002", "EV-0001"));
  EXPECT_THAT(Refs(alice.Get(Evidence() + "?sort=ref").Json()), ElementsAre("EV-0001", "EV-0002"));

  // A client may send back what it read.
  auto echoed = link.as_object();
  echoed["title"] = "Backup restore test, Q1 2026";
  auto patched = alice.Patch(Url(link), Json(echoed), {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.Json().at("title"), "Backup restore test, Q1 2026");
  EXPECT_EQ(patched.Json().at("version"), 2);
  auto history = alice.Get(Url(link) + "/history").Json().at("items").as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].at("action"), "create");
  EXPECT_EQ(history[1].at("action"), "update");
}

TEST_P(EvidenceApi, InvalidFieldsAre422AndNameTheProblem) {
  auto alice = server_->SignedIn("alice@example.com");
  auto bad_url = alice.Post(
      Evidence(), Json({{"kind", "link"}, {"title", "X"}, {"url", "javascript:alert(1)"}}));
  EXPECT_EQ(bad_url.status, 422u);
  EXPECT_THAT(ErrorFields(bad_url), ElementsAre("url"));
  for (const char* url : {"ftp://example.com/a", "/relative", "file:///etc/passwd"}) {
    auto reply = alice.Post(Evidence(), Json({{"kind", "link"}, {"title", "X"}, {"url", url}}));
    EXPECT_EQ(reply.status, 422u) << url;
  }
  auto no_url = alice.Post(Evidence(), Json({{"kind", "link"}, {"title", "X"}}));
  EXPECT_THAT(ErrorFields(no_url), ElementsAre("url"));
  auto no_note = alice.Post(Evidence(), Json({{"kind", "note"}, {"title", "X"}, {"note", "  "}}));
  EXPECT_THAT(ErrorFields(no_note), ElementsAre("note"));

  auto missing = alice.Post(Evidence(), Json({{"note", "text"}}));
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("kind", "title"));

  auto unknown = alice.Post(Evidence(), Json({{"kind", "note"},
                                              {"title", "X"},
                                              {"note", "text"},
                                              {"control_ids", boost::json::array{"no-such-id"}}}));
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_THAT(ErrorFields(unknown), ElementsAre("control_ids"));
  EXPECT_THAT(unknown.body, HasSubstr("no-such-id"));
  // Another organization's control is unknown here too.
  auto mallory = server_->SignedIn("mallory@example.com");
  auto theirs = mallory.Get("/api/v1/orgs/" + other_org_ + "/controls?limit=1").Json();
  auto foreign = alice.Post(
      Evidence(), Json({{"kind", "note"},
                        {"title", "X"},
                        {"note", "text"},
                        {"control_ids", boost::json::array{theirs.at("items").at(0).at("id")}}}));
  EXPECT_EQ(foreign.status, 422u);

  auto dates = alice.Post(Evidence(), Json({{"kind", "note"},
                                            {"title", "X"},
                                            {"note", "text"},
                                            {"collected_on", "2026-02-01"},
                                            {"valid_until", "2026-01-31"}}));
  EXPECT_EQ(dates.status, 422u);
  EXPECT_THAT(ErrorFields(dates), ElementsAre("valid_until"));
  auto future = alice.Post(
      Evidence(),
      Json({{"kind", "note"}, {"title", "X"}, {"note", "text"}, {"collected_on", "2026-03-03"}}));
  EXPECT_THAT(ErrorFields(future), ElementsAre("collected_on"));

  auto file_by_json = alice.Post(Evidence(), Json({{"kind", "file"}, {"title", "X"}}));
  EXPECT_EQ(file_by_json.status, 422u);
  auto extra = alice.Post(
      Evidence(), Json({{"kind", "note"}, {"title", "X"}, {"note", "t"}, {"colour", "red"}}));
  EXPECT_THAT(ErrorFields(extra), ElementsAre("colour"));
  auto owner = alice.Post(
      Evidence(),
      Json({{"kind", "note"}, {"title", "X"}, {"note", "t"}, {"owner_id", mallory_id_}}));
  EXPECT_THAT(ErrorFields(owner), ElementsAre("owner_id"));

  EXPECT_EQ(alice.Get(Evidence()).Json().at("items").as_array().size(), 0u);
}

TEST_P(EvidenceApi, FilesAreStoredByHashAndServedOnlyAsAttachments) {
  auto token = Token("alice@example.com", "admin");
  auto alice = server_->SignedIn("alice@example.com");
  auto a812 = Control(alice, "A.8.13");
  auto reply = UploadFile(token,
                          "title=Backup%20log&control_id=" + Str(a812.at("id")) +
                              "&collected_on=2026-03-01&valid_until=2026-06-01",
                          kPdf, "application/pdf", "Pr%C3%BCfbericht%202026.pdf");
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto file = reply.Json();
  EXPECT_EQ(file.at("kind"), "file");
  EXPECT_EQ(file.at("ref"), "EV-0001");
  EXPECT_EQ(file.at("title"), "Backup log");
  EXPECT_EQ(file.at("valid_until"), "2026-06-01");
  EXPECT_EQ(file.at("controls").at(0).at("ref_id"), "A.8.13");
  EXPECT_EQ(reply.Header("location"), Url(file));
  const auto& stored = file.at("file");
  EXPECT_EQ(stored.at("sha256"), Sha256Hex(kPdf).c_str());
  EXPECT_EQ(stored.at("size"), static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(stored.at("filename"), "Prüfbericht 2026.pdf");
  EXPECT_EQ(stored.at("content_type"), "application/pdf");
  EXPECT_TRUE(std::filesystem::is_regular_file(BlobPath(Sha256Hex(kPdf))));

  auto download = alice.Get(Url(file) + "/file");
  ASSERT_EQ(download.status, 200u) << download.body;
  EXPECT_EQ(download.body, kPdf);
  EXPECT_EQ(download.Header("content-type"), "application/pdf");
  EXPECT_EQ(download.Header("content-disposition"),
            "attachment; filename=\"Pr_fbericht 2026.pdf\"; "
            "filename*=UTF-8''Pr%C3%BCfbericht%202026.pdf");
  EXPECT_EQ(download.Header("x-content-type-options"), "nosniff");
  EXPECT_THAT(download.Header("content-security-policy"), HasSubstr("sandbox"));
  EXPECT_THAT(download.Header("content-security-policy"), HasSubstr("default-src 'none'"));

  // The filename may come in the query string too; an upload without one is refused.
  auto by_query =
      UploadFile(token, "title=Second&filename=log.txt", "line one\n", "text/plain", "");
  EXPECT_EQ(by_query.status, 201u) << by_query.body;
  EXPECT_EQ(by_query.Json().at("file").at("filename"), "log.txt");
  auto nameless = Upload(token, "POST", Evidence() + "/files?title=X", "bytes", "text/plain");
  EXPECT_EQ(nameless.status, 422u);
  EXPECT_THAT(ErrorFields(nameless), ElementsAre("filename"));
  auto empty = UploadFile(token, "title=X", "", "text/plain", "empty.txt");
  EXPECT_THAT(ErrorFields(empty), ElementsAre("file"));
  auto untitled = UploadFile(token, "", "bytes", "text/plain", "a.txt");
  EXPECT_THAT(ErrorFields(untitled), ElementsAre("title"));
  auto unknown_control =
      UploadFile(token, "title=X&control_id=nope", "bytes", "text/plain", "b.txt");
  EXPECT_THAT(ErrorFields(unknown_control), ElementsAre("control_ids"));
  EXPECT_EQ(BlobFiles(), 2);  // refused uploads store nothing
  // Notes have no file.
  auto note = Create(alice, {{"kind", "note"}, {"title", "N"}, {"note", "t"}});
  EXPECT_EQ(alice.Get(Url(note) + "/file").status, 404u);
}

TEST_P(EvidenceApi, MarkupIsNeverServedAsSomethingABrowserRenders) {
  auto token = Token("alice@example.com", "admin");
  auto alice = server_->SignedIn("alice@example.com");
  const std::string html = "<html><body><script>fetch('/api/v1/orgs')</script></body></html>";
  const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
  for (auto [bytes, type, name] :
       {std::tuple{html, "text/html", "page.html"}, std::tuple{svg, "image/svg+xml", "logo.svg"}}) {
    auto reply = UploadFile(token, "title=Markup", bytes, type, name);
    ASSERT_EQ(reply.status, 201u) << reply.body;
    EXPECT_EQ(reply.Json().at("file").at("content_type"), "text/plain; charset=utf-8");
    auto download = alice.Get(Url(reply.Json()) + "/file");
    ASSERT_EQ(download.status, 200u);
    EXPECT_EQ(download.body, bytes);
    EXPECT_EQ(download.Header("content-type"), "text/plain; charset=utf-8");
    EXPECT_THAT(download.Header("content-disposition"), HasSubstr("attachment;"));
    EXPECT_EQ(download.Header("x-content-type-options"), "nosniff");
  }
  auto binary =
      UploadFile(token, "title=Blob", std::string("\x01\x02\x03\x00", 4), "text/html", "x.html");
  EXPECT_EQ(binary.Json().at("file").at("content_type"), "application/octet-stream");
}

TEST_P(EvidenceApi, FilesOverTheLimitAre413AndNothingIsStored) {
  auto token = Token("alice@example.com", "admin");
  auto alice = server_->SignedIn("alice@example.com");
  const std::size_t limit = std::size_t{25} * 1024 * 1024;
  auto too_large =
      UploadFile(token, "title=Huge", std::string(limit + 1, 'x'), "text/plain", "huge.txt");
  EXPECT_EQ(too_large.status, 413u);
  EXPECT_EQ(too_large.Header("content-type"), "application/problem+json");
  EXPECT_EQ(BlobFiles(), 0);
  EXPECT_EQ(alice.Get(Evidence()).Json().at("items").as_array().size(), 0u);

  // Above the server's default body limit (10 MiB), within the evidence limit: accepted here,
  // and only here.
  const std::string eleven(std::size_t{11} * 1024 * 1024, 'y');
  auto large = UploadFile(token, "title=Large", eleven, "text/plain", "large.txt");
  EXPECT_EQ(large.status, 201u) << large.body.substr(0, 200);
  auto json_body =
      alice.Post(Evidence(), Json({{"kind", "note"}, {"title", "X"}, {"note", eleven}}));
  EXPECT_EQ(json_body.status, 413u);
  // Nobody gets the larger limit without credentials.
  auto anonymous = UploadFile("", "title=Anon", eleven, "text/plain", "anon.txt");
  EXPECT_EQ(anonymous.status, 413u);
  EXPECT_EQ(BlobFiles(), 1);
}

TEST_P(EvidenceApi, RolesDecideWhoAddsAndChangesEvidence) {
  auto alice = server_->SignedIn("alice@example.com");
  auto mine = Create(alice, {{"kind", "note"}, {"title", "Alice's"}, {"note", "t"}});
  for (const char* email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(Evidence()).status, 200u) << email;
    EXPECT_EQ(reader.Get(Url(mine)).status, 200u) << email;
    EXPECT_EQ(
        reader.Post(Evidence(), Json({{"kind", "note"}, {"title", "X"}, {"note", "t"}})).status,
        403u)
        << email;
    EXPECT_EQ(reader.Patch(Url(mine), Json({{"title", "Mine"}}), {{"If-Match", "\"1\""}}).status,
              403u)
        << email;
  }
  auto auditor_token = Token("audrey@example.com", "auditor");
  EXPECT_EQ(UploadFile(auditor_token, "title=X", "bytes", "text/plain", "a.txt").status, 403u);
  EXPECT_EQ(BlobFiles(), 0);

  // A contributor (a control owner) adds evidence, which is theirs, and changes only their own.
  auto carl = server_->SignedIn("carl@example.com");
  const auto carl_id = IdOf("carl@example.com");
  auto carls = Create(carl, {{"kind", "note"}, {"title", "Carl's"}, {"note", "t"}});
  EXPECT_EQ(carls.at("owner_id"), carl_id.c_str());
  EXPECT_EQ(carls.at("owner_email"), "carl@example.com");
  EXPECT_EQ(
      carl.Patch(Url(carls), Json({{"title", "Carl's, reviewed"}}), {{"If-Match", "\"1\""}}).status,
      200u);
  EXPECT_EQ(carl.Patch(Url(mine), Json({{"title", "Mine"}}), {{"If-Match", "\"1\""}}).status, 403u);
  EXPECT_EQ(carl.Patch(Url(carls), Json({{"owner_id", alice_id_}}), {{"If-Match", "\"2\""}}).status,
            403u);
  EXPECT_EQ(
      carl.Post(Evidence(),
                Json({{"kind", "note"}, {"title", "X"}, {"note", "t"}, {"owner_id", alice_id_}}))
          .status,
      403u);
  auto carl_token = Token("carl@example.com", "contributor");
  auto upload = UploadFile(carl_token, "title=Carl%27s%20file", "bytes", "text/plain", "c.txt");
  EXPECT_EQ(upload.status, 201u) << upload.body;
  EXPECT_EQ(upload.Json().at("owner_id"), carl_id.c_str());
  // Managers change everything.
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(Url(carls), Json({{"archived", true}}), {{"If-Match", "\"2\""}}).status,
            200u);

  // Outsiders see nothing, not even that the organization exists.
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Evidence()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(mine)).status, 404u);
  EXPECT_EQ(mallory.Get(Url(upload.Json()) + "/file").status, 404u);
  EXPECT_EQ(
      mallory.Post(Evidence(), Json({{"kind", "note"}, {"title", "X"}, {"note", "t"}})).status,
      404u);
  EXPECT_EQ(mallory.Get("/api/v1/orgs/" + other_org_ + "/evidence/" + Str(mine.at("id"))).status,
            404u);
  EXPECT_EQ(server_->Client().Get(Evidence()).status, 401u);
}

TEST_P(EvidenceApi, ChangesNeedTheCurrentVersion) {
  auto token = Token("alice@example.com", "admin");
  auto alice = server_->SignedIn("alice@example.com");
  auto note = Create(alice, {{"kind", "note"}, {"title", "N"}, {"note", "t"}});
  EXPECT_EQ(alice.Patch(Url(note), Json({{"title", "M"}})).status, 428u);
  EXPECT_EQ(alice.Patch(Url(note), Json({{"title", "M"}}), {{"If-Match", "\"1\""}}).status, 200u);
  EXPECT_EQ(alice.Patch(Url(note), Json({{"title", "O"}}), {{"If-Match", "\"1\""}}).status, 412u);
  EXPECT_EQ(alice.Get(Url(note)).Json().at("title"), "M");

  auto file = UploadFile(token, "title=F", "version one\n", "text/plain", "f.txt").Json();
  auto no_match = Upload(token, "PUT", Url(file) + "/file", "version two\n", "text/plain",
                         {{"X-Filename", "f.txt"}});
  EXPECT_EQ(no_match.status, 428u);
  auto stale = Upload(token, "PUT", Url(file) + "/file", "version two\n", "text/plain",
                      {{"X-Filename", "f.txt"}, {"If-Match", "\"7\""}});
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(BlobFiles(), 1);
  auto of_note = Upload(token, "PUT", Url(note) + "/file", "x", "text/plain",
                        {{"X-Filename", "f.txt"}, {"If-Match", "\"2\""}});
  EXPECT_EQ(of_note.status, 409u);
}

TEST_P(EvidenceApi, ReplacingAFileKeepsEveryVersionRetrievable) {
  auto token = Token("alice@example.com", "admin");
  auto alice = server_->SignedIn("alice@example.com");
  const std::string first = "access review 2025: 14 accounts removed\n";
  const std::string second = "access review 2026: 9 accounts removed\n";
  auto created =
      UploadFile(token, "title=Access%20review", first, "text/plain", "review.txt").Json();
  auto replaced = Upload(token, "PUT", Url(created) + "/file", second, "text/plain",
                         {{"X-Filename", "review-2026.txt"}, {"If-Match", "\"1\""}});
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  EXPECT_EQ(replaced.Header("etag"), "\"2\"");
  auto now = replaced.Json();
  EXPECT_EQ(now.at("file").at("sha256"), Sha256Hex(second).c_str());
  EXPECT_EQ(now.at("file").at("filename"), "review-2026.txt");
  EXPECT_EQ(alice.Get(Url(now) + "/file").body, second);

  // The old blob stays, and the history names both hashes.
  EXPECT_TRUE(std::filesystem::is_regular_file(BlobPath(Sha256Hex(first))));
  auto history = alice.Get(Url(now) + "/history").Json().at("items").as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].at("action"), "replace_file");
  EXPECT_EQ(history[1].at("before").at("file").at("sha256"), Sha256Hex(first).c_str());
  EXPECT_EQ(history[1].at("after").at("file").at("sha256"), Sha256Hex(second).c_str());
  auto old = alice.Get(Url(now) + "/file?sha256=" + Sha256Hex(first));
  ASSERT_EQ(old.status, 200u);
  EXPECT_EQ(old.body, first);
  EXPECT_THAT(old.Header("content-disposition"), HasSubstr("review.txt"));
  // Only versions of this evidence: not any blob of the store.
  auto other = UploadFile(token, "title=Other", "someone else's file", "text/plain", "o.txt");
  ASSERT_EQ(other.status, 201u);
  EXPECT_EQ(alice.Get(Url(now) + "/file?sha256=" + Sha256Hex("someone else's file")).status, 404u);
  EXPECT_EQ(alice.Get(Url(now) + "/file?sha256=../../etc/passwd").status, 404u);
}

TEST_P(EvidenceApi, ATamperedFileIsAnIntegrityFailureNotADownload) {
  auto token = Token("alice@example.com", "admin");
  auto alice = server_->SignedIn("alice@example.com");
  const std::string bytes = "firewall rule review, signed by the CISO\n";
  auto created = UploadFile(token, "title=Firewall%20review", bytes, "text/plain", "fw.txt").Json();
  {
    std::ofstream out(BlobPath(Sha256Hex(bytes)), std::ios::binary | std::ios::trunc);
    out << "firewall rule review, signed by nobody\n";
  }
  auto tampered = alice.Get(Url(created) + "/file");
  EXPECT_EQ(tampered.status, 500u);
  EXPECT_EQ(tampered.Header("content-type"), "application/problem+json");
  EXPECT_EQ(tampered.Json().at("title"), "Integrity failure");
  EXPECT_THAT(tampered.body, Not(HasSubstr("nobody")));

  std::filesystem::remove(BlobPath(Sha256Hex(bytes)));
  auto missing = alice.Get(Url(created) + "/file");
  EXPECT_EQ(missing.status, 500u);
  EXPECT_EQ(missing.Json().at("title"), "Integrity failure");
  // Uploading the same bytes again restores the file.
  ASSERT_EQ(UploadFile(token, "title=Again", bytes, "text/plain", "fw.txt").status, 201u);
  EXPECT_EQ(alice.Get(Url(created) + "/file").body, bytes);
}

TEST_P(EvidenceApi, ControlsReportTheirEvidence) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto a51 = Control(alice, "A.5.1");
  auto a515 = Control(alice, "A.5.15");
  EXPECT_EQ(a51.at("evidence_ids"), boost::json::array());
  EXPECT_EQ(a51.at("evidence_expired"), 0);
  // An approved SoA does not become "changed" because evidence is attached.
  ASSERT_EQ(maria.Post("/api/v1/orgs/" + org_ + "/soa/versions", Json({{"notes", "v1"}})).status,
            201u);

  auto current = Create(alice, {{"kind", "note"},
                                {"title", "Policy approved by the board"},
                                {"note", "Minutes of 2026-02-10."},
                                {"control_ids", boost::json::array{a51.at("id"), a515.at("id")}}});
  auto expired = Create(alice, {{"kind", "link"},
                                {"title", "Last year's approval"},
                                {"url", "https://intranet.example.com/minutes-2025"},
                                {"collected_on", "2025-02-10"},
                                {"valid_until", "2026-02-10"},
                                {"control_ids", boost::json::array{a51.at("id")}}});
  EXPECT_EQ(expired.at("expired"), true);

  auto got = alice.Get(Controls() + "/" + Str(a51.at("id"))).Json();
  EXPECT_THAT(got.at("evidence_ids").as_array(),
              UnorderedElementsAre(current.at("id"), expired.at("id")));
  EXPECT_EQ(got.at("evidence_expired"), 1);
  auto listed = Control(alice, "A.5.15");
  EXPECT_EQ(listed.at("evidence_ids"), boost::json::array{current.at("id")});
  auto soa = alice.Get("/api/v1/orgs/" + org_ + "/soa").Json();
  for (const auto& row : soa.at("rows").as_array()) {
    if (row.at("ref_id") == "A.5.1") {
      EXPECT_EQ(row.at("evidence_ids").as_array().size(), 2u);
    }
    if (row.at("ref_id") == "A.5.2") {
      EXPECT_EQ(row.at("evidence_ids"), boost::json::array());
    }
  }
  EXPECT_EQ(soa.at("changed_since_latest_version"), false);

  // Evidence of one control, from the control's side.
  auto page = alice.Get(Evidence() + "?control_id=" + Str(a515.at("id"))).Json();
  EXPECT_THAT(Refs(page), ElementsAre("EV-0001"));

  // Archived evidence no longer counts; unlinking removes it from the control.
  ASSERT_EQ(alice.Patch(Url(expired), Json({{"archived", true}}), {{"If-Match", "\"1\""}}).status,
            200u);
  ASSERT_EQ(alice
                .Patch(Url(current), Json({{"control_ids", boost::json::array{a51.at("id")}}}),
                       {{"If-Match", "\"1\""}})
                .status,
            200u);
  got = alice.Get(Controls() + "/" + Str(a51.at("id"))).Json();
  EXPECT_EQ(got.at("evidence_ids"), boost::json::array{current.at("id")});
  EXPECT_EQ(got.at("evidence_expired"), 0);
  EXPECT_EQ(Control(alice, "A.5.15").at("evidence_ids"), boost::json::array());

  // A custom control that evidence names cannot be deleted.
  auto custom =
      alice.Post(Controls(), Json({{"ref_id", "C-1"}, {"title", "Board briefing"}})).Json();
  auto linked = Create(alice, {{"kind", "note"},
                               {"title", "Briefing held"},
                               {"note", "t"},
                               {"control_ids", boost::json::array{custom.at("id")}}});
  auto refused = alice.Delete(Controls() + "/" + Str(custom.at("id")), {{"If-Match", "\"1\""}});
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr(Str(linked.at("ref"))));
}

TEST_P(EvidenceApi, FiltersFindExpiredAndExpiringEvidence) {
  auto alice = server_->SignedIn("alice@example.com");
  auto a51 = Control(alice, "A.5.1");
  // Today is 2026-03-02 (the fake clock).
  Create(alice, {{"kind", "note"},
                 {"title", "Expired yesterday"},
                 {"note", "t"},
                 {"valid_until", "2026-03-01"}});
  Create(alice, {{"kind", "link"},
                 {"title", "Valid through today"},
                 {"url", "https://example.com/a"},
                 {"valid_until", "2026-03-02"},
                 {"control_ids", boost::json::array{a51.at("id")}}});
  auto open_ended =
      Create(alice, {{"kind", "note"}, {"title", "Open-ended policy note"}, {"note", "t"}});
  auto carl_id = IdOf("carl@example.com");
  Create(alice, {{"kind", "note"},
                 {"title", "Valid till summer"},
                 {"note", "t"},
                 {"valid_until", "2026-07-01"},
                 {"owner_id", carl_id}});

  auto refs = [&](const std::string& query) {
    return Refs(alice.Get(Evidence() + "?sort=ref&" + query).Json());
  };
  EXPECT_THAT(refs("expired=true"), ElementsAre("EV-0001"));
  EXPECT_THAT(refs("expired=false"), ElementsAre("EV-0002", "EV-0003", "EV-0004"));
  EXPECT_THAT(refs("expiring_before=2026-04-01"), ElementsAre("EV-0001", "EV-0002"));
  EXPECT_THAT(refs("kind=link"), ElementsAre("EV-0002"));
  EXPECT_THAT(refs("control_id=" + Str(a51.at("id"))), ElementsAre("EV-0002"));
  EXPECT_THAT(refs("owner_id=" + carl_id), ElementsAre("EV-0004"));
  EXPECT_THAT(refs("q=policy"), ElementsAre("EV-0003"));
  EXPECT_THAT(refs("q=ev-0004"), ElementsAre("EV-0004"));
  // No end date sorts first.
  EXPECT_THAT(Refs(alice.Get(Evidence() + "?sort=valid_until&limit=1").Json()),
              ElementsAre("EV-0003"));

  server_->clock().Advance(std::chrono::hours(24));
  alice = server_->SignedIn("alice@example.com");  // a day later the session has expired
  EXPECT_THAT(refs("expired=true"), ElementsAre("EV-0001", "EV-0002"));
  EXPECT_EQ(Control(alice, "A.5.1").at("evidence_expired"), 1);

  ASSERT_EQ(
      alice.Patch(Url(open_ended), Json({{"archived", true}}), {{"If-Match", "\"1\""}}).status,
      200u);
  EXPECT_THAT(refs(""), ElementsAre("EV-0001", "EV-0002", "EV-0004"));
  EXPECT_THAT(refs("archived=true"), ElementsAre("EV-0003"));

  // Pages continue without gaps.
  auto first = alice.Get(Evidence() + "?sort=ref&limit=2").Json();
  EXPECT_THAT(Refs(first), ElementsAre("EV-0001", "EV-0002"));
  auto second =
      alice.Get(Evidence() + "?sort=ref&limit=2&cursor=" + Str(first.at("next_cursor"))).Json();
  EXPECT_THAT(Refs(second), ElementsAre("EV-0004"));
  EXPECT_EQ(second.at("next_cursor"), nullptr);

  for (const char* bad :
       {"expired=maybe", "kind=video", "expiring_before=2026-13-01", "archived=1", "sort=colour"}) {
    EXPECT_EQ(alice.Get(Evidence() + "?" + bad).status, 422u) << bad;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, EvidenceApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
