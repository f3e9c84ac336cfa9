// localStorage and sessionStorage behind a surface that never throws: storage may be blocked
// (third-party frames, privacy modes) or full, and the widgets must then just forget.

const PREFIX = "hcw:";
const DAY_MS = 86400000;

function area(getArea) {
  function read(key) {
    try {
      const raw = getArea().getItem(PREFIX + key);
      if (raw === null) return null;
      const stored = JSON.parse(raw);
      if (stored.expires && stored.expires < Date.now()) {
        getArea().removeItem(PREFIX + key);
        return null;
      }
      return stored.value === undefined ? null : stored.value;
    } catch {
      return null;
    }
  }
  function write(key, value, options = {}) {
    const expires = options.days ? Date.now() + options.days * DAY_MS : undefined;
    try {
      getArea().setItem(PREFIX + key, JSON.stringify({ value, expires }));
    } catch {
      // Blocked or full: the value is simply not remembered.
    }
  }
  function remove(key) {
    try {
      getArea().removeItem(PREFIX + key);
    } catch {
      // Blocked: nothing was stored either.
    }
  }
  return { get: read, set: write, remove };
}

export function createStorage(win) {
  // Getters, because merely reading window.localStorage throws where storage is blocked.
  return { local: area(() => win.localStorage), session: area(() => win.sessionStorage) };
}
