// The demo host pages (/demo/) and a host product on another origin, with the help widgets, in real headless Chromium.
//   node tests/browser/widget_demo.mjs '{"chromium": "...", "base": "http://127.0.0.1:8000", "host": "http://127.0.0.1:9000",
//                                        "artifacts": "/path/to/folder", "pages": [{"path": "/demo/", ...}]}'
// Checks what cuts across the widgets (axe, layout shift, print, zoom, forced colours, target sizes, focus not obscured,
// a strict policy on another origin); each component's own behaviour is tested beside it. Prints one JSON object.
// A step that throws is reported as {error} so that one missing part does not hide what the others do.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { axe } from "./axe.mjs";

const plan = JSON.parse(process.argv[2]);
const LAUNCHER = 'button[aria-haspopup="dialog"]';
const TOUR_STEP = ".driver-popover";
const WAIT = 15000;

// Everything the widgets put on a page: their own classes, the tour's popover, and the card slots the host provides.
const WIDGET_PARTS = '[class^="hcw-"], [class*=" hcw-"], .driver-popover, .driver-overlay';
const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"]), [role="button"], [role="link"]';

const report = { pages: {}, screenshots: [] };

async function newPage(browser, { width = 1280, height = 900, record } = {}) {
  // Colours are checked in their final state, not halfway through a transition.
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion: "reduce" });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const moved = entry.sources.map((s) => (s.node && s.node.nodeType === 1 ? s.node.outerHTML.slice(0, 120) : String(s.node && s.node.nodeName)));
        window.__layoutShifts.push({ value: entry.value, moved });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  const page = await context.newPage();
  if (record) {
    page.on("pageerror", (error) => record.errors.push(String(error)));
    page.on("console", (message) => message.type() === "error" && record.errors.push(message.text()));
    page.on("request", (request) => record.requests.push(request.url()));
  }
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

// The page as a reader first sees it: the help button in place, every help text and card fetched and drawn.
async function load(page, url) {
  await page.goto(url, { waitUntil: "networkidle" });
  await page.locator(LAUNCHER).first().waitFor({ state: "visible", timeout: WAIT });
  await page.waitForLoadState("networkidle");
  await nextFrames(page);
}

async function openPanel(page) {
  const launcher = page.locator(LAUNCHER).first();
  const id = await launcher.getAttribute("aria-controls");
  await launcher.click();
  const panel = page.locator(`[id="${id}"]`);
  await panel.waitFor({ state: "visible", timeout: WAIT });
  return panel;
}

// Opens the panel and searches: results are in when a snippet marks a matched word.
async function searchInPanel(page, query) {
  const panel = await openPanel(page);
  await panel.getByRole("searchbox").first().fill(query);
  await panel.locator("mark").first().waitFor({ timeout: WAIT });
  return panel;
}

async function showTooltip(page, trigger) {
  await page.keyboard.press("Escape");
  await page.focus(trigger);
  await page.locator('[role="tooltip"]').first().waitFor({ state: "visible", timeout: WAIT });
}

async function showTourStep(page, url, tour) {
  await load(page, `${url}?tour=${tour}`);
  await page.locator(TOUR_STEP).first().waitFor({ state: "visible", timeout: WAIT });
}

