// Help texts for tooltips and cards: ids asked for in the same tick travel in one
// GET /api/v1/help?ids=... call; answers and misses are cached per instance.
import { focusables } from "./focus.js";
import { linkHref } from "./safe-html.js";

const BATCH_LIMIT = 100;

export function createHelpTexts(api) {
  const state = { api, cache: new Map(), pending: new Map(), scheduled: false, batchRoute: true };
  const request = (id) => requestText(state, id);
  return {
    get: (id) => request(String(id || "").trim()),
    prefetch(ids) {
      const unique = [...new Set((ids || []).map((id) => String(id || "").trim()))];
      return Promise.all(unique.map(request)).then(() => undefined);
    },
  };
}

function requestText(state, id) {
  // Such an id cannot travel in the comma-separated list (and would spoil the whole batch).
  if (!id || id.length > 200 || id.includes(",")) return Promise.resolve(null);
  if (state.cache.has(id)) return state.cache.get(id);
  const promise = new Promise((resolve) => state.pending.set(id, resolve));
  state.cache.set(id, promise);
  if (!state.scheduled) {
    state.scheduled = true;
    Promise.resolve().then(() => flush(state));
  }
  return promise;
}

async function flush(state) {
  state.scheduled = false;
  const batch = state.pending;
  state.pending = new Map();
  const ids = [...batch.keys()];
  for (let start = 0; start < ids.length; start += BATCH_LIMIT) {
    const chunk = ids.slice(start, start + BATCH_LIMIT);
    const answers = await fetchBatch(state, chunk);
    chunk.forEach((id, i) => {
      // undefined: the call failed (network, 5xx); forgotten, so a later get asks again.
      if (answers[i] === undefined) state.cache.delete(id);
      batch.get(id)(answers[i] || null);
    });
  }
}

async function fetchBatch(state, ids) {
  if (state.batchRoute) {
    try {
      const answer = await state.api.get("/api/v1/help", { ids: ids.join(",") });
      const found = new Map((answer.help || []).map((help) => [help.help_id, help]));
      return ids.map((id) => found.get(id) || null);
    } catch (error) {
      // An older server without the batch route: ask for each id on its own.
      if (!error || (error.status !== 404 && error.status !== 405)) return ids.map(() => undefined);
      state.batchRoute = false;
    }
  }
  return Promise.all(ids.map((id) => fetchOne(state.api, id)));
}

async function fetchOne(api, id) {
  try {
    return await api.get(`/api/v1/help/${encodeURIComponent(id)}`);
  } catch (error) {
    return error && error.status === 404 ? null : undefined;
  }
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
  return (url && linkHref(url, ctx.api.url("/"))) || "";
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

// Watches the page for elements carrying `attribute` (a help id): `add` gets each one found, now or later
// (their help texts asked for in one batch per change), `forget` each whose attribute changed (then it is
// added again), and `sweep` runs after each change to drop what left the page. The texts are asked for at
// once; the page is changed only once the widget's stylesheet is in.
export function observePage(ctx, attribute, { add, forget, sweep }) {
  const doc = ctx.document;
  let observer = null;
  let stopped = false;
  const idsIn = (elements) => elements.map((el) => el.getAttribute(attribute));
  function scan(root) {
    if (root.nodeType !== 1) return;
    const found = [...root.querySelectorAll(`[${attribute}]`)];
    if (root.hasAttribute(attribute)) found.unshift(root);
    ctx.help.prefetch(idsIn(found));
    found.forEach(add);
  }
  ctx.help.prefetch(idsIn([...doc.querySelectorAll(`[${attribute}]`)]));
  whenStyled(ctx).then(() => {
    if (stopped) return;
    observer = new ctx.window.MutationObserver((records) => {
      records.forEach((record) => {
        if (record.type === "attributes") {
          forget(record.target);
          scan(record.target);
        } else record.addedNodes.forEach(scan);
      });
      sweep();
    });
    observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: [attribute] });
    scan(doc.body);
  });
  return {
    disconnect() {
      stopped = true;
      if (observer) observer.disconnect();
    },
  };
}

// The widget's stylesheet is a <link> added as the components mount (ctx.styled settles when it is in).
// What they add to the page waits for it, so that nothing appears unstyled and then moves (a layout shift).
function whenStyled(ctx) {
  return ctx.styled || Promise.resolve();
}
