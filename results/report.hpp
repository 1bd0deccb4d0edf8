#pragma once
// `multivector report`: one self-contained HTML file that shows a run to a reader who would rather
// look than read CSV files. The run directory's files are read back (not re-simulated), so the
// report shows exactly what the run recorded; the scenario is reloaded from the manifest only for
// names and for the recorded votes it names in compare_with.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.hpp"

namespace multivector::results {

struct ReportInputs {
  std::filesystem::path run_dir;
  std::filesystem::path compare_dir;  // empty: recorded votes from the scenario's compare_with
};

// Everything the page draws, as one JSON document. Problems that leave the report usable (the
// scenario file has moved, the recorded votes cannot be read) are added to `warnings`; a run
// directory that cannot be read is an InputError.
[[nodiscard]] nlohmann::ordered_json report_data(const ReportInputs& inputs,
                                                 std::vector<std::string>& warnings);

// The HTML page with the chart libraries, the page script and `data` inlined.
[[nodiscard]] std::string render_report_html(const nlohmann::ordered_json& data);

// An agenda item as the pages show it: id, name, resolution, date, statement?, tags, options.
[[nodiscard]] nlohmann::ordered_json agenda_item_json(const sim::AgendaItem& item);

// Throws OutputError when `output` is an existing file that is not a web page (it does not begin
// with <!DOCTYPE html> or <html>; an empty file passes): `report RUN -o compare.csv` would
// otherwise replace a table the user wanted with a web page. A new file may have any name.
void check_report_output_replaceable(const std::filesystem::path& output);

// "" when the build embedded Vega, Vega-Lite and Vega-Embed; otherwise what to do about it.
[[nodiscard]] std::string missing_chart_libraries();

// Replaces the first `marker` (e.g. "<!--SCRIPT-->") in the page template `page` with `content`.
// A template without the marker is a build mistake, so it throws std::logic_error naming both.
void fill_page_marker(std::string& page, std::string_view template_name, std::string_view marker,
                      const std::string& content);
// `text` made safe inside a <script> element (no "</script" or "<!--" can end or confuse it).
[[nodiscard]] std::string script_safe(std::string_view text);
// The <style> element both pages share (web/src/style.css).
[[nodiscard]] std::string page_style();
// The <script> element of a page: web/src/dom.js, which both pages share, then the page's own
// script (the asset `page_asset`, e.g. "report.js"), both made script-safe.
[[nodiscard]] std::string page_script(std::string_view page_asset);
// `text` made safe as HTML text or an attribute value.
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace multivector::results
