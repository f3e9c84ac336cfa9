// Search as you type: after a short pause, suggestions (fast, keyword) stand in until the hybrid search
// answers; with an empty box, the articles for the host screen come first. Results open in the panel.
import "./search-view.css";
import { announce, el, isPlainClick, liveRegion, safeDecode, uniqueId } from "./dom.js";
import { linkHref, needsToken } from "./safe-html.js";
import { renderSnippet } from "./snippet.js";

// Short enough that results follow a keystroke within 100 ms on a near server (bench/widget_bench.py); a fast
// typist's keys still coalesce, and a newer request aborts the one before it.
const DEBOUNCE_MS = 50;
const LIMIT = 10;

// What a result opens: its id and the section of its URL, if any.
function target(result) {
  const hash = String(result.url || "").split("#")[1];
  return { articleId: result.id, anchor: hash ? safeDecode(hash) : undefined };
}

function buildView(doc) {
  const inputId = uniqueId("hcw-q");
  const input = el(doc, "input", {
    id: inputId, className: "hcw-field hcw-search__input", type: "search", autocomplete: "off", spellcheck: "false",
    enterkeyhint: "search", maxlength: "500",
  });
  const ask = el(doc, "button", { type: "button", className: "hcw-button hcw-search__ask" });
  const status = liveRegion(doc);
  const note = el(doc, "p", { className: "hcw-message hcw-search__note", hidden: true });
  const heading = el(doc, "h3", { className: "hcw-heading", hidden: true });
  const list = el(doc, "ul", { className: "hcw-results", role: "list" });
  const message = el(doc, "p", { className: "hcw-message", hidden: true });
  const form = el(doc, "form", { className: "hcw-search__form", role: "search" },
    el(doc, "label", { className: "hcw-label", for: inputId, text: "Search help" }), input);
  const element = el(doc, "section", { className: "hcw-view hcw-search", "aria-label": "Search" },
    form, ask, status, note, heading, list, message);
  return { element, form, input, ask, status, note, heading, list, message };
}

// A restricted article is a button: it opens in the panel, which has the reader's token; a link would invite
// a new tab that has none.
function resultItem(doc, result, base) {
  const link = needsToken(result.url)
    ? el(doc, "button", { type: "button", className: "hcw-result" })
    : el(doc, "a", { className: "hcw-result", href: linkHref(result.url, base) });
  link.append(el(doc, "span", { className: "hcw-result__title", text: result.title }));
  if (result.category && result.category.length) {
    link.append(el(doc, "span", { className: "hcw-result__category", text: result.category.join(" \u203a ") }));
  }
  if (result.snippet) link.append(el(doc, "span", { className: "hcw-result__snippet" }, renderSnippet(doc, result.snippet)));
  else if (result.summary) link.append(el(doc, "span", { className: "hcw-result__snippet", text: result.summary }));
  return el(doc, "li", {}, link);
}

class SearchView {
  constructor(ctx, nav) {
    this.ctx = ctx;
    this.nav = nav;
    this.view = buildView(ctx.document);
    this.element = this.view.element;
    this.results = [];
    this.searchId = null;
    this.sequence = 0;
    this.controller = null;
    this.timer = 0;
    this.lastOpened = -1;
    const { view } = this;
    this.listeners = [
      [view.input, "input", () => this.onInput()],
      [view.form, "submit", (event) => this.onSubmit(event)],
      [view.list, "click", (event) => this.onClick(event)],
      [view.element, "keydown", (event) => this.onKeyDown(event)],
      [view.ask, "click", () => nav.go("chat", { question: view.input.value.trim() })],
    ];
    this.listeners.forEach(([node, type, fn]) => node.addEventListener(type, fn));
    this.offContext = ctx.bus.on("context", () => { if (!view.input.value.trim()) this.run(); });
    this.setAskLabel();
  }

  setAskLabel() {
    const query = this.view.input.value.trim();
    this.view.ask.textContent = query ? `Ask the assistant: \u201c${query}\u201d` : "Ask the assistant";
  }

  render(results, { heading, searchId = null }) {
    const { view, ctx } = this;
    this.results = results;
    this.searchId = searchId;
    view.heading.hidden = !heading || !results.length;
    view.heading.textContent = heading || "";
    const focused = this.links().indexOf(ctx.document.activeElement);
    view.list.replaceChildren(...results.map((result) => resultItem(ctx.document, result, ctx.api.url("/"))));
    // A reader already in the list (the suggestions came first) stays at the same place in the new one.
    if (focused !== -1) (this.links()[Math.min(focused, results.length - 1)] || view.input).focus();
  }

  say(text, isError) {
    const { message } = this.view;
    message.hidden = !text;
    message.textContent = text || "";
    message.classList.toggle("hcw-message--error", Boolean(isError));
  }

  showCorrections(found) {
    const { note } = this.view;
    const fixed = found.corrections && Object.keys(found.corrections).length;
    note.hidden = !fixed;
    if (fixed) {
      const words = found.query.split(/\s+/).map((word) => found.corrections[word.toLowerCase()] || word).join(" ");
      note.textContent = `Showing results for \u201c${words}\u201d`;
    }
  }

