// Day-by-day charts (uPlot, on canvas). Each is a figure: a caption, a summary for screen readers on the
// drawing, a key that does not rely on colour alone (solid and dashed lines), and the same numbers as a table.
import uPlot from "uplot";
import "./charts.css";
import { el } from "./dom.js";
import { count, day, percent } from "./format.js";
import { dataTable } from "./table.js";

const HEIGHT = 240;
const INK = "#1b1f24";
const GRID = "#d0d7de";
// Both lines keep at least 3:1 contrast with the white background (WCAG 1.4.11).
const LINES = [{ stroke: "#1f5fbf", dash: undefined }, { stroke: "#b3261e", dash: [6, 4] }];
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 25000, 50000, 100000];
const DAY_SECONDS = 86400;
// Whole days only: the API counts by day, so ticks between two days would label nothing.
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91].map((days) => days * DAY_SECONDS);
const tickDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

const CHARTS = [
  { title: "Searches and zero-result rate per day", series: [
    { label: "Searches", axis: "count", value: (d) => d.searches, format: count },
    { label: "Zero-result rate", axis: "rate", value: (d) => d.zero_result_rate, format: percent },
  ] },
  { title: "Deflection rate per day", series: [
    { label: "Deflection rate", axis: "rate", value: (d) => d.deflection_rate, format: percent },
  ] },
];

let drawn = []; // what to undo before the next range's charts: each plot and its resize observer

const numberOrNull = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);

function seriesSummary(series, rows) {
  const points = rows.filter((row) => numberOrNull(series.value(row)) !== null);
  if (points.length === 0) return `${series.label}: no data.`;
  const values = points.map(series.value);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  if (series.axis === "rate" && low === high) return `${series.label}: ${percent(low)} on each day with data.`;
  if (series.axis === "rate") return `${series.label} from ${percent(low)} to ${percent(high)}.`;
  const top = points[values.indexOf(high)];
  const total = values.reduce((a, b) => a + b, 0);
  return `${series.label}: ${count(total)} in all, most on ${day(top.day)} (${count(series.value(top))}).`;
}

function describe(chart, rows) {
  const span = `${day(rows[0].day)} to ${day(rows[rows.length - 1].day)}`;
  return `Line chart, ${chart.title.toLowerCase()}, ${span}. ${chart.series.map((s) => seriesSummary(s, rows)).join(" ")} `
    + "The table under the chart lists every day.";
}

function axisFor(series, index) {
  const shared = { scale: series.axis, stroke: INK, ticks: { stroke: GRID }, grid: { show: index === 0, stroke: GRID } };
  if (series.axis === "rate") return { ...shared, side: index === 0 ? 3 : 1, values: (u, splits) => splits.map((v) => `${Math.round(v * 100)}%`) };
  return { ...shared, incrs: COUNT_STEPS, values: (u, splits) => splits.map(count) };
}

function options(chart, width) {
  return {
    width, height: HEIGHT,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
    legend: { show: false }, cursor: { show: false }, select: { show: false },
    scales: { x: { time: true }, count: { range: (u, min, max) => [0, Math.max(1, max)] }, rate: { range: () => [0, 1] } },
    axes: [{ stroke: INK, ticks: { stroke: GRID }, grid: { stroke: GRID }, incrs: DAY_STEPS,
      values: (u, splits) => splits.map((seconds) => tickDay.format(new Date(seconds * 1000))) }, ...chart.series.map(axisFor)],
    series: [{}, ...chart.series.map((s, i) => ({
      label: s.label, scale: s.axis, width: 2, spanGaps: false, points: { show: true, size: 5 }, ...LINES[i],
    }))],
  };
}

function plotData(chart, rows) {
  const days = rows.map((row) => Date.parse(`${row.day}T00:00:00Z`) / 1000);
  return [days, ...chart.series.map((s) => rows.map((row) => numberOrNull(s.value(row))))];
}

function draw(chart, rows, box) {
  const plot = new uPlot(options(chart, box.clientWidth), plotData(chart, rows), box);
  const observer = new ResizeObserver(() => plot.setSize({ width: box.clientWidth, height: HEIGHT }));
  observer.observe(box);
  drawn.push(() => {
    observer.disconnect();
    plot.destroy();
  });
}

function key(chart) {
  const sides = chart.series.length > 1 ? [" (left axis)", " (right axis)"] : ["", ""];
  return el("ul", { className: "hc-dash-key" }, chart.series.map((s, i) => el("li", {},
    el("span", { className: `hc-dash-swatch hc-dash-swatch-${i}`, "aria-hidden": "true" }), `${s.label}${sides[i]}`)));
}

function chartTable(chart, rows, csv) {
  const columns = [{ label: "Day", value: (row) => day(row.day) },
    ...chart.series.map((s) => ({ label: s.label, value: (row) => s.format(s.value(row)), numeric: true }))];
  return el("details", { className: "hc-dash-details" }, el("summary", {}, "Show as table"),
    dataTable({ caption: chart.title, columns, rows, csv }));
}

function figure(chart, rows, csv) {
  const box = rows.length ? el("div", { className: "hc-dash-plot", role: "img", "aria-label": describe(chart, rows) }) : null;
  const parts = box ? [box, key(chart), chartTable(chart, rows, csv)] : [el("p", {}, "No data in this range.")];
  const node = el("figure", { className: "hc-dash-chart" }, el("figcaption", {}, chart.title), parts);
  return { node, box };
}

export function renderCharts(slot, daily, csv) {
  drawn.forEach((undo) => undo());
  drawn = [];
  const rows = Array.isArray(daily) ? daily : [];
  const figures = CHARTS.map((chart) => ({ chart, ...figure(chart, rows, csv) }));
  slot.replaceChildren(...figures.map((f) => f.node));
  // Drawn once in the page: uPlot sizes its canvas from the width the layout gave the box.
  figures.filter((f) => f.box).forEach((f) => draw(f.chart, rows, f.box));
}