// The widgets' interactive elements that fail WCAG 2.5.8: smaller than 24 by 24 CSS pixels, and a 24 px circle
// on their centre meets another target (or another small target's circle). A link inside a sentence is exempt.
function smallTargets({ parts, interactive }) {
  const inSentence = (el) => el.tagName === "A" && [...el.parentElement.childNodes].some((n) => n !== el && n.textContent.trim());
  const all = [...document.querySelectorAll(interactive)].filter((el) => el.checkVisibility({ checkVisibilityCSS: true }))
    .map((el) => ({ el, box: el.getBoundingClientRect() })).filter(({ box }) => box.width > 0 && box.height > 0);
  const centre = ({ box }) => ({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
  const small = all.filter(({ box }) => box.width < 24 || box.height < 24);
  const meets = (target, other) => {
    const c = centre(target);
    if (small.includes(other)) return Math.hypot(c.x - centre(other).x, c.y - centre(other).y) < 24;
    const dx = Math.max(other.box.left - c.x, 0, c.x - other.box.right), dy = Math.max(other.box.top - c.y, 0, c.y - other.box.bottom);
    return Math.hypot(dx, dy) < 12;
  };
  return small.filter((t) => t.el.closest(parts) && !inSentence(t.el) && all.some((o) => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && meets(t, o)))
    .map(({ el, box }) => `${el.tagName.toLowerCase()}.${el.className} "${(el.getAttribute("aria-label") || el.textContent).trim().slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
}

async function targets(page) {
  return page.evaluate(smallTargets, { parts: WIDGET_PARTS, interactive: INTERACTIVE });
}

// Axe, target sizes and a screenshot at one width, with the panel closed, open on search results, then on an article.
async function states(browser, spec, width, record) {
  const page = await newPage(browser, { width, height: 900, record });
  const url = plan.base + spec.path;
  const found = { targets: {} };
  await load(page, url);
  found.closed = await axe(page);
  found.targets.closed = await targets(page);
  found.overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await screenshot(page, spec, width, "closed", true);
  const panel = await searchInPanel(page, spec.query);
  found.open = await axe(page);
  found.targets.search = await targets(page);
  await screenshot(page, spec, width, "panel", false);
  found.article = await attempt(async () => {
    await panel.locator("a[href]").filter({ has: page.locator("mark") }).first().click();
    await panel.getByRole("searchbox").first().waitFor({ state: "hidden", timeout: WAIT });
    await page.waitForLoadState("networkidle");
    return { violations: await axe(page), targets: await targets(page) };
  });
  await page.context().close();
  return found;
}

async function screenshot(page, spec, width, state, fullPage) {
  const name = `${spec.name}-${width}-${state}.png`;
  const path = join(plan.artifacts, name);
  await page.screenshot({ path, fullPage });
  report.screenshots.push(path);
}

// A tooltip and a tour step shown at 1280 px: axe and target sizes with each in place.
async function overlays(browser, spec, record) {
  const page = await newPage(browser, { record });
  const url = plan.base + spec.path;
  const tooltip = await attempt(async () => {
    await load(page, url);
    await showTooltip(page, spec.tooltip);
    return { violations: await axe(page), targets: await targets(page) };
  });
  const tour = await attempt(async () => {
    await showTourStep(page, url, spec.tour);
    const found = { violations: await axe(page), targets: await targets(page) };
    await screenshot(page, spec, 1280, "tour", false);
    return found;
  });
  await page.context().close();
  return { tooltip, tour };
}

// Dark mode (the reader's system setting): the panel on results, and the page's card, pass axe in the dark theme.
async function darkMode(browser, spec) {
  const page = await newPage(browser);
  await page.emulateMedia({ colorScheme: "dark" });
  await load(page, plan.base + spec.path);
  await searchInPanel(page, spec.query);
  const found = { violations: await axe(page) };
  await screenshot(page, spec, 1280, "dark", false);
  await page.context().close();
  return found;
}

// WCAG 1.4.12's spacing (line height 1.5, letters 0.12em, words 0.16em, paragraphs 2em) cuts off no text of the
// widgets: a card, a tooltip and the panel on results. The style is added through the protocol (bypassCSP).
const SPACING = "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
  + " p { margin-bottom: 2em !important; }";

function clippedText(parts) {
  return [...document.querySelectorAll(parts)].filter((el) => {
    const style = getComputedStyle(el);
    const clips = /hidden|clip/.test(style.overflowX + style.overflowY) && el.clientWidth > 1 && el.textContent.trim();
    return clips && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
  }).map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
}

async function textSpacing(browser, spec) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce", bypassCSP: true });
  const page = await context.newPage();
  await load(page, plan.base + spec.path);
  await page.addStyleTag({ content: SPACING });
  await nextFrames(page);
  const found = { page: await page.evaluate(clippedText, WIDGET_PARTS) };
  found.tooltip = await attempt(async () => {
    await showTooltip(page, spec.tooltip);
    return page.evaluate(clippedText, WIDGET_PARTS);
  });
  await searchInPanel(page, spec.query);
  found.panel = await page.evaluate(clippedText, WIDGET_PARTS);
  await context.close();
  return found;
}

// Cumulative layout shift of the whole load, widget included; the page has no input meanwhile.
// Measured without the widget too (its script refused), to tell the host page's own shifts from the widget's.
async function layoutShift(browser, spec, width) {
  const measure = async (widget) => {
    const page = await newPage(browser, { width, height: 900 });
    if (widget) await load(page, plan.base + spec.path);
    else {
      await page.route(/help-widget\.js$/, (route) => route.abort());
      await page.goto(plan.base + spec.path, { waitUntil: "networkidle" });
      await nextFrames(page);
    }
    const shifts = await page.evaluate(() => window.__layoutShifts);
    await page.context().close();
    return { total: shifts.reduce((sum, s) => sum + s.value, 0), shifts };
  };
  return { ...(await measure(true)), page_alone: await measure(false) };
}

// In print, nothing of the widgets is drawn (with the panel open too), while the page's own content is.
async function print(browser, spec) {
  const page = await newPage(browser);
  await load(page, plan.base + spec.path);
  await openPanel(page);
  await page.emulateMedia({ media: "print" });
  const found = await page.evaluate((parts) => ({
    drawn: [...document.querySelectorAll(parts)].filter((el) => el.checkVisibility({ checkVisibilityCSS: true }))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 10),
    main_drawn: document.querySelector("main").checkVisibility(),
  }), WIDGET_PARTS);
  await page.context().close();
  return found;
}

function describeFocus(panelId) {
  const el = document.activeElement;
  const panel = document.getElementById(panelId);
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth), top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
  let seen = 0, probes = 0, cover = "";
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
    const x = left + ((right - left) * (i + 0.5)) / 5, y = top + ((bottom - top) * (j + 0.5)) / 5;
    const hit = right > left && bottom > top ? document.elementFromPoint(x, y) : null;
    probes += 1;
    if (hit && (hit === el || el.contains(hit) || (el.labels && [...el.labels].some((l) => l.contains(hit))))) seen += 1;
    else if (hit && !cover) cover = `${hit.tagName.toLowerCase()}.${hit.className}`;
  }
  const name = (el.getAttribute("aria-label") || el.textContent || el.id || el.tagName).trim().replace(/\s+/g, " ").slice(0, 50);
  return { name, in_panel: Boolean(panel && panel.contains(el)), seen, probes, cover };
}

// Tabs through the page; every element that takes the focus must be at least partly in sight (WCAG 2.4.11).
async function tabWalk(page, presses, panelId) {
  const walk = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(describeFocus, panelId);
    if (focus) walk.push(focus);
  }
  return walk;
}

async function focusNotObscured(browser, spec, width) {
  const page = await newPage(browser, { width, height: 700 });
  await load(page, plan.base + spec.path);
  const panelId = await page.locator(LAUNCHER).first().getAttribute("aria-controls");
  const closed = await tabWalk(page, 70, panelId);
  const panel = await searchInPanel(page, spec.query);
  await panel.getByRole("searchbox").first().focus();
  const open = await tabWalk(page, 25, panelId);
  await page.context().close();
  return { closed, open };
}

// At 200% zoom a 1280 by 800 window is 640 by 400 CSS pixels: the panel must fit, scroll, and still find.
async function zoomed(browser, spec) {
  const page = await newPage(browser, { width: 640, height: 400 });
  await load(page, plan.base + spec.path);
  const panel = await searchInPanel(page, spec.query);
  const first = panel.locator("a[href]").filter({ has: page.locator("mark") }).first();
  await first.scrollIntoViewIfNeeded();
  const found = await page.evaluate(({ id }) => {
    const panelEl = document.getElementById(id);
    const box = panelEl.getBoundingClientRect();
    const inView = (el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0; };
    const close = [...panelEl.querySelectorAll("button")].find((b) => /close/i.test(b.getAttribute("aria-label") || b.textContent));
    const input = panelEl.querySelector('input[type="search"], [role="searchbox"]');
    return {
      panel_in_view: box.left >= 0 && box.right <= innerWidth + 0.5 && box.top >= 0 && box.bottom <= innerHeight + 0.5,
      // (a visually hidden live region, 1 px wide by design, is not content cut off)
      panel_overflow_x: Math.max(...[...panelEl.querySelectorAll("*")].filter((el) => el.clientWidth > 1).map((el) => el.scrollWidth - el.clientWidth), 0),
      close_in_view: Boolean(close && inView(close)),
      input_in_view: Boolean(input && inView(input)),
      page_overflow_x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  }, { id: await page.locator(LAUNCHER).first().getAttribute("aria-controls") });
  found.result_in_view = await first.evaluate((a) => { const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.left + 4, r.top + 4) !== null && a.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); });
  await screenshot(page, spec, 640, "zoom-200", false);
  await page.context().close();
  return found;
}

function outlineOf(el) {
  const style = getComputedStyle(el);
  return { outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1, border: style.borderStyle !== "none" && parseFloat(style.borderTopWidth) >= 1 };
}

// In forced colours (Windows high contrast) backgrounds and shadows are dropped: the button needs a border or an
// outline to be seen, and the focus an outline.
async function forcedColors(browser, spec) {
  const page = await newPage(browser);
  await page.emulateMedia({ forcedColors: "active" });
  await load(page, plan.base + spec.path);
  const launcher = page.locator(LAUNCHER).first();
  const found = { button: await launcher.evaluate(outlineOf) };
  await page.keyboard.press("Tab");
  await launcher.focus();
  found.button_focused = await launcher.evaluate(outlineOf);
  const panel = await searchInPanel(page, spec.query);
  await page.keyboard.press("Tab");
  found.panel_focus = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { name: (el.getAttribute("aria-label") || el.textContent).trim().slice(0, 40), outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1 };
  });
  found.panel_border = await panel.evaluate(outlineOf);
  await screenshot(page, spec, 1280, "forced-colors", false);
  await page.context().close();
  return found;
}

// The host product on another origin, under `script-src 'self' <api>; style-src 'self' <api>; connect-src <api>`.
async function strictHost(browser) {
  const record = { errors: [], requests: [] };
  const page = await newPage(browser, { record });
  await page.goto(`${plan.host}/`, { waitUntil: "networkidle" });
  const found = await attempt(async () => {
    const launcher = page.locator(LAUNCHER).first();
    await launcher.waitFor({ state: "visible", timeout: WAIT });
    const styled = await launcher.evaluate((el) => ({
      position: getComputedStyle(el).position,
      // (its rules are another origin's, unreadable here: that the sheet is in place and the button styled is the proof)
      sheet: [...document.styleSheets].some((s) => (s.href || "").endsWith("/widgets/help-widget.css")),
    }));
    const panel = await searchInPanel(page, "priority");
    const results = await panel.locator("a[href]").filter({ has: page.locator("mark") }).count();
    await page.keyboard.press("Escape");
    const card = await page.locator("[data-help-card]").first().innerText({ timeout: WAIT });
    return { launcher: true, ...styled, results, card };
  });
  await nextFrames(page);
  found.csp_violations = await page.evaluate(() => window.__cspViolations);
  found.errors = record.errors;
  found.origins = [...new Set(record.requests.map((u) => new URL(u).origin))].filter((o) => o !== "null");
  await page.context().close();
  return found;
}

async function checkPage(browser, spec) {
  const record = { errors: [], requests: [] };
  const found = {};
  for (const width of [1280, 320]) found[width] = await attempt(() => states(browser, spec, width, record));
  found[768] = await attempt(async () => {
    const page = await newPage(browser, { width: 768, height: 900, record });
    await load(page, plan.base + spec.path);
    await screenshot(page, spec, 768, "closed", true);
    await page.context().close();
  });
  Object.assign(found, await attempt(() => overlays(browser, spec, record)));
  found.layout_shift = { 1280: await attempt(() => layoutShift(browser, spec, 1280)), 320: await attempt(() => layoutShift(browser, spec, 320)) };
  found.print = await attempt(() => print(browser, spec));
  found.focus = { 1280: await attempt(() => focusNotObscured(browser, spec, 1280)), 320: await attempt(() => focusNotObscured(browser, spec, 320)) };
  found.zoom = await attempt(() => zoomed(browser, spec));
  found.dark = await attempt(() => darkMode(browser, spec));
  found.text_spacing = await attempt(() => textSpacing(browser, spec));
  found.forced_colors = await attempt(() => forcedColors(browser, spec));
  found.errors = record.errors;
  found.other_hosts = [...new Set(record.requests.map((u) => new URL(u).origin))].filter((o) => o !== new URL(plan.base).origin && o !== "null");
  return found;
}

const browser = await chromium.launch({ executablePath: plan.chromium, args: ["--no-sandbox", "--disable-gpu"] });
try {
  mkdirSync(plan.artifacts, { recursive: true });
  for (const spec of plan.pages) report.pages[spec.path] = await checkPage(browser, spec);
  report.host = await attempt(() => strictHost(browser));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
