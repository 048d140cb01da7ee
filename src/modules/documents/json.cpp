#include "modules/documents/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::documents {

namespace {

using http::Nullable;

boost::json::value SignatureJson(const std::optional<Signature>& s, bool comment) {
  if (!s) return nullptr;
  boost::json::object out{{"by_id", s->by_id}, {"by_email", s->by_email}, {"at", s->at}};
  if (comment) out["comment"] = s->comment;
  return out;
}

boost::json::value AckJson(const Acknowledgment& a) {
  boost::json::object out{{"user_id", a.user_id}, {"email", a.email}};
  if (!a.at.empty()) {
    out["at"] = a.at;
    out["version_number"] = a.version_number;
  }
  return out;
}

constexpr std::size_t kItemMax = 500;
constexpr std::size_t kItemsMax = 200;
constexpr std::size_t kTextMax = 5000;

/// Reads `name` (absent: empty) as an array of short strings.
std::vector<std::string> StringList(const boost::json::object& object, const char* name,
                                    std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  auto it = object.find(name);
  if (it == object.end() || it->value().is_null()) return out;
  const auto* array = it->value().if_array();
  bool ok = array != nullptr && array->size() <= kItemsMax;
  if (ok) {
    for (const auto& item : *array) {
      if (!item.is_string() || item.as_string().empty() || item.as_string().size() > kItemMax) {
        ok = false;
        break;
      }
      out.emplace_back(item.as_string());
    }
  }
  if (!ok) {
    errors.push_back({std::string("scope.") + name,
                      "must be an array of at most 200 non-empty texts of at most 500 characters"});
  }
  return out;
}

}  // namespace

boost::json::value ToJson(const ScopeFields& scope) {
  boost::json::array exclusions;
  for (const auto& e : scope.exclusions) {
    exclusions.push_back(boost::json::object{{"text", e.text}, {"justification", e.justification}});
  }
  return boost::json::object{{"scope_units", http::StringArray(scope.units)},
                             {"scope_locations", http::StringArray(scope.locations)},
                             {"scope_processes", http::StringArray(scope.processes)},
                             {"scope_asset_ids", http::StringArray(scope.asset_ids)},
                             {"exclusions", std::move(exclusions)},
                             {"interfaces", http::StringArray(scope.interfaces)}};
}

Expected<ScopeFields> ScopeFromJson(const boost::json::value& value) {
  const auto* object = value.if_object();
  if (object == nullptr) return Fail(Error::Field("scope", "must be an object"));
  std::vector<FieldError> errors;
  static const char* const kKnown[] = {"scope_units",     "scope_locations", "scope_processes",
                                       "scope_asset_ids", "exclusions",      "interfaces"};
  for (const auto& entry : *object) {
    bool known = false;
    for (auto name : kKnown) known = known || entry.key() == name;
    if (!known) errors.push_back({"scope." + std::string(entry.key()), "is not a scope field"});
  }
  ScopeFields scope;
  scope.units = StringList(*object, "scope_units", errors);
  scope.locations = StringList(*object, "scope_locations", errors);
  scope.processes = StringList(*object, "scope_processes", errors);
  scope.asset_ids = StringList(*object, "scope_asset_ids", errors);
  scope.interfaces = StringList(*object, "interfaces", errors);
  if (auto it = object->find("exclusions"); it != object->end() && !it->value().is_null()) {
    const auto* array = it->value().if_array();
    if (array == nullptr || array->size() > kItemsMax) {
      errors.push_back({"scope.exclusions", "must be an array of at most 200 exclusions"});
    } else {
      for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string field = "scope.exclusions[" + std::to_string(i) + "]";
        const auto* item = (*array)[i].if_object();
        auto text_of = [&](const char* name) -> std::string {
          if (item == nullptr) return {};
          auto found = item->find(name);
          if (found == item->end() || !found->value().is_string()) return {};
          return std::string(found->value().as_string());
        };
        Exclusion exclusion{text_of("text"), text_of("justification")};
        auto blank = [](const std::string& s) {
          return s.find_first_not_of(" \t\r\n") == std::string::npos;
        };
        if (item == nullptr || blank(exclusion.text) || exclusion.text.size() > kTextMax) {
          errors.push_back({field + ".text", "is required (at most 5000 characters)"});
        }
        // ISO 27001 4.3: what is excluded from the scope must be justified.
        if (blank(exclusion.justification) || exclusion.justification.size() > kTextMax) {
          errors.push_back(
              {field + ".justification", "is required: ISO 27001 4.3 asks why it is excluded"});
        }
        scope.exclusions.push_back(std::move(exclusion));
      }
    }
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return scope;
}

