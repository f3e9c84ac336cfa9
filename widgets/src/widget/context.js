// The shared context every component of one widget instance receives (docs: notes/common.md's contract).
import { createApi } from "./api.js";
import { createEvents } from "./events.js";
import { createStorage } from "./storage.js";
import { createEmitter } from "./emitter.js";
import { createHelpTexts } from "./help-texts.js";

function newSessionId(win) {
  const bytes = new Uint8Array(16);
  win.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// One id per browser tab, kept across its page loads, so a search, a click and a vote join up.
function tabSession(storage, win) {
  const known = storage.session.get("session");
  if (typeof known === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(known)) return known;
  const id = newSessionId(win);
  storage.session.set("session", id);
  return id;
}

// `config`: {api, token, context, supportUrl, site}. Returns the context and `provideOpen(fn)`, by which
// the panel says how to open itself; until then ctx.open does nothing.
export function createContext(config, win) {
  const doc = win.document;
  const storage = createStorage(win);
  const sessionId = tabSession(storage, win);
  const api = createApi(config, win);
  const events = createEvents({ api, sessionId, win, doc });
  let opener = null;
  const ctx = {
    api,
    events,
    storage,
    bus: createEmitter(),
    help: createHelpTexts(api),
    open: (options = {}) => { if (opener) opener(options); },
    config,
    sessionId,
    window: win,
    document: doc,
  };
  return { ctx, provideOpen(fn) { opener = fn; } };
}
