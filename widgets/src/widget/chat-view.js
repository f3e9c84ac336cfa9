// The assistant: questions sent to /api/v1/chat, the answer read from the server-sent event stream as it
// is written (fetch + ReadableStream), rendered as safe Markdown, with a Stop button, citations that open
// the cited section, thumbs up/down with a comment, follow-ups in the same conversation and "Contact
// support" when it declines. Screen readers hear the finished answer once, not every token.
import "./chat-view.css";
import { announce, el, liveRegion, safeDecode, uniqueId } from "./dom.js";
import { readServerSentEvents } from "./sse.js";
import { linkHref } from "./safe-html.js";
import { renderTurn } from "./chat-turn.js";

const STORE_KEY = "chat";

function buildView(doc) {
  const questionId = uniqueId("hcw-ask");
  const about = el(doc, "p", { className: "hcw-chat__about", hidden: true });
  const turns = el(doc, "ol", { className: "hcw-chat__turns", "aria-label": "Conversation" });
  const intro = el(doc, "p", { className: "hcw-message",
    text: "Ask a question in your own words. Answers come from the help articles, with links to them." });
  const input = el(doc, "textarea", { id: questionId, className: "hcw-field hcw-chat__input", rows: "2", maxlength: "2000",
    enterkeyhint: "send" });
  const send = el(doc, "button", { type: "submit", className: "hcw-button hcw-button--primary", text: "Send" });
  const stop = el(doc, "button", { type: "button", className: "hcw-button", text: "Stop", hidden: true });
  const restart = el(doc, "button", { type: "button", className: "hcw-button hcw-chat__new", text: "New conversation" });
  const form = el(doc, "form", { className: "hcw-chat__form" },
    el(doc, "label", { className: "hcw-label", for: questionId, text: "Your question" }), input,
    el(doc, "div", { className: "hcw-chat__actions" }, send, stop, restart));
  const live = liveRegion(doc);
  const log = el(doc, "div", { className: "hcw-chat__log" },
    el(doc, "h3", { className: "hcw-heading hcw-chat__title", text: "Ask the assistant" }), about, intro, turns);
  const element = el(doc, "section", { className: "hcw-view hcw-chat", "aria-label": "Ask the assistant" }, log, form, live);
  return { element, log, about, turns, intro, input, send, stop, restart, form, live };
}

// The conversation of this tab, kept across its page loads.
function restore(ctx) {
  const stored = ctx.storage.session.get(STORE_KEY);
  if (!stored || !Array.isArray(stored.turns)) return { conversationId: null, turns: [], context: null };
  // A turn that was still streaming when the page unloaded ends where it was.
  stored.turns.forEach((turn) => { if (!turn.done && !turn.error) turn.stopped = true; });
  return stored;
}

class ChatView {
  constructor(ctx, nav) {
    this.ctx = ctx;
    this.nav = nav;
    this.view = buildView(ctx.document);
    this.element = this.view.element;
    this.state = restore(ctx);
    this.controller = null;
    this.frame = 0;
    this.actions = {
      openCitation: (citation) => this.openCitation(citation),
      feedback: (turn, helpful, comment) => this.sendFeedback(turn, helpful, comment),
      contactSupport: (turn) => this.contactSupport(turn),
      url: (path) => linkHref(path, ctx.api.url("/")),
      supportUrl: ctx.config.supportUrl,
    };
    this.listeners = [
      [this.view.form, "submit", (event) => this.onSubmit(event)],
      [this.view.input, "keydown", (event) => this.onKeyDown(event)],
      [this.view.stop, "click", () => this.stop()],
      [this.view.restart, "click", () => this.restart()],
    ];
    this.listeners.forEach(([node, type, fn]) => node.addEventListener(type, fn));
    this.state.turns.forEach((turn) => this.draw(turn));
    this.showAbout();
    this.streaming(false);
  }

  save() {
    const { conversationId, context, turns } = this.state;
    this.ctx.storage.session.set(STORE_KEY, { conversationId, context, turns: turns.map(({ node, ...turn }) => turn) });
  }

  // The turn is drawn anew from its data; focus stays on the same control, and a reader who was at the end
  // of the conversation stays there as the answer grows.
  draw(turn) {
    const { document: doc } = this.ctx;
    const { log } = this.view;
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const focused = turn.node && turn.node.contains(doc.activeElement) ? doc.activeElement.getAttribute("data-key") : null;
    const node = renderTurn(doc, turn, this.actions);
    if (turn.node) turn.node.replaceWith(node);
    else this.view.turns.append(node);
    turn.node = node;
    if (focused) (node.querySelector(`[data-key="${focused}"]`) || node.querySelector("[aria-pressed=true]") || this.view.input).focus();
    if (atEnd) log.scrollTop = log.scrollHeight;
  }

  // Deltas come faster than frames: draw at most once a frame.
  drawSoon(turn) {
    if (this.frame) return;
    this.frame = this.ctx.window.requestAnimationFrame(() => {
      this.frame = 0;
      this.draw(turn);
    });
  }

