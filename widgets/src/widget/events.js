// Analytics events, batched: sent every few seconds or once 20 are waiting, and when the page is hidden
// or left (sendBeacon for anonymous readers; a beacon cannot carry a token, so keepalive fetch with one).
// Analytics never bothers the reader: every failure is dropped silently.

const PATH = "/api/v1/events";
const FLUSH_MS = 4000;
const FLUSH_AT = 20;
const MAX_BATCH = 100;

export function createEvents({ api, sessionId, win, doc }) {
  let queue = [];
  let timer = null;

  function send(events, leaving) {
    const body = { events };
    if (leaving && !api.hasToken() && win.navigator.sendBeacon) {
      try {
        if (win.navigator.sendBeacon(api.url(PATH), JSON.stringify(body))) return;
      } catch {
        // Fall through to fetch.
      }
    }
    api.post(PATH, body, { keepalive: leaving }).catch(() => {});
  }

  function flush(leaving = false) {
    win.clearTimeout(timer);
    timer = null;
    while (queue.length) send(queue.splice(0, MAX_BATCH), leaving);
  }

  function track(type, fields = {}) {
    try {
      const event = { type, session_id: sessionId, url: win.location.pathname };
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined && value !== null && value !== "") event[key] = value;
      }
      queue.push(event);
      if (queue.length >= FLUSH_AT) flush();
      else if (!timer) timer = win.setTimeout(() => flush(), FLUSH_MS);
    } catch {
      // Never let analytics break a click.
    }
  }

  const onHidden = () => { if (doc.visibilityState === "hidden") flush(true); };
  const onPageHide = () => flush(true);
  doc.addEventListener("visibilitychange", onHidden);
  win.addEventListener("pagehide", onPageHide);

  return {
    track,
    flush: () => flush(false),
    destroy() {
      flush(true);
      doc.removeEventListener("visibilitychange", onHidden);
      win.removeEventListener("pagehide", onPageHide);
    },
  };
}
