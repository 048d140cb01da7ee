// Cost of the three report writers on a 1,000-row, 8-column table shaped like a Statement
// of Applicability export (short ids, titles, a yes/no column, a paragraph of justification).
#include <string>

#include <benchmark/benchmark.h>

#include "reports/table.hpp"

namespace certus::reports {
namespace {

TableDocument SoaLikeTable() {
  TableDocument table{.title = "Statement of Applicability",
                      .facts = {{"Organization", "Bench Organization"},
                                {"Version", "7"},
                                {"Approved by", "maria@example.com"},
                                {"Date", "2026-11-24"}},
                      .columns = {{"Control", 9},
                                  {"Title", 28},
                                  {"Theme", 14},
                                  {"Applicable", 9},
                                  {"Status", 12},
                                  {"Justification", 45},
                                  {"Implementation", 40},
                                  {"Owner", 16}},
                      .rows = {}};
  table.rows.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    table.rows.push_back(
        {"A." + std::to_string(5 + i % 4) + "." + n, "Control title number " + n,
         "Organizational controls", i % 7 == 0 ? "No" : "Yes", "Implemented",
         "Required to treat risks R-" + n + " and R-" + std::to_string(i + 1) +
             ", and by contractual obligations towards customers, \"quoted\", with commas.",
         "Procedure P-" + n +
             " describes how the control operates; evidence is reviewed "
             "quarterly by the owner.",
         "owner" + std::to_string(i % 13) + "@example.com"});
  }
  return table;
}

void BM_Csv(benchmark::State& state) {
  const TableDocument table = SoaLikeTable();
  for (auto _ : state) benchmark::DoNotOptimize(WriteCsv(table));
}
BENCHMARK(BM_Csv)->Unit(benchmark::kMillisecond);

void BM_Xlsx(benchmark::State& state) {
  const TableDocument table = SoaLikeTable();
  for (auto _ : state) benchmark::DoNotOptimize(WriteXlsx(table).value());
}
BENCHMARK(BM_Xlsx)->Unit(benchmark::kMillisecond);

void BM_Pdf(benchmark::State& state) {
  const TableDocument table = SoaLikeTable();
  for (auto _ : state) benchmark::DoNotOptimize(WritePdf(table).value());
}
BENCHMARK(BM_Pdf)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace certus::reports
