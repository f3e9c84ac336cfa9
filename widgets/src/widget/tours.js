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
  const win = ctx.window;
  let catalog = null;
  let run = null;
  let destroyed = false;

  function tours() {
    if (!catalog) {
      catalog = ctx.api.get("/widgets/tours.json").then((data) => (data && data.tours) || [], () => []);
    }
    return catalog;
  }

  function track(type, fields) {
    if (canTrack(fields.tour_id)) ctx.events.track(type, fields);
  }

  function hooks(tour) {
    return {
      onStep(step) {
        track("tour_step", { tour_id: tour.id, step });
        ctx.bus.emit("tour:step", { id: tour.id, step, total: tour.steps.length });
      },
      onLeave(next, element) {
        ctx.storage.session.set(RESUME_KEY, { id: tour.id, step: next, at: Date.now() });
        run = null;
        goTo(tour.steps[next], element);
      },
      onEnd({ completed, step, shown }) {
        run = null;
        if (shown) track(completed ? "tour_completed" : "tour_dismissed", completed ? { tour_id: tour.id } : { tour_id: tour.id, step });
        ctx.bus.emit("tour:end", { id: tour.id, completed, step });
      },
    };
  }

  // The next step lives on another page: follow the highlighted link, or open the step's page when it names one.
  function goTo(step, element) {
    if (element && element.matches("a[href]")) element.click();
    else if (step.page && !step.page.includes("*")) win.location.assign(step.page);
  }

  async function begin(tour, from, resumed) {
    if (run) run.cancel();
    if (tour.show_once) ctx.storage.local.set(SEEN_KEY + tour.id, true);
    if (!resumed) {
      track("tour_started", { tour_id: tour.id });
      ctx.bus.emit("tour:start", { id: tour.id });
    }
    run = createRun(ctx, tour, hooks(tour));
    return run.begin(from);
  }

  async function start(id, options = {}) {
    const tour = (await tours()).find((t) => t.id === id);
    if (destroyed || !tour || !onTourPages(win, tour)) return false;
    const from = Number.isInteger(options.step) ? options.step : tour.steps.findIndex((s) => onThisPage(win, tour, s));
    if (from < 0 || from >= tour.steps.length) return false;
    return begin(tour, from, Boolean(options.resumed));
  }

  function resumable(all) {
    const saved = ctx.storage.session.get(RESUME_KEY);
    if (!saved || typeof saved.at !== "number" || Date.now() - saved.at > RESUME_WITHIN_MS) return null;
    const tour = all.find((t) => t.id === saved.id);
    const step = tour && tour.steps[saved.step];
    return step && onThisPage(win, tour, step) ? { tour, step: saved.step } : null;
  }

  async function autoStart() {
    const all = await tours();
    if (destroyed || run) return;
    const linked = new URLSearchParams(win.location.search).get("tour");
    if (linked && (await start(linked))) return;
    const resume = resumable(all);
    if (resume) {
      ctx.storage.session.remove(RESUME_KEY);
      await start(resume.tour.id, { step: resume.step, resumed: true });
      return;
    }
    const once = all.find((t) => t.show_once && onTourPages(win, t) && !ctx.storage.local.get(SEEN_KEY + t.id));
    if (once) await start(once.id);
  }

  autoStart();

  return {
    element: null,
    start,
    destroy() {
      destroyed = true;
      if (run) run.cancel();
      run = null;
    },
  };
}
