// The end of every article page: "Was this helpful?" (the widget's own vote, through the votes API) and
// "Ask about this article", which opens the assistant with the page as its context, so that the article
// at that address ranks first among its sources.
import "./site-vote.css";
import { el } from "./dom.js";
import { mountVote } from "./vote.js";

// `host`: the page's .hc-vote element (data-article-id, data-article-title). `options`: {context: the
// address the assistant is told the reader is on}.
export function mountFeedback(ctx, host, options) {
  const doc = ctx.document;
  const id = host.dataset.articleId;
  const vote = mountVote(ctx);
  vote.show({ id });
  const ask = el(doc, "button", { type: "button", className: "hcw-button", text: "Ask about this article" });
  const onAsk = () => ctx.open({ view: "chat", context: options.context, contextTitle: host.dataset.articleTitle });
  ask.addEventListener("click", onAsk);
  const element = el(doc, "section", { className: "hcw-root hcw-site-feedback", "aria-label": "Feedback and questions" },
    vote.element, el(doc, "p", { className: "hcw-site-feedback__ask" }, "Still have a question? ", ask));
  host.replaceChildren(element);
  ctx.events.track("article_view", { article_id: id });
  return {
    element,
    destroy() {
      ask.removeEventListener("click", onAsk);
      vote.destroy();
      element.remove();
    },
  };
}
