// The help button and the help panel: a modal dialog holding three views in one flow (search, article,
// assistant) with a back button. Focus moves in and stays while it is open; the rest of the page is inert.
import "./panel.css";
import { el, uniqueId } from "./dom.js";
import { focusables, inertOthers, trapFocus } from "./focus.js";
import { mountSearchView } from "./search-view.js";
import { mountArticleView } from "./article-view.js";
import { mountChatView } from "./chat-view.js";

const HISTORY_KEY = "panel";

function buildShell(doc) {
  const titleId = uniqueId("hcw-title");
  const panelId = uniqueId("hcw-panel");
  // Hidden until the stylesheet has loaded (reveal()).
  const launcher = el(doc, "button", {
    type: "button", className: "hcw-launcher", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": panelId,
    hidden: true,
  }, el(doc, "span", { className: "hcw-launcher__icon", "aria-hidden": "true", text: "?" }), el(doc, "span", { text: "Help" }));
  const back = el(doc, "button", { type: "button", className: "hcw-icon-button hcw-back", hidden: true },
    el(doc, "span", { "aria-hidden": "true", text: "\u2190" }), el(doc, "span", { text: "Back" }));
  const close = el(doc, "button", { type: "button", className: "hcw-icon-button hcw-close", "aria-label": "Close help" },
    el(doc, "span", { "aria-hidden": "true", text: "\u00d7" }));
  const body = el(doc, "div", { className: "hcw-panel__body" });
  const dialog = el(doc, "div", {
    id: panelId, className: "hcw-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId, hidden: true,
  }, el(doc, "div", { className: "hcw-panel__header" }, back,
    el(doc, "h2", { id: titleId, className: "hcw-panel__title", text: "Help" }), close), body);
  // The panel's own words are English, whatever the host page's language (WCAG 3.1.2).
  const root = el(doc, "div", { className: "hcw-root", lang: "en" }, launcher, dialog);
  return { root, launcher, back, close, body, dialog };
}

// Which view a request opens, and what the back button then returns to.
function nextHistory(history, name, options) {
  if (name === "search") return [{ name, options }];
  const top = history[history.length - 1];
  if (top && top.name === name && name === "chat") return [...history.slice(0, -1), { name, options }];
  return [...(history.length ? history : [{ name: "search", options: {} }]), { name, options }];
}

// Where the reader was in the panel, kept for the tab: after a page load it opens there again.
function restoreHistory(ctx) {
  const stored = ctx.storage.session.get(HISTORY_KEY);
  const known = ["search", "article", "chat"];
  if (!Array.isArray(stored)) return [];
  return stored.filter((entry) => entry && known.includes(entry.name) && entry.options && typeof entry.options === "object");
}

class Panel {
  constructor(ctx) {
    this.ctx = ctx;
    this.shell = buildShell(ctx.document);
    this.element = this.shell.root;
    this.history = restoreHistory(ctx);
    this.revealed = false;
    this.release = null;
    this.returnFocus = null;
    const nav = { go: (name, options = {}) => this.go(name, options), close: () => this.close() };
    this.views = { search: mountSearchView(ctx, nav), article: mountArticleView(ctx, nav), chat: mountChatView(ctx, nav) };
    Object.values(this.views).forEach((view) => {
      view.element.hidden = true;
      this.shell.body.append(view.element);
    });
    this.open = this.open.bind(this);
    this.close = this.close.bind(this);
    this.listeners = [
      [this.shell.launcher, "click", () => this.open({})],
      [this.shell.close, "click", () => this.close()],
      [this.shell.back, "click", () => this.back()],
      [this.shell.dialog, "keydown", (event) => this.onKey(event)],
    ];
    this.listeners.forEach(([node, type, fn]) => node.addEventListener(type, fn));
    ctx.document.body.append(this.element);
  }

  reveal() {
    this.revealed = true;
    if (!this.isOpen()) this.shell.launcher.hidden = false;
  }

  isOpen() {
    return !this.shell.dialog.hidden;
  }

  show(entry, restoring) {
    Object.entries(this.views).forEach(([name, view]) => { view.element.hidden = name !== entry.name; });
    const view = this.views[entry.name];
    if (!restoring) view.element.scrollTop = 0;
    this.shell.back.hidden = this.history.length < 2;
    const target = view.show(entry.options, { restoring });
    if (target && this.isOpen()) target.focus({ preventScroll: Boolean(entry.options.anchor) });
  }

  go(name, options) {
    if (!this.views[name]) return;
    this.history = nextHistory(this.history, name, options);
    this.ctx.storage.session.set(HISTORY_KEY, this.history);
    this.show(this.history[this.history.length - 1], false);
  }

  back() {
    if (this.history.length < 2) return;
    this.history = this.history.slice(0, -1);
    this.ctx.storage.session.set(HISTORY_KEY, this.history);
    this.show(this.history[this.history.length - 1], true);
  }

  open(options = {}) {
    const { shell, ctx } = this;
    const doc = ctx.document;
    if (!this.isOpen()) {
      const active = doc.activeElement;
      this.returnFocus = active && active !== doc.body && !shell.root.contains(active) ? active : null;
      shell.dialog.hidden = false;
      shell.launcher.hidden = true;
      shell.launcher.setAttribute("aria-expanded", "true");
      const releaseInert = inertOthers(shell.root);
      const releaseTrap = trapFocus(shell.dialog);
      this.release = () => { releaseTrap(); releaseInert(); };
      ctx.bus.emit("open", { view: options.view || "search" });
    }
    if (options.view || !this.history.length) this.go(options.view || "search", options);
    else this.show(this.history[this.history.length - 1], true);
    if (!shell.dialog.contains(doc.activeElement)) (focusables(shell.dialog)[0] || shell.close).focus();
  }

  close() {
    const { shell } = this;
    if (!this.isOpen()) return;
    shell.dialog.hidden = true;
    shell.launcher.hidden = !this.revealed;
    shell.launcher.setAttribute("aria-expanded", "false");
    this.release();
    const target = this.returnFocus && this.returnFocus.isConnected ? this.returnFocus : shell.launcher;
    target.focus();
    this.ctx.bus.emit("close", {});
  }

  onKey(event) {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      this.close();
    }
  }

  destroy() {
    this.close();
    Object.values(this.views).forEach((view) => view.destroy());
    this.listeners.forEach(([node, type, fn]) => node.removeEventListener(type, fn));
    this.element.remove();
  }
}

export function mountPanel(ctx) {
  return new Panel(ctx);
}
