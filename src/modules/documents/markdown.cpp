#include "modules/documents/markdown.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

namespace certus::documents {

namespace {

struct FreeChars {
  void operator()(char* text) const { std::free(text); }  // NOLINT: cmark's allocator is malloc
};
struct FreeNode {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct FreeParser {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};

/// Parses `markdown` with the GFM extensions; the parser is returned too, since rendering
/// HTML needs its extension list.
std::pair<std::unique_ptr<cmark_parser, FreeParser>, std::unique_ptr<cmark_node, FreeNode>> Parse(
    std::string_view markdown, int options) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, FreeParser> parser(cmark_parser_new(options));
  for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, FreeNode> document(cmark_parser_finish(parser.get()));
  return {std::move(parser), std::move(document)};
}

// ------------------------------------------------------------------ the sanitizer

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

/// Elements kept, with the attributes each may carry.
const std::map<std::string, std::set<std::string>, std::less<>>& AllowedElements() {
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
      {"a", {"href", "title"}},
      {"img", {"src", "alt", "title"}},
      {"table", {}},
      {"thead", {}},
      {"tbody", {}},
      {"tr", {}},
      {"th", {"align"}},
      {"td", {"align"}},
      {"sup", {}},
      {"sub", {}},
  };
  return kAllowed;
}

bool IsVoid(std::string_view name) { return name == "br" || name == "hr" || name == "img"; }

/// Elements whose content is dropped with them: it is code or markup, never text to show.
bool DropsContent(std::string_view name) {
  static const std::set<std::string, std::less<>> kDropped = {
      "script",   "style",    "iframe", "object",    "embed",    "textarea", "title",
      "noscript", "template", "xmp",    "noembed",   "noframes", "svg",      "math",
      "frameset", "frame",    "applet", "plaintext", "select",   "option",   "head"};
  return kDropped.contains(name);
}

void AppendUtf8(std::string& out, std::uint32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

/// Decodes character references in an attribute value. Named references other than the
/// common ones stay as they are: re-escaping turns them into literal text, so a browser
/// sees exactly the string that was checked either way.
std::string DecodeEntities(std::string_view text) {
  static const std::map<std::string, std::string, std::less<>> kNamed = {
      {"amp", "&"},   {"lt", "<"},   {"gt", ">"},       {"quot", "\""}, {"apos", "'"},
      {"colon", ":"}, {"tab", "\t"}, {"newline", "\n"}, {"sol", "/"},   {"nbsp", "\xC2\xA0"},
      {"lpar", "("},  {"rpar", ")"}, {"num", "#"},      {"period", "."}};
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] != '&') {
      out += text[at++];
      continue;
    }
    std::size_t end = at + 1;
    if (end < text.size() && text[end] == '#') {
      ++end;
      const bool hex = end < text.size() && (text[end] == 'x' || text[end] == 'X');
      if (hex) ++end;
      std::uint32_t code = 0;
      std::size_t digits = 0;
      while (end < text.size()) {
        const char c = text[end];
        int value = -1;
        if (c >= '0' && c <= '9') value = c - '0';
        if (hex && c >= 'a' && c <= 'f') value = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') value = c - 'A' + 10;
        if (value < 0) break;
        code = std::min<std::uint32_t>(code * (hex ? 16 : 10) + static_cast<std::uint32_t>(value),
                                       0x110000);
        ++digits;
        ++end;
      }
      if (digits == 0) {
        out += text[at++];
        continue;
      }
      if (end < text.size() && text[end] == ';') ++end;  // browsers accept it missing
      AppendUtf8(out, code);
      at = end;
      continue;
    }
    while (end < text.size() && IsAsciiAlnum(text[end])) ++end;
    auto named = kNamed.find(LowerCopy(text.substr(at + 1, end - at - 1)));
    if (named != kNamed.end()) {
      out += named->second;
      at = end < text.size() && text[end] == ';' ? end + 1 : end;
      continue;
    }
    out += text[at++];
  }
  return out;
}

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

