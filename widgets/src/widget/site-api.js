// What every part of the help site shares: whether the API answers, the reader's token, the site's own URLs,
// and when mkdocs-material is ready.

const API_KEY = "site-api";
const API_CHECK_DAYS = 5 / 1440; // whether the API answers is asked once per tab every five minutes
const TOKEN_KEY = "site-token";

// Asked once, then remembered for the tab: every page load of the site needs the answer before its search
// box can be taken over, and a static copy of the site must not pay for a failing request on each page.
export async function apiAnswers(ctx) {
  const known = ctx.storage.session.get(API_KEY);
  if (typeof known === "boolean") return known;
  let answers = false;
  try {
    answers = (await ctx.api.get("/api/v1/health")).status !== undefined;
  } catch {
    // A static server answers 404, or HTML: no API here.
  }
  ctx.storage.session.set(API_KEY, answers, { days: API_CHECK_DAYS });
  return answers;
}

export function apiFailed(ctx) {
  ctx.storage.session.set(API_KEY, false, { days: API_CHECK_DAYS });
}

// A link from the product to the reader page may carry the reader's token in its fragment (#token=...),
// which never reaches a server: it is taken out of the address bar (history, bookmarks, screenshots) and
// kept for this tab, for every call of the site to the API. Only the reader page takes it: on any other
// page a link could sign the reader's tab in as someone else, unnoticed. Returns whether the reader is
// signed in.
export function useReaderToken(ctx) {
  const { location, history } = ctx.window;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = (fragment.get("token") || "").trim();
  if (fragment.has("token")) {
    fragment.delete("token");
    const rest = fragment.toString();
    history.replaceState(history.state, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
  }
  if (given && ctx.document.querySelector(".hc-read")) ctx.storage.session.set(TOKEN_KEY, given);
  if (!hasReaderToken(ctx)) return false;
  // The provider is asked again only when the API refused its token (expired, or not valid): the tab
  // forgets it, and api.js makes the call again without one. The reader goes on anonymously, with the
  // API's search, votes and Ask, rather than every call failing with 401.
  let refused = false;
  ctx.api.setTokenProvider(async () => {
    if (refused) forgetReaderToken(ctx);
    refused = true;
    return ctx.storage.session.get(TOKEN_KEY);
  });
  return true;
}

export function hasReaderToken(ctx) {
  return Boolean(ctx.storage.session.get(TOKEN_KEY));
}

export function forgetReaderToken(ctx) {
  ctx.storage.session.remove(TOKEN_KEY);
  ctx.api.setTokenProvider(null);
}

// A path of this site (e.g. "search/"), wherever the site is served from: mkdocs-material tells every page
// where the site's root is, relative to the page.
export function siteUrl(doc, path) {
  let base = ".";
  try {
    base = JSON.parse(doc.getElementById("__config").textContent).base || ".";
  } catch {
    // Not a Material page: the site is at the root.
  }
  return new URL(`${base}/${path}`, doc.location.href).href;
}

// mkdocs-material sets its components up (among them the search box, filled and opened from ?q=) once the
// page has loaded, which may be after the widget starts: `fn` runs when they are. Material's document$
// replays its last page to a late subscriber. Returns a function that cancels the wait.
export function afterMaterial(win, fn) {
  if (!win.document$ || typeof win.document$.subscribe !== "function") {
    fn();
    return () => {};
  }
  let done = false;
  const subscription = win.document$.subscribe(() => {
    if (done) return;
    done = true;
    fn();
  });
  return () => subscription.unsubscribe();
}
