// The header search box on the API's hybrid search (typo tolerance, snippets) instead of lunr's. Material
// searches on the box's keyup and moves through its results on the window's keydown: our listeners run
// first (capture phase) and stop those events, and the results go to a list of our own inside Material's
// overlay, its own list hidden. If the API stops answering, Material gets its box back.
import "./site-search.css";
import { el } from "./dom.js";
import { crumbs, snippet, resultLink, trackClicks } from "./site-result.js";
import { afterMaterial, apiFailed, siteUrl } from "./site-api.js";

const LIMIT = 8;
const DEBOUNCE_MS = 60;
const KEYS = ["ArrowDown", "ArrowUp", "Enter"];

export function resultsPageUrl(doc, query) {
  return `${siteUrl(doc, "search/")}?${new URLSearchParams({ q: query })}`;
}

// What the API understood: "wrok ordr" is shown as the "work order" it searched for.
export function correctedQuery(found) {
  const corrections = found.corrections || {};
  const words = found.query.split(/(\s+)/).map((word) => corrections[word.toLowerCase()] || word).join("");
  return words === found.query ? null : words;
}

export function countText(found) {
  const total = found.total;
  const corrected = correctedQuery(found);
  const count = total === 0 ? `No results for “${found.query}”` : `${total} result${total === 1 ? "" : "s"}`;
  // Nothing matched well: say so, rather than present the nearest articles as answers.
  if (found.weak && total) return `No close match for “${found.query}”: the nearest articles`;
  return corrected && total ? `${count} for “${corrected}”` : count;
}

function hit(ctx, result, rank) {
  const doc = ctx.document;
  const title = el(doc, "span", { className: "hcw-site-result__title", text: result.title });
  const link = resultLink(ctx, result, rank, { className: "md-search-result__link hcw-site-hit" },
    title, crumbs(doc, result), snippet(doc, result));
  return el(doc, "li", { className: "md-search-result__item" }, link);
}

// mkdocs-material opens its own search overlay on any page with ?q= in its address, and takes q out of the
// address when the overlay closes: the address is put back, since on the results page it is the one to share.
export function closeMaterialSearch(doc, win) {
  const toggle = doc.getElementById("__search");
  if (!toggle || !toggle.checked) return;
  const href = win.location.href;
  toggle.click();
  doc.activeElement.blur();
  win.history.replaceState(win.history.state, "", href);
}

function footer(ctx, found) {
  const doc = ctx.document;
  const items = [];
  if (found.total > found.results.length) {
    const all = el(doc, "a", { className: "hcw-site-search__more", href: resultsPageUrl(doc, found.query),
      text: `See all ${found.total} results` });
    items.push(el(doc, "li", { className: "md-search-result__item" }, all));
  }
  const ask = el(doc, "button", { type: "button", className: "hcw-site-search__ask", text: `Ask the assistant: “${found.query}”` });
  ask.addEventListener("click", () => {
    closeMaterialSearch(doc, ctx.window);
    ctx.open({ view: "chat", question: found.query, context: ctx.window.location.pathname });
  });
  items.push(el(doc, "li", { className: "md-search-result__item" }, ask));
  return items;
}

function render(ctx, parts, found) {
  parts.meta.textContent = countText(found);
  parts.list.replaceChildren(...found.results.map((result, i) => hit(ctx, result, i + 1)), ...footer(ctx, found));
}

// Up and down move between the box and the results; Enter in the box opens the results page.
function keyHandler(doc, input, list, openResultsPage) {
  return (event) => {
    if (event.isComposing || !KEYS.includes(event.key)) return;
    const items = [input, ...list.querySelectorAll("a, button")];
    const at = items.indexOf(doc.activeElement);
    if (at < 0) return;
    event.stopImmediatePropagation();
    if (event.key === "Enter") {
      if (at === 0) {
        event.preventDefault();
        openResultsPage();
      }
      return;
    }
    event.preventDefault();
    items[(at + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length].focus();
  };
}

function takeOver(ctx, material) {
  const doc = ctx.document;
  const meta = el(doc, "div", { className: "md-search-result__meta", role: "status", text: "Type to start searching" });
  const list = el(doc, "ol", { className: "md-search-result__list hcw-site-search__list", "aria-label": "Search results" });
  const element = el(doc, "div", { className: "md-search-result hcw-site-search" }, meta, list);
  material.result.hidden = true;
  material.result.after(element);
  return { element, meta, list };
}

// Searches the API for what is in the box; only the answer to the latest keystroke is shown.
function searcher(ctx, input, parts, onFailure) {
  let found = null;
  let asked = 0;
  async function run() {
    const query = input.value.trim();
    asked += 1;
    const mine = asked;
    if (!query) {
      found = null;
      parts.meta.textContent = "Type to start searching";
      parts.list.replaceChildren();
      return;
    }
    try {
      const answer = await ctx.api.get("/api/v1/search", { q: query, limit: LIMIT, session_id: ctx.sessionId });
      if (mine !== asked) return;
      found = answer;
      render(ctx, parts, found);
    } catch {
      if (mine === asked) onFailure();
    }
  }
  return { run, cancel: () => { asked += 1; }, found: () => found };
}

export function mountHeaderSearch(ctx) {
  const doc = ctx.document;
  const win = ctx.window;
  const input = doc.querySelector(".md-search__input");
  const material = { result: doc.querySelector(".md-search-result"), form: input && input.form };
  if (!input || !material.result || !material.form) return { element: null, destroy() {} };
  const parts = takeOver(ctx, material);
  // The API stopped answering: lunr searches what is in the box, and the rest of this tab keeps to it.
  const search = searcher(ctx, input, parts, () => {
    apiFailed(ctx);
    destroy();
    input.dispatchEvent(new win.KeyboardEvent("keyup"));
  });
  let timer = 0;
  const schedule = () => {
    win.clearTimeout(timer);
    timer = win.setTimeout(search.run, DEBOUNCE_MS);
  };
  const stop = (event) => event.stopImmediatePropagation();
  const onKeydown = keyHandler(doc, input, parts.list, () => {
    const query = input.value.trim();
    if (query) win.location.assign(resultsPageUrl(doc, query));
  });
  const untrack = trackClicks(ctx, parts.list, search.found);

  // A ?q= in the address fills the box once Material is ready: the API then searches it.
  const unwait = afterMaterial(win, () => {
    if (input.value.trim()) search.run();
  });

  function destroy() {
    unwait();
    win.clearTimeout(timer);
    search.cancel();
    input.removeEventListener("keyup", stop, true);
    input.removeEventListener("input", schedule);
    material.form.removeEventListener("reset", schedule);
    win.removeEventListener("keydown", onKeydown, true);
    untrack();
    parts.element.remove();
    material.result.hidden = false;
  }

  input.addEventListener("keyup", stop, true);
  input.addEventListener("input", schedule);
  material.form.addEventListener("reset", schedule);
  win.addEventListener("keydown", onKeydown, true);
  return { element: parts.element, destroy };
}
