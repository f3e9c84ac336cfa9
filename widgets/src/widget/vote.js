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

class Vote {
  constructor(ctx) {
    this.ctx = ctx;
    this.parts = buildVote(ctx.document);
    this.element = this.parts.element;
    this.article = null;
    this.listeners = [
      [this.parts.yes, "click", (event) => this.onVote(event)],
      [this.parts.no, "click", (event) => this.onVote(event)],
      [this.parts.form, "submit", (event) => this.onComment(event)],
    ];
    this.listeners.forEach(([node, type, fn]) => node.addEventListener(type, fn));
  }

  // true (yes), false (no) or null (not voted), as the buttons show it.
  get pressed() {
    if (this.parts.yes.getAttribute("aria-pressed") === "true") return true;
    return this.parts.no.getAttribute("aria-pressed") === "true" ? false : null;
  }

  set pressed(helpful) {
    this.parts.yes.setAttribute("aria-pressed", String(helpful === true));
    this.parts.no.setAttribute("aria-pressed", String(helpful === false));
  }

  async send(helpful, comment) {
    const { ctx, article } = this;
    const votes = ctx.storage.session.get("votes") || {};
    const body = { helpful, session_id: ctx.sessionId, ...(comment ? { comment } : {}) };
    try {
      await ctx.api.post(`/api/v1/articles/${encodeURIComponent(article.id)}/votes`, body);
      ctx.storage.session.set("votes", { ...votes, [article.id]: helpful });
      ctx.bus.emit("vote", { articleId: article.id, helpful, comment: Boolean(comment) });
      return true;
    } catch {
      this.parts.status.textContent = "Your feedback could not be sent. Please try again in a moment.";
      return false;
    }
  }

  // The button shows the choice at once; if it could not be recorded, it shows again what was recorded.
  async onVote(event) {
    const helpful = event.currentTarget === this.parts.yes;
    const before = this.pressed;
    this.pressed = helpful;
    if (!(await this.send(helpful))) {
      this.pressed = before;
      return;
    }
    this.parts.status.textContent = "Thanks for your feedback.";
    this.parts.form.hidden = false;
  }

  async onComment(event) {
    event.preventDefault();
    const { parts } = this;
    const text = parts.comment.value.trim();
    if (!text) return;
    const helpful = this.pressed === true;
    if (!(await this.send(helpful, text))) return;
    // The form goes away with the button that had focus: focus stays on the reader's answer instead.
    if (parts.form.contains(this.ctx.document.activeElement)) (helpful ? parts.yes : parts.no).focus();
    parts.form.hidden = true;
    parts.comment.value = "";
    parts.status.textContent = "Thanks, your comment was sent.";
  }

  show(article) {
    this.article = article;
    const known = (this.ctx.storage.session.get("votes") || {})[article.id];
    this.pressed = typeof known === "boolean" ? known : null;
    this.parts.status.textContent = "";
    this.parts.form.hidden = true;
  }

  destroy() {
    this.listeners.forEach(([node, type, fn]) => node.removeEventListener(type, fn));
    this.element.remove();
  }
}

export function mountVote(ctx) {
  return new Vote(ctx);
}