boost::json::value ToJson(const Document& d) {
  boost::json::array users;
  for (const auto& user : d.distribution.user_ids) users.emplace_back(user.str());
  boost::json::object out{
      {"id", d.id.str()},
      {"ref", d.ref},
      {"type", DocumentTypeName(d.type)},
      {"title", d.title},
      {"owner_id", d.owner_id.str()},
      {"classification", d.classification},
      {"review_interval_months", d.review_interval_months},
      {"next_review_on", Nullable(d.next_review_on)},
      {"overdue_review", d.overdue_review},
      {"retention_months", Nullable(d.retention_months)},
      {"distribution",
       boost::json::object{{"all_members", d.distribution.all_members},
                           {"user_ids", std::move(users)},
                           {"role_ids", http::StringArray(d.distribution.role_ids)}}},
      {"is_security_policy", d.is_security_policy},
      {"scope", d.scope ? ToJson(*d.scope) : boost::json::value(nullptr)},
      {"status", VersionStatusName(d.status)},
      {"latest_version", d.latest_version},
      {"published_version", Nullable(d.published_version)},
      {"published_at", Nullable(d.published_at)},
      {"version", d.version},
      {"created_at", d.created_at},
      {"updated_at", d.updated_at}};
  return out;
}

boost::json::value ToJson(const Attachment& a) {
  return boost::json::object{{"id", a.id},
                             {"file_name", a.file_name},
                             {"content_type", a.content_type},
                             {"size", a.size},
                             {"sha256", a.sha256},
                             {"added_by_id", a.added_by_id},
                             {"added_by_email", a.added_by_email},
                             {"added_at", a.added_at}};
}

boost::json::value ToJson(const DocumentVersion& v) {
  boost::json::array attachments;
  for (const auto& a : v.attachments) attachments.push_back(ToJson(a));
  return boost::json::object{{"id", v.id},
                             {"document_id", v.document_id.str()},
                             {"number", v.number},
                             {"content", v.content},
                             {"change_summary", v.change_summary},
                             {"status", VersionStatusName(v.status)},
                             {"author_id", v.author_id},
                             {"author_email", v.author_email},
                             {"submitted_at", Nullable(v.submitted_at)},
                             {"approval", SignatureJson(v.approval, true)},
                             {"rejection", SignatureJson(v.rejection, true)},
                             {"publication", SignatureJson(v.publication, false)},
                             {"superseded_at", Nullable(v.superseded_at)},
                             {"sha256", Nullable(v.sha256)},
                             {"attachments", std::move(attachments)},
                             {"version", v.version},
                             {"created_at", v.created_at},
                             {"updated_at", v.updated_at}};
}

boost::json::value ToJson(const AcknowledgmentRound& round) {
  boost::json::array acknowledged;
  for (const auto& a : round.acknowledged) acknowledged.push_back(AckJson(a));
  boost::json::array pending;
  for (const auto& a : round.pending) pending.push_back(AckJson(a));
  boost::json::array earlier;
  for (const auto& a : round.earlier) earlier.push_back(AckJson(a));
  return boost::json::object{{"version_number", Nullable(round.version_number)},
                             {"acknowledged", std::move(acknowledged)},
                             {"pending", std::move(pending)},
                             {"earlier", std::move(earlier)}};
}

boost::json::value DiffJson(std::int64_t from, std::int64_t to, const std::vector<DiffHunk>& hunks,
                            const std::string& unified) {
  boost::json::array out;
  for (const auto& hunk : hunks) {
    boost::json::array lines;
    for (const auto& line : hunk.lines) {
      const char* kind = line.kind == DiffLine::Kind::kAdded     ? "added"
                         : line.kind == DiffLine::Kind::kRemoved ? "removed"
                                                                 : "context";
      lines.push_back(boost::json::object{
          {"kind", kind},
          {"text", line.text},
          {"old_line", line.old_line == 0 ? boost::json::value(nullptr) : line.old_line},
          {"new_line", line.new_line == 0 ? boost::json::value(nullptr) : line.new_line}});
    }
    out.push_back(boost::json::object{{"old_start", hunk.old_start},
                                      {"old_count", hunk.old_count},
                                      {"new_start", hunk.new_start},
                                      {"new_count", hunk.new_count},
                                      {"lines", std::move(lines)}});
  }
  return boost::json::object{
      {"from", from}, {"to", to}, {"hunks", std::move(out)}, {"unified", unified}};
}

}  // namespace certus::documents
