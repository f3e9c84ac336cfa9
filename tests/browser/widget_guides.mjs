// Tooltips, inline cards and guided tours as a reader meets them, in real headless Chromium on the real server.
//   node tests/browser/widget_guides.mjs '{"chromium": "...", "base": "http://127.0.0.1:8000", "tours": [...]}'
// `tours`: [{"id", "start": "/demo/?tour=...", "steps": 5}] run to the end with the keyboard.
// Prints one JSON object; a scenario that throws is reported as {error}, so one failure does not hide the others.
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const WAIT = 15000;
const TIP = '[role="tooltip"]';
const STEP = ".driver-popover";
const report = { errors: [] };

async function newPage(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion: "reduce" });
  // What the widget announces on its bus, kept for the tab across page loads (a tour may span pages).
  await context.addInitScript(() => {
    document.addEventListener("helpcenter:ready", (event) => {
      for (const name of ["tour:start", "tour:step", "tour:end"]) {
        event.detail.on(name, (detail) => {
          const seen = JSON.parse(sessionStorage.getItem("test:bus") || "[]");
          sessionStorage.setItem("test:bus", JSON.stringify([...seen, { name, ...detail }]));
        });
      }
    });
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => report.errors.push(String(error)));
  page.on("console", (message) => message.type() === "error" && report.errors.push(message.text()));
  return page;
}

async function attempt(fn) {
  try {
    return await fn();
  } catch (error) {
    return { error: String(error.message || error).split("\n")[0] };
  }
}

async function nextFrames(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

// The page with the widget started and its help texts fetched.
async function load(page, path) {
  await page.goto(`${plan.base}${path}`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => Boolean(window.HelpCenter), null, { timeout: WAIT });
  await page.waitForLoadState("networkidle");
  await nextFrames(page);
}

function focusInfo() {
  const el = document.activeElement;
  return { tag: el.tagName.toLowerCase(), id: el.id, text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 60) };
}

function inViewport(box, viewport) {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
}

// The texts an element's aria-describedby points at.
async function description(page, selector) {
  return page.$eval(selector, (el) => (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent || "").join(" | "));
}

async function hoverAndStay(page) {
  await load(page, "/demo/");
  await page.hover("#wo-priority");
  const tip = page.locator(TIP);
  await tip.waitFor({ state: "visible", timeout: WAIT });
  const found = { text: await tip.innerText(), described_by: await description(page, "#wo-priority") };
  const box = await tip.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  // Persistence is the absence of a change: give the widget well over its hide delay to (wrongly) hide it.
  await page.waitForTimeout(800);
  found.stays_while_hovered = await tip.isVisible();
  const focusBefore = await page.evaluate(focusInfo);
  await page.keyboard.press("Escape");
  await tip.waitFor({ state: "hidden", timeout: WAIT });
  found.escape_hides = true;
  found.escape_keeps_focus = JSON.stringify(await page.evaluate(focusInfo)) === JSON.stringify(focusBefore);
  await page.mouse.move(2, 2);
  return found;
}

async function keyboardTooltips(page) {
  await load(page, "/demo/");
  const tip = page.locator(TIP);
  await page.focus("#wo-title");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const onPriority = { focus: await page.evaluate(focusInfo) };
  await tip.waitFor({ state: "visible", timeout: WAIT });
  onPriority.text = await tip.innerText();
  await page.keyboard.press("Tab");
  const onLink = { focus: await page.evaluate(focusInfo), tip_visible: await tip.isVisible() };
  await page.keyboard.press("Tab");
  const onAssignee = { focus: await page.evaluate(focusInfo) };
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes("Assign"), TIP, { timeout: WAIT });
  onAssignee.text = await tip.innerText();
  await page.keyboard.press("Escape");
  await tip.waitFor({ state: "hidden", timeout: WAIT });
  onAssignee.after_escape = await page.evaluate(focusInfo);
  return { on_priority: onPriority, on_link: onLink, on_assignee: onAssignee };
}

async function helpButtonAndLearnMore(page) {
  await load(page, "/demo/");
  const button = page.locator(".hcw-help-button").first();
  const found = { label: await button.getAttribute("aria-label"), box: await button.boundingBox() };
  await button.focus();
  const tip = page.locator(TIP);
  await tip.waitFor({ state: "visible", timeout: WAIT });
  found.text = await tip.innerText();
  found.described_by = await button.evaluate((el) => (el.getAttribute("aria-describedby") || "").split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent || "").join(" | "));
  await page.keyboard.press("Tab");
  found.link_focused = await page.evaluate(() => document.activeElement.textContent.trim());
  await page.keyboard.press("Enter");
  const heading = page.getByRole("dialog").getByRole("heading", { name: "Create a work order" }).first();
  await heading.waitFor({ timeout: WAIT });
  found.panel_article = await heading.innerText();
  return found;
}

