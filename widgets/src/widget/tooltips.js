// Tooltips for every element with data-help-id (WCAG 1.4.13: hoverable, persistent, dismissible
// with Escape). Elements that cannot take focus get a small "?" button that can.
import "./tooltips.css";
import { isPlainClick } from "./dom.js";
import { articleHref, canTrack, containsControls, isFocusable, nextTabbable, observePage } from "./help-texts.js";

const SHOW_DELAY_MS = 150;
// Long enough to move the pointer from the element onto the tooltip.
const HIDE_DELAY_MS = 250;
const GAP = 8;
const MARGIN = 8;
const HEADINGS = "h1,h2,h3,h4,h5,h6,legend,caption";

export function mountTooltips(ctx) {
  const doc = ctx.document;
  const prefix = `hcw-tip-${Math.random().toString(36).slice(2, 8)}`;
  const tip = createTip(doc, prefix);
  const viewed = new Set();
  const visibility = createVisibility(ctx.window, tip, (entry) => {
    if (viewed.has(entry.id) || !canTrack(entry.id)) return;
    viewed.add(entry.id);
    ctx.events.track("tooltip_viewed", { help_id: entry.id });
  });
  const entries = createEntries(ctx, visibility, tip, prefix);
  doc.body.append(entries.descriptions, tip.root);
  const listeners = tipListeners(ctx, tip, visibility);
  listeners.forEach(([target, type, fn, options]) => target.addEventListener(type, fn, options));
  const observer = observePage(ctx, "data-help-id", entries);

  return {
    element: tip.root,
    destroy() {
      observer.disconnect();
      visibility.hide();
      listeners.forEach(([target, type, fn, options]) => target.removeEventListener(type, fn, options));
      entries.clear();
      tip.root.remove();
      entries.descriptions.remove();
    },
  };
}

// One tooltip element, shared by every trigger: filled and placed for the one shown.
function createTip(doc, id) {
  const root = doc.createElement("div");
  root.className = "hcw-tooltip";
  root.id = id;
  root.setAttribute("role", "tooltip");
  root.hidden = true;
  const title = doc.createElement("p");
  title.className = "hcw-tooltip__title";
  const text = doc.createElement("p");
  text.className = "hcw-tooltip__text";
  const more = doc.createElement("a");
  more.className = "hcw-tooltip__more";
  more.textContent = "Learn more";
  root.append(title, text, more);
  const placeFor = (entry) => place(root, (entry.button || entry.element).getBoundingClientRect(), doc.documentElement);

  return {
    root,
    more,
    place: placeFor,
    open(entry) {
      title.textContent = entry.help.title || "";
      title.hidden = !entry.help.title;
      text.textContent = entry.help.text || "";
      more.hidden = !entry.href;
      if (entry.href) more.href = entry.href;
      else more.removeAttribute("href");
      root.hidden = false;
      root.classList.add("hcw-tooltip--open");
      placeFor(entry);
    },
    close() {
      root.hidden = true;
      root.classList.remove("hcw-tooltip--open");
    },
  };
}

// When the tooltip shows and hides: while the pointer is on the element or the tooltip, or focus is on
// the trigger or in the tooltip; until Escape, which keeps it hidden until the reader leaves and comes back.
function createVisibility(win, tip, onShow) {
  let active = null;
  let showTimer = 0;
  let hideTimer = 0;
  const holds = { element: false, tip: false, focus: false };

  function show(entry) {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    if (!entry.help || entry.dismissed) return;
    active = entry;
    tip.open(entry);
    if (entry.button) entry.button.setAttribute("aria-expanded", "true");
    onShow(entry);
  }

  function hide() {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    if (active && active.button) active.button.setAttribute("aria-expanded", "false");
    active = null;
    tip.close();
  }

  function hold(entry, how) {
    if (active && active !== entry) hide();
    if (!active) Object.assign(holds, { element: false, tip: false, focus: false });
    holds[how] = true;
    win.clearTimeout(hideTimer);
    if (active === entry) return;
    win.clearTimeout(showTimer);
    if (how === "focus") show(entry);
    else showTimer = win.setTimeout(() => show(entry), SHOW_DELAY_MS);
  }

  function release(entry, how) {
    if (active && active !== entry) return;
    holds[how] = false;
    if (holds.element || holds.tip || holds.focus) return;
    entry.dismissed = false;
    win.clearTimeout(showTimer);
    hideTimer = win.setTimeout(hide, HIDE_DELAY_MS);
  }

  return {
    show,
    hide,
    hold,
    release,
    active: () => active,
    dismiss() {
      const entry = active;
      if (!entry) return null;
      entry.dismissed = true;
      hide();
      return entry;
    },
  };
}