  async showContextual(sequence) {
    this.view.note.hidden = true;
    this.say("");
    let articles = [];
    try {
      articles = (await this.ctx.api.get("/api/v1/contextual", { url: this.ctx.config.context, limit: 5 })).articles || [];
    } catch {
      // Without them the reader still has the search box.
    }
    if (sequence !== this.sequence) return;
    this.render(articles, { heading: "Help for this page" });
    if (!articles.length) this.say("Type a question or a few words to search the help.");
  }

  // Titles matching what was typed stand in until the hybrid search answers.
  async suggest(query, sequence, signal) {
    try {
      const found = await this.ctx.api.get("/api/v1/suggest", { q: query, limit: 6 }, { signal });
      if (sequence !== this.sequence || this.searchId) return;
      const titles = (found.suggestions || []).filter((s) => s.kind === "title" && s.id);
      if (titles.length) this.render(titles.map((s) => ({ id: s.id, title: s.text, url: s.url })), { heading: "Results" });
    } catch {
      // The search that follows says what went wrong, if anything did.
    }
  }

  async search(query, sequence, signal) {
    const { ctx, view } = this;
    try {
      const found = await ctx.api.get("/api/v1/search", { q: query, limit: LIMIT, session_id: ctx.sessionId }, { signal });
      if (sequence !== this.sequence) return;
      this.showCorrections(found);
      const near = found.weak && (found.results || []).length;
      this.render(found.results || [], { heading: near ? "Nearest articles" : "Results", searchId: found.search_id });
      const count = this.results.length;
      if (!count) this.say(`No articles match \u201c${query}\u201d. Try other words, or ask the assistant.`);
      else this.say(near ? `Nothing matches \u201c${query}\u201d closely. Try other words, or ask the assistant.` : "");
      announce(view.status, count ? `${found.total} result${found.total === 1 ? "" : "s"}` : "No results");
      ctx.bus.emit("search", { query, total: found.total, searchId: found.search_id });
    } catch (error) {
      if (sequence !== this.sequence || error.name === "AbortError") return;
      this.render([], {});
      this.say("Search is not available right now. Please try again in a moment.", true);
      announce(view.status, "Search is not available right now.");
    }
  }

  run() {
    const query = this.view.input.value.trim();
    this.sequence += 1;
    this.searchId = null;
    if (this.controller) this.controller.abort();
    if (!query) return this.showContextual(this.sequence);
    this.controller = new AbortController();
    this.suggest(query, this.sequence, this.controller.signal);
    return this.search(query, this.sequence, this.controller.signal);
  }

  onInput() {
    this.setAskLabel();
    this.ctx.window.clearTimeout(this.timer);
    this.timer = this.ctx.window.setTimeout(() => this.run(), DEBOUNCE_MS);
  }

  onSubmit(event) {
    event.preventDefault();
    this.ctx.window.clearTimeout(this.timer);
    this.run();
  }

  open(index) {
    const result = this.results[index];
    this.lastOpened = index;
    if (this.searchId) {
      const body = { article_id: result.id, rank: index + 1, session_id: this.ctx.sessionId };
      this.ctx.api.post(`/api/v1/search/${encodeURIComponent(this.searchId)}/click`, body).catch(() => {});
    }
    this.nav.go("article", target(result));
  }

  links() {
    return [...this.view.list.querySelectorAll(".hcw-result")];
  }

  onClick(event) {
    const link = event.target.closest(".hcw-result");
    // A modified click on a link (new tab, new window) goes to the help site, as any link does.
    if (!link || (link.tagName === "A" && !isPlainClick(event))) return;
    event.preventDefault();
    this.open(this.links().indexOf(link));
  }

  // Arrow keys move between the box and the results; Tab works too. Escape in a box with text clears it (the
  // panel would close on the same key): a second Escape closes the panel.
  onKeyDown(event) {
    if (event.key === "Escape" && event.target === this.view.input && this.view.input.value) {
      event.preventDefault();
      this.view.input.value = "";
      this.onInput();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = this.links();
    const active = this.ctx.document.activeElement;
    const at = links.indexOf(active);
    if (active !== this.view.input && at === -1) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) this.view.input.focus();
    else if (links.length) links[Math.min(next, links.length - 1)].focus();
  }

  show(options, { restoring }) {
    const { input } = this.view;
    const query = typeof options.query === "string" ? options.query : null;
    // Going back keeps the results the reader left; a new request, or a page load, searches again.
    if (query !== null && !(restoring && this.results.length)) {
      input.value = query;
      this.setAskLabel();
      this.run();
    } else if (!this.results.length && !input.value) {
      this.run();
    }
    return (restoring && this.links()[this.lastOpened]) || input;
  }

  destroy() {
    this.ctx.window.clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
    this.offContext();
    this.listeners.forEach(([node, type, fn]) => node.removeEventListener(type, fn));
  }
}

export function mountSearchView(ctx, nav) {
  return new SearchView(ctx, nav);
}