async function edgeTooltip(page, viewport) {
  await load(page, "/demo/guides-test/");
  const tip = page.locator(TIP);
  await page.hover("#corner");
  await tip.waitFor({ state: "visible", timeout: WAIT });
  const hovered = { box: await tip.boundingBox(), side: await tip.getAttribute("data-side") };
  await page.mouse.move(2, 2);
  await tip.waitFor({ state: "hidden", timeout: WAIT });
  await page.focus("#corner-right");
  await tip.waitFor({ state: "visible", timeout: WAIT });
  const focused = { box: await tip.boundingBox(), side: await tip.getAttribute("data-side") };
  return {
    bottom_right: { ...hovered, inside: inViewport(hovered.box, viewport) },
    right_edge: { ...focused, inside: inViewport(focused.box, viewport) },
  };
}

async function card(page) {
  await load(page, "/demo/");
  const slot = page.locator('[data-help-card="wo-sla-timer"]');
  const shown = slot.locator(".hcw-card");
  await shown.waitFor({ state: "visible", timeout: WAIT });
  const dismiss = shown.getByRole("button");
  const found = {
    role: await shown.getAttribute("role"),
    label: await shown.evaluate((el) => document.getElementById(el.getAttribute("aria-labelledby"))?.textContent),
    text: await shown.innerText(),
    dismiss_name: await dismiss.getAttribute("aria-label"),
    dismiss_box: await dismiss.boundingBox(),
    read_more: await shown.getByRole("link").getAttribute("href"),
  };
  await dismiss.focus();
  await page.keyboard.press("Enter");
  await shown.waitFor({ state: "detached", timeout: WAIT });
  found.focus_after = await page.evaluate(focusInfo);
  found.stored = await page.evaluate(() => localStorage.getItem("hcw:card-dismissed:wo-sla-timer"));
  await load(page, "/demo/");
  found.after_reload = { cards: await slot.locator(".hcw-card").count(), height: (await slot.boundingBox()).height };
  return found;
}

// One step of a tour as the reader meets it: what the dialog says, where focus is, what the page behind is.
function stepState() {
  const popover = document.querySelector(".driver-popover");
  if (!popover) return null;
  const title = document.getElementById(popover.getAttribute("aria-labelledby"));
  return {
    path: location.pathname,
    search: location.search,
    progress: popover.querySelector(".driver-popover-progress-text").textContent,
    title: title ? title.textContent : "",
    role: popover.getAttribute("role"),
    modal: popover.getAttribute("aria-modal"),
    focus_inside: popover.contains(document.activeElement),
    page_inert: [...document.body.children].filter((el) => !el.matches(".driver-popover, .driver-overlay, script, #driver-dummy-element"))
      .every((el) => el.inert),
    reduced_motion: document.body.classList.contains("driver-simple"),
  };
}

// Tab to the button named `name` in the step's dialog and press Enter; then wait for the next step, another page, or the end.
async function pressInStep(page, name) {
  const before = await page.evaluate(stepState);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement.textContent.trim())) === name) break;
  }
  await page.keyboard.press("Enter");
  try {
    await page.waitForFunction((old) => {
      const text = document.querySelector(".driver-popover .driver-popover-progress-text")?.textContent;
      return text === undefined || text !== old.progress || location.pathname !== old.path;
    }, before, { timeout: WAIT });
  } catch (error) {
    if (!String(error).includes("context was destroyed")) throw error;
  }
}

async function nextStep(page) {
  await page.waitForLoadState("load");
  const popover = page.locator(STEP);
  try {
    await popover.waitFor({ state: "visible", timeout: 5000 });
  } catch {
    return null;
  }
  return page.evaluate(stepState);
}

async function runTour(page, tour) {
  await load(page, tour.start);
  const steps = [];
  let restarted = false;
  for (let state = await nextStep(page); state && steps.length < 20; state = await nextStep(page)) {
    steps.push(state);
    const last = state.progress === `Step ${tour.steps} of ${tour.steps}`;
    if (last && tour.restart && !restarted) {
      restarted = true;
      await pressInStep(page, "Restart");
    } else if (last) {
      await pressInStep(page, "Done");
      break;
    } else await pressInStep(page, "Next");
  }
  const after = await page.evaluate(() => ({
    popover: Boolean(document.querySelector(".driver-popover")),
    inert_left: [...document.body.children].filter((el) => el.inert).length,
    bus: JSON.parse(sessionStorage.getItem("test:bus") || "[]"),
  }));
  return { steps, after };
}

async function dismissTour(page) {
  await load(page, "/demo/patrols/");
  await page.focus("#demo-nav-patrols");
  const started = await page.evaluate(() => window.HelpCenter.startTour("checkpoint-scanning"));
  await page.locator(STEP).waitFor({ state: "visible", timeout: WAIT });
  const shown = await page.evaluate(stepState);
  await page.keyboard.press("Escape");
  await page.locator(STEP).waitFor({ state: "detached", timeout: WAIT });
  return {
    started,
    shown,
    focus_after: await page.evaluate(focusInfo),
    inert_left: await page.evaluate(() => [...document.body.children].filter((el) => el.inert).length),
  };
}

