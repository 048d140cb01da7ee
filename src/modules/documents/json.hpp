#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "core/text_diff.hpp"
#include "modules/documents/model.hpp"

namespace certus::documents {

boost::json::value ToJson(const Document& document);
boost::json::value ToJson(const Attachment& attachment);
boost::json::value ToJson(const DocumentVersion& version);
boost::json::value ToJson(const AcknowledgmentRound& round);
boost::json::value ToJson(const ScopeFields& scope);
boost::json::value DiffJson(std::int64_t from, std::int64_t to, const std::vector<DiffHunk>& hunks,
                            const std::string& unified);

/// The scope fields from their JSON (as stored or as sent), every problem as a field error
/// named `scope.<field>`.
Expected<ScopeFields> ScopeFromJson(const boost::json::value& value);

}  // namespace certus::documents