  showAbout() {
    const { context } = this.state;
    this.view.about.hidden = !context;
    if (!context) return;
    this.view.about.textContent = context.title ? `Questions are asked about \u201c${context.title}\u201d.`
      : "Questions are asked about this page.";
  }

  streaming(on) {
    this.view.send.hidden = on;
    this.view.stop.hidden = !on;
    this.view.restart.disabled = on;
    this.view.intro.hidden = this.state.turns.length > 0;
  }

  onEvent(turn, name, data) {
    if (name === "sources") {
      turn.sources = data.sources || [];
    } else if (name === "delta") {
      turn.text += data.text || "";
      this.drawSoon(turn);
    } else if (name === "done") {
      Object.assign(turn, { done: true, answered: data.answered, answerId: data.answer_id, citations: data.citations || [] });
      this.state.conversationId = data.conversation_id || this.state.conversationId;
    } else if (name === "error") {
      Object.assign(turn, { error: true, answerId: data.answer_id });
    }
  }

  async ask(question) {
    if (this.controller || !question) return;
    const turn = { question, text: "", sources: [], citations: [] };
    this.state.turns.push(turn);
    this.controller = new AbortController();
    this.streaming(true);
    this.draw(turn);
    this.save();
    this.ctx.bus.emit("question", { question });
    try {
      const response = await this.ctx.api.fetch("/api/v1/chat", {
        method: "POST", signal: this.controller.signal, body: JSON.stringify(this.requestBody(question)),
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      });
      await readServerSentEvents(response.body, (name, data) => this.onEvent(turn, name, data), this.controller.signal);
      if (!turn.done && !turn.error) turn.error = true;
    } catch (error) {
      if (error && error.name === "AbortError") turn.stopped = true;
      else turn.error = true;
    }
    this.finish(turn);
  }

  requestBody(question) {
    const { ctx, state } = this;
    return { question, conversation_id: state.conversationId || undefined, session_id: ctx.sessionId,
      current_url: state.context ? state.context.url : ctx.config.context };
  }

  finish(turn) {
    this.controller = null;
    this.ctx.window.cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.streaming(false);
    this.draw(turn);
    this.save();
    const answer = turn.node.querySelector(".hcw-answer__body");
    if (turn.stopped) announce(this.view.live, "Answer stopped.");
    else if (turn.error) announce(this.view.live, "The answer could not be completed. Please try again.");
    else announce(this.view.live, `Answer: ${answer ? answer.textContent : ""}`);
    if (turn.done) {
      this.ctx.bus.emit("answer", { answerId: turn.answerId, answered: turn.answered, conversationId: this.state.conversationId });
    }
  }

  openCitation(citation) {
    const anchor = String(citation.url || "").split("#")[1];
    this.nav.go("article", { articleId: citation.id, anchor: anchor ? safeDecode(anchor) : undefined });
  }

  async sendFeedback(turn, helpful, comment) {
    const path = `/api/v1/chat/${encodeURIComponent(turn.answerId)}/feedback`;
    try {
      await this.ctx.api.post(path, comment ? { helpful, comment } : { helpful });
      turn.feedback = { helpful, commented: Boolean(comment) || Boolean(turn.feedback && turn.feedback.commented) };
      turn.notice = comment ? "Thanks, your comment was sent." : "Thanks for your feedback.";
      this.ctx.bus.emit("feedback", { answerId: turn.answerId, helpful });
    } catch {
      turn.notice = "Your feedback could not be sent. Please try again in a moment.";
    }
    this.draw(turn);
    this.save();
  }

  contactSupport(turn) {
    this.ctx.events.track("contact_support", { answer_id: turn.answerId });
    this.ctx.bus.emit("contact-support", { answerId: turn.answerId, question: turn.question, url: this.ctx.config.supportUrl });
  }

  onSubmit(event) {
    event.preventDefault();
    const question = this.view.input.value.trim();
    if (!question || this.controller) return;
    this.view.input.value = "";
    this.ask(question);
  }

  // Enter sends, Shift+Enter starts a new line.
  onKeyDown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) this.onSubmit(event);
  }

  stop() {
    if (this.controller) this.controller.abort();
    this.view.input.focus();
  }

  restart() {
    Object.assign(this.state, { turns: [], conversationId: null, context: null });
    this.view.turns.replaceChildren();
    this.showAbout();
    this.streaming(false);
    this.save();
    this.view.input.focus();
  }

  // `restoring`: back to the chat, or the panel reopened after a page load; the question was asked then.
  show(options, { restoring }) {
    if (restoring) return this.view.input;
    if (options.context) this.state.context = { url: options.context, title: options.contextTitle || "" };
    this.showAbout();
    if (options.question) this.ask(options.question);
    return this.view.input;
  }

  destroy() {
    if (this.controller) this.controller.abort();
    this.ctx.window.cancelAnimationFrame(this.frame);
    this.listeners.forEach(([node, type, fn]) => node.removeEventListener(type, fn));
  }
}

export function mountChatView(ctx, nav) {
  return new ChatView(ctx, nav);
}
