// OSCAL catalog reader: flattens groups, controls and enhancements into CatalogEntry rows.
//
// Parameter insertions in prose (`{{ insert: param, ac-02_odp.01 }}`) are rendered as
// `{{ ac-02_odp.01 }}`: short enough to read in a statement, still unambiguous, and the
// parameter itself stays available in the entry's `params`. Other insertion kinds and any
// other `{{ ... }}` text are kept verbatim.

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "interchange/oscal.hpp"

namespace certus::interchange {

namespace json = boost::json;

namespace {

// A document with thousands of broken controls would otherwise produce a response of
// thousands of field errors; the first ones are enough to fix the file.
constexpr std::size_t kMaxFieldErrors = 50;
constexpr std::size_t kMaxDepth = 128;

// The root keys of the other OSCAL 1.x models, to tell the user what they uploaded.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kOtherModels{{
    {"profile", "profile"},
    {"component-definition", "component-definition"},
    {"system-security-plan", "system security plan"},
    {"assessment-plan", "assessment plan"},
    {"assessment-results", "assessment results"},
    {"plan-of-action-and-milestones", "plan of action and milestones"},
    {"mapping-collection", "mapping collection"},
}};

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

/// Rewrites `{{ insert: param, id }}` as `{{ id }}`; leaves everything else as written.
std::string RenderProse(std::string_view prose) {
  std::string out;
  out.reserve(prose.size());
  std::size_t pos = 0;
  while (pos < prose.size()) {
    auto open = prose.find("{{", pos);
    if (open == std::string_view::npos) break;
    auto close = prose.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(prose.substr(pos, open - pos));
    std::string_view inner = Trim(prose.substr(open + 2, close - open - 2));
    constexpr std::string_view kInsert = "insert:";
    bool rendered = false;
    if (inner.substr(0, kInsert.size()) == kInsert) {
      std::string_view args = inner.substr(kInsert.size());
      auto comma = args.find(',');
      if (comma != std::string_view::npos && Trim(args.substr(0, comma)) == "param") {
        std::string_view id = Trim(args.substr(comma + 1));
        if (!id.empty()) {
          out.append("{{ ").append(id).append(" }}");
          rendered = true;
        }
      }
    }
    if (!rendered) out.append(prose.substr(open, close + 2 - open));
    pos = close + 2;
  }
  out.append(prose.substr(pos));
  return out;
}

const json::string* StringAt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

/// The `label` prop, preferring the one without a class: NIST gives "AC-2" unclassed next to
/// "AC-02" with class "zero-padded" and "sp800-53a".
std::string LabelOf(const json::object& object) {
  const json::value* props = object.if_contains("props");
  if (props == nullptr || !props->is_array()) return {};
  std::string first;
  for (const json::value& prop : props->get_array()) {
    const json::object* p = prop.if_object();
    if (p == nullptr) continue;
    const json::string* name = StringAt(*p, "name");
    const json::string* value = StringAt(*p, "value");
    if (name == nullptr || value == nullptr || *name != "label") continue;
    if (!p->contains("class")) return std::string(*value);
    if (first.empty()) first = std::string(*value);
  }
  return first;
}

bool IsWithdrawn(const json::object& object) {
  const json::value* props = object.if_contains("props");
  if (props == nullptr || !props->is_array()) return false;
  for (const json::value& prop : props->get_array()) {
    const json::object* p = prop.if_object();
    if (p == nullptr) continue;
    const json::string* name = StringAt(*p, "name");
    const json::string* value = StringAt(*p, "value");
    if (name != nullptr && value != nullptr && *name == "status" && *value == "withdrawn")
      return true;
  }
  return false;
}

/// One line per part that has prose, "label prose", sub-parts indented by two spaces.
void AppendPartText(const json::object& part, int depth, std::string& out) {
  std::string label = LabelOf(part);
  const json::string* prose = StringAt(part, "prose");
  std::string_view text = prose != nullptr ? Trim(*prose) : std::string_view{};
  if (!label.empty() || !text.empty()) {
    if (!out.empty()) out.push_back('\n');
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    out.append(label);
    if (!label.empty() && !text.empty()) out.push_back(' ');
    out.append(RenderProse(text));
  }
  const json::value* parts = part.if_contains("parts");
  if (parts == nullptr || !parts->is_array()) return;
  int child_depth = (!label.empty() || !text.empty()) ? depth + 1 : depth;
  for (const json::value& child : parts->get_array())
    if (const json::object* child_object = child.if_object())
      AppendPartText(*child_object, child_depth, out);
}

