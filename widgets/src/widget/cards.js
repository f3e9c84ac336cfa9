// Inline help cards: data-help-card="KEY" shows the help text of KEY inside that element,
// until the reader dismisses it (remembered for 30 days).
import "./cards.css";
import { articleHref, canTrack, nextTabbable } from "./help-texts.js";

const DISMISS_DAYS = 30;

export function mountCards(ctx) {
  const doc = ctx.document;
  const win = ctx.window;
  const cards = new Map();
  const viewed = new Set();
  let counter = 0;
  const prefix = `hcw-card-${Math.random().toString(36).slice(2, 8)}`;
  const visibility = "IntersectionObserver" in win
    ? new win.IntersectionObserver(onVisible, { threshold: 0.5 })
    : null;

  function storageKey(key) {
    return `card-dismissed:${key}`;
  }

  function seen(key) {
    if (viewed.has(key)) return;
    viewed.add(key);
    if (canTrack(key)) ctx.events.track("card_viewed", { card_id: key });
  }

  function onVisible(records) {
    records.filter((r) => r.isIntersecting).forEach((r) => {
      visibility.unobserve(r.target);
      seen(r.target.getAttribute("data-card-key"));
    });
  }

  function dismiss(host, card, key) {
    ctx.storage.local.set(storageKey(key), true, { days: DISMISS_DAYS });
    if (canTrack(key)) ctx.events.track("card_dismissed", { card_id: key });
    // The focused Dismiss button goes away with the card: focus moves on, not to <body>.
    const next = card.contains(doc.activeElement) ? nextTabbable(doc, card, card) : null;
    remove(host);
    if (next) next.focus();
  }

  function render(host, key, help) {
    counter += 1;
    const card = buildCard(doc, `${prefix}-${counter}`, help, articleHref(ctx, help));
    card.root.setAttribute("data-card-key", key);
    const onDismiss = () => dismiss(host, card.root, key);
    const onMore = (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      ctx.open({ view: "article", articleId: help.article.id });
    };
    card.dismiss.addEventListener("click", onDismiss);
    card.more.addEventListener("click", onMore);
    host.append(card.root);
    cards.set(host, {
      root: card.root,
      off() {
        card.dismiss.removeEventListener("click", onDismiss);
        card.more.removeEventListener("click", onMore);
      },
    });
    if (visibility) visibility.observe(card.root);
    else seen(key);
  }

  function add(host) {
    const key = host.getAttribute("data-help-card");
    if (!key || cards.has(host) || ctx.storage.local.get(storageKey(key))) return;
    cards.set(host, { root: null, off() {} });
    ctx.help.get(key).then((help) => {
      if (!cards.has(host) || cards.get(host).root || !host.isConnected) return;
      if (help) render(host, key, help);
    });
  }

  function remove(host) {
    const card = cards.get(host);
    if (!card) return;
    cards.delete(host);
    card.off();
    if (card.root) {
      if (visibility) visibility.unobserve(card.root);
      card.root.remove();
    }
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    const hosts = [...root.querySelectorAll("[data-help-card]")];
    if (root.hasAttribute("data-help-card")) hosts.unshift(root);
    ctx.help.prefetch(hosts.map((host) => host.getAttribute("data-help-card")));
    hosts.forEach(add);
  }

  function onMutations(records) {
    records.forEach((record) => {
      if (record.type === "attributes") remove(record.target);
      if (record.type === "attributes") scan(record.target);
      else record.addedNodes.forEach(scan);
    });
    [...cards.keys()].filter((host) => !host.isConnected).forEach(remove);
  }

  const observer = new win.MutationObserver(onMutations);
  observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-help-card"] });
  scan(doc.body);

  return {
    element: null,
    destroy() {
      observer.disconnect();
      if (visibility) visibility.disconnect();
      [...cards.keys()].forEach(remove);
    },
  };
}

function buildCard(doc, id, help, href) {
  const root = doc.createElement("div");
  root.className = "hcw-card";
  root.setAttribute("role", "note");
  root.setAttribute("aria-labelledby", `${id}-title`);
  const title = doc.createElement("p");
  title.className = "hcw-card__title";
  title.id = `${id}-title`;
  title.textContent = help.title || "";
  const text = doc.createElement("p");
  text.className = "hcw-card__text";
  text.textContent = help.text || "";
  const more = doc.createElement("a");
  more.className = "hcw-card__more";
  more.textContent = "Read more";
  more.setAttribute("aria-label", `Read more: ${help.title || help.text}`);
  if (href) more.href = href;
  else more.hidden = true;
  const dismiss = doc.createElement("button");
  dismiss.type = "button";
  dismiss.className = "hcw-card__dismiss";
  dismiss.setAttribute("aria-label", `Dismiss: ${help.title || "help card"}`);
  dismiss.textContent = "\u00d7";
  root.append(title, text, more, dismiss);
  return { root, more, dismiss };
}
