#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "reports/table.hpp"
#include "reports/utf8.hpp"

namespace certus::reports {

namespace {

// A4 landscape in PostScript points, the PDF surface's unit.
constexpr double kPageWidth = 841.89;
constexpr double kPageHeight = 595.28;
constexpr double kMargin = 36;
constexpr double kFooterHeight = 20;
constexpr double kBodyTop = kMargin;
constexpr double kBodyBottom = kPageHeight - kMargin - kFooterHeight;
constexpr double kBodyWidth = kPageWidth - 2 * kMargin;
constexpr double kPadding = 3;
constexpr double kRuleWidth = 0.5;
/// Below this much room a row that must split anyway starts on the next page instead.
constexpr double kMinimumSliceHeight = 40;
constexpr double kFactLabelShare = 0.25;
constexpr double kFactGap = 6;

struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
struct AttrListUnref {
  void operator()(PangoAttrList* list) const { pango_attr_list_unref(list); }
};
struct LayoutIterFree {
  void operator()(PangoLayoutIter* iter) const { pango_layout_iter_free(iter); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using FontMapPtr = std::unique_ptr<PangoFontMap, GObjectUnref>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using AttrListPtr = std::unique_ptr<PangoAttrList, AttrListUnref>;
using LayoutIterPtr = std::unique_ptr<PangoLayoutIter, LayoutIterFree>;

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

double ToPoints(int pango_units) { return static_cast<double>(pango_units) / PANGO_SCALE; }
int ToPango(double points) { return static_cast<int>(points * PANGO_SCALE); }

/// A laid-out text and where its lines sit, for splitting a row between pages.
struct Text {
  LayoutPtr layout;
  double height = 0;

  /// Top and bottom of each line, in points from the top of the layout.
  std::vector<std::pair<double, double>> LineRanges() const {
    std::vector<std::pair<double, double>> ranges;
    LayoutIterPtr iter(pango_layout_get_iter(layout.get()));
    do {
      int top = 0;
      int bottom = 0;
      pango_layout_iter_get_line_yrange(iter.get(), &top, &bottom);
      ranges.emplace_back(ToPoints(top), ToPoints(bottom));
    } while (pango_layout_iter_next_line(iter.get()) != 0);
    return ranges;
  }
};

struct Row {
  std::vector<const Text*> cells;  ///< owned by the writer's text pool
  double content_height = 0;       ///< tallest cell, without padding
};

/// The part [from, to) of a row's content (in points from its top) shown on one page.
struct Slice {
  std::size_t row = 0;
  double from = 0;
  double to = 0;
};

/// Fonts and the Pango context every layout of one document shares.
class Typesetter final {
 public:
  // A font map of the document's own rather than Pango's per-thread default, so that
  // nothing but fontconfig's configuration outlives the call (see ReleaseFontCaches).
  explicit Typesetter(cairo_t* cr)
      : font_map_(pango_cairo_font_map_new()),
        context_(pango_font_map_create_context(font_map_.get())) {
    pango_cairo_update_context(cr, context_.get());
    // One Pango unit of size is one point on the PDF surface.
    pango_cairo_context_set_resolution(context_.get(), 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_.get(), options);
    cairo_font_options_destroy(options);
    // A hyphen added where a long word breaks would read as part of the value.
    pango_attr_list_insert(attributes_.get(), pango_attr_insert_hyphens_new(FALSE));
  }

  Text Lay(std::string_view text, const PangoFontDescription* font, double width) const {
    LayoutPtr layout(pango_layout_new(context_.get()));
    pango_layout_set_font_description(layout.get(), font);
    pango_layout_set_attributes(layout.get(), attributes_.get());
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_width(layout.get(), ToPango(std::max(width, 1.0)));
    const std::string clean = detail::CleanText(text);
    pango_layout_set_text(layout.get(), clean.data(), static_cast<int>(clean.size()));
    int layout_width = 0;
    int layout_height = 0;
    pango_layout_get_size(layout.get(), &layout_width, &layout_height);
    return {std::move(layout), ToPoints(layout_height)};
  }

 private:
  FontMapPtr font_map_;
  ContextPtr context_;
  AttrListPtr attributes_{pango_attr_list_new()};
};

FontPtr Font(const char* description) {
  return FontPtr(pango_font_description_from_string(description));
}

void Show(cairo_t* cr, const Text& text, double x, double y) {
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, text.layout.get());
}

/// Draws the lines of `text` whose tops fall in [from, to), shifted up by `from`.
void ShowLines(cairo_t* cr, const Text& text, double x, double y, double from, double to) {
  if (from <= 0 && to >= text.height) {
    Show(cr, text, x, y);
    return;
  }
  LayoutIterPtr iter(pango_layout_get_iter(text.layout.get()));
  do {
    int top = 0;
    int bottom = 0;
    pango_layout_iter_get_line_yrange(iter.get(), &top, &bottom);
    const double line_top = ToPoints(top);
    if (line_top >= from && line_top < to) {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter.get(), nullptr, &logical);
      cairo_move_to(cr, x + ToPoints(logical.x),
                    y + ToPoints(pango_layout_iter_get_baseline(iter.get())) - from);
      pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(iter.get()));
    }
  } while (pango_layout_iter_next_line(iter.get()) != 0);
}

/// The lowest cut in (from, limit] that splits no line of any cell, or `limit` if every
/// cut would (a single line taller than a page).
double CleanCut(const Row& row, double from, double limit) {
  std::vector<std::vector<std::pair<double, double>>> lines;
  lines.reserve(row.cells.size());
  std::vector<double> candidates{limit};
  for (const Text* cell : row.cells) {
    lines.push_back(cell->LineRanges());
    for (const auto& [top, bottom] : lines.back()) {
      if (bottom > from && bottom <= limit) candidates.push_back(bottom);
    }
  }
  std::sort(candidates.begin(), candidates.end(), std::greater<>());
  for (const double cut : candidates) {
    const bool clean = std::all_of(lines.begin(), lines.end(), [&](const auto& ranges) {
      return std::none_of(ranges.begin(), ranges.end(), [&](const auto& range) {
        return range.first < cut && cut < range.second;
      });
    });
    if (clean) return cut;
  }
  return limit;
}

/// Assigns the rows to pages: a row goes whole onto the page where it fits, else onto the
/// next page; only a row taller than a page is split, between its lines.
std::vector<std::vector<Slice>> Paginate(const std::vector<Row>& rows, double room) {
  std::vector<std::vector<Slice>> pages(1);
  double used = 0;
  const auto new_page = [&] {
    if (!pages.back().empty()) pages.emplace_back();
    used = 0;
  };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double height = rows[r].content_height;
    if (used + height + 2 * kPadding > room) {
      if (height + 2 * kPadding <= room || room - used < kMinimumSliceHeight) new_page();
    }
    double from = 0;
    while (true) {
      const double space = std::max(room - used - 2 * kPadding, kMinimumSliceHeight);
      if (height - from <= space) {
        pages.back().push_back({r, from, height});
        used += height - from + 2 * kPadding;
        break;
      }
      double cut = CleanCut(rows[r], from, from + space);
      if (cut <= from) cut = from + space;
      pages.back().push_back({r, from, cut});
      new_page();
      from = cut;
    }
  }
  return pages;
}

