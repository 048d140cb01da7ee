#include "core/text_diff.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certus {
namespace {

using Kind = DiffLine::Kind;

/// The diff as "+x", "-y", " z" lines, to compare against expectations at a glance.
std::vector<std::string> Flat(const std::vector<DiffHunk>& hunks) {
  std::vector<std::string> out;
  for (const auto& hunk : hunks) {
    for (const auto& line : hunk.lines) {
      const char mark = line.kind == Kind::kAdded ? '+' : line.kind == Kind::kRemoved ? '-' : ' ';
      out.push_back(std::string(1, mark) + line.text);
    }
  }
  return out;
}

/// Applies the hunks to `from`'s lines: the result must be `to`'s lines.
std::vector<std::string> Apply(const std::vector<std::string>& from,
                               const std::vector<DiffHunk>& hunks) {
  std::vector<std::string> out;
  std::size_t next = 0;  // 0-based index into from
  for (const auto& hunk : hunks) {
    const auto start =
        static_cast<std::size_t>(hunk.old_count == 0 ? hunk.old_start : hunk.old_start - 1);
    while (next < start) out.push_back(from[next++]);
    for (const auto& line : hunk.lines) {
      if (line.kind != Kind::kAdded) {
        EXPECT_EQ(from.at(next), line.text);
        ++next;
      }
      if (line.kind != Kind::kRemoved) out.push_back(line.text);
    }
  }
  while (next < from.size()) out.push_back(from[next++]);
  return out;
}

TEST(TextDiff, SplitLinesHandlesCrLfAndAMissingFinalNewline) {
  EXPECT_THAT(SplitLines("a\r\nb\nc"), ::testing::ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitLines("a\n"), ::testing::ElementsAre("a"));
  EXPECT_TRUE(SplitLines("").empty());
}

TEST(TextDiff, IdenticalTextsHaveNoHunks) {
  EXPECT_TRUE(DiffText("a\nb\n", "a\nb\n").empty());
  EXPECT_TRUE(DiffText("", "").empty());
  EXPECT_EQ(UnifiedDiff({}, "a", "b"), "");
}

TEST(TextDiff, OneChangedLineWithContext) {
  auto hunks = DiffText("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n");
  ASSERT_EQ(hunks.size(), 1u);
  EXPECT_THAT(Flat(hunks),
              ::testing::ElementsAre(" 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8"));
  EXPECT_EQ(hunks[0].old_start, 2);
  EXPECT_EQ(hunks[0].old_count, 7);
  EXPECT_EQ(hunks[0].new_start, 2);
  EXPECT_EQ(hunks[0].new_count, 7);
  EXPECT_EQ(UnifiedDiff(hunks, "v1", "v2"),
            "--- v1\n+++ v2\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(TextDiff, DistantChangesMakeSeparateHunksAndLineNumbersAreRight) {
  std::string from;
  std::string to;
  for (int i = 1; i <= 30; ++i) {
    from += std::to_string(i) + "\n";
    if (i == 3) continue;  // removed
    to += std::to_string(i) + "\n";
    if (i == 25) to += "new\n";  // added after 25
  }
  auto hunks = DiffText(from, to, 2);
  ASSERT_EQ(hunks.size(), 2u);
  EXPECT_THAT(Flat({hunks[0]}), ::testing::ElementsAre(" 1", " 2", "-3", " 4", " 5"));
  EXPECT_EQ(hunks[1].new_start, 23);
  EXPECT_EQ(hunks[1].lines[2].kind, Kind::kAdded);
  EXPECT_EQ(hunks[1].lines[2].new_line, 25);
  EXPECT_EQ(hunks[1].lines[2].old_line, 0);
  EXPECT_EQ(Apply(SplitLines(from), hunks), SplitLines(to));
}

TEST(TextDiff, AdditionsToAndRemovalsFromEmptyTexts) {
  auto added = DiffText("", "a\nb\n");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].old_start, 0);
  EXPECT_EQ(added[0].old_count, 0);
  EXPECT_THAT(Flat(added), ::testing::ElementsAre("+a", "+b"));
  auto removed = DiffText("a\nb\n", "");
  EXPECT_THAT(Flat(removed), ::testing::ElementsAre("-a", "-b"));
  EXPECT_EQ(UnifiedDiff(removed, "x", "y"), "--- x\n+++ y\n@@ -1,2 +0,0 @@\n-a\n-b\n");
}

TEST(TextDiff, TheScriptIsMinimal) {
  // The classic example of Myers' paper: ABCABBA → CBABAC needs 5 edits.
  auto hunks = DiffText("A\nB\nC\nA\nB\nB\nA\n", "C\nB\nA\nB\nA\nC\n");
  int edits = 0;
  for (const auto& line : hunks.at(0).lines) edits += line.kind == Kind::kContext ? 0 : 1;
  EXPECT_EQ(edits, 5);
  EXPECT_EQ(Apply(SplitLines("A\nB\nC\nA\nB\nB\nA\n"), hunks), SplitLines("C\nB\nA\nB\nA\nC\n"));
}

TEST(TextDiff, ManyEditsFallBackToReplacingTheMiddle) {
  std::string from = "head\n";
  std::string to = "head\n";
  for (int i = 0; i < 50; ++i) {
    from += "a" + std::to_string(i) + "\n";
    to += "b" + std::to_string(i) + "\n";
  }
  from += "tail\n";
  to += "tail\n";
  auto hunks = DiffText(from, to, 1, 10);
  ASSERT_EQ(hunks.size(), 1u);
  EXPECT_EQ(hunks[0].old_count, 52);
  EXPECT_EQ(hunks[0].new_count, 52);
  EXPECT_EQ(Apply(SplitLines(from), hunks), SplitLines(to));
}

TEST(TextDiff, RandomEditsRoundTrip) {
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245U + 12345U;
    return (seed >> 16) % 7;
  };
  for (int round = 0; round < 50; ++round) {
    std::string from;
    std::string to;
    for (int i = 0; i < 40; ++i) {
      const auto word = std::to_string(next());
      from += word + "\n";
      if (next() < 5) to += word + "\n";
      if (next() == 0) to += "x" + std::to_string(next()) + "\n";
    }
    EXPECT_EQ(Apply(SplitLines(from), DiffText(from, to)), SplitLines(to)) << round;
  }
}

}  // namespace
}  // namespace certus
