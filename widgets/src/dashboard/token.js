// Where the admin token comes from, and where it is kept: only for this browser tab (sessionStorage).
// Ways in: the form, the address's fragment (#token=...), or a message from the product that embeds the page.

const KEY = "hc-dash-token";
const MESSAGE = "help-center-token";
let memory = null; // when the browser refuses storage (a sandboxed or third-party frame)

export function storedToken() {
  try {
    return window.sessionStorage.getItem(KEY) || memory;
  } catch {
    return memory;
  }
}

export function keepToken(token) {
  memory = token;
  try {
    if (token) window.sessionStorage.setItem(KEY, token);
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // memory holds it for this page
  }
}

// A fragment never reaches the server, but it stays in the address bar, the history and bookmarks: take it out.
export function tokenFromFragment() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get("token");
  if (token === null) return null;
  fragment.delete("token");
  const rest = fragment.toString();
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, "", `${pathname}${search}${rest ? `#${rest}` : ""}`);
  return token.trim() || null;
}

// Origins trusted to send a token: the page that embeds this one (its origin, as the browser gives it in
// document.referrer) and those listed in <html data-allowed-origins="...">.
export function allowedOrigins() {
  const origins = new Set((document.documentElement.dataset.allowedOrigins || "").split(/\s+/).filter(Boolean));
  try {
    if (document.referrer) origins.add(new URL(document.referrer).origin);
  } catch {
    // an unreadable referrer adds no origin
  }
  return origins;
}

export function listenForToken(origins, onToken) {
  window.addEventListener("message", (event) => {
    const framed = window.parent !== window && event.source === window.parent;
    const data = event.data;
    if (!framed || !origins.has(event.origin) || !data || data.type !== MESSAGE) return;
    if (typeof data.token === "string" && data.token.trim()) onToken(data.token.trim());
  });
}
