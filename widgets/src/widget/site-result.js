// One search result of the API, as the header search and the results page show it: title, where it sits
// (its categories), and the snippet with the matched words marked. Every piece is text from the network,
// so it goes in as text nodes.
import "./site-result.css";
import { el } from "./dom.js";
import { renderSnippet } from "./snippet.js";

export function crumbs(doc, result) {
  return el(doc, "span", { className: "hcw-site-result__crumbs", text: (result.category || []).join(" › ") });
}

export function snippet(doc, result) {
  return el(doc, "span", { className: "hcw-site-result__snippet" }, renderSnippet(doc, result.snippet || result.summary || ""));
}

// A result's link: its address on the help host (the server of this site), with the best section's anchor.
export function resultLink(ctx, result, rank, props, ...children) {
  const attributes = { href: ctx.api.url(result.url), "data-article-id": result.id, "data-rank": rank, ...props };
  return el(ctx.document, "a", attributes, ...children);
}

// The click reaches the API while the browser leaves for the article: keepalive outlives the page.
export function trackClicks(ctx, list, searchOf) {
  function onClick(event) {
    const link = event.target.closest && event.target.closest("a[data-rank]");
    const found = searchOf();
    if (!link || !found || !list.contains(link)) return;
    const body = { article_id: link.dataset.articleId, rank: Number(link.dataset.rank), session_id: ctx.sessionId };
    ctx.api.post(`/api/v1/search/${found.search_id}/click`, body, { keepalive: true }).catch(() => {});
  }
  list.addEventListener("click", onClick);
  return () => list.removeEventListener("click", onClick);
}
