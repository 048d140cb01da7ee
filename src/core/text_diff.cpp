#include "core/text_diff.hpp"

#include <algorithm>
#include <optional>

namespace certus {

namespace {

using Lines = std::vector<std::string>;

/// One step of the edit script over whole texts: both indices are 0-based.
struct Edit {
  DiffLine::Kind kind;
  std::size_t old_index;  ///< valid for context and removed
  std::size_t new_index;  ///< valid for context and added
};

/// Myers' greedy algorithm on a[a_begin, a_end) and b[b_begin, b_end); appends the edits in
/// order. Returns false (and appends nothing) when more than `max_edits` edits are needed.
bool Myers(const Lines& a, std::size_t a_begin, std::size_t a_end, const Lines& b,
           std::size_t b_begin, std::size_t b_end, std::size_t max_edits, std::vector<Edit>& out) {
  const auto n = static_cast<std::int64_t>(a_end - a_begin);
  const auto m = static_cast<std::int64_t>(b_end - b_begin);
  const std::int64_t max = std::min<std::int64_t>(n + m, static_cast<std::int64_t>(max_edits));
  // trace[d] holds V for k in [-d, d] after step d (index k + d).
  std::vector<std::vector<std::int64_t>> trace;
  std::vector<std::int64_t> v(2 * static_cast<std::size_t>(max) + 3, 0);
  const std::int64_t offset = max + 1;
  std::optional<std::int64_t> found;
  for (std::int64_t d = 0; d <= max && !found; ++d) {
    for (std::int64_t k = -d; k <= d; k += 2) {
      std::int64_t x = 0;
      if (k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset])) {
        x = v[k + 1 + offset];  // down: an insertion
      } else {
        x = v[k - 1 + offset] + 1;  // right: a deletion
      }
      std::int64_t y = x - k;
      while (x < n && y < m && a[a_begin + x] == b[b_begin + y]) {
        ++x;
        ++y;
      }
      v[k + offset] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
  }
  if (!found) return false;
  // Walk back from (n, m) through the trace.
  std::vector<Edit> reversed;
  std::int64_t x = n;
  std::int64_t y = m;
  for (std::int64_t d = *found; d >= 0; --d) {
    const std::int64_t k = x - y;
    auto at = [&](std::int64_t step, std::int64_t kk) { return trace[step][kk + step]; };
    std::int64_t prev_k = 0;
    if (d == 0) {
      prev_k = 0;
    } else if (k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1))) {
      prev_k = k + 1;
    } else {
      prev_k = k - 1;
    }
    const std::int64_t prev_x = d == 0 ? 0 : at(d - 1, prev_k);
    const std::int64_t prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      reversed.push_back({DiffLine::Kind::kContext, a_begin + static_cast<std::size_t>(x),
                          b_begin + static_cast<std::size_t>(y)});
    }
    if (d > 0) {
      if (x == prev_x) {
        --y;
        reversed.push_back({DiffLine::Kind::kAdded, 0, b_begin + static_cast<std::size_t>(y)});
      } else {
        --x;
        reversed.push_back({DiffLine::Kind::kRemoved, a_begin + static_cast<std::size_t>(x), 0});
      }
    }
  }
  out.insert(out.end(), reversed.rbegin(), reversed.rend());
  return true;
}

}  // namespace

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    at = end + 1;
  }
  return lines;
}

std::vector<DiffHunk> DiffText(std::string_view from, std::string_view to, std::size_t context,
                               std::size_t max_edits) {
  const Lines a = SplitLines(from);
  const Lines b = SplitLines(to);
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({DiffLine::Kind::kContext, i, i});
  const std::size_t a_end = a.size() - tail;
  const std::size_t b_end = b.size() - tail;
  if (!Myers(a, head, a_end, b, head, b_end, max_edits, edits)) {
    for (std::size_t i = head; i < a_end; ++i) edits.push_back({DiffLine::Kind::kRemoved, i, 0});
    for (std::size_t j = head; j < b_end; ++j) edits.push_back({DiffLine::Kind::kAdded, 0, j});
  }
  for (std::size_t i = 0; i < tail; ++i) {
    edits.push_back({DiffLine::Kind::kContext, a_end + i, b_end + i});
  }

  // Group the changes with their context into hunks.
  std::vector<DiffHunk> hunks;
  std::size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].kind == DiffLine::Kind::kContext) {
      ++i;
      continue;
    }
    // [begin, end) of this hunk: context before, then changes until a gap of more than
    // 2 × context unchanged lines.
    const std::size_t begin = i >= context ? i - context : 0;
    std::size_t end = i;
    std::size_t last_change = i;
    while (end < edits.size()) {
      if (edits[end].kind != DiffLine::Kind::kContext) {
        last_change = end;
      } else if (end - last_change > 2 * context) {
        break;
      }
      ++end;
    }
    end = std::min(edits.size(), last_change + context + 1);
    DiffHunk hunk;
    std::int64_t old_line = 0;
    std::int64_t new_line = 0;
    // Line numbers at `begin`: count what came before in each text.
    for (std::size_t e = 0; e < begin; ++e) {
      if (edits[e].kind != DiffLine::Kind::kAdded) ++old_line;
      if (edits[e].kind != DiffLine::Kind::kRemoved) ++new_line;
    }
    hunk.old_start = old_line + 1;
    hunk.new_start = new_line + 1;
    for (std::size_t e = begin; e < end; ++e) {
      const Edit& edit = edits[e];
      DiffLine line;
      line.kind = edit.kind;
      if (edit.kind != DiffLine::Kind::kAdded) {
        line.old_line = ++old_line;
        ++hunk.old_count;
        line.text = a[edit.old_index];
      }
      if (edit.kind != DiffLine::Kind::kRemoved) {
        line.new_line = ++new_line;
        ++hunk.new_count;
        line.text = b[edit.new_index];
      }
      hunk.lines.push_back(std::move(line));
    }
    // Unified diff convention: an empty side starts at the line before.
    if (hunk.old_count == 0) --hunk.old_start;
    if (hunk.new_count == 0) --hunk.new_start;
    hunks.push_back(std::move(hunk));
    i = end;
  }
  return hunks;
}

std::string UnifiedDiff(const std::vector<DiffHunk>& hunks, std::string_view from_label,
                        std::string_view to_label) {
  if (hunks.empty()) return {};
  std::string out;
  out.append("--- ").append(from_label).append("\n+++ ").append(to_label).append("\n");
  for (const auto& hunk : hunks) {
    out += "@@ -" + std::to_string(hunk.old_start) + "," + std::to_string(hunk.old_count) + " +" +
           std::to_string(hunk.new_start) + "," + std::to_string(hunk.new_count) + " @@\n";
    for (const auto& line : hunk.lines) {
      out += line.kind == DiffLine::Kind::kAdded     ? '+'
             : line.kind == DiffLine::Kind::kRemoved ? '-'
                                                     : ' ';
      out += line.text;
      out += '\n';
    }
  }
  return out;
}

}  // namespace certus
