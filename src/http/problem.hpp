#pragma once

#include <type_traits>

#include "core/error.hpp"
#include "http/request.hpp"

namespace certus::http {

/// The one mapping from ErrorCode to an HTTP status.
unsigned HttpStatus(ErrorCode code);

/// An RFC 9457 problem+json response for `error`: type, title, status, detail and, for
/// validation errors, `errors: [{field, message}]`. `log_detail` never appears in it.
Response ProblemResponse(const Error& error);

/// ProblemResponse for an error met while handling `request`; server-side failures are
/// logged with the request id and their log detail first.
Response ProblemFor(const Request& request, const Error& error);

/// The response for an Expected result: the problem on failure, `make(value)` otherwise.
template <typename T, typename Make>
Response Respond(const Request& request, Expected<T>&& result, Make&& make) {
  if (!result) return ProblemFor(request, result.error());
  if constexpr (std::is_void_v<T>) {
    return make();
  } else {
    return make(*result);
  }
}

}  // namespace certus::http