// The listeners on the tooltip itself and on the page: pointer on the tooltip, Escape, Tab out of
// "Learn more", "Learn more" opening the article in the panel, and placement as the page moves.
function tipListeners(ctx, tip, visibility) {
  const doc = ctx.document;
  const reposition = () => visibility.active() && tip.place(visibility.active());
  const onEscape = (event) => {
    if (event.key !== "Escape" || !visibility.active()) return;
    const hadFocus = tip.root.contains(doc.activeElement);
    const entry = visibility.dismiss();
    event.stopPropagation();
    event.preventDefault();
    // Escape on "Learn more": focus goes back to what the tooltip explains, not to <body>.
    if (hadFocus) entry.trigger.focus();
  };
  const onTab = (event) => {
    const entry = visibility.active();
    if (event.key !== "Tab" || !entry) return;
    event.preventDefault();
    const target = event.shiftKey ? entry.trigger : nextTabbable(doc, entry.trigger, tip.root);
    visibility.hide();
    if (target) target.focus();
  };
  const onMore = (event) => {
    const entry = visibility.active();
    if (!entry || !isPlainClick(event)) return;
    event.preventDefault();
    visibility.hide();
    ctx.open({ view: "article", articleId: entry.help.article.id });
  };
  const onFocusOut = (event) => {
    const entry = visibility.active();
    if (entry && event.relatedTarget !== entry.trigger && !tip.root.contains(event.relatedTarget)) {
      visibility.release(entry, "focus");
    }
  };
  return [
    [tip.root, "mouseenter", () => visibility.active() && visibility.hold(visibility.active(), "tip")],
    [tip.root, "mouseleave", () => visibility.active() && visibility.release(visibility.active(), "tip")],
    [tip.root, "focusout", onFocusOut],
    [tip.root, "keydown", onTab],
    [tip.more, "click", onMore],
    [doc, "keydown", onEscape],
    [ctx.window, "resize", reposition],
    [ctx.window, "scroll", reposition, { capture: true, passive: true }],
  ];
}

// The page's data-help-id elements, each bound to its help text once fetched (in one batch per scan).
function createEntries(ctx, visibility, tip, prefix) {
  const doc = ctx.document;
  const entries = new Map();
  const descriptions = doc.createElement("div");
  descriptions.className = "hcw-help-descriptions";
  descriptions.hidden = true;
  let counter = 0;

  function bind(element) {
    const id = element.getAttribute("data-help-id");
    if (!id || entries.has(element)) return;
    const [button, placed] = isFocusable(element) ? [null, null] : addButton(doc, element);
    const entry = { element, id, button, placed, trigger: button || element, help: null, href: "", dismissed: false };
    entries.set(element, entry);
    entry.off = listen(entry, visibility, tip);
    ctx.help.get(id).then((help) => {
      if (entries.get(element) !== entry) return;
      if (!help) {
        unbind(element);
        return;
      }
      counter += 1;
      Object.assign(entry, { help, href: articleHref(ctx, help) });
      describe(entry, descriptions, `${prefix}-d${counter}`);
    });
  }

  function unbind(element) {
    const entry = entries.get(element);
    if (!entry) return;
    entries.delete(element);
    if (visibility.active() === entry) visibility.hide();
    entry.off();
    if (entry.placed) entry.placed.remove();
    if (entry.undescribe) entry.undescribe();
  }

  return {
    descriptions,
    add: bind,
    forget: unbind,
    sweep: () => [...entries.keys()].filter((element) => !element.isConnected).forEach(unbind),
    clear: () => [...entries.keys()].forEach(unbind),
  };
}

