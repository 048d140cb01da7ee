#include "modules/certification/routes.hpp"

#include "http/application.hpp"
#include "http/problem.hpp"

namespace certus::certification {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

Response Download(PackService& service, Request& request) {
  std::optional<Date> as_of;
  if (auto text = request.Query("as_of")) {
    as_of = ParseDate(*text);
    if (!as_of) {
      return http::ProblemFor(request, Error::Field("as_of", "must be a date YYYY-MM-DD"));
    }
  }
  return http::Respond(request, service.Export(http::ActorOf(request), request.org->org_id, as_of),
                       [](const Pack& pack) {
                         Response response;
                         response.status = 200;
                         response.SetHeader("Content-Type", "application/zip");
                         response.SetHeader("Content-Disposition",
                                            "attachment; filename=\"" + pack.filename + "\"");
                         response.SetHeader("Cache-Control", "no-store");
                         response.SetHeader("X-Certus-Manifest-Sha256", pack.manifest_sha256);
                         response.body = pack.body;
                         return response;
                       });
}

}  // namespace

void AddRoutes(http::Router& router, PackService& service) {
  auto& s = service;
  router.Add(Method::kGet, "/api/v1/orgs/{org}/certification-pack", Access::kUser,
             [&s](Request& r) { return Download(s, r); });
}

}  // namespace certus::certification
