#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace certus {

/// The one vocabulary of failures. Mapped to HTTP statuses in http/problem.cpp and to exit
/// codes in cli/exit_code.cpp; nowhere else.
enum class ErrorCode {
  kMalformed,             ///< request cannot be parsed (400)
  kUnauthenticated,       ///< not signed in (401)
  kPermissionDenied,      ///< signed in, role forbids (403)
  kNotFound,              ///< unknown, or another organization's (404)
  kConflict,              ///< a state rule refused the change (409)
  kPreconditionFailed,    ///< If-Match is stale (412)
  kPayloadTooLarge,       ///< body over the limit (413)
  kValidation,            ///< field validation failed (422)
  kPreconditionRequired,  ///< If-Match missing (428)
  kRateLimited,           ///< too many attempts (429)
  kUnavailable,           ///< a dependency is down (503)
  kInternal,              ///< a bug or an unexpected failure (500)
};

/// One field that failed validation; `field` is the JSON name as the client sent it.
struct FieldError {
  std::string field;
  std::string message;
};

/// A failure as a value. `message` is what a client may see; `log_detail` is for operators
/// only and never leaves the server.
class Error final {
 public:
  Error(ErrorCode code, std::string message, std::string log_detail = {})
      : code_(code), message_(std::move(message)), log_detail_(std::move(log_detail)) {}

  static Error Validation(std::vector<FieldError> fields) {
    Error error(ErrorCode::kValidation, "One or more fields are invalid.");
    error.fields_ = std::move(fields);
    return error;
  }
  static Error Field(std::string field, std::string message) {
    return Validation({{std::move(field), std::move(message)}});
  }
  static Error NotFound(std::string what) {
    return {ErrorCode::kNotFound, std::move(what) + " not found."};
  }
  static Error Internal(std::string log_detail) {
    return {ErrorCode::kInternal, "An internal error occurred.", std::move(log_detail)};
  }

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& log_detail() const { return log_detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }

 private:
  ErrorCode code_;
  std::string message_;
  std::string log_detail_;
  std::vector<FieldError> fields_;
};

template <typename T>
using Expected = tl::expected<T, Error>;

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}

}  // namespace certus

/// Evaluates an Expected expression; on failure returns its error from the enclosing
/// function, otherwise yields the value (GCC/Clang statement expression). Each use names its
/// temporary uniquely, so uses may nest (a CERTUS_TRY inside a lambda inside a CERTUS_TRY).
#define CERTUS_TRY(expr) CERTUS_TRY_NAMED(expr, CERTUS_CONCAT(certus_try_result_, __COUNTER__))
#define CERTUS_CONCAT(a, b) CERTUS_CONCAT_(a, b)
#define CERTUS_CONCAT_(a, b) a##b
// `name` is declared, so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CERTUS_TRY_NAMED(expr, name)                           \
  ({                                                           \
    auto&& name = (expr);                                      \
    if (!name) return ::certus::Fail(std::move(name).error()); \
    std::move(name).value();                                   \
  })
// NOLINTEND(bugprone-macro-parentheses)

/// For Expected<void>: returns the error on failure, nothing otherwise.
#define CERTUS_CHECK(expr)                                                                     \
  do {                                                                                         \
    auto&& certus_check_result_ = (expr);                                                      \
    if (!certus_check_result_) return ::certus::Fail(std::move(certus_check_result_).error()); \
  } while (false)
