// Calls to the help center's API. The token travels in a header, never in an address (logs, history,
// Referer); a token provider given by the host is asked once, then again when the API answers 401. A token
// the API refuses and nothing can replace (a data-token that expired, a provider with nothing newer) is
// dropped and the call made again without it: the reader keeps what anonymous readers have (public articles,
// search, tooltips) instead of every call failing for the rest of the page's life.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function problem(response) {
  try {
    const body = await response.json();
    return new ApiError(response.status, body.title || response.statusText, body.detail || "");
  } catch {
    return new ApiError(response.status, response.statusText, "");
  }
}

function tokenSource(initial) {
  let token = initial || null;
  // The last token the API turned down: a provider that gives it again has nothing newer.
  let refused = null;
  let provider = null;
  let asking = null;
  async function ask() {
    try {
      const given = await provider();
      token = typeof given === "string" && given && given !== refused ? given : null;
    } catch {
      token = null;
    }
    asking = null;
    return token;
  }
  return {
    get() {
      if (!provider || token) return Promise.resolve(token);
      asking = asking || ask();
      return asking;
    },
    // `old` was refused: the token to try instead, or null (go on without one). Calls refused together
    // share one question to the provider.
    renew(old) {
      if (token !== old) return asking || Promise.resolve(token);
      refused = old;
      token = null;
      if (!provider) return Promise.resolve(null);
      asking = asking || ask();
      return asking;
    },
    peek: () => token,
    canRefresh: () => provider !== null,
    setProvider(fn) {
      provider = typeof fn === "function" ? fn : null;
      token = null;
    },
  };
}

export function createApi(config, win) {
  const base = config.api.replace(/\/+$/, "");
  const tokens = tokenSource(config.token);
  const url = (path) => new URL(path, `${base}/`).href;

  async function send(path, init, token) {
    const headers = { ...(init.headers || {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      // No cookies: the token alone says who is reading.
      return await win.fetch(url(path), { ...init, headers, credentials: "omit" });
    } catch (error) {
      if (error && error.name === "AbortError") throw error;
      throw new ApiError(0, "Network error", "The help center could not be reached.");
    }
  }

  async function rawFetch(path, init = {}) {
    const token = await tokens.get();
    let response = await send(path, init, token);
    if (response.status === 401 && token) response = await send(path, init, await tokens.renew(token));
    if (!response.ok) throw await problem(response);
    return response;
  }

  function query(path, params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
    }
    const text = search.toString();
    return text ? `${path}?${text}` : path;
  }

  return {
    url,
    fetch: rawFetch,
    async get(path, params, init = {}) {
      return (await rawFetch(query(path, params), init)).json();
    },
    async post(path, body, init = {}) {
      const headers = { "Content-Type": "application/json" };
      const response = await rawFetch(path, { ...init, method: "POST", headers, body: JSON.stringify(body) });
      return response.status === 204 ? {} : response.json();
    },
    setTokenProvider: tokens.setProvider,
    // Whether a request would carry a token (a beacon cannot send one).
    hasToken: () => Boolean(tokens.peek()) || tokens.canRefresh(),
  };
}
