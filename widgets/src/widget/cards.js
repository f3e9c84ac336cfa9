// Inline help cards: data-help-card="KEY" shows the help text of KEY inside that element,
// until the reader dismisses it (remembered for 30 days).
import "./cards.css";
import { isPlainClick } from "./dom.js";
import { articleHref, canTrack, nextTabbable, observePage } from "./help-texts.js";

const DISMISS_DAYS = 30;
const DISMISSED = "card-dismissed:";

export function mountCards(ctx) {
  const doc = ctx.document;
  const cards = new Map();
  const seen = createSeen(ctx);
  let counter = 0;
  const prefix = `hcw-card-${Math.random().toString(36).slice(2, 8)}`;

  function dismiss(host, key) {
    ctx.storage.local.set(DISMISSED + key, true, { days: DISMISS_DAYS });
    if (canTrack(key)) ctx.events.track("card_dismissed", { card_id: key });
    const { root } = cards.get(host);
    // The focused Dismiss button goes away with the card: focus moves on, not to <body>.
    const next = root.contains(doc.activeElement) ? nextTabbable(doc, root, root) : null;
    remove(host);
    if (next) next.focus();
  }

  function add(host) {
    const key = host.getAttribute("data-help-card");
    if (!key || cards.has(host) || ctx.storage.local.get(DISMISSED + key)) return;
    const card = { root: null, off() {} };
    cards.set(host, card);
    ctx.help.get(key).then((help) => {
      if (cards.get(host) !== card || !help || !host.isConnected) return;
      counter += 1;
      Object.assign(card, renderCard(ctx, host, help, `${prefix}-${counter}`, () => dismiss(host, key)));
      seen.watch(card.root, key);
    });
  }

  function remove(host) {
    const card = cards.get(host);
    if (!card) return;
    cards.delete(host);
    card.off();
    if (card.root) {
      seen.unwatch(card.root);
      card.root.remove();
    }
  }

  const observer = observePage(ctx, "data-help-card", {
    add,
    forget: remove,
    sweep: () => [...cards.keys()].filter((host) => !host.isConnected).forEach(remove),
  });

  return {
    element: null,
    destroy() {
      observer.disconnect();
      seen.destroy();
      [...cards.keys()].forEach(remove);
    },
  };
}

// card_viewed once per card and page, when at least half of it has been on screen.
function createSeen(ctx) {
  const viewed = new Set();
  const record = (key) => {
    if (viewed.has(key)) return;
    viewed.add(key);
    if (canTrack(key)) ctx.events.track("card_viewed", { card_id: key });
  };
  const win = ctx.window;
  const observer = "IntersectionObserver" in win ? new win.IntersectionObserver((records) => {
    records.filter((r) => r.isIntersecting).forEach((r) => {
      observer.unobserve(r.target);
      record(r.target.getAttribute("data-card-key"));
    });
  }, { threshold: 0.5 }) : null;
  return {
    watch(root, key) {
      root.setAttribute("data-card-key", key);
      if (observer) observer.observe(root);
      else record(key);
    },
    unwatch: (root) => observer && observer.unobserve(root),
    destroy: () => observer && observer.disconnect(),
  };
}

function renderCard(ctx, host, help, id, onDismiss) {
  const { root, more, dismiss } = buildCard(ctx.document, id, help, articleHref(ctx, help));
  const onMore = (event) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    ctx.open({ view: "article", articleId: help.article.id });
  };
  dismiss.addEventListener("click", onDismiss);
  more.addEventListener("click", onMore);
  host.append(root);
  return {
    root,
    off() {
      dismiss.removeEventListener("click", onDismiss);
      more.removeEventListener("click", onMore);
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
