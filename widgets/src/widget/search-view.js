// Search as you type: after a short pause, suggestions (fast, keyword) stand in until the hybrid search
// answers; with an empty box, the articles for the host screen come first. Results open in the panel.
import "./search-view.css";
import { announce, el, liveRegion, uniqueId } from "./dom.js";
import { renderSnippet } from "./snippet.js";

const DEBOUNCE_MS = 120;
const LIMIT = 10;

// What a result opens: its id and the section of its URL, if any.
function target(result) {
  const hash = String(result.url || "").split("#")[1];
  return { articleId: result.id, anchor: hash ? decodeURIComponent(hash) : undefined };
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

function resultItem(doc, result, href) {
  const link = el(doc, "a", { className: "hcw-result", href },
    el(doc, "span", { className: "hcw-result__title", text: result.title }));
  if (result.category && result.category.length) {
    link.append(el(doc, "span", { className: "hcw-result__category", text: result.category.join(" \u203a ") }));
  }
  if (result.snippet) link.append(el(doc, "span", { className: "hcw-result__snippet" }, renderSnippet(doc, result.snippet)));
  else if (result.summary) link.append(el(doc, "span", { className: "hcw-result__snippet", text: result.summary }));
  return el(doc, "li", {}, link);
}

export function mountSearchView(ctx, nav) {
  const doc = ctx.document;
  const view = buildView(doc);
  const state = { results: [], searchId: null, sequence: 0, controller: null, timer: 0, lastOpened: -1 };

  function setAskLabel() {
    const query = view.input.value.trim();
    view.ask.textContent = query ? `Ask the assistant: \u201c${query}\u201d` : "Ask the assistant";
  }

  function render(results, { heading, searchId = null }) {
    state.results = results;
    state.searchId = searchId;
    view.heading.hidden = !heading || !results.length;
    view.heading.textContent = heading || "";
    view.list.replaceChildren(...results.map((result) => resultItem(doc, result, ctx.api.url(result.url || "/"))));
  }

  function say(text, isError) {
    view.message.hidden = !text;
    view.message.textContent = text || "";
    view.message.classList.toggle("hcw-message--error", Boolean(isError));
  }

  function corrections(found) {
    const fixed = found.corrections && Object.keys(found.corrections).length;
    view.note.hidden = !fixed;
    if (fixed) {
      const words = found.query.split(/\s+/).map((word) => found.corrections[word.toLowerCase()] || word).join(" ");
      view.note.textContent = `Showing results for \u201c${words}\u201d`;
    }
  }

  async function showContextual(sequence) {
    view.note.hidden = true;
    say("");
    try {
      const found = await ctx.api.get("/api/v1/contextual", { url: ctx.config.context, limit: 5 });
      if (sequence !== state.sequence) return;
      render(found.articles || [], { heading: "Help for this page" });
      if (!state.results.length) say("Type a question or a few words to search the help.");
    } catch {
      if (sequence !== state.sequence) return;
      render([], {});
      say("Type a question or a few words to search the help.");
    }
  }

  async function runSuggest(query, sequence, signal) {
    try {
      const found = await ctx.api.get("/api/v1/suggest", { q: query, limit: 6 }, { signal });
      if (sequence !== state.sequence || state.searchId) return;
      const titles = (found.suggestions || []).filter((s) => s.kind === "title" && s.id);
      if (titles.length) render(titles.map((s) => ({ id: s.id, title: s.text, url: s.url })), { heading: "Results" });
    } catch {
      // The search that follows says what went wrong, if anything did.
    }
  }

  async function runSearch(query, sequence, signal) {
    try {
      const params = { q: query, limit: LIMIT, session_id: ctx.sessionId };
      const found = await ctx.api.get("/api/v1/search", params, { signal });
      if (sequence !== state.sequence) return;
      corrections(found);
      render(found.results || [], { heading: "Results", searchId: found.search_id });
      const count = found.results.length;
      say(count ? "" : `No articles match \u201c${query}\u201d. Try other words, or ask the assistant.`);
      announce(view.status, count ? `${found.total} result${found.total === 1 ? "" : "s"}` : "No results");
      ctx.bus.emit("search", { query, total: found.total, searchId: found.search_id });
    } catch (error) {
      if (sequence !== state.sequence || error.name === "AbortError") return;
      render([], {});
      say("Search is not available right now. Please try again in a moment.", true);
      announce(view.status, "Search is not available right now.");
    }
  }

  function run() {
    const query = view.input.value.trim();
    state.sequence += 1;
    state.searchId = null;
    if (state.controller) state.controller.abort();
    if (!query) return showContextual(state.sequence);
    state.controller = new AbortController();
    runSuggest(query, state.sequence, state.controller.signal);
    return runSearch(query, state.sequence, state.controller.signal);
  }

  function onInput() {
    setAskLabel();
    ctx.window.clearTimeout(state.timer);
    state.timer = ctx.window.setTimeout(run, DEBOUNCE_MS);
  }

  function onSubmit(event) {
    event.preventDefault();
    ctx.window.clearTimeout(state.timer);
    run();
  }

  function openResult(index) {
    const result = state.results[index];
    state.lastOpened = index;
    if (state.searchId) {
      const body = { article_id: result.id, rank: index + 1, session_id: ctx.sessionId };
      ctx.api.post(`/api/v1/search/${encodeURIComponent(state.searchId)}/click`, body).catch(() => {});
    }
    nav.go("article", target(result));
  }

  function onClick(event) {
    const link = event.target.closest("a.hcw-result");
    // A modified click (new tab, new window) goes to the help site, as any link does.
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    openResult([...view.list.querySelectorAll("a.hcw-result")].indexOf(link));
  }

  // Arrow keys move between the box and the results; Tab works too.
  function onKeyDown(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...view.list.querySelectorAll("a.hcw-result")];
    const at = links.indexOf(doc.activeElement);
    if (doc.activeElement !== view.input && at === -1) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) view.input.focus();
    else if (links[Math.min(next, links.length - 1)]) links[Math.min(next, links.length - 1)].focus();
  }

  const onAsk = () => nav.go("chat", { question: view.input.value.trim() });
  const offContext = ctx.bus.on("context", () => { if (!view.input.value.trim()) run(); });
  view.input.addEventListener("input", onInput);
  view.form.addEventListener("submit", onSubmit);
  view.list.addEventListener("click", onClick);
  view.element.addEventListener("keydown", onKeyDown);
  view.ask.addEventListener("click", onAsk);
  setAskLabel();

  return {
    element: view.element,
    show(options, { restoring }) {
      if (typeof options.query === "string") {
        view.input.value = options.query;
        setAskLabel();
        run();
      } else if (!restoring && !state.results.length && !view.input.value) {
        run();
      }
      const opened = restoring && view.list.querySelectorAll("a.hcw-result")[state.lastOpened];
      return opened || view.input;
    },
    destroy() {
      ctx.window.clearTimeout(state.timer);
      if (state.controller) state.controller.abort();
      offContext();
      view.input.removeEventListener("input", onInput);
      view.form.removeEventListener("submit", onSubmit);
      view.list.removeEventListener("click", onClick);
      view.element.removeEventListener("keydown", onKeyDown);
      view.ask.removeEventListener("click", onAsk);
    },
  };
}
