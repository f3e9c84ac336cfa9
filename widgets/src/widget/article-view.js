// One article read inside the panel: the API's rendered HTML rebuilt through the allow-list, scrolled to
// the section asked for, with "Was this helpful?", "Ask about this article" and the related articles.
// Links to other articles of the help center open here too, restricted ones included (the token goes along).
import "./article-view.css";
import { el, isPlainClick, safeDecode, uniqueId } from "./dom.js";
import { linkHref, needsToken, safeHtml } from "./safe-html.js";
import { mountVote } from "./vote.js";

const ID_PREFIX = "hcw-a-";

function buildView(doc) {
  const title = el(doc, "h3", { className: "hcw-article__title", tabindex: "-1" });
  const category = el(doc, "p", { className: "hcw-article__category" });
  const body = el(doc, "div", { className: "hcw-article__body" });
  const message = el(doc, "p", { className: "hcw-message", role: "status" });
  const ask = el(doc, "button", { type: "button", className: "hcw-button", text: "Ask about this article" });
  const related = el(doc, "div", { className: "hcw-article__related" });
  const open = el(doc, "a", { className: "hcw-article__open", target: "_blank", rel: "noopener" },
    "Open in the help center", el(doc, "span", { className: "hcw-sr", text: " (opens in a new tab)" }));
  const votes = el(doc, "div", { className: "hcw-article__votes" });
  const article = el(doc, "article", { className: "hcw-article__content", hidden: true },
    title, category, body, open, votes, el(doc, "p", {}, ask), related);
  const element = el(doc, "section", { className: "hcw-view hcw-article", "aria-label": "Article" }, message, article);
  return { element, article, title, category, body, message, ask, related, open, votes };
}

// The help center's article URLs mapped to ids, asked once: links inside articles name pages, not ids.
function articleIndex(ctx) {
  let pages = null;
  async function load() {
    const byPath = new Map();
    for (let offset = 0; ; offset += 200) {
      const found = await ctx.api.get("/api/v1/articles", { limit: 200, offset });
      found.articles.forEach((a) => byPath.set(new URL(a.url, ctx.api.url("/")).pathname, a.id));
      if (!found.articles.length || offset + 200 >= found.total) return byPath;
    }
  }
  return async function idOf(url) {
    if (url.pathname.replace(/\/$/, "") === "/read" && url.searchParams.get("id")) return url.searchParams.get("id");
    pages = pages || load().catch(() => { pages = null; return new Map(); });
    return (await pages).get(url.pathname) || null;
  };
}

function relatedList(doc, ctx, related) {
  if (!related || !related.length) return [];
  const headingId = uniqueId("hcw-related");
  const items = related.map((r) => el(doc, "li", {},
    el(doc, "a", { href: linkHref(r.url, ctx.api.url("/")), "data-article": r.id, text: r.title })));
  return [el(doc, "h4", { className: "hcw-heading", id: headingId, text: "Related articles" }),
    el(doc, "ul", { className: "hcw-article__links", "aria-labelledby": headingId }, items)];
}

class ArticleView {
  constructor(ctx, nav) {
    this.ctx = ctx;
    this.nav = nav;
    this.view = buildView(ctx.document);
    this.element = this.view.element;
    this.cache = new Map();
    this.idOf = articleIndex(ctx);
    this.article = null;
    this.sequence = 0;
    this.vote = mountVote(ctx);
    this.view.votes.append(this.vote.element);
    this.listeners = [
      [this.element, "click", (event) => this.onClick(event)],
      [this.view.ask, "click", () => this.askAbout()],
    ];
    this.listeners.forEach(([node, type, fn]) => node.addEventListener(type, fn));
  }

  fetch(id) {
    if (!this.cache.has(id)) {
      this.cache.set(id, this.ctx.api.get(`/api/v1/articles/${encodeURIComponent(id)}`).catch((error) => {
        this.cache.delete(id);
        throw error;
      }));
    }
    return this.cache.get(id);
  }

  section(anchor) {
    const found = anchor && this.ctx.document.getElementById(ID_PREFIX + anchor);
    if (!found || !this.view.body.contains(found)) return null;
    found.setAttribute("tabindex", "-1");
    found.scrollIntoView({ block: "start" });
    return found;
  }

  render(article) {
    const { view, ctx } = this;
    const doc = ctx.document;
    this.article = article;
    view.article.lang = article.language || "en";
    view.title.textContent = article.title;
    view.category.textContent = (article.category || []).join(" \u203a ");
    view.body.replaceChildren(safeHtml(article.html, { doc, base: ctx.api.url("/"), idPrefix: ID_PREFIX, headingShift: 2 }));
    view.body.querySelectorAll("a[href]:not([href^='#'])").forEach((link) => { link.target = "_blank"; });
    // The panel is where a restricted article can be read: a new tab would have no token.
    const open = needsToken(article.url) ? null : linkHref(article.url, ctx.api.url("/"));
    view.open.hidden = !open;
    if (open) view.open.href = open;
    view.related.replaceChildren(...relatedList(doc, ctx, article.related));
    this.vote.show(article);
    view.article.hidden = false;
    view.message.textContent = "";
  }

  async load(options, restoring) {
    const { view, ctx } = this;
    const sequence = ++this.sequence;
    view.article.hidden = true;
    view.message.removeAttribute("tabindex");
    view.message.textContent = "Loading\u2026";
    try {
      const article = await this.fetch(options.articleId);
      if (sequence !== this.sequence) return;
      this.render(article);
      if (!restoring) {
        ctx.events.track("article_view", { article_id: article.id });
        ctx.bus.emit("article", { id: article.id, title: article.title });
      }
      (this.section(options.anchor) || view.title).focus({ preventScroll: Boolean(options.anchor) });
    } catch (error) {
      if (sequence !== this.sequence) return;
      view.message.textContent = error.status === 404
        ? "This article is not available. It may have moved, or you may need to sign in to read it."
        : "The article could not be loaded. Please try again in a moment.";
      view.message.setAttribute("tabindex", "-1");
      view.message.focus();
    }
  }

  // Links to a section scroll the panel; links to another article of the help center open it here.
  async onClick(event) {
    const link = event.target.closest("a[href]");
    if (!link || !this.view.article.contains(link) || link === this.view.open || !isPlainClick(event)) return;
    const href = link.getAttribute("href");
    if (href.startsWith("#")) {
      event.preventDefault();
      const found = this.section(href.slice(1 + ID_PREFIX.length));
      if (found) found.focus({ preventScroll: true });
      return;
    }
    const url = new URL(link.href);
    if (url.origin !== new URL(this.ctx.api.url("/")).origin) return;
    event.preventDefault();
    const id = link.dataset.article || (await this.idOf(url));
    if (id) this.nav.go("article", { articleId: id, anchor: url.hash ? safeDecode(url.hash.slice(1)) : undefined });
    else this.ctx.window.open(url.href, "_blank", "noopener");
  }

  askAbout() {
    if (this.article) this.nav.go("chat", { context: this.article.url, contextTitle: this.article.title });
  }

  show(options, { restoring }) {
    this.load(options, restoring);
    return null;
  }

  destroy() {
    this.sequence += 1;
    this.vote.destroy();
    this.listeners.forEach(([node, type, fn]) => node.removeEventListener(type, fn));
  }
}

export function mountArticleView(ctx, nav) {
  return new ArticleView(ctx, nav);
}
