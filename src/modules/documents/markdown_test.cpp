#include "modules/documents/markdown.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certus::documents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

/// Known XSS payloads (OWASP XSS filter evasion cheat sheet style), as Markdown a user could
/// write. None may leave a script, an event handler or a dangerous URL in the output.
const std::vector<std::string>& Payloads() {
  static const std::vector<std::string> kPayloads = {
      "<script>alert(1)</script>",
      "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
      "<img src=x onerror=alert(1)>",
      "<IMG SRC=\"javascript:alert('XSS');\">",
      "<img src=javascript:alert(1)>",
      "<svg onload=alert(1)>",
      "<svg><script>alert(1)</script></svg>",
      "<iframe src=\"javascript:alert(1)\"></iframe>",
      "<body onload=alert(1)>",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<div style=\"background:url(javascript:alert(1))\">x</div>",
      "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
      "<details open ontoggle=alert(1)>",
      "<object data=\"javascript:alert(1)\"></object>",
      "<embed src=\"javascript:alert(1)\">",
      "<form action=\"javascript:alert(1)\"><button>x</button></form>",
      "<input autofocus onfocus=alert(1)>",
      "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
      "<base href=\"javascript:alert(1)//\">",
      "<!--<img src=x onerror=alert(1)>-->",
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](  javascript:alert(1))",
      "[x](javascript&#58;alert(1))",
      "[x](&#106;avascript:alert(1))",
      "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
      "[x](java&#x09;script:alert(1))",
      "[x](vbscript:msgbox(1))",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[x](file:///etc/passwd)",
      "![x](javascript:alert(1))",
      "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
      "![x](data:image/png;base64,iVBORw0KGgo=)",
      "[x](javascript:alert(1) \"title\")",
      "[x]: javascript:alert(1)\n\n[y][x]",
      "<javascript:alert(1)>",
      "<JAVASCRIPT:alert(1)>",
      "[x](\"onmouseover=alert(1))",
      "[x](https://example.com\" onmouseover=\"alert(1))",
      "![x](https://example.com/a.png\" onerror=\"alert(1))",
      "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
      "~~<script>alert(1)</script>~~",
      "www.example.com/<script>alert(1)</script>",
      "```html\n<script>alert(1)</script>\n```",
      "`<script>alert(1)</script>`",
      "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
      "<<script>script>alert(1)<</script>/script>",
      "<scr<script>ipt>alert(1)</script>",
  };
  return kPayloads;
}

