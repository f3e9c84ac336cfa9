// help-widget.js: one script tag adds the help button and panel, tooltips, cards and tours to a page
// (and, with data-site, the help site's own parts). Every piece of state lives on the instance.
import "./theme.css";
import { createContext } from "./context.js";
import { mountPanel } from "./panel.js";
import { mountTooltips } from "./tooltips.js";
import { mountCards } from "./cards.js";
import { createTours } from "./tours.js";
import { mountSite } from "./site.js";

const SCRIPT_NAME = "help-widget.js";

// document.currentScript is known only while the script first runs, hence read before waiting for the page.
function ownScript(doc, current) {
  if (current && current.src && current.src.includes(SCRIPT_NAME)) return current;
  return doc.querySelector(`script[src*="${SCRIPT_NAME}"]`);
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
    site: script ? script.hasAttribute("data-site") : false,
  };
}

// The stylesheet is a <link> to the help host: host pages may forbid inline styles (CSP). `ready` settles once
// it has loaded (or failed), so that nothing unstyled ever shows and shifts the host page's layout.
function addStylesheet(ctx) {
  const doc = ctx.document;
  const href = ctx.api.url("/widgets/help-widget.css");
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

function mountAll(ctx, provideOpen) {
  const panel = mountPanel(ctx);
  provideOpen(panel.open);
  const tours = attempt(createTours, ctx);
  const parts = [panel, attempt(mountTooltips, ctx), attempt(mountCards, ctx), tours];
  if (ctx.config.site) parts.push(attempt(mountSite, ctx));
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

function start(win, script) {
  const doc = win.document;
  const config = readConfig(ownScript(doc, script), win);
  const before = win.HelpCenter;
  if (before && before.destroy) return before;
  const { ctx, provideOpen } = createContext(config, win);
  if (before && typeof before.tokenProvider === "function") ctx.api.setTokenProvider(before.tokenProvider);
  const { link, ready } = addStylesheet(ctx);
  const mounted = mountAll(ctx, provideOpen);
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

function startWhenReady(win) {
  const script = win.document.currentScript;
  // With `defer` or at the end of <body> the page is parsed already; otherwise wait for it.
  if (win.document.readyState === "loading") {
    win.document.addEventListener("DOMContentLoaded", () => start(win, script), { once: true });
  } else {
    start(win, script);
  }
}

startWhenReady(window);
