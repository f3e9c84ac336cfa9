// The help button and the help panel: a modal dialog holding three views in one flow (search, article,
// assistant) with a back button. Focus moves in and stays while it is open; the rest of the page is inert.
import "./panel.css";
import { el, uniqueId } from "./dom.js";
import { focusables, inertOthers, trapFocus } from "./focus.js";
import { mountSearchView } from "./search-view.js";
import { mountArticleView } from "./article-view.js";
import { mountChatView } from "./chat-view.js";

function buildShell(doc) {
  const titleId = uniqueId("hcw-title");
  const panelId = uniqueId("hcw-panel");
  const launcher = el(doc, "button", {
    type: "button", className: "hcw-launcher", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": panelId,
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
  const root = el(doc, "div", { className: "hcw-root" }, launcher, dialog);
  return { root, launcher, back, close, body, dialog };
}

// Which view a request opens, and what the back button then returns to.
function nextHistory(history, name, options) {
  if (name === "search") return [{ name, options }];
  const top = history[history.length - 1];
  if (top && top.name === name && name === "chat") return [...history.slice(0, -1), { name, options }];
  return [...(history.length ? history : [{ name: "search", options: {} }]), { name, options }];
}

export function mountPanel(ctx) {
  const doc = ctx.document;
  const shell = buildShell(doc);
  let history = [];
  let releaseTrap = null;
  let releaseInert = null;
  let returnFocus = null;
  const nav = { go: (name, options = {}) => go(name, options), close: () => close() };
  const views = { search: mountSearchView(ctx, nav), article: mountArticleView(ctx, nav), chat: mountChatView(ctx, nav) };
  Object.values(views).forEach((view) => { view.element.hidden = true; shell.body.append(view.element); });

  function show(entry, restoring) {
    Object.entries(views).forEach(([name, view]) => { view.element.hidden = name !== entry.name; });
    if (!restoring) views[entry.name].element.scrollTop = 0;
    shell.back.hidden = history.length < 2;
    const target = views[entry.name].show(entry.options, { restoring });
    if (target && isOpen()) target.focus({ preventScroll: Boolean(entry.options.anchor) });
  }

  function go(name, options) {
    if (!views[name]) return;
    history = nextHistory(history, name, options);
    show(history[history.length - 1], false);
  }

  function goBack() {
    if (history.length < 2) return;
    history = history.slice(0, -1);
    show(history[history.length - 1], true);
  }

  const isOpen = () => !shell.dialog.hidden;

  function open(options = {}) {
    if (!isOpen()) {
      const active = doc.activeElement;
      returnFocus = active && active !== doc.body && !shell.root.contains(active) ? active : null;
      shell.dialog.hidden = false;
      shell.launcher.hidden = true;
      shell.launcher.setAttribute("aria-expanded", "true");
      releaseInert = inertOthers(shell.root);
      releaseTrap = trapFocus(shell.dialog);
      ctx.bus.emit("open", { view: options.view || "search" });
    }
    if (options.view || !history.length) go(options.view || "search", options);
    else show(history[history.length - 1], true);
    if (!shell.dialog.contains(doc.activeElement)) (focusables(shell.dialog)[0] || shell.close).focus();
  }

  function close() {
    if (!isOpen()) return;
    shell.dialog.hidden = true;
    shell.launcher.hidden = false;
    shell.launcher.setAttribute("aria-expanded", "false");
    releaseTrap();
    releaseInert();
    const target = returnFocus && returnFocus.isConnected ? returnFocus : shell.launcher;
    target.focus();
    ctx.bus.emit("close", {});
  }

  const onKey = (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  };
  const onLauncher = () => open({});
  shell.launcher.addEventListener("click", onLauncher);
  shell.close.addEventListener("click", close);
  shell.back.addEventListener("click", goBack);
  shell.dialog.addEventListener("keydown", onKey);
  doc.body.append(shell.root);

  return {
    element: shell.root,
    open,
    close,
    destroy() {
      close();
      Object.values(views).forEach((view) => view.destroy());
      shell.launcher.removeEventListener("click", onLauncher);
      shell.close.removeEventListener("click", close);
      shell.back.removeEventListener("click", goBack);
      shell.dialog.removeEventListener("keydown", onKey);
      shell.root.remove();
    },
  };
}
