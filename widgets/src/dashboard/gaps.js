// Content gaps: what readers asked for and did not find, each with the command that starts its article.
import "./gaps.css";
import { el, hidden } from "./dom.js";
import { count } from "./format.js";
import { csvLink } from "./table.js";

const SOURCES = [["zero_result", "search with no result", "searches with no result"],
  ["declined", "declined question", "declined questions"], ["ticket", "ticket", "tickets"]];

function sources(gap) {
  const from = gap.sources || {};
  const parts = SOURCES.filter(([key]) => from[key] > 0).map(([key, one, many]) => `${count(from[key])} ${from[key] === 1 ? one : many}`);
  return parts.length ? `: ${parts.join(", ")}` : "";
}

// The clipboard API needs a secure context; elsewhere the command is selected for the reader to copy.
async function copy(code, say) {
  try {
    await navigator.clipboard.writeText(code.textContent);
    say("Command copied.");
  } catch {
    const range = document.createRange();
    range.selectNodeContents(code);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    say("The command is selected: press Ctrl+C (or Cmd+C) to copy it.");
  }
}

function command(gap, say) {
  const code = el("code", {}, gap.command);
  const button = el("button", { type: "button", className: "hc-dash-button hc-dash-secondary", on: { click: () => copy(code, say) } },
    "Copy", hidden(` the command for “${gap.label}”`));
  return el("div", { className: "hc-dash-command" }, code, button);
}

function gapItem(gap, say) {
  const examples = Array.isArray(gap.examples) ? gap.examples : [];
  return el("li", { className: "hc-dash-gap" },
    el("h3", {}, gap.label || gap.gap_id),
    el("p", { className: "hc-dash-note" }, `${count(gap.count)} times, harm ${count(gap.harm)}${sources(gap)}`),
    examples.length ? el("p", { className: "hc-dash-examples-title" }, "Examples") : null,
    examples.length ? el("ul", { className: "hc-dash-examples" }, examples.map((text) => el("li", {}, text))) : null,
    gap.command ? command(gap, say) : null);
}

// `say` announces the outcome of a copy in the page's status line.
export function renderGaps(slot, gaps, csv, say) {
  const list = Array.isArray(gaps) ? gaps : [];
  const body = list.length ? el("ol", { className: "hc-dash-gaps" }, list.map((gap) => gapItem(gap, say)))
    : el("p", {}, "No content gaps in this range.");
  slot.replaceChildren(body, csvLink(csv, "Content gaps"));
}
