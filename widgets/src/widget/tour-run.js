// One run of a guided tour on this page, drawn by driver.js. The tour is modal: the page
// behind a step is inert, focus moves to the step's dialog and stays in it, and a step whose
// element is missing is waited for briefly, then skipped.
import { driver } from "driver.js";
import "driver.js/dist/driver.css";
import "./tours.css";
import { focusables } from "./focus.js";
import { onThisPage } from "./tour-pages.js";

// How long a step waits for its element to appear (a list still loading, a dialog opening).
const WAIT_MS = 2000;

export function createRun(ctx, tour, hooks) {
  const doc = ctx.document;
  const win = ctx.window;
  const steps = tour.steps;
  const opener = doc.activeElement;
  const elements = [];
  let index = -1;
  let busy = false;
  let stopped = false;
  let restoreInert = null;

  const reduced = win.matchMedia && win.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const drive = driver({
    animate: !reduced,
    smoothScroll: !reduced,
    allowClose: true,
    showProgress: true,
    stagePadding: 6,
    popoverClass: "hcw-tour",
    steps: steps.map((step, i) => driveStep(step, i, steps.length, () => elements[i])),
    onNextClick: () => go(index + 1, 1),
    onPrevClick: () => go(index - 1, -1),
    onCloseClick: () => finish(false),
    onDestroyStarted: () => finish(false), // Escape, or a click on the overlay
    onPopoverRender: (popover) => decorate(popover),
  });

  function decorate(popover) {
    const step = steps[index];
    fill(popover.title, step.title);
    fill(popover.description, step.text);
    popover.wrapper.setAttribute("aria-modal", "true");
    // driver.js's <header> and <footer> sit at the top of <body>, where they would read as the page's
    // banner and footer landmarks: the title is the dialog's heading, the footer a plain box.
    popover.title.setAttribute("role", "heading");
    popover.title.setAttribute("aria-level", "2");
    popover.footer.setAttribute("role", "none");
    popover.wrapper.setAttribute("tabindex", "-1");
    popover.closeButton.setAttribute("aria-label", "Close the tour");
    popover.closeButton.textContent = "\u00d7";
    // Last in the tab order (it still shows at the top corner): Tab from the dialog reaches Next first.
    popover.wrapper.append(popover.closeButton);
    const back = steps[index - 1];
    if (back && !onThisPage(win, tour, back)) popover.previousButton.disabled = true;
    if (index === steps.length - 1 && index > 0) addRestart(popover);
    // driver.js focuses the first button; the dialog itself goes first, so its title and text are read.
    Promise.resolve().then(() => !stopped && popover.wrapper.focus());
  }

  function addRestart(popover) {
    const restart = doc.createElement("button");
    restart.type = "button";
    restart.className = "driver-popover-footer-btn hcw-tour__restart";
    restart.textContent = "Restart";
    restart.addEventListener("click", () => go(firstHere(), 1));
    popover.footerButtons.prepend(restart);
  }

  function firstHere() {
    const found = steps.findIndex((step) => onThisPage(win, tour, step));
    return found < 0 ? 0 : found;
  }

  function setBusy(value) {
    busy = value;
    const popover = drive.getState("popover");
    if (popover) popover.wrapper.setAttribute("aria-busy", String(value));
  }

  async function go(target, direction) {
    if (busy || stopped) return false;
    setBusy(true);
    try {
      for (let i = target; i >= 0 && i < steps.length; i += direction) {
        if (!onThisPage(win, tour, steps[i])) return direction > 0 ? leave(i) : false;
        const element = await waitFor(doc, win, steps[i].selector, WAIT_MS);
        if (stopped) return false;
        if (element) return show(i, element);
      }
      // Past the last step: the tour is done (or had nothing to show on this page).
      if (direction > 0) finish(index >= 0, index < 0);
      return false;
    } finally {
      setBusy(false);
    }
  }

  function show(i, element) {
    elements[i] = element;
    index = i;
    if (!restoreInert) restoreInert = makeInert(doc);
    if (drive.isActive()) drive.moveTo(i);
    else drive.drive(i);
    hooks.onStep(i);
    return true;
  }

  function leave(next) {
    const current = elements[index];
    stop();
    hooks.onLeave(next, current);
    return false;
  }

  function stop() {
    stopped = true;
    doc.removeEventListener("keydown", onKeydown, true);
    drive.destroy();
    if (restoreInert) restoreInert();
    restoreInert = null;
  }

  function finish(completed, nothingShown = false) {
    if (stopped) return;
    stop();
    if (opener && opener.isConnected && opener !== doc.body) opener.focus();
    hooks.onEnd({ completed, step: Math.max(index, 0), shown: !nothingShown });
  }

  function onKeydown(event) {
    if (stopped || event.key !== "Tab") return;
    const popover = drive.getState("popover");
    if (!popover) return;
    // Focus stays in the step's dialog; driver.js would also cycle through the (inert) highlighted element.
    event.preventDefault();
    event.stopPropagation();
    const items = focusables(popover.wrapper);
    const at = items.indexOf(doc.activeElement);
    const next = event.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : (at + 1) % items.length;
    if (items[next]) items[next].focus();
  }
  doc.addEventListener("keydown", onKeydown, true);

  return {
    begin: (from) => go(from, 1),
    // Ends the run without a word to analytics (another tour starts, or the widget goes away).
    cancel() {
      if (!stopped) stop();
    },
    isRunning: () => !stopped,
  };
}

function driveStep(step, i, total, element) {
  return {
    element,
    popover: {
      side: step.placement || "bottom",
      align: "start",
      progressText: `Step ${i + 1} of ${total}`,
      nextBtnText: i === total - 1 ? "Done" : "Next",
      prevBtnText: "Back",
    },
  };
}

// Title and text are the author's plain text: set as text, never as HTML.
function fill(node, text) {
  node.textContent = text || "";
  node.style.display = text ? "block" : "none";
}

function visible(element) {
  return element && element.getClientRects().length > 0;
}

function find(doc, selector) {
  try {
    const element = doc.querySelector(selector);
    return visible(element) ? element : null;
  } catch (error) {
    return null; // not a valid selector: the step is skipped like a missing element
  }
}

// The step's element, now or as soon as it appears (watched, not polled); null after `timeout` ms.
export function waitFor(doc, win, selector, timeout) {
  const found = find(doc, selector);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    let timer = 0;
    const observer = new win.MutationObserver(() => {
      const element = find(doc, selector);
      if (element) done(element);
    });
    function done(element) {
      observer.disconnect();
      win.clearTimeout(timer);
      resolve(element);
    }
    observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true });
    timer = win.setTimeout(() => done(null), timeout);
  });
}

// Every top-level element but driver.js's own becomes inert; the returned function undoes exactly that.
function makeInert(doc) {
  const changed = [...doc.body.children].filter((el) => !el.inert && !el.matches(".driver-popover, .driver-overlay"));
  changed.forEach((el) => { el.inert = true; });
  return () => changed.forEach((el) => { el.inert = false; });
}