/// Whether a URL may stay: relative (no scheme), or one of the allowed schemes. Browsers
/// ignore ASCII white space and control characters inside a scheme, so they are removed
/// before looking at it.
bool SafeUrl(std::string_view url, bool link) {
  std::string compact;
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte != 0x7F) compact += Lower(c);
  }
  if (compact.empty()) return false;
  const std::size_t end = compact.find_first_of(":/?#\\");
  if (end == std::string::npos || compact[end] != ':') return true;  // relative
  const std::string scheme = compact.substr(0, end);
  if (scheme == "http" || scheme == "https") return true;
  return link && scheme == "mailto";
}

bool SafeClass(std::string_view value) {
  if (!value.starts_with("language-") || value.size() == 9 || value.size() > 60) return false;
  return std::all_of(value.begin() + 9, value.end(), [](char c) {
    return IsAsciiAlnum(c) || c == '-' || c == '_' || c == '+' || c == '#' || c == '.';
  });
}

struct Tag {
  std::string name;  ///< lowercase
  bool closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< names lowercase, decoded
  std::size_t end = 0;                                          ///< the index after '>'
};

/// Parses the tag starting at html[at] == '<' the way an HTML tokenizer would; nullopt
/// when it is no tag (the '<' is then text).
std::optional<Tag> ParseTag(std::string_view html, std::size_t at) {
  Tag tag;
  std::size_t i = at + 1;
  if (i < html.size() && html[i] == '/') {
    tag.closing = true;
    ++i;
  }
  if (i >= html.size() || !IsAsciiAlpha(html[i])) return std::nullopt;
  while (i < html.size() && html[i] != '>' && html[i] != '/' &&
         static_cast<unsigned char>(html[i]) > 0x20) {
    tag.name += Lower(html[i++]);
  }
  while (i < html.size() && html[i] != '>') {
    const auto byte = static_cast<unsigned char>(html[i]);
    if (byte <= 0x20 || html[i] == '/') {
      ++i;
      continue;
    }
    std::string name;
    while (i < html.size() && html[i] != '>' && html[i] != '=' && html[i] != '/' &&
           static_cast<unsigned char>(html[i]) > 0x20) {
      name += Lower(html[i++]);
    }
    while (i < html.size() && static_cast<unsigned char>(html[i]) <= 0x20) ++i;
    std::string value;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && static_cast<unsigned char>(html[i]) <= 0x20) ++i;
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        const char quote = html[i++];
        const std::size_t close = html.find(quote, i);
        const std::size_t stop = close == std::string_view::npos ? html.size() : close;
        value = std::string(html.substr(i, stop - i));
        i = close == std::string_view::npos ? html.size() : close + 1;
      } else {
        while (i < html.size() && html[i] != '>' && static_cast<unsigned char>(html[i]) > 0x20) {
          value += html[i++];
        }
      }
    }
    if (!name.empty()) tag.attributes.emplace_back(std::move(name), DecodeEntities(value));
  }
  tag.end = i < html.size() ? i + 1 : html.size();
  return tag;
}

/// The index after the end tag `</name …>` that closes a dropped element, or the end.
std::size_t SkipElement(std::string_view html, std::size_t from, std::string_view name) {
  std::size_t at = from;
  while (true) {
    const std::size_t open = html.find("</", at);
    if (open == std::string_view::npos) return html.size();
    auto tag = ParseTag(html, open);
    if (tag && tag->closing && tag->name == name) return tag->end;
    at = open + 2;
  }
}

}  // namespace

