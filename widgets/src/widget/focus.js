// Keeping keyboard focus inside a modal dialog, and making the rest of the page inert meanwhile.

const FOCUSABLE = [
  "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])", "select:not([disabled])",
  "textarea:not([disabled])", "[tabindex]:not([tabindex='-1'])",
].join(",");

export function focusables(container) {
  return [...container.querySelectorAll(FOCUSABLE)].filter((node) => !node.closest("[hidden],[inert]")
    && node.getClientRects().length > 0);
}

// Tab from the last element goes to the first, Shift+Tab from the first to the last. Returns the release.
export function trapFocus(container) {
  function onKey(event) {
    if (event.key !== "Tab") return;
    const items = focusables(container);
    if (!items.length) {
      event.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = container.ownerDocument.activeElement;
    if (event.shiftKey && (active === first || !container.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !container.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }
  container.addEventListener("keydown", onKey);
  return () => container.removeEventListener("keydown", onKey);
}

// Every child of <body> but `keep` becomes inert (unreachable by keyboard, pointer and screen readers);
// the returned function gives back exactly what was taken, leaving alone what the page made inert itself.
export function inertOthers(keep) {
  const body = keep.ownerDocument.body;
  const taken = [...body.children].filter((child) => child !== keep && !child.contains(keep) && !child.inert
    && child.tagName !== "SCRIPT");
  taken.forEach((child) => { child.inert = true; });
  return () => taken.forEach((child) => { child.inert = false; });
}
