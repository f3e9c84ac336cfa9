// Tooltips for every element with data-help-id (WCAG 1.4.13: hoverable, persistent,
// dismissible with Escape). Elements that cannot take focus get a small "?" button.
import "./tooltips.css";
import { articleHref, canTrack, containsControls, isFocusable, nextTabbable } from "./help-texts.js";

const SHOW_DELAY_MS = 150;
// Long enough to move the pointer from the element onto the tooltip.
const HIDE_DELAY_MS = 250;
const GAP = 8;
const MARGIN = 8;
const HEADINGS = "h1,h2,h3,h4,h5,h6,legend,caption";

export function mountTooltips(ctx) {
  const doc = ctx.document;
  const win = ctx.window;
  const prefix = `hcw-tip-${Math.random().toString(36).slice(2, 8)}`;
  const entries = new Map();
  const viewed = new Set();
  const tip = buildTip(doc, prefix);
  const descriptions = doc.createElement("div");
  descriptions.hidden = true;
  descriptions.className = "hcw-help-descriptions";
  doc.body.append(descriptions, tip.root);

  let counter = 0;
  let active = null;
  let showTimer = 0;
  let hideTimer = 0;
  const holds = { element: false, tip: false, focus: false };

  function clearTimers() {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
  }

  function show(entry) {
    clearTimers();
    if (!entry.help || entry.dismissed) return;
    active = entry;
    fillTip(tip, entry.help, articleHref(ctx, entry.help));
    tip.root.hidden = false;
    tip.root.classList.add("hcw-tooltip--open");
    place(tip.root, anchorOf(entry).getBoundingClientRect(), doc.documentElement);
    if (entry.button) entry.button.setAttribute("aria-expanded", "true");
    if (!viewed.has(entry.id) && canTrack(entry.id)) {
      viewed.add(entry.id);
      ctx.events.track("tooltip_viewed", { help_id: entry.id });
    }
  }

  function hide() {
    clearTimers();
    if (active && active.button) active.button.setAttribute("aria-expanded", "false");
    active = null;
    tip.root.hidden = true;
    tip.root.classList.remove("hcw-tooltip--open");
  }

  function hold(entry, how) {
    if (active && active !== entry) hide();
    if (!active) Object.assign(holds, { element: false, tip: false, focus: false });
    holds[how] = true;
    win.clearTimeout(hideTimer);
    if (active === entry) return;
    if (how === "focus") show(entry);
    else {
      win.clearTimeout(showTimer);
      showTimer = win.setTimeout(() => show(entry), SHOW_DELAY_MS);
    }
  }

  function release(entry, how) {
    if (active && active !== entry) return;
    holds[how] = false;
    if (holds.element || holds.tip || holds.focus) return;
    entry.dismissed = false;
    win.clearTimeout(showTimer);
    hideTimer = win.setTimeout(hide, HIDE_DELAY_MS);
  }

  function dismiss() {
    if (!active) return false;
    const entry = active;
    const hadFocus = tip.root.contains(doc.activeElement);
    entry.dismissed = true;
    hide();
    // Escape on the "Learn more" link: focus goes back to what the tooltip explains, not to <body>.
    if (hadFocus) entry.trigger.focus();
    return true;
  }

  function onKeydown(event) {
    if (event.key === "Escape" && dismiss()) {
      event.stopPropagation();
      event.preventDefault();
    }
  }

  function onTriggerKeydown(entry, event) {
    // Tab from a trigger whose tooltip is open reaches its "Learn more" link first.
    if (event.key === "Tab" && !event.shiftKey && active === entry && !tip.more.hidden) {
      event.preventDefault();
      tip.more.focus();
    }
  }

  function onTipKeydown(event) {
    if (event.key !== "Tab" || !active) return;
    const trigger = active.trigger;
    event.preventDefault();
    const target = event.shiftKey ? trigger : nextTabbable(doc, trigger, tip.root);
    hide();
    if (target) target.focus();
    else tip.more.blur();
  }

  function onMoreClick(event) {
    if (!active || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const articleId = active.help.article.id;
    hide();
    ctx.open({ view: "article", articleId });
  }

  function describe(entry, help) {
    entry.help = help;
    const span = doc.createElement("span");
    span.id = `${prefix}-d${counter += 1}`;
    span.textContent = help.title ? `${help.title}: ${help.text}` : help.text;
    descriptions.append(span);
    entry.description = span;
    const before = entry.trigger.getAttribute("aria-describedby");
    entry.describedBy = before;
    entry.trigger.setAttribute("aria-describedby", before ? `${before} ${span.id}` : span.id);
    if (entry.button) entry.button.setAttribute("aria-label", `Help: ${help.title || help.text}`);
  }

  function listen(entry) {
    // A container of controls (a form, a toolbar) shows its tooltip from its "?" button only, not
    // whenever the pointer crosses it on the way to a field.
    const hoverable = entry.button && containsControls(entry.element) ? entry.button : entry.element;
    const pairs = [
      [hoverable, "mouseenter", () => hold(entry, "element")],
      [hoverable, "mouseleave", () => release(entry, "element")],
      [entry.trigger, "focus", () => hold(entry, "focus")],
      [entry.trigger, "blur", (event) => {
        if (!tip.root.contains(event.relatedTarget)) release(entry, "focus");
      }],
      [entry.trigger, "keydown", (event) => onTriggerKeydown(entry, event)],
    ];
    if (entry.button) {
      if (hoverable !== entry.button) {
        pairs.push([entry.button, "mouseenter", () => hold(entry, "element")]);
        pairs.push([entry.button, "mouseleave", () => release(entry, "element")]);
      }
      pairs.push([entry.button, "click", () => (active === entry ? dismiss() : show(entry))]);
    }
    pairs.forEach(([target, type, fn]) => target.addEventListener(type, fn));
    entry.off = () => pairs.forEach(([target, type, fn]) => target.removeEventListener(type, fn));
  }

  function bind(element) {
    const id = element.getAttribute("data-help-id");
    if (!id || entries.has(element)) return;
    const button = isFocusable(element) ? null : addButton(doc, element);
    const entry = { element, id, button, trigger: button || element, help: null, dismissed: false };
    entries.set(element, entry);
    listen(entry);
    ctx.help.get(id).then((help) => {
      if (entries.get(element) !== entry) return;
      if (help) describe(entry, help);
      else unbind(element);
    });
  }

  function unbind(element) {
    const entry = entries.get(element);
    if (!entry) return;
    entries.delete(element);
    if (active === entry) hide();
    entry.off();
    if (entry.button) entry.button.remove();
    if (entry.description) {
      entry.description.remove();
      if (entry.describedBy) entry.trigger.setAttribute("aria-describedby", entry.describedBy);
      else entry.trigger.removeAttribute("aria-describedby");
    }
  }

  function scan(root) {
    const found = [];
    if (root.nodeType !== 1) return;
    if (root.hasAttribute("data-help-id")) found.push(root);
    found.push(...root.querySelectorAll("[data-help-id]"));
    ctx.help.prefetch(found.map((el) => el.getAttribute("data-help-id")));
    found.forEach(bind);
  }

  function onMutations(records) {
    for (const record of records) {
      if (record.type === "attributes") {
        unbind(record.target);
        scan(record.target);
      } else record.addedNodes.forEach(scan);
    }
    for (const element of [...entries.keys()]) if (!element.isConnected) unbind(element);
  }

  function reposition() {
    if (active) place(tip.root, anchorOf(active).getBoundingClientRect(), doc.documentElement);
  }

  const tipListeners = [
    [tip.root, "mouseenter", () => active && hold(active, "tip")],
    [tip.root, "mouseleave", () => active && release(active, "tip")],
    [tip.root, "focusout", (event) => {
      if (active && event.relatedTarget !== active.trigger && !tip.root.contains(event.relatedTarget)) {
        release(active, "focus");
      }
    }],
    [tip.root, "keydown", onTipKeydown],
    [tip.more, "click", onMoreClick],
    [doc, "keydown", onKeydown],
    [win, "resize", reposition],
    [win, "scroll", reposition, { capture: true, passive: true }],
  ];
  tipListeners.forEach(([target, type, fn, options]) => target.addEventListener(type, fn, options));
  const observer = new win.MutationObserver(onMutations);
  observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-help-id"] });
  scan(doc.body);

  return {
    element: tip.root,
    destroy() {
      observer.disconnect();
      clearTimers();
      tipListeners.forEach(([target, type, fn, options]) => target.removeEventListener(type, fn, options));
      [...entries.keys()].forEach(unbind);
      tip.root.remove();
      descriptions.remove();
    },
  };
}

function anchorOf(entry) {
  return entry.button || entry.element;
}

function buildTip(doc, prefix) {
  const root = doc.createElement("div");
  root.className = "hcw-tooltip";
  root.id = prefix;
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
  return { root, title, text, more };
}

function fillTip(tip, help, href) {
  tip.title.textContent = help.title || "";
  tip.title.hidden = !help.title;
  tip.text.textContent = help.text || "";
  tip.more.hidden = !href;
  if (href) tip.more.href = href;
  else tip.more.removeAttribute("href");
}

function addButton(doc, element) {
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "hcw-help-button";
  button.textContent = "?";
  button.setAttribute("aria-label", "Help");
  button.setAttribute("aria-expanded", "false");
  // In the element's heading when it has one (its own or its first child's), so the "?" sits by the
  // words it explains; otherwise after an inline element, or above a block (a form, a table, a panel).
  const heading = [element, element.firstElementChild].find((el) => el && el.matches(HEADINGS));
  if (heading) heading.append(button);
  else if (doc.defaultView.getComputedStyle(element).display.startsWith("inline")) element.after(button);
  else element.before(button);
  return button;
}

// Below the anchor when it fits, else above; shifted sideways to stay in the viewport.
export function place(root, rect, viewport) {
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
