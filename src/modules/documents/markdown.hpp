#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certus::documents {

/// Markdown (CommonMark with the GFM table, strikethrough and autolink extensions) rendered
/// by cmark-gfm in its safe mode (raw HTML omitted, `javascript:`, `vbscript:`, `file:` and
/// most `data:` URLs blanked), then passed through SanitizeHtml. The result is an HTML
/// fragment that is safe to insert into a page: no script, no event handler, no style, no
/// URL with a scheme other than http, https or mailto, ever. Thread-safe.
std::string RenderMarkdown(std::string_view markdown);

/// An allow-list HTML sanitizer for fragments: keeps only the elements Markdown produces
/// (paragraphs, headings, lists, emphasis, code, quotes, rules, tables, links, images) with
/// only their harmless attributes (`href`/`src` only when relative or http(s) — and `mailto:`
/// for links —, `title`, `alt`, `align`, `start`, a `language-*` class on code). Every
/// other element is dropped (the text inside stays, except inside script, style and the
/// like, which is dropped whole); comments and processing instructions are dropped;
/// attribute values are decoded and re-escaped, so what was checked is what a browser sees.
std::string SanitizeHtml(std::string_view html);

/// The text of the Markdown as plain paragraphs (blocks), for the PDF export.
std::vector<std::string> MarkdownParagraphs(std::string_view markdown);

/// A standalone HTML page around a sanitized fragment, with `title` escaped.
std::string HtmlPage(std::string_view title, std::string_view fragment);

/// The Content-Security-Policy for HtmlPage's pages: nothing runs, nothing loads but
/// images, nothing can frame it.
inline constexpr std::string_view kDocumentPagePolicy =
    "default-src 'none'; img-src 'self' https:; style-src 'none'; script-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

}  // namespace certus::documents
