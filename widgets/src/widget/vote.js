// "Was this helpful?" under an article: yes or no through the votes API (voting again changes the vote),
// then an optional comment. The reader's choice is remembered for the tab so the buttons show it.
import { el, uniqueId } from "./dom.js";

const MAX_COMMENT = 2000;

function buildVote(doc) {
  const questionId = uniqueId("hcw-vote");
  const commentId = uniqueId("hcw-comment");
  const yes = el(doc, "button", { type: "button", className: "hcw-button", "aria-pressed": "false", text: "Yes" });
  const no = el(doc, "button", { type: "button", className: "hcw-button", "aria-pressed": "false", text: "No" });
  const status = el(doc, "p", { className: "hcw-message", role: "status" });
  const comment = el(doc, "textarea", { id: commentId, className: "hcw-field", rows: "3", maxlength: String(MAX_COMMENT) });
  const form = el(doc, "form", { className: "hcw-vote__comment", hidden: true },
    el(doc, "label", { className: "hcw-label", for: commentId, text: "Tell us more (optional)" }), comment,
    el(doc, "button", { type: "submit", className: "hcw-button", text: "Send comment" }));
  const element = el(doc, "div", { className: "hcw-vote" },
    el(doc, "div", { className: "hcw-vote__question", role: "group", "aria-labelledby": questionId },
      el(doc, "p", { id: questionId, className: "hcw-vote__label", text: "Was this helpful?" }), yes, no),
    status, form);
  return { element, yes, no, status, form, comment };
}

export function mountVote(ctx) {
  const parts = buildVote(ctx.document);
  let article = null;

  function pressed(helpful) {
    parts.yes.setAttribute("aria-pressed", String(helpful === true));
    parts.no.setAttribute("aria-pressed", String(helpful === false));
  }

  async function send(helpful, comment) {
    const votes = ctx.storage.session.get("votes") || {};
    const body = { helpful, session_id: ctx.sessionId, ...(comment ? { comment } : {}) };
    try {
      await ctx.api.post(`/api/v1/articles/${encodeURIComponent(article.id)}/votes`, body);
      ctx.storage.session.set("votes", { ...votes, [article.id]: helpful });
      ctx.bus.emit("vote", { articleId: article.id, helpful, comment: Boolean(comment) });
      return true;
    } catch {
      parts.status.textContent = "Your feedback could not be sent. Please try again in a moment.";
      return false;
    }
  }

  async function onVote(event) {
    const helpful = event.currentTarget === parts.yes;
    pressed(helpful);
    if (!(await send(helpful))) return;
    parts.status.textContent = "Thanks for your feedback.";
    parts.form.hidden = false;
  }

  async function onComment(event) {
    event.preventDefault();
    const text = parts.comment.value.trim();
    if (!text) return;
    const helpful = parts.yes.getAttribute("aria-pressed") === "true";
    if (!(await send(helpful, text))) return;
    // The form goes away with the button that had focus: focus stays on the reader's answer instead.
    if (parts.form.contains(ctx.document.activeElement)) (helpful ? parts.yes : parts.no).focus();
    parts.form.hidden = true;
    parts.comment.value = "";
    parts.status.textContent = "Thanks, your comment was sent.";
  }

  parts.yes.addEventListener("click", onVote);
  parts.no.addEventListener("click", onVote);
  parts.form.addEventListener("submit", onComment);

  return {
    element: parts.element,
    show(next) {
      article = next;
      const known = (ctx.storage.session.get("votes") || {})[next.id];
      pressed(typeof known === "boolean" ? known : null);
      parts.status.textContent = "";
      parts.form.hidden = true;
    },
    destroy() {
      parts.yes.removeEventListener("click", onVote);
      parts.no.removeEventListener("click", onVote);
      parts.form.removeEventListener("submit", onComment);
      parts.element.remove();
    },
  };
}
