// A data table with its caption and a "Download CSV" link: the form every list of the dashboard takes,
// and the text alternative of every chart.
import "./table.css";
import { el, hidden, uniqueId } from "./dom.js";
import { NO_DATA } from "./format.js";

// A dash alone reads as nothing (or "em dash") to a screen reader.
export function cellValue(value) {
  if (value !== NO_DATA) return value;
  return [el("span", { "aria-hidden": "true" }, NO_DATA), hidden("no data")];
}

function bar(share) {
  const line = el("span", { className: "hc-dash-bar", "aria-hidden": "true" });
  // A custom property set through the CSSOM, which a style-src policy allows (a style attribute it would not).
  line.style.setProperty("--hc-dash-share", String(Math.max(0, Math.min(1, share))));
  return line;
}

function cell(column, row, index, largest) {
  const value = cellValue(column.value(row));
  if (index === 0) return el("th", { scope: "row" }, value);
  const shown = column.bar && largest > 0 ? [value, bar(column.bar(row) / largest)] : value;
  return el("td", { className: column.numeric ? "hc-dash-number" : undefined }, shown);
}

function body(columns, rows) {
  if (rows.length === 0) {
    return el("tbody", {}, el("tr", {}, el("td", { colspan: columns.length }, "No data in this range.")));
  }
  const largest = Object.fromEntries(columns.filter((c) => c.bar).map((c) => [c.label, Math.max(...rows.map(c.bar))]));
  return el("tbody", {}, rows.map((row) => el("tr", {}, columns.map((column, index) => cell(column, row, index, largest[column.label])))));
}

// A table wider than the screen scrolls inside a focusable region, so keyboard users can scroll it too.
export function dataTable({ caption, columns, rows, csv }) {
  const captionId = uniqueId("hc-dash-caption");
  const table = el("table", { className: "hc-dash-table" },
    el("caption", { id: captionId }, caption),
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", className: c.numeric ? "hc-dash-number" : undefined }, c.label)))),
    body(columns, rows || []));
  const scroller = el("div", { className: "hc-dash-scroll", role: "region", "aria-labelledby": captionId, tabindex: "0" }, table);
  return el("div", { className: "hc-dash-table-block" }, scroller, csv ? csvLink(csv, caption) : null);
}

// The link points at the CSV itself; a click fetches it with the token (csv.download) instead of following it.
export function csvLink(csv, what) {
  return el("a", {
    className: "hc-dash-csv", href: csv.href,
    on: { click: (event) => { event.preventDefault(); csv.download(); } },
  }, "Download CSV", hidden(` of ${what.toLowerCase()}`));
}
