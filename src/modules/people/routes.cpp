#include "modules/people/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/people/json.hpp"

namespace certus::people {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kEmailMax = 254;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxItems = 500;

enum class Purpose { kCreate, kPatch };

void Collect(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

Response Invalid(const Request& request, std::vector<FieldError> errors) {
  return http::ProblemFor(request, Error::Validation(std::move(errors)));
}

std::optional<std::string> TextQuery(const Request& request, std::vector<FieldError>& errors) {
  auto text = request.Query("q");
  if (!text || text->empty()) return std::nullopt;
  if (text->size() > 200) {
    errors.push_back({"q", "must be at most 200 characters"});
    return std::nullopt;
  }
  return text;
}

std::optional<bool> BoolQuery(const Request& request, const std::string& name,
                              std::vector<FieldError>& errors) {
  auto value = request.Query(name);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  errors.push_back({name, "must be true or false"});
  return std::nullopt;
}

/// Takes `name` out of `body` as an array of non-empty strings of at most `max_length`.
std::optional<std::vector<std::string>> ReadStrings(boost::json::object& body,
                                                    const std::string& name, std::size_t max_length,
                                                    std::vector<FieldError>& errors) {
  auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  std::vector<std::string> items;
  if (value.is_null()) return items;
  if (!value.is_array()) {
    errors.push_back({name, "must be an array of strings"});
    return std::nullopt;
  }
  const auto& array = value.as_array();
  if (array.size() > kMaxItems) {
    errors.push_back({name, "must have at most 500 entries"});
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto& item = array[i];
    if (!item.is_string() || item.as_string().empty() || item.as_string().size() > max_length) {
      errors.push_back(
          {name + "[" + std::to_string(i) + "]",
           "must be a non-empty string of at most " + std::to_string(max_length) + " characters"});
      ok = false;
      continue;
    }
    std::string text(item.as_string());
    if (std::find(items.begin(), items.end(), text) == items.end()) items.push_back(text);
  }
  if (!ok) return std::nullopt;
  return items;
}

/// A required date field: absent is nullopt (the caller requires it), null is an error.
std::optional<Date> ReadDate(http::FieldReader& fields, std::string_view name) {
  auto date = fields.NullableDate(name);
  if (!date) return std::nullopt;
  if (!*date) {
    fields.AddError(std::string(name), "must be a date (YYYY-MM-DD)");
    return std::nullopt;
  }
  return **date;
}

std::optional<PersonId> PersonQuery(const Request& request) {
  if (auto id = request.Query("person_id"); id && !id->empty()) return PersonId(*id);
  return std::nullopt;
}

// ------------------------------------------------------------------ people

PersonPatch ReadPerson(const boost::json::object& body, Purpose purpose,
                       std::vector<FieldError>& errors) {
  http::FieldReader fields(body);
  PersonPatch patch;
  patch.name = fields.Text("name", 1, kNameMax);
  if (auto email = fields.Text("email", 3, kEmailMax)) {
    const auto at = email->find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email->size() ||
        email->find_first_of(" \t\r\n") != std::string::npos) {
      fields.AddError("email", "must be an email address");
    } else {
      patch.email = *email;
    }
  }
  patch.job_role = fields.Text("job_role", 0, kNameMax);
  patch.department = fields.Text("department", 0, kNameMax);
  patch.in_scope = fields.Boolean("in_scope");
  if (auto user = fields.NullableText("user_id", kIdMax)) {
    patch.user_id = (*user && !(*user)->empty()) ? std::optional<UserId>(UserId(**user))
                                                 : std::optional<UserId>();
  }
  if (auto status = fields.OneOf("status", PersonStatusNames())) {
    patch.status = ParsePersonStatus(*status);
  }
  if (auto date = fields.NullableDate("start_date")) patch.start_date = *date;
  if (auto date = fields.NullableDate("left_on")) patch.left_on = *date;
  if (purpose == Purpose::kCreate) {
    fields.Require("name");
    fields.Require("email");
  }
  Collect(fields, errors);
  return patch;
}

Response ListPeople(PeopleService& service, Request& request) {
  static const http::PagingRules kRules{PeopleStore::PersonSortFields(), "name"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  PersonFilter filter;
  if (auto department = request.Query("department")) filter.department = *department;
  if (auto role = request.Query("job_role")) filter.job_role = *role;
  filter.in_scope = BoolQuery(request, "in_scope", errors);
  if (auto status = request.Query("status")) {
    filter.status = ParsePersonStatus(*status);
    if (!filter.status) errors.push_back({"status", "must be one of: active, left"});
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.ListPeople(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Person>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& p) { return ToJson(p); }));
      });
}

