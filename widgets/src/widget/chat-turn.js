// One question and its answer, drawn from the turn's data (drawn again as the answer grows): the answer as
// safe Markdown with its citations, the sources, thumbs up/down with a comment, and "Contact support".
import { el, uniqueId } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { needsToken } from "./safe-html.js";

// A cited article opens in the panel. A restricted one is a button: a link would invite a new tab that has no
// token and can only say "sign in".
function opener(doc, item, actions, attributes) {
  const node = needsToken(item.url)
    ? el(doc, "button", { type: "button", ...attributes, className: `hcw-link-button ${attributes.className || ""}`.trim() })
    : el(doc, "a", { ...attributes, href: actions.url(item.url) });
  node.addEventListener("click", (event) => { event.preventDefault(); actions.openCitation(item); });
  return node;
}

function citationMarker(doc, turn, actions) {
  return (n) => {
    const cited = turn.done && (turn.citations || []).find((c) => c.n === n);
    if (!cited) return el(doc, "span", { className: "hcw-cite", text: `[${n}]` });
    return opener(doc, cited, actions, { className: "hcw-cite", "aria-label": `Source ${n}: ${cited.title}`, text: `[${n}]` });
  };
}

function sourceList(doc, turn, actions) {
  const cited = turn.citations && turn.citations.length ? turn.citations : null;
  const items = cited || (turn.answered === false ? turn.sources : []);
  if (!turn.done || !items || !items.length) return null;
  const headingId = uniqueId("hcw-sources");
  const list = el(doc, "ol", { className: "hcw-sources", "aria-labelledby": headingId }, items.map((item, i) => {
    const link = opener(doc, item, actions, { "data-key": `source-${i}`, text: item.title });
    return el(doc, "li", { value: cited ? item.n : null }, link);
  }));
  const heading = cited ? "Sources" : "Closest articles";
  return el(doc, "div", {}, el(doc, "h4", { className: "hcw-heading", id: headingId, text: heading }), list);
}

function thumb(doc, turn, actions, helpful) {
  const pressed = Boolean(turn.feedback) && turn.feedback.helpful === helpful;
  const button = el(doc, "button", { type: "button", className: "hcw-button hcw-thumb", "aria-pressed": String(pressed),
    "data-key": helpful ? "up" : "down", text: helpful ? "Yes" : "No" });
  button.addEventListener("click", () => actions.feedback(turn, helpful));
  return button;
}

function commentForm(doc, turn, actions) {
  const id = uniqueId("hcw-answer-comment");
  const box = el(doc, "textarea", { id, className: "hcw-field", rows: "2", maxlength: "2000", "data-key": "comment" });
  const form = el(doc, "form", { className: "hcw-answer__comment" },
    el(doc, "label", { className: "hcw-label", for: id, text: "Tell us more (optional)" }), box,
    el(doc, "button", { type: "submit", className: "hcw-button", "data-key": "send-comment", text: "Send comment" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (box.value.trim()) actions.feedback(turn, turn.feedback.helpful, box.value.trim());
  });
  return form;
}

function feedback(doc, turn, actions) {
  if (!turn.done || !turn.answerId) return null;
  const labelId = uniqueId("hcw-helpful");
  return el(doc, "div", { className: "hcw-answer__feedback" },
    el(doc, "div", { className: "hcw-answer__thumbs", role: "group", "aria-labelledby": labelId },
      el(doc, "span", { id: labelId, text: "Was this answer helpful?" }),
      thumb(doc, turn, actions, true), thumb(doc, turn, actions, false)),
    turn.feedback && !turn.feedback.commented ? commentForm(doc, turn, actions) : null,
    turn.notice ? el(doc, "p", { className: "hcw-message", role: "status", text: turn.notice }) : null);
}

// Offered whenever the answer did not help. With a support address it is a link there; without one it is a
// button, and the host page hears the reader's choice through the contact-support event.
function contactSupport(doc, turn, actions) {
  const declined = turn.done && turn.answered === false;
  const unhappy = turn.feedback && turn.feedback.helpful === false;
  if (!(declined || unhappy || turn.error)) return null;
  const control = actions.supportUrl
    ? el(doc, "a", { className: "hcw-button hcw-answer__support", href: actions.supportUrl, "data-key": "support" })
    : el(doc, "button", { type: "button", className: "hcw-button hcw-answer__support", "data-key": "support" });
  control.textContent = "Contact support";
  control.addEventListener("click", () => actions.contactSupport(turn));
  return el(doc, "p", {}, control);
}

function stateNote(doc, turn) {
  if (turn.stopped) return el(doc, "p", { className: "hcw-message", text: "Stopped." });
  if (turn.error) return el(doc, "p", { className: "hcw-message hcw-message--error", text: "The answer could not be completed. Please try again." });
  if (!turn.text) return el(doc, "p", { className: "hcw-message", text: "Looking through the help\u2026" });
  return null;
}

export function renderTurn(doc, turn, actions) {
  const body = el(doc, "div", { className: "hcw-answer__body" }, renderMarkdown(doc, turn.text, citationMarker(doc, turn, actions)));
  const node = el(doc, "li", { className: "hcw-turn" },
    el(doc, "div", { className: "hcw-turn__question" }, el(doc, "span", { className: "hcw-sr", text: "You asked: " }), turn.question),
    el(doc, "div", { className: "hcw-answer" }, el(doc, "span", { className: "hcw-sr", text: "Answer: " }), body,
      stateNote(doc, turn), sourceList(doc, turn, actions), feedback(doc, turn, actions), contactSupport(doc, turn, actions)));
  return node;
}
