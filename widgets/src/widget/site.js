// The help site's own parts (header search on the API, votes, "Ask about this article", the reader page):
// mounted by index.js when the script tag has data-site. Being written (issue 10).
export function mountSite(ctx) {
  const element = ctx.document.createElement("div");
  element.className = "hcw-site";
  element.hidden = true;
  return {
    element,
    destroy() {
      element.remove();
    },
  };
}