Response CreatePerson(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadPerson(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.CreatePerson(http::ActorOf(request), request.org->org_id, input),
                       [&](const Person& person) {
                         Response response = http::WithEtag(201, person);
                         response.SetHeader("Location", "/api/v1/orgs/" + person.org_id.str() +
                                                            "/people/" + person.id.str());
                         return response;
                       });
}

Response GetPerson(PeopleService& service, Request& request) {
  return http::Respond(
      request,
      service.GetPerson(http::ActorOf(request), request.org->org_id, PersonId(request.Param("id"))),
      [](const PersonDetail& detail) {
        Response response = Response::Json(200, ToJson(detail));
        response.SetHeader("ETag", http::Etag(detail.person.version));
        return response;
      });
}

Response PatchPerson(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  // What a GET answers besides the person (the gap analysis) may be sent back; it is ignored.
  for (auto name : {"isms_role_ids", "competences", "competences_met", "competences_required"}) {
    body->erase(name);
  }
  auto patch = ReadPerson(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.UpdatePerson(http::ActorOf(request), request.org->org_id,
                                            PersonId(request.Param("id")), patch, *version),
                       [](const Person& person) { return http::WithEtag(200, person); });
}

Response DeletePerson(PeopleService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeletePerson(http::ActorOf(request), request.org->org_id,
                                            PersonId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ competence evidence

Response ListEvidence(PeopleService& service, Request& request) {
  return http::Respond(request,
                       service.ListEvidence(http::ActorOf(request), request.org->org_id,
                                            PersonId(request.Param("id"))),
                       [](const std::vector<CompetenceEvidence>& items) {
                         boost::json::array array;
                         for (const auto& e : items) array.push_back(ToJson(e));
                         return Response::Json(200, boost::json::object{{"items", std::move(array)},
                                                                        {"next_cursor", nullptr}});
                       });
}

Response AddEvidence(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  NewCompetenceEvidence input;
  for (auto name : {"competence_id", "kind", "title", "obtained_on"}) fields.Require(name);
  if (auto id = fields.Text("competence_id", 1, kIdMax)) input.competence_id = CompetenceId(*id);
  if (auto kind = fields.OneOf("kind", EvidenceKindNames())) {
    input.kind = *ParseEvidenceKind(*kind);
  }
  if (auto title = fields.Text("title", 1, kNameMax)) input.title = *title;
  if (auto date = ReadDate(fields, "obtained_on")) input.obtained_on = *date;
  if (auto date = fields.NullableDate("expires_on")) input.expires_on = *date;
  if (auto id = fields.NullableText("evidence_id", kIdMax); id && *id && !(*id)->empty()) {
    input.evidence_id = **id;
  }
  std::vector<FieldError> errors;
  Collect(fields, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  const PersonId person(request.Param("id"));
  return http::Respond(
      request, service.AddEvidence(http::ActorOf(request), request.org->org_id, person, input),
      [&](const CompetenceEvidence& e) {
        Response response = http::WithEtag(201, e);
        response.SetHeader("Location", "/api/v1/orgs/" + e.org_id.str() + "/people/" +
                                           person.str() + "/competence-evidence/" + e.id.str());
        return response;
      });
}

Response DeleteEvidence(PeopleService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(
      request,
      service.DeleteEvidence(http::ActorOf(request), request.org->org_id,
                             PersonId(request.Param("id")),
                             CompetenceEvidenceId(request.Param("evidence_id")), *version),
      [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ competences

CompetencePatch ReadCompetence(const boost::json::object& json, Purpose purpose,
                               std::vector<FieldError>& errors) {
  boost::json::object body = json;
  CompetencePatch patch;
  patch.job_roles = ReadStrings(body, "job_roles", kNameMax, errors);
  patch.isms_role_ids = ReadStrings(body, "isms_role_ids", kIdMax, errors);
  if (auto kinds = ReadStrings(body, "evidence_kinds", kIdMax, errors)) {
    std::vector<EvidenceKind> parsed;
    for (std::size_t i = 0; i < kinds->size(); ++i) {
      if (auto kind = ParseEvidenceKind((*kinds)[i])) {
        parsed.push_back(*kind);
      } else {
        errors.push_back({"evidence_kinds[" + std::to_string(i) + "]",
                          "must be one of: training, certification, experience, education"});
      }
    }
    patch.evidence_kinds = std::move(parsed);
  }
  http::FieldReader fields(body);
  patch.name = fields.Text("name", 1, kNameMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (purpose == Purpose::kCreate) fields.Require("name");
  Collect(fields, errors);
  return patch;
}

Response ListCompetences(PeopleService& service, Request& request) {
  static const http::PagingRules kRules{PeopleStore::CompetenceSortFields(), "name"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  auto text = TextQuery(request, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.ListCompetences(http::ActorOf(request), request.org->org_id, text, *page),
      [&](const Page<Competence>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& c) { return ToJson(c); }));
      });
}

Response CreateCompetence(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadCompetence(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.CreateCompetence(http::ActorOf(request), request.org->org_id, input),
                       [&](const Competence& c) {
                         Response response = http::WithEtag(201, c);
                         response.SetHeader("Location", "/api/v1/orgs/" + c.org_id.str() +
                                                            "/competences/" + c.id.str());
                         return response;
                       });
}

Response GetCompetence(PeopleService& service, Request& request) {
  return http::Respond(request,
                       service.GetCompetence(http::ActorOf(request), request.org->org_id,
                                             CompetenceId(request.Param("id"))),
                       [](const Competence& c) { return http::WithEtag(200, c); });
}

Response PatchCompetence(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadCompetence(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.UpdateCompetence(http::ActorOf(request), request.org->org_id,
                                                CompetenceId(request.Param("id")), patch, *version),
                       [](const Competence& c) { return http::WithEtag(200, c); });
}

Response DeleteCompetence(PeopleService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteCompetence(http::ActorOf(request), request.org->org_id,
                                                CompetenceId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

Response CompetenceGaps(PeopleService& service, Request& request) {
  std::optional<std::string> department;
  if (auto d = request.Query("department")) department = *d;
  return http::Respond(
      request, service.CompetenceGaps(http::ActorOf(request), request.org->org_id, department),
      [](const std::vector<PersonGaps>& rows) {
        boost::json::array items;
        for (const auto& row : rows) items.push_back(ToJson(row));
        return Response::Json(
            200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
      });
}

// ------------------------------------------------------------------ trainings

TrainingPatch ReadTraining(const boost::json::object& json, Purpose purpose,
                           std::vector<FieldError>& errors) {
  boost::json::object body = json;
  TrainingPatch patch;
  patch.departments = ReadStrings(body, "departments", kNameMax, errors);
  if (auto ids = ReadStrings(body, "person_ids", kIdMax, errors)) {
    patch.person_ids.emplace();
    for (auto& id : *ids) patch.person_ids->emplace_back(std::move(id));
  }
  // What a GET answers besides the training (progress and audience) may be sent back.
  for (auto name : {"audience_size", "completed", "overdue", "completion_rate", "members",
                    "other_completions"}) {
    body.erase(name);
  }
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kNameMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (auto audience = fields.OneOf("audience", AudienceKindNames())) {
    patch.audience = ParseAudienceKind(*audience);
  }
  patch.due_on = ReadDate(fields, "due_on");
  if (auto status = fields.OneOf("status", TrainingStatusNames())) {
    patch.status = ParseTrainingStatus(*status);
  }
  if (auto id = fields.NullableText("competence_id", kIdMax)) {
    patch.competence_id = (*id && !(*id)->empty()) ? std::optional(CompetenceId(**id))
                                                   : std::optional<CompetenceId>();
  }
  if (fields.Has("validity_months") && body.at("validity_months").is_null()) {
    patch.validity_months = std::optional<std::int64_t>();
    fields.NullableText("validity_months", 1);  // marks it read
  } else if (auto months = fields.Integer("validity_months", 1, 600)) {
    patch.validity_months = std::optional(*months);
  }
  if (purpose == Purpose::kCreate) {
    fields.Require("title");
    fields.Require("due_on");
  }
  Collect(fields, errors);
  return patch;
}

Response ListTrainings(PeopleService& service, Request& request) {
  static const http::PagingRules kRules{PeopleStore::TrainingSortFields(), "-due_on"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  TrainingFilter filter;
  if (auto status = request.Query("status")) {
    filter.status = ParseTrainingStatus(*status);
    if (!filter.status) errors.push_back({"status", "must be one of: draft, open, closed"});
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.ListTrainings(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<TrainingWithProgress>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& t) { return ToJson(t); }));
      });
}

Response CreateTraining(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadTraining(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.CreateTraining(http::ActorOf(request), request.org->org_id, input),
                       [&](const Training& t) {
                         Response response = http::WithEtag(201, t);
                         response.SetHeader("Location", "/api/v1/orgs/" + t.org_id.str() +
                                                            "/trainings/" + t.id.str());
                         return response;
                       });
}

Response GetTraining(PeopleService& service, Request& request) {
  return http::Respond(request,
                       service.GetTraining(http::ActorOf(request), request.org->org_id,
                                           TrainingId(request.Param("id"))),
                       [](const TrainingDetail& detail) {
                         Response response = Response::Json(200, ToJson(detail));
                         response.SetHeader("ETag", http::Etag(detail.training.version));
                         return response;
                       });
}

Response PatchTraining(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadTraining(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.UpdateTraining(http::ActorOf(request), request.org->org_id,
                                              TrainingId(request.Param("id")), patch, *version),
                       [](const Training& t) { return http::WithEtag(200, t); });
}

Response DeleteTraining(PeopleService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteTraining(http::ActorOf(request), request.org->org_id,
                                              TrainingId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

Response ListCompletions(PeopleService& service, Request& request) {
  auto person = PersonQuery(request);
  return http::Respond(request,
                       service.GetTraining(http::ActorOf(request), request.org->org_id,
                                           TrainingId(request.Param("id"))),
                       [&](const TrainingDetail& detail) {
                         boost::json::array items;
                         auto add = [&](const Completion& c) {
                           if (!person || c.person_id == *person) items.push_back(ToJson(c));
                         };
                         for (const auto& m : detail.audience) {
                           if (m.completion) add(*m.completion);
                         }
                         for (const auto& c : detail.other_completions) add(c);
                         return Response::Json(200, boost::json::object{{"items", std::move(items)},
                                                                        {"next_cursor", nullptr}});
                       });
}

Response Complete(PeopleService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  NewCompletion input;
  fields.Require("person_id");
  fields.Require("completed_on");
  if (auto id = fields.Text("person_id", 1, kIdMax)) input.person_id = PersonId(*id);
  if (auto date = ReadDate(fields, "completed_on")) input.completed_on = *date;
  if (auto note = fields.Text("note", 0, kTextMax)) input.note = *note;
  std::vector<FieldError> errors;
  Collect(fields, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  const TrainingId training(request.Param("id"));
  return http::Respond(
      request, service.Complete(http::ActorOf(request), request.org->org_id, training, input),
      [&](const Completion& c) {
        Response response = Response::Json(201, ToJson(c));
        response.SetHeader("Location", "/api/v1/orgs/" + request.org->org_id.str() + "/trainings/" +
                                           training.str() + "/completions");
        return response;
      });
}

Response GetAwareness(PeopleService& service, Request& request) {
  return http::Respond(request, service.GetAwareness(http::ActorOf(request), request.org->org_id),
                       [](const Awareness& a) { return Response::Json(200, ToJson(a)); });
}

}  // namespace

void AddRoutes(http::Router& router, PeopleService& service) {
  auto& s = service;
  const std::string people = "/api/v1/orgs/{org}/people";
  router.Add(Method::kGet, people, Access::kUser, [&s](Request& r) { return ListPeople(s, r); });
  router.Add(Method::kPost, people, Access::kUser, [&s](Request& r) { return CreatePerson(s, r); });
  router.Add(Method::kGet, people + "/{id}", Access::kUser,
             [&s](Request& r) { return GetPerson(s, r); });
  router.Add(Method::kPatch, people + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchPerson(s, r); });
  router.Add(Method::kDelete, people + "/{id}", Access::kUser,
             [&s](Request& r) { return DeletePerson(s, r); });
  router.Add(Method::kGet, people + "/{id}/competence-evidence", Access::kUser,
             [&s](Request& r) { return ListEvidence(s, r); });
  router.Add(Method::kPost, people + "/{id}/competence-evidence", Access::kUser,
             [&s](Request& r) { return AddEvidence(s, r); });
  router.Add(Method::kDelete, people + "/{id}/competence-evidence/{evidence_id}", Access::kUser,
             [&s](Request& r) { return DeleteEvidence(s, r); });

  const std::string competences = "/api/v1/orgs/{org}/competences";
  router.Add(Method::kGet, competences, Access::kUser,
             [&s](Request& r) { return ListCompetences(s, r); });
  router.Add(Method::kPost, competences, Access::kUser,
             [&s](Request& r) { return CreateCompetence(s, r); });
  router.Add(Method::kGet, competences + "/{id}", Access::kUser,
             [&s](Request& r) { return GetCompetence(s, r); });
  router.Add(Method::kPatch, competences + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchCompetence(s, r); });
  router.Add(Method::kDelete, competences + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteCompetence(s, r); });
  router.Add(Method::kGet, "/api/v1/orgs/{org}/competence-gaps", Access::kUser,
             [&s](Request& r) { return CompetenceGaps(s, r); });

  const std::string trainings = "/api/v1/orgs/{org}/trainings";
  router.Add(Method::kGet, trainings, Access::kUser,
             [&s](Request& r) { return ListTrainings(s, r); });
  router.Add(Method::kPost, trainings, Access::kUser,
             [&s](Request& r) { return CreateTraining(s, r); });
  router.Add(Method::kGet, trainings + "/{id}", Access::kUser,
             [&s](Request& r) { return GetTraining(s, r); });
  router.Add(Method::kPatch, trainings + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchTraining(s, r); });
  router.Add(Method::kDelete, trainings + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteTraining(s, r); });
  router.Add(Method::kGet, trainings + "/{id}/completions", Access::kUser,
             [&s](Request& r) { return ListCompletions(s, r); });
  router.Add(Method::kPost, trainings + "/{id}/completions", Access::kUser,
             [&s](Request& r) { return Complete(s, r); });

  router.Add(Method::kGet, "/api/v1/orgs/{org}/awareness", Access::kUser,
             [&s](Request& r) { return GetAwareness(s, r); });
}

}  // namespace certus::people
