// Starting the widgets on a page: one instance per page, made from the script tag that loaded the bundle
// (help-widget.js in a product, help-site.js on the help site). Every piece of state lives on the instance.
import "./theme.css";
import { createContext } from "./context.js";
import { mountPanel } from "./panel.js";
import { mountTooltips } from "./tooltips.js";
import { mountCards } from "./cards.js";
import { createTours } from "./tours.js";

// document.currentScript is known only while the script first runs, hence read before waiting for the page.
function ownScript(doc, current, name) {
  if (current && current.src && current.src.includes(`${name}.js`)) return current;
  return doc.querySelector(`script[src*="${name}.js"]`);
}

// The host page's settings, from the script tag's data-* attributes.
function readConfig(script, win) {
  const data = (script && script.dataset) || {};
  const origin = script && script.src ? new URL(script.src, win.location.href).origin : win.location.origin;
  return {
    api: (data.api || origin).replace(/\/+$/, ""),
    token: data.token || null,
    context: data.context || win.location.pathname,
    supportUrl: data.supportUrl || null,
  };
}

// The stylesheet is a <link> to the help host: host pages may forbid inline styles (CSP). `ready` settles once
// it has loaded (or failed), so that nothing unstyled ever shows and shifts the host page's layout.
function addStylesheet(ctx, name) {
  const doc = ctx.document;
  const href = ctx.api.url(`/widgets/${name}.css`);
  const known = [...doc.querySelectorAll("link[rel=stylesheet]")].find((link) => link.href === href);
  if (known) return { link: null, ready: Promise.resolve() };
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  const ready = new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
  doc.head.append(link);
  return { link, ready };
}

const NOTHING = { element: null, destroy() {}, start: () => Promise.resolve(false) };

// One part that fails to start must not take the others down; its error still reaches the console.
function attempt(mount, ctx) {
  try {
    return mount(ctx);
  } catch (error) {
    ctx.window.setTimeout(() => { throw error; }, 0);
    return NOTHING;
  }
}

function mountAll(ctx, provideOpen, extras) {
  const panel = mountPanel(ctx);
  provideOpen(panel.open);
  const tours = attempt(createTours, ctx);
  const parts = [panel, attempt(mountTooltips, ctx), attempt(mountCards, ctx), tours];
  extras.forEach((mount) => parts.push(attempt(mount, ctx)));
  return { panel, tours, parts };
}

function publicApi(ctx, mounted, destroy) {
  const { panel, tours } = mounted;
  return {
    open: (view) => panel.open(typeof view === "string" ? { view } : view || {}),
    close: () => panel.close(),
    search: (query) => panel.open({ view: "search", query: String(query || "") }),
    ask: (question, options = {}) => panel.open({
      view: "chat", question: String(question || ""), context: options.context, contextTitle: options.title,
    }),
    openArticle: (id, options = {}) => panel.open({ view: "article", articleId: String(id), anchor: options.anchor }),
    startTour: (id, options) => tours.start(String(id), options),
    on: (event, fn) => ctx.bus.on(event, fn),
    setTokenProvider: (fn) => ctx.api.setTokenProvider(fn),
    setContext(url) {
      ctx.config.context = String(url || ctx.window.location.pathname);
      ctx.bus.emit("context", { context: ctx.config.context });
    },
    destroy,
  };
}

function start(win, script, bundle) {
  const doc = win.document;
  const config = readConfig(ownScript(doc, script, bundle.name), win);
  const before = win.HelpCenter;
  if (before && before.destroy) return before;
  const { ctx, provideOpen } = createContext(config, win);
  if (before && typeof before.tokenProvider === "function") ctx.api.setTokenProvider(before.tokenProvider);
  const { link, ready } = addStylesheet(ctx, bundle.name);
  ctx.styled = ready;
  const mounted = mountAll(ctx, provideOpen, bundle.extras);
  ready.then(() => mounted.panel.reveal());
  const destroy = () => {
    mounted.parts.forEach((part) => part.destroy());
    ctx.events.destroy();
    ctx.bus.clear();
    if (link) link.remove();
    if (win.HelpCenter === helpCenter) delete win.HelpCenter;
  };
  const helpCenter = publicApi(ctx, mounted, destroy);
  win.HelpCenter = helpCenter;
  doc.dispatchEvent(new win.CustomEvent("helpcenter:ready", { detail: helpCenter }));
  return helpCenter;
}

// `bundle`: the name of the script and stylesheet ({name}.js, {name}.css under /widgets/) and the extra parts it
// mounts after the widgets' own.
export function startWhenReady(win, bundle) {
  const script = win.document.currentScript;
  // With `defer` or at the end of <body> the page is parsed already; otherwise wait for it.
  if (win.document.readyState === "loading") {
    win.document.addEventListener("DOMContentLoaded", () => start(win, script, bundle), { once: true });
  } else {
    start(win, script, bundle);
  }
}