std::string SanitizeHtml(std::string_view html) {
  const auto& allowed = AllowedElements();
  std::string out;
  out.reserve(html.size());
  std::size_t at = 0;
  while (at < html.size()) {
    const char c = html[at];
    if (c == '<') {
      if (html.substr(at, 4) == "<!--") {
        const std::size_t close = html.find("-->", at + 4);
        at = close == std::string_view::npos ? html.size() : close + 3;
        continue;
      }
      if (at + 1 < html.size() && (html[at + 1] == '!' || html[at + 1] == '?')) {
        const std::size_t close = html.find('>', at);
        at = close == std::string_view::npos ? html.size() : close + 1;
        continue;
      }
      auto tag = ParseTag(html, at);
      if (!tag) {
        out += "&lt;";
        ++at;
        continue;
      }
      at = tag->end;
      if (!tag->closing && DropsContent(tag->name)) {
        at = SkipElement(html, at, tag->name);
        continue;
      }
      auto element = allowed.find(tag->name);
      if (element == allowed.end()) continue;  // the tag goes, its text stays
      if (tag->closing) {
        if (!IsVoid(tag->name)) out += "</" + tag->name + ">";
        continue;
      }
      out += "<" + tag->name;
      std::set<std::string> written;
      for (const auto& [name, value] : tag->attributes) {
        if (!element->second.contains(name) || !written.insert(name).second) continue;
        if ((name == "href" || name == "src") && !SafeUrl(value, name == "href")) continue;
        if (name == "class" && !SafeClass(value)) continue;
        if (name == "align" && value != "left" && value != "right" && value != "center") continue;
        if (name == "start" && (value.empty() || value.size() > 9 ||
                                !std::all_of(value.begin(), value.end(),
                                             [](char d) { return d >= '0' && d <= '9'; }))) {
          continue;
        }
        out += " " + name + "=\"";
        AppendEscaped(out, value);
        out += "\"";
      }
      if (tag->name == "a") out += " rel=\"nofollow noopener noreferrer\"";
      out += IsVoid(tag->name) ? " />" : ">";
      continue;
    }
    if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      // A character reference passes as it is; a bare ampersand is escaped.
      std::size_t end = at + 1;
      if (end < html.size() && html[end] == '#') ++end;
      while (end < html.size() && IsAsciiAlnum(html[end])) ++end;
      const bool reference = end > at + 1 && end < html.size() && html[end] == ';';
      out += reference ? std::string(html.substr(at, end + 1 - at)) : "&amp;";
      at = reference ? end + 1 : at + 1;
      continue;
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
    ++at;
  }
  return out;
}

std::string RenderMarkdown(std::string_view markdown) {
  // CMARK_OPT_DEFAULT is safe mode: CMARK_OPT_UNSAFE is never set.
  const int options = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE;
  auto [parser, document] = Parse(markdown, options);
  std::unique_ptr<char, FreeChars> html(
      cmark_render_html(document.get(), options, cmark_parser_get_syntax_extensions(parser.get())));
  return SanitizeHtml(html ? std::string_view(html.get()) : std::string_view());
}

std::vector<std::string> MarkdownParagraphs(std::string_view markdown) {
  auto [parser, document] = Parse(markdown, CMARK_OPT_DEFAULT);
  std::unique_ptr<char, FreeChars> text(
      cmark_render_plaintext(document.get(), CMARK_OPT_DEFAULT, 0));
  std::vector<std::string> paragraphs;
  const std::string_view all = text ? std::string_view(text.get()) : std::string_view();
  std::size_t at = 0;
  while (at < all.size()) {
    std::size_t end = all.find("\n\n", at);
    if (end == std::string_view::npos) end = all.size();
    std::string_view block = all.substr(at, end - at);
    while (!block.empty() && block.back() == '\n') block.remove_suffix(1);
    while (!block.empty() && block.front() == '\n') block.remove_prefix(1);
    if (!block.empty()) paragraphs.emplace_back(block);
    at = end + 2;
  }
  return paragraphs;
}

std::string HtmlPage(std::string_view title, std::string_view fragment) {
  std::string page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>";
  AppendEscaped(page, title);
  page += "</title></head>\n<body><article>\n";
  page += fragment;
  page += "</article></body></html>\n";
  return page;
}

}  // namespace certus::documents
