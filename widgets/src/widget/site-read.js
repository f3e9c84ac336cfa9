// The reader page of restricted articles, /read/?id=...: such an article (roles or tenants) has no static
// page, so search results and the assistant's citations link here. The article comes from the API with
// the reader's token and is rebuilt through the allow-list sanitiser; a reader who may not read it is told
// so politely (sign in, or not available to them), never shown a 404.
import { el, safeDecode } from "./dom.js";
import { safeHtml } from "./safe-html.js";
import { mountFeedback } from "./site-vote.js";
import { hasReaderToken, siteUrl } from "./site-api.js";

// An article's id is its path in the content folder. Anything else, "." or ".." above all, would make the
// call another route of the API, asked with the reader's token: such an id names no article.
const ARTICLE_ID = /^[A-Za-z0-9_.\/-]+$/;

function articlePath(id) {
  const unsafe = !ARTICLE_ID.test(id) || id.split("/").some((segment) => ["", ".", ".."].includes(segment));
  return unsafe ? null : `/api/v1/articles/${id}`;
}

const REFUSALS = {
  missing: ["No article named", "This link does not name an article. Search the help center for what you need."],
  unreachable: ["Article not available just now", "The help center's server cannot be reached, so this article cannot be shown. Please try again in a moment."],
  expired: ["Please sign in again", "Your sign-in has expired or is not valid. Open the article again from Sitekeeper, where you are signed in."],
  signIn: ["Sign in to read this article", "This article is for signed-in readers only. Open it from the help in Sitekeeper, where you are signed in."],
  notYours: ["Article not available", "This article is not available to your account. If you think you need it, ask your Sitekeeper administrator."],
  broken: ["Article not available just now", "The article could not be shown. Please try again in a moment."],
};

// `refused`: the API refused the reader's token and the article was asked for anonymously.
function refusal(error, signedIn, refused) {
  const status = error && error.status;
  if (status === 0) return REFUSALS.unreachable;
  if (status === 401 || refused) return REFUSALS.expired;
  if (status === 404) return signedIn ? REFUSALS.notYours : REFUSALS.signIn;
  return REFUSALS.broken;
}

function ways(doc) {
  return el(doc, "p", { className: "hcw-site-read__ways" },
    el(doc, "a", { href: siteUrl(doc, "search/"), text: "Search the help center" }), " or go to the ",
    el(doc, "a", { href: siteUrl(doc, ""), text: "help center home" }), ".");
}

function related(ctx, article) {
  const doc = ctx.document;
  if (!(article.related || []).length) return null;
  const items = article.related.map((r) => el(doc, "li", {}, el(doc, "a", { href: ctx.api.url(r.url), text: r.title })));
  return el(doc, "section", { className: "hc-related" }, el(doc, "h2", { text: "Related articles" }), el(doc, "ul", {}, items));
}

function body(ctx, article) {
  const doc = ctx.document;
  const fragment = safeHtml(article.html, { doc, base: ctx.api.url("/"), idPrefix: "", headingShift: 0 });
  // The page's heading is the article's title: a first heading of the body's own would say it twice.
  const own = fragment.querySelector("h1");
  if (own) own.remove();
  return el(doc, "div", { className: "hcw-site-read__body" }, fragment);
}

// As the static pages say it: 26 November 2026.
function longDate(day) {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function show(ctx, root, heading, article) {
  const doc = ctx.document;
  heading.textContent = article.title;
  doc.title = doc.title.replace(/^Article/, article.title);
  const crumbs = el(doc, "nav", { className: "hc-breadcrumbs", "aria-label": "Breadcrumb" },
    el(doc, "a", { href: siteUrl(doc, ""), text: "Help center" }), ...(article.category || []).map((c) => ` › ${c}`));
  const vote = el(doc, "div", { className: "hc-vote", "data-article-id": article.id, "data-article-title": article.title });
  const updated = article.updated ? el(doc, "p", { className: "hc-updated" }, "Last updated ",
    el(doc, "time", { datetime: article.updated, text: longDate(article.updated) })) : null;
  root.replaceChildren(crumbs, heading, ...[updated].filter(Boolean), body(ctx, article), ...[related(ctx, article)].filter(Boolean), vote);
  const anchor = ctx.window.location.hash.slice(1);
  const target = anchor && doc.getElementById(safeDecode(anchor));
  if (target) target.scrollIntoView();
  return mountFeedback(ctx, vote, { context: article.url });
}

// `root`: the page's .hc-read element (a heading and a status line). `options`: {signedIn, answers: whether
// the API answers at all}.
export function mountReader(ctx, root, options) {
  const doc = ctx.document;
  const heading = root.querySelector("h1") || el(doc, "h1");
  const status = root.querySelector(".hc-read-status") || el(doc, "p");
  const path = articlePath((new URLSearchParams(ctx.window.location.search).get("id") || "").trim());
  let feedback = null;
  let destroyed = false;

  function refuse([title, text]) {
    heading.textContent = title;
    status.textContent = text;
    root.replaceChildren(heading, status, ways(doc));
  }
  if (!path) refuse(REFUSALS.missing);
  else if (!options.answers) refuse(REFUSALS.unreachable);
  else {
    ctx.api.get(path).then((article) => {
      if (!destroyed) feedback = show(ctx, root, heading, article);
    }, (error) => {
      if (!destroyed) refuse(refusal(error, options.signedIn, options.signedIn && !hasReaderToken(ctx)));
    });
  }
  return {
    element: root,
    destroy() {
      destroyed = true;
      if (feedback) feedback.destroy();
    },
  };
}
