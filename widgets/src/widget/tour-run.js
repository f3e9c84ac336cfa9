/*! Includes driver.js 1.8.0 (its script and stylesheet): Copyright (c) Kamran Ahmed. MIT Licensed. */
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
  const run = {
    ctx, tour, hooks, doc: ctx.document, win: ctx.window, steps: tour.steps, opener: ctx.document.activeElement,
    elements: [], index: -1, busy: false, stopped: false, restoreInert: null,
  };
  run.drive = driver(settings(run));
  run.onKeydown = (event) => keepFocusIn(run, event);
  run.doc.addEventListener("keydown", run.onKeydown, true);
  return {
    begin: (from) => go(run, from, 1),
    // Ends the run without a word to analytics (another tour starts, or the widget goes away).
    cancel: () => !run.stopped && stop(run),
    // Ends the run as dismissed, for the help panel that opened over it: `panel` (its root) is reachable
    // at once, the rest of the page stays inert, as the panel's dialog needs it, until `closed` resolves.
    giveWayTo(panel, closed) {
      if (run.stopped) return;
      const restore = run.restoreInert;
      if (restore) {
        run.restoreInert = () => {
          if (panel) panel.inert = false;
          closed.then(restore);
        };
      }
      finish(run, false, run.index < 0);
    },
  };
}

function settings(run) {
  const win = run.win;
  const reduced = win.matchMedia && win.matchMedia("(prefers-reduced-motion: reduce)").matches;
  return {
    animate: !reduced,
    smoothScroll: !reduced,
    allowClose: true,
    showProgress: true,
    stagePadding: 6,
    popoverClass: "hcw-tour",
    steps: run.steps.map((step, i) => driveStep(step, i, run.steps.length, () => run.elements[i])),
    onNextClick: () => go(run, run.index + 1, 1),
    onPrevClick: () => go(run, run.index - 1, -1),
    onCloseClick: () => finish(run, false),
    onDestroyStarted: () => finish(run, false), // Escape, or a click on the overlay
    onPopoverRender: (popover) => decorate(run, popover),
  };
}

function decorate(run, popover) {
  const { steps, index } = run;
  fill(popover.title, steps[index].title);
  fill(popover.description, steps[index].text);
  popover.wrapper.setAttribute("aria-modal", "true");
  popover.wrapper.setAttribute("tabindex", "-1");
  // driver.js's <header> and <footer> sit at the top of <body>, where they would read as the page's
  // banner and footer landmarks: the title is the dialog's heading, the footer a plain box.
  popover.title.setAttribute("role", "heading");
  popover.title.setAttribute("aria-level", "2");
  popover.footer.setAttribute("role", "none");
  popover.closeButton.setAttribute("aria-label", "Close the tour");
  popover.closeButton.textContent = "\u00d7";
  // Last in the tab order (it still shows at the top corner): Tab from the dialog reaches Next first.
  popover.wrapper.append(popover.closeButton);
  const back = steps[index - 1];
  if (back && !onThisPage(run.win, run.tour, back)) popover.previousButton.disabled = true;
  if (index === steps.length - 1 && index > 0) addRestart(run, popover);
  // driver.js focuses the first button; the dialog itself goes first, so its title and text are read.
  Promise.resolve().then(() => !run.stopped && popover.wrapper.focus());
}

function addRestart(run, popover) {
  const restart = run.doc.createElement("button");
  restart.type = "button";
  restart.className = "driver-popover-footer-btn hcw-tour__restart";
  restart.textContent = "Restart";
  const first = run.steps.findIndex((step) => onThisPage(run.win, run.tour, step));
  restart.addEventListener("click", () => go(run, Math.max(first, 0), 1));
  popover.footerButtons.prepend(restart);
}

function setBusy(run, value) {
  run.busy = value;
  const popover = run.drive.getState("popover");
  if (popover) popover.wrapper.setAttribute("aria-busy", String(value));
}

// Shows step `target`, or the nearest one in `direction` whose element turns up; a step on another
// page hands over to it; past the last step the tour is done.
async function go(run, target, direction) {
  if (run.busy || run.stopped) return false;
  setBusy(run, true);
  try {
    for (let i = target; i >= 0 && i < run.steps.length; i += direction) {
      if (!onThisPage(run.win, run.tour, run.steps[i])) return direction > 0 ? leave(run, i) : false;
      const element = await waitFor(run.doc, run.win, run.steps[i].selector, WAIT_MS);
      if (run.stopped) return false;
      if (element) return show(run, i, element);
    }
    if (direction > 0) finish(run, run.index >= 0, run.index < 0);
    return false;
  } finally {
    setBusy(run, false);
  }
}

function show(run, i, element) {
  run.elements[i] = element;
  run.index = i;
  if (!run.restoreInert) run.restoreInert = makeInert(run.doc);
  if (run.drive.isActive()) run.drive.moveTo(i);
  else run.drive.drive(i);
  run.hooks.onStep(i);
  return true;
}

function leave(run, next) {
  const current = run.elements[run.index];
  stop(run);
  run.hooks.onLeave(next, current);
  return false;
}

function stop(run) {
  run.stopped = true;
  run.doc.removeEventListener("keydown", run.onKeydown, true);
  run.drive.destroy();
  if (run.restoreInert) run.restoreInert();
  run.restoreInert = null;
}

function finish(run, completed, nothingShown = false) {
  if (run.stopped) return;
  stop(run);
  const { opener, doc } = run;
  if (opener && opener.isConnected && opener !== doc.body) opener.focus();
  run.hooks.onEnd({ completed, step: Math.max(run.index, 0), shown: !nothingShown });
}

// Focus stays in the step's dialog; driver.js would also cycle through the (inert) highlighted element.
function keepFocusIn(run, event) {
  const popover = run.drive.getState("popover");
  if (run.stopped || event.key !== "Tab" || !popover) return;
  event.preventDefault();
  event.stopPropagation();
  const items = focusables(popover.wrapper);
  const at = items.indexOf(run.doc.activeElement);
  const next = event.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : (at + 1) % items.length;
  if (items[next]) items[next].focus();
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
