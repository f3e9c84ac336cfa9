// The help site's own parts, on top of mkdocs-material (in help-site.js, the site's bundle; site-main.js): the
// header search and the results page on the API's hybrid search, votes and "Ask about this article" on
// article pages, and the reader page of restricted articles. When the API does not answer, the site stays
// what it is as plain static files: Material's own search, static related articles, no votes.
import { mountHeaderSearch } from "./site-search.js";
import { mountSearchPage } from "./site-search-page.js";
import { mountFeedback } from "./site-vote.js";
import { mountReader } from "./site-read.js";
import { afterMaterial, apiAnswers, useReaderToken } from "./site-api.js";
import { muteSingleKeyShortcuts } from "./site-shortcuts.js";

function mountParts(ctx, signedIn, answers) {
  const doc = ctx.document;
  const parts = [];
  const reader = doc.querySelector(".hc-read");
  if (reader) parts.push(mountReader(ctx, reader, { signedIn, answers }));
  const results = doc.querySelector(".hc-search-results");
  if (results) parts.push(mountSearchPage(ctx, results, answers));
  if (!answers) return parts;
  parts.push(mountHeaderSearch(ctx));
  const vote = doc.querySelector(".hc-vote[data-article-id]");
  if (vote) parts.push(mountFeedback(ctx, vote, { context: ctx.window.location.pathname }));
  return parts;
}

// mkdocs-material checks none of its palette's radios, so Tab lands on the first one even when the other
// scheme is in use, and says "Switch to dark mode" on a dark page: the radio of the scheme in use is checked
// (once Material has picked the scheme, from the reader's choice or their system's).
function checkPalette(doc) {
  const scheme = doc.body.getAttribute("data-md-color-scheme");
  const current = [...doc.querySelectorAll("[data-md-component=palette] input")].find((input) => input.dataset.mdColorScheme === scheme);
  if (current) current.checked = true;
}

// The site's parts live in the page's own elements (the header search, .hc-vote, .hc-read, .hc-search-results):
// there is no element of the site's own to return.
export function mountSite(ctx) {
  const unwait = afterMaterial(ctx.window, () => checkPalette(ctx.document));
  const unmute = muteSingleKeyShortcuts(ctx.window);
  const signedIn = useReaderToken(ctx);
  let parts = [];
  let destroyed = false;
  apiAnswers(ctx).then((answers) => {
    if (!destroyed) parts = mountParts(ctx, signedIn, answers);
  });
  return {
    element: null,
    destroy() {
      unwait();
      unmute();
      destroyed = true;
      parts.forEach((part) => part.destroy());
    },
  };
}
