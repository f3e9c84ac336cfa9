// The results page, /search/?q=...&category=...: a shareable address for a search on the API, with the
// categories it found as filters and "Show more results". Without the API, the reader is sent on to
// mkdocs-material's own search of the same words (/?q=...), so a static copy of the site still searches.
import "./site-search-page.css";
import { el } from "./dom.js";
import { crumbs, snippet, resultLink, trackClicks } from "./site-result.js";
import { closeMaterialSearch, countText } from "./site-search.js";
import { afterMaterial, siteUrl } from "./site-api.js";

const PAGE_SIZE = 10;
const FACETS = 6;

function pageUrl(query, category) {
  const params = new URLSearchParams({ q: query });
  if (category) params.set("category", category);
  return `?${params}`;
}

function entry(ctx, result, rank) {
  const doc = ctx.document;
  const title = el(doc, "h2", { className: "hcw-site-page__title" }, resultLink(ctx, result, rank, { text: result.title }));
  return el(doc, "li", { className: "hcw-site-page__result" }, title, crumbs(doc, result), snippet(doc, result));
}

// The top-level categories with the most matches: a short row of filters, each with its count.
function facets(doc, found, category) {
  const top = ((found.facets || {}).category || []).filter((facet) => !facet.id.includes("/")).slice(0, FACETS);
  if (top.length < 2 && !category) return null;
  const link = (text, id) => el(doc, "a", { href: pageUrl(found.query, id), "aria-current": id === category ? "true" : null, text });
  const items = [link("All categories", ""), ...top.map((facet) => link(`${facet.title} (${facet.count})`, facet.id))];
  return el(doc, "nav", { className: "hcw-site-page__facets", "aria-label": "Filter by category" },
    el(doc, "ul", {}, items.map((item) => el(doc, "li", {}, item))));
}

// mkdocs-material's own search (lunr, in the browser) of the same words: it opens on the home page's ?q=.
function staticSearchUrl(doc, query) {
  return `${siteUrl(doc, "")}?${new URLSearchParams({ q: query })}`;
}

function failure(doc, query) {
  const retry = el(doc, "a", { href: staticSearchUrl(doc, query), text: "search this site without the server" });
  return el(doc, "p", { className: "hcw-site-page__failure" }, "The search could not be finished just now. Try again, or ", retry, ".");
}

function showPage(ctx, root, query, category) {
  const doc = ctx.document;
  const status = el(doc, "p", { className: "hcw-site-page__status", role: "status", text: "Searching…" });
  const list = el(doc, "ol", { className: "hcw-site-page__results", "aria-label": "Search results" });
  const more = el(doc, "button", { type: "button", className: "hcw-site-page__more", hidden: true, text: "Show more results" });
  root.replaceChildren(status, list, more);
  let found = null;

  async function load() {
    const offset = list.children.length;
    more.disabled = true;
    try {
      const page = await ctx.api.get("/api/v1/search", { q: query, category, limit: PAGE_SIZE, offset, session_id: ctx.sessionId });
      found = { ...page, results: [...(found ? found.results : []), ...page.results] };
      const added = page.results.map((result, i) => entry(ctx, result, offset + i + 1));
      list.append(...added);
      status.textContent = countText(found);
      if (!offset) status.after(...[facets(doc, found, category)].filter(Boolean));
      more.hidden = found.results.length >= found.total || !page.results.length;
      // After "Show more", the keyboard goes on from the first new result rather than from the button's old place.
      if (offset && added.length) added[0].querySelector("a").focus();
    } catch {
      status.replaceWith(failure(doc, query));
      more.hidden = true;
    }
    more.disabled = false;
  }

  more.addEventListener("click", load);
  const untrack = trackClicks(ctx, list, () => found);
  load();
  return () => {
    more.removeEventListener("click", load);
    untrack();
  };
}

export function mountSearchPage(ctx, root, answers) {
  const { document: doc, window: win } = ctx;
  const params = new URLSearchParams(win.location.search);
  const query = (params.get("q") || "").trim();
  const field = doc.getElementById("hc-search-q");
  if (field) field.value = query;
  if (!query) return { element: root, destroy() {} };
  if (!answers) {
    win.location.replace(staticSearchUrl(doc, query));
    return { element: root, destroy() {} };
  }
  const unwait = afterMaterial(win, () => closeMaterialSearch(doc, win));
  doc.title = `“${query}”: ${doc.title}`;
  const stop = showPage(ctx, root, query, params.get("category") || "");
  return {
    element: root,
    destroy() {
      unwait();
      stop();
      root.replaceChildren();
    },
  };
}
