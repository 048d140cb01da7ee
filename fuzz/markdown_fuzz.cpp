// Documents (5.2, 7.5): documents::RenderMarkdown (cmark-gfm in safe mode, then the
// sanitizer), documents::SanitizeHtml on raw HTML (the sanitizer as the last line of defence,
// fed what cmark would never produce), MarkdownParagraphs and HtmlPage
// (src/modules/documents/markdown.hpp). Every input goes through all of them.
//
// Invariants, checked by a tokenizer of our own over the output: every '<' opens or closes an
// allowed element (never script, style, iframe, svg, …), with allowed attributes only
// (never an event handler or style), each written `name="value"` with no raw quote or angle
// bracket inside; href and src never carry a scheme other than http, https (and mailto for
// links) once the browser has decoded the entities and dropped white space and controls;
// no raw '>' or '"' in text; sanitizing the output again changes nothing; an HtmlPage title
// holds no markup.

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "modules/documents/markdown.hpp"

namespace {

using certus::documents::SanitizeHtml;

const std::map<std::string, std::set<std::string>, std::less<>>& Allowed() {
  static const std::map<std::string, std::set<std::string>, std::less<>> kAllowed = {
      {"p", {}},
      {"br", {}},
      {"hr", {}},
      {"h1", {}},
      {"h2", {}},
      {"h3", {}},
      {"h4", {}},
      {"h5", {}},
      {"h6", {}},
      {"strong", {}},
      {"em", {}},
      {"del", {}},
      {"s", {}},
      {"code", {"class"}},
      {"pre", {}},
      {"blockquote", {}},
      {"ul", {}},
      {"ol", {"start"}},
      {"li", {}},
      {"a", {"href", "title", "rel"}},
      {"img", {"src", "alt", "title"}},
      {"table", {}},
      {"thead", {}},
      {"tbody", {}},
      {"tr", {}},
      {"th", {"align"}},
      {"td", {"align"}},
      {"sup", {}},
      {"sub", {}}};
  return kAllowed;
}

/// The attribute value as a browser reads it: the output only ever escapes with these five.
std::string Unescape(std::string_view value) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    bool matched = false;
    for (const auto& [entity, c] : kEntities) {
      if (value.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size();
        matched = true;
        break;
      }
    }
    if (!matched) {
      FUZZ_CHECK(value[i] != '&', value);  // every '&' of a value is escaped
      out += value[i++];
    }
  }
  return out;
}

void CheckUrl(std::string_view value, bool link) {
  std::string compact;
  for (char c : Unescape(value)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) continue;  // browsers drop them inside a scheme
    compact += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  const auto colon = compact.find(':');
  if (colon == std::string::npos || compact.find_first_of("/?#\\") < colon) return;  // relative
  const std::string scheme = compact.substr(0, colon);
  FUZZ_CHECK(scheme == "http" || scheme == "https" || (link && scheme == "mailto"), compact);
}

/// Checks the sanitized fragment `html`; `what` says which function made it.
void CheckFragment(std::string_view html, std::string_view what) {
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    FUZZ_CHECK(c != '>' && c != '"', what);
    if (c != '<') {
      ++i;
      continue;
    }
    ++i;
    const bool closing = i < html.size() && html[i] == '/';
    if (closing) ++i;
    std::size_t name_end = i;
    while (name_end < html.size() && html[name_end] != '>' && html[name_end] != ' ') ++name_end;
    const std::string_view name = html.substr(i, name_end - i);
    const auto element = Allowed().find(name);
    FUZZ_CHECK(element != Allowed().end(), std::string(what) + ": <" + std::string(name));
    i = name_end;
    std::set<std::string_view> seen;
    while (!closing && i < html.size() && html[i] == ' ') {
      ++i;
      if (html.substr(i, 2) == "/>") break;
      const auto equals = html.find("=\"", i);
      FUZZ_CHECK(equals != std::string_view::npos, what);
      const std::string_view attribute = html.substr(i, equals - i);
      FUZZ_CHECK(element->second.contains(std::string(attribute)),
                 std::string(what) + ": <" + std::string(name) + " " + std::string(attribute));
      FUZZ_CHECK(seen.insert(attribute).second, attribute);
      const auto close = html.find('"', equals + 2);
      FUZZ_CHECK(close != std::string_view::npos, what);
      const std::string_view value = html.substr(equals + 2, close - equals - 2);
      FUZZ_CHECK(value.find_first_of("<>") == std::string_view::npos, value);
      if (attribute == "href" || attribute == "src") CheckUrl(value, attribute == "href");
      i = close + 1;
    }
    if (html.substr(i, 2) == "/>") {
      FUZZ_CHECK(!closing && (name == "br" || name == "hr" || name == "img"), name);
      i += 2;
      continue;
    }
    FUZZ_CHECK(i < html.size() && html[i] == '>', std::string(what) + ": unterminated tag");
    ++i;
  }
  FUZZ_CHECK(SanitizeHtml(html) == html, std::string(what) + " is not a fixed point");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = certus::fuzz::Text(data, size);
  CheckFragment(certus::documents::RenderMarkdown(input), "RenderMarkdown");
  CheckFragment(SanitizeHtml(input), "SanitizeHtml");
  for (const auto& paragraph : certus::documents::MarkdownParagraphs(input)) {
    FUZZ_CHECK(!paragraph.empty(), input);
  }
  const std::string page = certus::documents::HtmlPage(input, "");
  const auto title_start = page.find("<title>") + 7;
  const auto title_end = page.find("</title>", title_start);
  FUZZ_CHECK(title_end != std::string::npos, page);
  FUZZ_CHECK(
      page.substr(title_start, title_end - title_start).find_first_of("<>\"") == std::string::npos,
      page);
  return 0;
}