/// The text of the top-level parts named `name` (normally one).
std::string PartText(const json::object& control, std::string_view name) {
  std::string out;
  const json::value* parts = control.if_contains("parts");
  if (parts == nullptr || !parts->is_array()) return out;
  for (const json::value& part : parts->get_array()) {
    const json::object* p = part.if_object();
    if (p == nullptr) continue;
    const json::string* part_name = StringAt(*p, "name");
    if (part_name != nullptr && *part_name == name) AppendPartText(*p, 0, out);
  }
  return out;
}

class CatalogWalker {
 public:
  explicit CatalogWalker(Catalog& catalog) : catalog_(catalog) {}

  void AddError(std::string field, std::string message) {
    if (errors_.size() < kMaxFieldErrors) errors_.push_back({std::move(field), std::move(message)});
  }

  std::vector<FieldError>& errors() { return errors_; }

  /// Walks the `groups` and `controls` arrays of `container` (the catalog, a group or a
  /// control). `parent` is the container's id and `in_control` says whether it is a control.
  void WalkChildren(json::object& container, const std::string& path, const std::string& parent,
                    bool in_control) {
    if (!in_control) {
      if (json::array* groups = ArrayAt(container, "groups", path)) {
        for (std::size_t i = 0; i < groups->size(); ++i) {
          std::string item_path = path + ".groups[" + std::to_string(i) + "]";
          if (json::object* group = ObjectItem((*groups)[i], item_path))
            WalkGroup(*group, item_path, parent);
        }
      }
    }
    if (json::array* controls = ArrayAt(container, "controls", path)) {
      for (std::size_t i = 0; i < controls->size(); ++i) {
        std::string item_path = path + ".controls[" + std::to_string(i) + "]";
        if (json::object* control = ObjectItem((*controls)[i], item_path))
          WalkControl(*control, item_path, parent, in_control);
      }
    }
  }

 private:
  json::array* ArrayAt(json::object& object, std::string_view key, const std::string& path) {
    json::value* value = object.if_contains(key);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      AddError(path + "." + std::string(key), "must be an array");
      return nullptr;
    }
    return &value->get_array();
  }

  json::object* ObjectItem(json::value& value, const std::string& path) {
    if (!value.is_object()) {
      AddError(path, "must be an object");
      return nullptr;
    }
    return &value.get_object();
  }

  /// The non-empty string at `key`, or an error naming the path when `required`.
  std::string RequiredString(const json::object& object, std::string_view key,
                             const std::string& path, bool required) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr) {
      if (required) AddError(path + "." + std::string(key), "is required");
      return {};
    }
    const json::string* text = value->if_string();
    if (text == nullptr || Trim(*text).empty()) {
      AddError(path + "." + std::string(key), "must be a non-empty string");
      return {};
    }
    return std::string(*text);
  }

  /// Records the id as seen; false (with an error) when it was seen before.
  bool ClaimId(const std::string& id, const std::string& path) {
    auto [it, inserted] = first_seen_.try_emplace(id, path);
    if (!inserted)
      AddError(path + ".id", "duplicate id \"" + id + "\" (first at " + it->second + ")");
    return inserted;
  }

  void WalkGroup(json::object& group, const std::string& path, const std::string& parent) {
    // OSCAL makes a group's id optional; a group without one is a heading we cannot refer
    // to, so its members hang from the nearest group that has an id.
    std::string id;
    if (group.contains("id")) id = RequiredString(group, "id", path, true);
    std::string title = RequiredString(group, "title", path, true);
    std::string own_parent = parent;
    if (!id.empty() && ClaimId(id, path)) {
      CatalogEntry entry;
      entry.ref_id = id;
      entry.kind = "group";
      entry.title = std::move(title);
      entry.parent_ref = parent;
      entry.label = LabelOf(group);
      entry.withdrawn = IsWithdrawn(group);
      catalog_.entries.push_back(std::move(entry));
      own_parent = id;
    }
    WalkChildren(group, path, own_parent, false);
  }

  void WalkControl(json::object& control, const std::string& path, const std::string& parent,
                   bool parent_is_control) {
    std::string id = RequiredString(control, "id", path, true);
    std::string title = RequiredString(control, "title", path, true);
    if (!id.empty() && ClaimId(id, path) && !title.empty()) {
      CatalogEntry entry;
      entry.ref_id = id;
      entry.kind = parent_is_control ? "enhancement" : "control";
      entry.title = std::move(title);
      entry.parent_ref = parent;
      entry.label = LabelOf(control);
      entry.withdrawn = IsWithdrawn(control);
      entry.statement = PartText(control, "statement");
      entry.guidance = PartText(control, "guidance");
      // The document is ours to consume: move the subtrees instead of copying megabytes.
      if (json::value* params = control.if_contains("params")) entry.params = std::move(*params);
      if (json::value* parts = control.if_contains("parts")) entry.parts = std::move(*parts);
      catalog_.entries.push_back(std::move(entry));
    }
    WalkChildren(control, path, id.empty() ? parent : id, true);
  }

  Catalog& catalog_;
  std::vector<FieldError> errors_;
  std::unordered_map<std::string, std::string> first_seen_;  // id -> path where it was first seen
};

}  // namespace

