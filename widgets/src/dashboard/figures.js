// The headline figures: one term and value each, with what it is measured against beneath.
import "./figures.css";
import { el } from "./dom.js";
import { count, decimal, percent } from "./format.js";
import { cellValue } from "./table.js";

const of = (value, what) => (typeof value === "number" ? `of ${count(value)} ${what}` : null);

const FIGURES = [
  ["Sessions", (d) => count(d.sessions)],
  ["Readers", (d) => count(d.readers)],
  ["Article views", (d) => count(d.article_views)],
  ["Searches", (d) => count(d.searches)],
  ["Zero-result rate", (d) => percent(d.zero_result?.rate), (d) => of(d.searches, "searches")],
  ["Click-through rate", (d) => percent(d.clicks?.click_through_rate), () => "searches followed by a click"],
  ["Mean click rank", (d) => decimal(d.clicks?.mean_rank), () => "position of the result clicked"],
  ["Helpful votes", (d) => count(d.votes?.helpful), (d) => `${count(d.votes?.not_helpful)} not helpful`],
  ["Assistant answered", (d) => percent(d.assistant?.answered_rate), (d) => of(d.assistant?.questions, "questions")],
  ["Assistant declined", (d) => percent(d.assistant?.declined_rate), (d) => of(d.assistant?.questions, "questions")],
  ["Tickets after help", (d) => count(d.tickets?.after_help), (d) => of(d.tickets?.total, "tickets")],
  ["Tickets without help", (d) => count(d.tickets?.without_help), (d) => of(d.tickets?.total, "tickets")],
  ["Deflection rate", (d) => percent(d.deflection?.rate), deflectionNote],
];

function deflectionNote(data) {
  const deflection = data.deflection || {};
  if (typeof deflection.help_sessions !== "number") return null;
  return `${count(deflection.help_sessions)} help sessions, ${count(deflection.followed_by_ticket)} followed by a ticket `
    + `within ${count(deflection.window_minutes)} minutes`;
}

export function renderFigures(slot, data) {
  const items = FIGURES.map(([term, value, note]) => {
    const noted = note && note(data);
    return el("div", { className: "hc-dash-figure" },
      el("dt", {}, term),
      el("dd", { className: "hc-dash-value" }, cellValue(value(data))),
      noted ? el("dd", { className: "hc-dash-note" }, noted) : null);
  });
  slot.replaceChildren(el("dl", { className: "hc-dash-figures" }, items));
}