// A ?tour= link starts its tour once: dismissed, the tour does not come back when the page is reloaded.
async function linkOnce(page) {
  await load(page, "/demo/?tour=work-order-creation");
  const first = await nextStep(page);
  await page.keyboard.press("Escape");
  await page.locator(STEP).waitFor({ state: "detached", timeout: WAIT });
  const address = await page.evaluate(() => location.pathname + location.search);
  await load(page, address); // the page loaded again at the address the reader now has, as a reload does
  return { first, address, shown_again: await page.locator(STEP).count() };
}

// The host opens the help panel during a tour: the tour ends, dismissed, and the panel gets the keyboard
// while the page behind stays inert until the panel closes.
async function panelDuringTour(page) {
  await load(page, "/demo/patrols/");
  await page.focus("#demo-nav-patrols");
  await page.evaluate(() => window.HelpCenter.startTour("checkpoint-scanning"));
  await page.locator(STEP).waitFor({ state: "visible", timeout: WAIT });
  await page.evaluate(() => window.HelpCenter.open());
  await page.locator(STEP).waitFor({ state: "detached", timeout: WAIT });
  await page.locator(".hcw-panel").waitFor({ state: "visible", timeout: WAIT });
  const found = await page.evaluate(() => ({
    focus_in_panel: Boolean(document.activeElement.closest(".hcw-panel")),
    page_inert: [...document.body.children].filter((el) => !el.contains(document.querySelector(".hcw-panel")) && el.tagName !== "SCRIPT")
      .every((el) => el.inert),
  }));
  await page.keyboard.type("patrol");
  found.typed = await page.evaluate(() => document.activeElement.value || "");
  await page.keyboard.press("Tab");
  found.tab_stays = await page.evaluate(() => Boolean(document.activeElement.closest(".hcw-panel")));
  await page.keyboard.press("Escape");
  await page.locator(".hcw-panel").waitFor({ state: "hidden", timeout: WAIT });
  found.inert_left = await page.evaluate(() => [...document.body.children].filter((el) => el.inert).length);
  found.bus = await page.evaluate(() => JSON.parse(sessionStorage.getItem("test:bus") || "[]"));
  return found;
}

async function lateAndMissing(page) {
  await load(page, "/demo/guides-test/?tour=guides-late-and-missing");
  const first = await nextStep(page);
  // The second step's element arrives a moment after the reader asks for it (a list still loading).
  await page.evaluate(() => setTimeout(() => {
    const late = document.createElement("p");
    late.id = "late";
    late.textContent = "I came late";
    document.querySelector("main").append(late);
  }, 300));
  await pressInStep(page, "Next");
  const late = await nextStep(page);
  const asked = Date.now();
  await pressInStep(page, "Next");
  const afterMissing = await nextStep(page);
  const waited = Date.now() - asked;
  await pressInStep(page, "Done");
  return { first, late, after_missing: afterMissing, waited_ms: waited, ended: !(await page.locator(STEP).count()) };
}

async function showOnce(page) {
  await load(page, "/demo/guides-test/once/");
  const first = await nextStep(page);
  await page.keyboard.press("Escape");
  await page.locator(STEP).waitFor({ state: "detached", timeout: WAIT });
  await load(page, "/demo/guides-test/once/");
  const again = await page.locator(STEP).count();
  await load(page, "/demo/guides-test/once/?tour=guides-once");
  const linked = await nextStep(page);
  return { first, shown_again: again > 0, linked };
}

const browser = await chromium.launch({ executablePath: plan.chromium, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const scenario = async (name, fn, options) => {
    const page = await newPage(browser, options);
    report[name] = await attempt(() => fn(page));
    await page.context().close();
  };
  await scenario("hover", hoverAndStay);
  await scenario("keyboard", keyboardTooltips);
  await scenario("help_button", helpButtonAndLearnMore);
  await scenario("edge", (page) => edgeTooltip(page, { width: 1280, height: 900 }));
  await scenario("edge_320", (page) => edgeTooltip(page, { width: 320, height: 640 }), { width: 320, height: 640 });
  await scenario("card", card);
  report.tours = {};
  for (const tour of plan.tours) {
    const page = await newPage(browser);
    report.tours[tour.id] = await attempt(() => runTour(page, tour));
    await page.context().close();
  }
  await scenario("dismiss_tour", dismissTour);
  await scenario("link_once", linkOnce);
  await scenario("panel_during_tour", panelDuringTour);
  await scenario("late_and_missing", lateAndMissing);
  await scenario("show_once", showOnce);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
