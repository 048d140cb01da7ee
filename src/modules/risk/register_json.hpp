#pragma once

#include <boost/json/value.hpp>

#include "http/json_writer.hpp"
#include "modules/risk/register_model.hpp"

namespace certus::risk {

/// The API's and the audit log's JSON for a risk, with its computed fields.
boost::json::value ToJson(const Risk& risk);
/// The same JSON as text, written straight out: for the register's pages (ADR 0023).
void WriteJson(http::JsonWriter& json, const Risk& risk);
/// The API's and the audit log's JSON for a treatment action.
boost::json::value ToJson(const Treatment& treatment);

}  // namespace certus::risk
