// Where a tour may run: page path patterns in which "*" matches anything ("/" included),
// compared with the page's path; ".../index.html" is the same page as ".../".
export function currentPath(win) {
  return win.location.pathname.replace(/\/index\.html?$/, "/");
}

export function matches(pattern, path) {
  const parts = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`).test(path);
}

export function onTourPages(win, tour) {
  const path = currentPath(win);
  return (tour.pages || []).some((pattern) => matches(pattern, path));
}

// A step lives on its own `page` when it names one, else on any of the tour's pages.
export function onThisPage(win, tour, step) {
  return step.page ? matches(step.page, currentPath(win)) : onTourPages(win, tour);
}
