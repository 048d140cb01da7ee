#include "interchange/csv.hpp"

#include <optional>

#include <fmt/format.h>

namespace certus::interchange {

namespace {

Error LineError(std::size_t line, std::string_view what) {
  return {ErrorCode::kValidation, fmt::format("Line {}: {}", line, what)};
}

/// Length of the well-formed UTF-8 sequence starting at text[at], or 0 when it is not one
/// (overlongs, surrogates and code points above U+10FFFF are rejected, RFC 3629).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const auto continuation = [&](std::size_t i) { return (byte(i) & 0xC0U) == 0x80U; };
  const unsigned char lead = byte(0);
  const std::size_t left = text.size() - at;
  if (lead < 0x80U) return 1;
  if (lead >= 0xC2U && lead <= 0xDFU) return left >= 2 && continuation(1) ? 2 : 0;
  if (lead >= 0xE0U && lead <= 0xEFU) {
    if (left < 3 || !continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0U && byte(1) < 0xA0U) return 0;   // overlong
    if (lead == 0xEDU && byte(1) >= 0xA0U) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead >= 0xF0U && lead <= 0xF4U) {
    if (left < 4 || !continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0U && byte(1) < 0x90U) return 0;   // overlong
    if (lead == 0xF4U && byte(1) >= 0x90U) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

/// Checks the whole text before parsing, so that the error names the physical line that
/// holds the bad byte rather than the line where its record starts.
std::optional<std::size_t> FirstInvalidUtf8Line(std::string_view text) {
  std::size_t line = 1;
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '\n' || (c == '\r' && (at + 1 == text.size() || text[at + 1] != '\n'))) ++line;
    const std::size_t length = Utf8SequenceLength(text, at);
    if (length == 0) return line;
    at += length;
  }
  return std::nullopt;
}

/// The physical line of text[at], counted like FirstInvalidUtf8Line.
std::size_t LineAt(std::string_view text, std::size_t at) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
      ++line;
  }
  return line;
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

std::string Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

/// One record as read, before it is checked against the header.
struct RawRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
  bool any_quoted = false;
};

/// Reads records one at a time, counting physical lines (CRLF, LF or a lone CR each end
/// one), including those inside quoted fields.
class Reader final {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return at_ >= text_.size(); }

  Expected<RawRecord> Next() {
    RawRecord record;
    record.line = line_;
    std::string field;
    bool field_quoted = false;
    while (true) {
      if (AtEnd()) {
        record.fields.push_back(std::move(field));
        return record;
      }
      const char c = text_[at_];
      if (c == '"' && field.empty() && !field_quoted) {
        CERTUS_CHECK(ReadQuoted(field));
        field_quoted = true;
        record.any_quoted = true;
        if (!AtEnd() && text_[at_] != ',' && text_[at_] != '\r' && text_[at_] != '\n') {
          return tl::unexpected(
              LineError(line_, "a closing quote must be followed by a comma or a line end."));
        }
        continue;
      }
      if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        field_quoted = false;
        ++at_;
        continue;
      }
      if (c == '\r' || c == '\n') {
        SkipLineEnd();
        record.fields.push_back(std::move(field));
        return record;
      }
      field.push_back(c);
      ++at_;
    }
  }

 private:
  /// Consumes one line end (CRLF, LF or CR) at at_ and counts the line.
  void SkipLineEnd() {
    if (text_[at_] == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++at_;
    ++at_;
    ++line_;
  }

  /// Reads a quoted field whose opening quote is at at_; leaves at_ after the closing one.
  Expected<void> ReadQuoted(std::string& field) {
    const std::size_t opened_on = line_;
    ++at_;
    while (true) {
      const std::size_t next = text_.find_first_of("\"\r\n", at_);
      if (next == std::string_view::npos) {
        return tl::unexpected(LineError(opened_on, "a quoted field is not closed."));
      }
      field.append(text_.substr(at_, next - at_));
      at_ = next;
      const char c = text_[at_];
      if (c == '"') {
        if (at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
          field.push_back('"');
          at_ += 2;
          continue;
        }
        ++at_;
        return {};
      }
      // A line end inside quotes belongs to the value, as written.
      const std::size_t start = at_;
      SkipLineEnd();
      field.append(text_.substr(start, at_ - start));
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

bool IsBlankRecord(const RawRecord& record) {
  if (record.any_quoted) return false;
  for (const std::string& field : record.fields) {
    if (!IsBlank(field)) return false;
  }
  return true;
}

}  // namespace

Expected<CsvTable> ParseCsv(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (const auto bad_line = FirstInvalidUtf8Line(text)) {
    return tl::unexpected(LineError(*bad_line, "the text is not valid UTF-8."));
  }
  // Neither database stores a NUL in text (storage refuses it): name its line here rather
  // than fail a whole import when a row is written (found by fuzz/risk_import_fuzz.cpp).
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return tl::unexpected(LineError(LineAt(text, nul), "the text contains a NUL character."));
  }

  CsvTable table;
  Reader reader(text);
  bool have_header = false;
  while (!reader.AtEnd()) {
    RawRecord record = CERTUS_TRY(reader.Next());
    if (IsBlankRecord(record)) continue;
    if (!have_header) {
      table.header.reserve(record.fields.size());
      for (const std::string& name : record.fields) table.header.push_back(Trim(name));
      have_header = true;
      continue;
    }
    if (record.fields.size() > table.header.size()) {
      return tl::unexpected(
          LineError(record.line, fmt::format("the record has {} fields but the header has {}.",
                                             record.fields.size(), table.header.size())));
    }
    record.fields.resize(table.header.size());
    table.records.push_back({.line = record.line, .fields = std::move(record.fields)});
  }
  if (!have_header) {
    return tl::unexpected(Error(ErrorCode::kValidation, "The CSV file has no header row."));
  }
  return table;
}

}  // namespace certus::interchange
