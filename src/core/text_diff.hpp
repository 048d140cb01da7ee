#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace certus {

/// One line of a line diff: kept (context), only in the new text, or only in the old one.
/// `old_line`/`new_line` are 1-based line numbers in each text, 0 where the line is absent.
struct DiffLine {
  enum class Kind { kContext, kAdded, kRemoved };
  Kind kind = Kind::kContext;
  std::string text;
  std::int64_t old_line = 0;
  std::int64_t new_line = 0;
};

/// A run of changes with up to `context` unchanged lines around it, as in a unified diff:
/// `@@ -old_start,old_count +new_start,new_count @@`.
struct DiffHunk {
  std::int64_t old_start = 0;
  std::int64_t old_count = 0;
  std::int64_t new_start = 0;
  std::int64_t new_count = 0;
  std::vector<DiffLine> lines;
};

/// The lines of `text` split at "\n" (a "\r" before it is dropped); a final line without a
/// newline still counts, an empty text has no lines.
std::vector<std::string> SplitLines(std::string_view text);

/// A shortest edit script between the lines of `from` and `to` (Myers' O((N+M)·D)
/// algorithm after trimming the common head and tail), grouped into hunks with `context`
/// unchanged lines around each change. When the texts differ in more than `max_edits` lines,
/// the differing middle is reported as wholly removed and wholly added, which is correct but
/// not minimal, so that memory stays bounded (O(max_edits²)). Identical texts: no hunks.
std::vector<DiffHunk> DiffText(std::string_view from, std::string_view to, std::size_t context = 3,
                               std::size_t max_edits = 2000);

/// The hunks as the text of a unified diff (`--- from_label`, `+++ to_label`, then each hunk);
/// empty when there are no hunks.
std::string UnifiedDiff(const std::vector<DiffHunk>& hunks, std::string_view from_label,
                        std::string_view to_label);

}  // namespace certus
