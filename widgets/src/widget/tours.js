// Guided tours compiled by the build into /widgets/tours.json (content/tours/*.yml, docs/tours.md).
// A tour starts from HelpCenter.startTour(id), from a link with ?tour=ID, or by itself once per
// reader when it is marked show_once; a tour spanning pages resumes after the navigation.
import { canTrack } from "./help-texts.js";
import { onThisPage, onTourPages } from "./tour-pages.js";
import { createRun } from "./tour-run.js";

const RESUME_KEY = "tour-resume";
const SEEN_KEY = "tour-seen:";
// A saved position older than this is stale: the reader wandered off and came back much later.
const RESUME_WITHIN_MS = 30 * 60 * 1000;

export function createTours(ctx) {
  const state = { ctx, catalog: null, run: null, destroyed: false, panelClosed: null };
  const start = (id, options) => startTour(state, String(id), options || {});
  const offOpen = ctx.bus.on("open", () => giveWayToPanel(state));
  autoStart(state, start);
  return {
    element: null,
    start,
    destroy() {
      state.destroyed = true;
      offOpen();
      if (state.run) state.run.cancel();
      state.run = null;
      if (state.panelClosed) state.panelClosed();
    },
  };
}

// The help panel opened during a tour (the host called HelpCenter.open()): the reader turned to it, so the
// tour ends as dismissed and the panel's dialog gets the keyboard. The rest of the page stays inert, as the
// tour left it, until the panel closes (or the widget goes away).
function giveWayToPanel(state) {
  if (!state.run) return;
  const { bus, document: doc } = state.ctx;
  const closed = new Promise((resolve) => {
    const offClose = bus.on("close", () => state.panelClosed());
    state.panelClosed = () => {
      offClose();
      state.panelClosed = null;
      resolve();
    };
  });
  const panel = doc.querySelector(".hcw-panel:not([hidden])");
  state.run.giveWayTo(panel && panel.closest(".hcw-root"), closed);
}

function tours(state) {
  if (!state.catalog) {
    state.catalog = state.ctx.api.get("/widgets/tours.json").then((data) => (data && data.tours) || [], () => []);
  }
  return state.catalog;
}

function track(ctx, type, fields) {
  if (canTrack(fields.tour_id)) ctx.events.track(type, fields);
}

async function startTour(state, id, options) {
  const { ctx } = state;
  const win = ctx.window;
  const tour = (await tours(state)).find((t) => t.id === id);
  if (state.destroyed || !tour || !onTourPages(win, tour)) return false;
  const from = Number.isInteger(options.step) ? options.step : tour.steps.findIndex((s) => onThisPage(win, tour, s));
  if (from < 0 || from >= tour.steps.length) return false;
  if (state.run) state.run.cancel();
  if (tour.show_once) ctx.storage.local.set(SEEN_KEY + tour.id, true);
  if (!options.resumed) {
    track(ctx, "tour_started", { tour_id: tour.id });
    ctx.bus.emit("tour:start", { id: tour.id });
  }
  state.run = createRun(ctx, tour, hooks(state, tour));
  return state.run.begin(from);
}

// What a run tells the rest of the widget: analytics, the bus, and where to resume on another page.
function hooks(state, tour) {
  const { ctx } = state;
  return {
    onStep(step) {
      track(ctx, "tour_step", { tour_id: tour.id, step });
      ctx.bus.emit("tour:step", { id: tour.id, step, total: tour.steps.length });
    },
    onLeave(next, element) {
      ctx.storage.session.set(RESUME_KEY, { id: tour.id, step: next, at: Date.now() });
      state.run = null;
      goTo(ctx.window, tour.steps[next], element);
    },
    onEnd({ completed, step, shown }) {
      state.run = null;
      if (shown && completed) track(ctx, "tour_completed", { tour_id: tour.id });
      if (shown && !completed) track(ctx, "tour_dismissed", { tour_id: tour.id, step });
      ctx.bus.emit("tour:end", { id: tour.id, completed, step });
    },
  };
}

// The next step lives on another page: follow the highlighted link, or open the step's page when it names one.
function goTo(win, step, element) {
  if (element && element.matches("a[href]")) element.click();
  else if (step.page && !step.page.includes("*")) win.location.assign(step.page);
}

// A ?tour=ID link starts its tour once: a reload, or a bookmark of the page, must not start it again.
function forgetLink(win) {
  const url = new URL(win.location.href);
  url.searchParams.delete("tour");
  win.history.replaceState(win.history.state, "", url.href);
}

function resumable(state, all) {
  const { ctx } = state;
  const saved = ctx.storage.session.get(RESUME_KEY);
  if (!saved || typeof saved.at !== "number" || Date.now() - saved.at > RESUME_WITHIN_MS) return null;
  const tour = all.find((t) => t.id === saved.id);
  const step = tour && tour.steps[saved.step];
  return step && onThisPage(ctx.window, tour, step) ? { id: tour.id, step: saved.step } : null;
}

// On page load: a ?tour=ID link first, then a tour carried over from the previous page, then a
// show-once tour this reader has not seen.
async function autoStart(state, start) {
  const { ctx } = state;
  const all = await tours(state);
  if (state.destroyed || state.run) return;
  const linked = new URLSearchParams(ctx.window.location.search).get("tour");
  if (linked && (await start(linked))) {
    forgetLink(ctx.window);
    return;
  }
  const resume = resumable(state, all);
  if (resume) {
    ctx.storage.session.remove(RESUME_KEY);
    await start(resume.id, { step: resume.step, resumed: true });
    return;
  }
  const once = all.find((t) => t.show_once && onTourPages(ctx.window, t) && !ctx.storage.local.get(SEEN_KEY + t.id));
  if (once) await start(once.id);
}