// Pointer and focus on one trigger; returns the function that removes them.
function listen(entry, visibility, tip) {
  // A container of controls (a form, a toolbar) shows its tooltip from its "?" button only, not
  // whenever the pointer crosses it on the way to a field.
  const hoverables = entry.button && containsControls(entry.element) ? [entry.button] : [entry.element, entry.button];
  const pairs = [
    [entry.trigger, "focus", () => visibility.hold(entry, "focus")],
    [entry.trigger, "blur", (event) => !tip.root.contains(event.relatedTarget) && visibility.release(entry, "focus")],
    // Tab from a trigger whose tooltip is open reaches its "Learn more" link first.
    [entry.trigger, "keydown", (event) => {
      if (event.key !== "Tab" || event.shiftKey || visibility.active() !== entry || tip.more.hidden) return;
      event.preventDefault();
      tip.more.focus();
    }],
  ];
  hoverables.filter(Boolean).forEach((target) => {
    pairs.push([target, "mouseenter", () => visibility.hold(entry, "element")]);
    pairs.push([target, "mouseleave", () => visibility.release(entry, "element")]);
  });
  if (entry.button) {
    pairs.push([entry.button, "click", () => (visibility.active() === entry ? visibility.dismiss() : visibility.show(entry))]);
  }
  pairs.forEach(([target, type, fn]) => target.addEventListener(type, fn));
  return () => pairs.forEach(([target, type, fn]) => target.removeEventListener(type, fn));
}

// The help text as the trigger's accessible description (kept beside any the page gave it).
function describe(entry, descriptions, id) {
  const doc = descriptions.ownerDocument;
  const { help, trigger } = entry;
  const span = doc.createElement("span");
  span.id = id;
  span.textContent = help.title ? `${help.title}: ${help.text}` : help.text;
  descriptions.append(span);
  const before = trigger.getAttribute("aria-describedby");
  trigger.setAttribute("aria-describedby", before ? `${before} ${id}` : id);
  if (entry.button) entry.button.setAttribute("aria-label", `Help: ${help.title || help.text}`);
  entry.undescribe = () => {
    span.remove();
    if (before) trigger.setAttribute("aria-describedby", before);
    else trigger.removeAttribute("aria-describedby");
  };
}

// The "?" button of an element that cannot take focus, placed without moving anything on the page:
// in the element's heading when it has one (its own or its first child's), so that it reads as part
// of it; after an inline element; otherwise at the top right corner of a block (a form, a panel), in a
// zero-height holder just before it. Returns the button and the node to remove when unbound.
function addButton(doc, element) {
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "hcw-help-button";
  button.textContent = "?";
  button.setAttribute("aria-label", "Help");
  button.setAttribute("aria-expanded", "false");
  const heading = [element, element.firstElementChild].find((el) => el && el.matches(HEADINGS));
  if (heading) {
    heading.append(button);
    return [button, button];
  }
  if (doc.defaultView.getComputedStyle(element).display.startsWith("inline")) {
    element.after(button);
    return [button, button];
  }
  const holder = doc.createElement("span");
  holder.className = "hcw-help-holder";
  // Set here, not in the stylesheet: the page must not move even before the stylesheet has arrived.
  Object.assign(holder.style, { display: "block", position: "relative", height: "0" });
  Object.assign(button.style, { position: "absolute", right: "0", bottom: "2px", margin: "0" });
  holder.append(button);
  element.before(holder);
  return [button, holder];
}

// Below the anchor when it fits, else above; shifted sideways to stay in the viewport.
function place(root, rect, viewport) {
  const width = root.offsetWidth;
  const height = root.offsetHeight;
  const vw = viewport.clientWidth;
  const vh = viewport.clientHeight;
  let top = rect.bottom + GAP;
  let side = "bottom";
  if (top + height > vh - MARGIN && rect.top - GAP - height >= MARGIN) {
    top = rect.top - GAP - height;
    side = "top";
  }
  const left = rect.left + rect.width / 2 - width / 2;
  root.style.left = `${clamp(left, MARGIN, vw - width - MARGIN)}px`;
  root.style.top = `${clamp(top, MARGIN, vh - height - MARGIN)}px`;
  root.setAttribute("data-side", side);
}

function clamp(value, low, high) {
  return Math.max(low, Math.min(value, high));
}