void ExpectHarmless(const std::string& html, const std::string& payload) {
  const std::string lower = [&] {
    std::string out = html;
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }();
  EXPECT_THAT(lower, Not(HasSubstr("<script"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<svg"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<iframe"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<object"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<embed"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<form"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<meta"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<base"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("<style"))) << payload << "\n" << html;
  EXPECT_THAT(lower, Not(HasSubstr("style="))) << payload << "\n" << html;
  // No attribute starting with "on" inside a tag.
  for (std::size_t open = lower.find('<'); open != std::string::npos;
       open = lower.find('<', open + 1)) {
    const std::string tag = lower.substr(open, lower.find('>', open) - open);
    EXPECT_THAT(tag, Not(::testing::ContainsRegex("[\\s\"'/]on[a-z]+\\s*="))) << payload;
    EXPECT_THAT(tag, Not(HasSubstr("javascript:"))) << payload << "\n" << html;
    EXPECT_THAT(tag, Not(HasSubstr("vbscript:"))) << payload << "\n" << html;
    EXPECT_THAT(tag, Not(HasSubstr("data:"))) << payload << "\n" << html;
    EXPECT_THAT(tag, Not(HasSubstr("file:"))) << payload << "\n" << html;
  }
}

TEST(Markdown, RendersGfmExtensions) {
  auto html = RenderMarkdown(
      "# Policy\n\nSome **bold** and ~~struck~~ text, see https://example.com.\n\n"
      "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- one\n- two\n\n```cpp\nint x;\n```\n");
  EXPECT_THAT(html, HasSubstr("<h1>Policy</h1>"));
  EXPECT_THAT(html, HasSubstr("<strong>bold</strong>"));
  EXPECT_THAT(html, HasSubstr("<del>struck</del>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"https://example.com\" rel=\"nofollow noopener "
                              "noreferrer\">https://example.com</a>"));
  EXPECT_THAT(html, HasSubstr("<table>"));
  EXPECT_THAT(html, HasSubstr("<td align=\"center\">2</td>"));
  EXPECT_THAT(html, HasSubstr("<li>one</li>"));
  EXPECT_THAT(html, HasSubstr("<code class=\"language-cpp\">int x;\n</code>"));
}

TEST(Markdown, SafeLinksAndImagesStay) {
  auto html = RenderMarkdown(
      "[a](https://example.com/x?y=1&z=2) [b](/relative) "
      "[c](mailto:security@example.com) ![i](https://example.com/i.png)");
  EXPECT_THAT(html, HasSubstr("href=\"https://example.com/x?y=1&amp;z=2\""));
  EXPECT_THAT(html, HasSubstr("href=\"/relative\""));
  EXPECT_THAT(html, HasSubstr("href=\"mailto:security@example.com\""));
  EXPECT_THAT(html, HasSubstr("<img src=\"https://example.com/i.png\" alt=\"i\" />"));
}

TEST(Markdown, KnownXssPayloadsAreHarmlessWhenRendered) {
  for (const auto& payload : Payloads()) ExpectHarmless(RenderMarkdown(payload), payload);
}

TEST(Markdown, TheSanitizerAloneStopsThePayloadsAsRawHtml) {
  // As if the renderer had let raw HTML through: the second line of defence holds alone.
  for (const auto& payload : Payloads()) ExpectHarmless(SanitizeHtml(payload), payload);
}

TEST(Markdown, SanitizerKeepsTextAndEscapesStrayMarkup) {
  EXPECT_EQ(SanitizeHtml("<p>a < b & c > d</p>"), "<p>a &lt; b &amp; c &gt; d</p>");
  EXPECT_EQ(SanitizeHtml("<p>&amp; &#39; &lt;</p>"), "<p>&amp; &#39; &lt;</p>");
  EXPECT_EQ(SanitizeHtml("<div><b>x</b></div>"), "x");
  EXPECT_EQ(SanitizeHtml("<script>alert(1)</script>after"), "after");
  EXPECT_EQ(
      SanitizeHtml("<a href=\"https://e.com\" onclick=\"x()\" title='t\"'>l</a>"),
      "<a href=\"https://e.com\" title=\"t&quot;\" rel=\"nofollow noopener noreferrer\">l</a>");
  EXPECT_EQ(SanitizeHtml("<a href=\"jav&#x09;ascript:alert(1)\">l</a>"),
            "<a rel=\"nofollow noopener noreferrer\">l</a>");
  EXPECT_EQ(SanitizeHtml("<a href=\"javascript&colon;alert(1)\">l</a>"),
            "<a rel=\"nofollow noopener noreferrer\">l</a>");
  EXPECT_EQ(SanitizeHtml("<code class=\"x onmouseover\">c</code>"), "<code>c</code>");
  EXPECT_EQ(SanitizeHtml("<img src=\"data:image/png;base64,AA\" alt=\"a\">"), "<img alt=\"a\" />");
}

TEST(Markdown, ParagraphsForThePdf) {
  auto paragraphs = MarkdownParagraphs("# Title\n\nFirst *para*.\n\n- a\n- b\n");
  ASSERT_GE(paragraphs.size(), 2u);
  EXPECT_EQ(paragraphs[0], "Title");
  EXPECT_EQ(paragraphs[1], "First para.");
}

TEST(Markdown, HtmlPageEscapesTheTitle) {
  EXPECT_THAT(HtmlPage("<script>", "<p>x</p>"), HasSubstr("<title>&lt;script&gt;</title>"));
}

}  // namespace
}  // namespace certus::documents