Expected<Catalog> ParseOscalCatalog(std::string_view json_text) {
  // Boost.JSON stops at 32 levels by default; catalogs with nested groups, enhancements and
  // parts go deeper, and the walk below recurses, so allow a bounded 128.
  json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::system::error_code ec;
  json::value document = json::parse(json_text, ec, {}, options);
  if (ec) return Fail(ErrorCode::kMalformed, "The file is not JSON (" + ec.message() + ").");

  json::object* root = document.if_object();
  if (root == nullptr) return Fail(Error::Field("catalog", "the document must be a JSON object"));
  json::value* catalog_value = root->if_contains("catalog");
  if (catalog_value == nullptr) {
    for (const auto& [key, name] : kOtherModels) {
      if (root->contains(key))
        return Fail(Error::Field("catalog", "this is an OSCAL " + std::string(name) +
                                                ", not a catalog; import the "
                                                "resolved profile catalog instead"));
    }
    return Fail(Error::Field("catalog", "is required: the document is not an OSCAL catalog"));
  }
  json::object* catalog_object = catalog_value->if_object();
  if (catalog_object == nullptr) return Fail(Error::Field("catalog", "must be an object"));

  Catalog catalog;
  CatalogWalker walker(catalog);

  if (const json::value* uuid = catalog_object->if_contains("uuid"); uuid == nullptr) {
    walker.AddError("catalog.uuid", "is required");
  } else if (const json::string* text = uuid->if_string(); text == nullptr || text->empty()) {
    walker.AddError("catalog.uuid", "must be a non-empty string");
  } else {
    catalog.uuid = std::string(*text);
  }

  const json::value* metadata = catalog_object->if_contains("metadata");
  if (metadata == nullptr) {
    walker.AddError("catalog.metadata", "is required");
  } else if (!metadata->is_object()) {
    walker.AddError("catalog.metadata", "must be an object");
  } else {
    const json::object& meta = metadata->get_object();
    const json::string* title = StringAt(meta, "title");
    if (title == nullptr || Trim(*title).empty())
      walker.AddError("catalog.metadata.title",
                      meta.contains("title") ? "must be a non-empty string" : "is required");
    else
      catalog.title = std::string(*title);
    if (const json::string* version = StringAt(meta, "version")) catalog.version = *version;
    if (const json::string* oscal = StringAt(meta, "oscal-version")) catalog.oscal_version = *oscal;
  }

  walker.WalkChildren(*catalog_object, "catalog", "", false);

  if (!walker.errors().empty()) return Fail(Error::Validation(std::move(walker.errors())));
  return catalog;
}

}  // namespace certus::interchange