class PdfWriter final {
 public:
  explicit PdfWriter(const TableDocument& table) : table_(table) {}

  Expected<std::string> Write() {
    std::string out;  // declared first: the surface writes into it until destroyed
    SurfacePtr surface(
        cairo_pdf_surface_create_for_stream(AppendToString, &out, kPageWidth, kPageHeight));
    CairoPtr cr(cairo_create(surface.get()));
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return tl::unexpected(
          Error::Internal(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr.get()))));
    }
    const std::string title = detail::CleanText(table_.title);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Certus");

    const Typesetter typesetter(cr.get());
    LayColumns();
    const std::vector<std::vector<std::size_t>> title_pages = LayTitlePage(typesetter);
    LayTable(typesetter);
    const double room = kBodyBottom - kBodyTop - header_.content_height - 2 * kPadding;
    const std::vector<std::vector<Slice>> table_pages =
        columns_x_.empty() ? std::vector<std::vector<Slice>>{} : Paginate(rows_, room);
    const std::size_t page_count = title_pages.size() + table_pages.size();

    std::size_t page_number = 0;
    for (const auto& facts : title_pages) {
      DrawTitlePage(cr.get(), facts, page_number == 0);
      DrawFooter(cr.get(), typesetter, ++page_number, page_count);
      cairo_show_page(cr.get());
    }
    for (const auto& slices : table_pages) {
      DrawTablePage(cr.get(), slices);
      DrawFooter(cr.get(), typesetter, ++page_number, page_count);
      cairo_show_page(cr.get());
    }

    cr.reset();
    cairo_surface_finish(surface.get());
    const cairo_status_t status = cairo_surface_status(surface.get());
    surface.reset();
    if (status != CAIRO_STATUS_SUCCESS) {
      return tl::unexpected(
          Error::Internal(std::string("cairo pdf: ") + cairo_status_to_string(status)));
    }
    return out;
  }

 private:
  /// Shares the body width between the columns in proportion to their widths.
  void LayColumns() {
    double total = 0;
    for (const Column& column : table_.columns) total += std::max(column.width, 1.0);
    double x = kMargin;
    for (const Column& column : table_.columns) {
      const double width = kBodyWidth * std::max(column.width, 1.0) / total;
      columns_x_.push_back(x);
      columns_width_.push_back(width);
      x += width;
    }
  }

  /// Lays out the title and facts; returns the facts on each title page (usually one).
  std::vector<std::vector<std::size_t>> LayTitlePage(const Typesetter& typesetter) {
    title_ = typesetter.Lay(table_.title, title_font_.get(), kBodyWidth);
    const double label_width = kBodyWidth * kFactLabelShare;
    const double value_width = kBodyWidth - label_width - kFactGap;
    std::vector<std::vector<std::size_t>> pages(1);
    double y = kBodyTop + title_.height + 2 * kFactGap * 3;
    for (std::size_t i = 0; i < table_.facts.size(); ++i) {
      const auto& [label, value] = table_.facts[i];
      Text label_text = typesetter.Lay(label, fact_label_font_.get(), label_width);
      Text value_text = typesetter.Lay(value, fact_value_font_.get(), value_width);
      const double height = std::max(label_text.height, value_text.height) + kFactGap;
      if (y + height > kBodyBottom && !pages.back().empty()) {
        pages.emplace_back();
        y = kBodyTop;
      }
      fact_heights_.push_back(height);
      facts_.emplace_back(std::move(label_text), std::move(value_text));
      pages.back().push_back(i);
      y += height;
    }
    return pages;
  }

  void LayTable(const Typesetter& typesetter) {
    const std::size_t count = columns_x_.size();
    std::vector<TextCache> header_cache(count);
    header_ = LayRow(typesetter, header_cache, header_font_.get(),
                     [&](std::size_t c) { return std::string_view(table_.columns[c].heading); });
    // Statuses, themes, owners and yes/no repeat down a column: each distinct text of a
    // column is shaped once and drawn wherever it occurs.
    std::vector<TextCache> cache(count);
    rows_.reserve(table_.rows.size());
    for (const auto& cells : table_.rows) {
      rows_.push_back(LayRow(typesetter, cache, cell_font_.get(), [&](std::size_t c) {
        return c < cells.size() ? std::string_view(cells[c]) : std::string_view();
      }));
    }
  }

  using TextCache = std::unordered_map<std::string_view, const Text*>;

  template <typename CellAt>
  Row LayRow(const Typesetter& typesetter, std::vector<TextCache>& cache,
             const PangoFontDescription* font, const CellAt& cell_at) {
    Row row;
    row.cells.reserve(cache.size());
    for (std::size_t c = 0; c < cache.size(); ++c) {
      const std::string_view text = cell_at(c);  // a view into table_, which outlives cache
      const Text*& laid = cache[c][text];
      if (laid == nullptr) {
        laid = &texts_.emplace_back(typesetter.Lay(text, font, columns_width_[c] - 2 * kPadding));
      }
      row.cells.push_back(laid);
      row.content_height = std::max(row.content_height, laid->height);
    }
    return row;
  }

  void DrawTitlePage(cairo_t* cr, const std::vector<std::size_t>& facts, bool first) const {
    double y = kBodyTop;
    if (first) {
      cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
      Show(cr, title_, kMargin, y);
      y += title_.height + kFactGap;
      cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr, 1);
      cairo_move_to(cr, kMargin, y);
      cairo_line_to(cr, kMargin + kBodyWidth, y);
      cairo_stroke(cr);
      y += kFactGap * 5;
    }
    const double value_x = kMargin + kBodyWidth * kFactLabelShare + kFactGap;
    for (const std::size_t i : facts) {
      cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
      Show(cr, facts_[i].first, kMargin, y);
      cairo_set_source_rgb(cr, 0, 0, 0);
      Show(cr, facts_[i].second, value_x, y);
      y += fact_heights_[i];
    }
  }

  /// The header row, then the rows' slices: the grid as one path and the text after it,
  /// since every separate fill or stroke is an operation cairo replays per page.
  void DrawTablePage(cairo_t* cr, const std::vector<Slice>& slices) const {
    const double header_height = header_.content_height + 2 * kPadding;
    cairo_rectangle(cr, kMargin, kBodyTop, kBodyWidth, header_height);
    cairo_set_source_rgb(cr, 0.85, 0.88, 0.95);
    cairo_fill(cr);

    double y = kBodyTop;
    AddGridRow(cr, y, header_height);
    y += header_height;
    for (const Slice& slice : slices) {
      const double height = slice.to - slice.from + 2 * kPadding;
      AddGridRow(cr, y, height);
      y += height;
    }
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, kRuleWidth);
    cairo_stroke(cr);

    cairo_set_source_rgb(cr, 0, 0, 0);
    y = kBodyTop;
    ShowRow(cr, header_, 0, header_.content_height, y);
    y += header_height;
    for (const Slice& slice : slices) {
      ShowRow(cr, rows_[slice.row], slice.from, slice.to, y);
      y += slice.to - slice.from + 2 * kPadding;
    }
  }

  void AddGridRow(cairo_t* cr, double y, double height) const {
    for (std::size_t c = 0; c < columns_x_.size(); ++c) {
      cairo_rectangle(cr, columns_x_[c], y, columns_width_[c], height);
    }
  }

  void ShowRow(cairo_t* cr, const Row& row, double from, double to, double y) const {
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      ShowLines(cr, *row.cells[c], columns_x_[c] + kPadding, y + kPadding, from, to);
    }
  }

  void DrawFooter(cairo_t* cr, const Typesetter& typesetter, std::size_t page,
                  std::size_t page_count) const {
    const double y = kPageHeight - kMargin - kFooterHeight / 2;
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    const Text left = typesetter.Lay(table_.title, footer_font_.get(), kBodyWidth * 0.7);
    pango_layout_set_ellipsize(left.layout.get(), PANGO_ELLIPSIZE_END);
    Show(cr, left, kMargin, y);
    const Text right =
        typesetter.Lay("Page " + std::to_string(page) + " of " + std::to_string(page_count),
                       footer_font_.get(), kBodyWidth * 0.25);
    pango_layout_set_alignment(right.layout.get(), PANGO_ALIGN_RIGHT);
    Show(cr, right, kMargin + kBodyWidth * 0.75, y);
  }

  const TableDocument& table_;
  FontPtr title_font_ = Font("DejaVu Sans Bold 22");
  FontPtr fact_label_font_ = Font("DejaVu Sans Bold 11");
  FontPtr fact_value_font_ = Font("DejaVu Sans 11");
  FontPtr header_font_ = Font("DejaVu Sans Bold 8.5");
  FontPtr cell_font_ = Font("DejaVu Sans 8.5");
  FontPtr footer_font_ = Font("DejaVu Sans 8");
  std::vector<double> columns_x_;
  std::vector<double> columns_width_;
  Text title_;
  std::vector<std::pair<Text, Text>> facts_;
  std::vector<double> fact_heights_;
  std::deque<Text> texts_;  // a deque, so that the rows' pointers stay valid as it grows
  Row header_;
  std::vector<Row> rows_;
};

}  // namespace

Expected<std::string> WritePdf(const TableDocument& table) { return PdfWriter(table).Write(); }

void ReleaseFontCaches() {
  cairo_debug_reset_static_data();
  FcFini();
}

}  // namespace certus::reports
