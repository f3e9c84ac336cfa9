// Help texts for tooltips and cards: ids asked for in the same tick travel in one
// GET /api/v1/help?ids=... call; answers and misses are cached per instance.
import { focusables } from "./focus.js";

const BATCH_LIMIT = 100;

export function createHelpTexts(api) {
  const cache = new Map();
  let pending = new Map();
  let scheduled = false;
  let batchRoute = true;

  async function fetchOne(id) {
    try {
      return await api.get(`/api/v1/help/${encodeURIComponent(id)}`);
    } catch (error) {
      return error && error.status === 404 ? null : undefined;
    }
  }

  async function fetchBatch(ids) {
    if (batchRoute) {
      try {
        const answer = await api.get("/api/v1/help", { ids: ids.join(",") });
        const found = new Map((answer.help || []).map((help) => [help.help_id, help]));
        return ids.map((id) => found.get(id) || null);
      } catch (error) {
        // An older server without the batch route: ask for each id on its own.
        if (error && (error.status === 404 || error.status === 405)) batchRoute = false;
        else return ids.map(() => undefined);
      }
    }
    return Promise.all(ids.map(fetchOne));
  }

  async function flush() {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    const ids = [...batch.keys()];
    for (let start = 0; start < ids.length; start += BATCH_LIMIT) {
      const chunk = ids.slice(start, start + BATCH_LIMIT);
      const answers = await fetchBatch(chunk);
      chunk.forEach((id, i) => {
        // undefined: the call failed (network, 5xx); forgotten, so a later get asks again.
        if (answers[i] === undefined) cache.delete(id);
        batch.get(id)(answers[i] || null);
      });
    }
  }

  function request(id) {
    // Such an id cannot travel in the comma-separated list (and would spoil the whole batch).
    if (!id || id.length > 200 || id.includes(",")) return Promise.resolve(null);
    if (cache.has(id)) return cache.get(id);
    let resolve;
    const promise = new Promise((done) => { resolve = done; });
    pending.set(id, resolve);
    cache.set(id, promise);
    if (!scheduled) {
      scheduled = true;
      Promise.resolve().then(flush);
    }
    return promise;
  }

  return {
    get: (id) => request(String(id || "").trim()),
    prefetch(ids) {
      const unique = [...new Set((ids || []).map((id) => String(id || "").trim()))];
      return Promise.all(unique.map(request)).then(() => undefined);
    },
  };
}

// Small helpers shared by the components that show help texts (tooltips, cards, tours).
const IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROLS = "a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable=true]";

// Events name help ids, cards and tours as identifiers; one bad value would sink a whole batch.
export function canTrack(id) {
  return IDENTIFIER.test(id);
}

// The article's address on the help host (help texts give site-relative URLs).
export function articleHref(ctx, help) {
  const url = help && help.article && help.article.url;
  if (!url) return "";
  return url.startsWith("/") ? ctx.api.url(url) : url;
}

export function isFocusable(element) {
  return element.matches(CONTROLS) && !element.disabled && element.getAttribute("tabindex") !== "-1";
}

export function containsControls(element) {
  return element.querySelector(CONTROLS) !== null;
}

// The first element after `from` in document order that takes focus with Tab, outside `skip`.
export function nextTabbable(doc, from, skip) {
  return focusables(doc.body).find((el) => (from.compareDocumentPosition(el) & from.DOCUMENT_POSITION_FOLLOWING)
    && !from.contains(el) && !(skip && skip.contains(el))) || null;
}
