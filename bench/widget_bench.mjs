// The widget's speed in real headless Chromium on the demo host page (/demo/), against a running help center.
//   node bench/widget_bench.mjs '{"chromium": "/usr/bin/chromium", "base": "http://127.0.0.1:8000", "rounds": 20}'
// Prints one JSON object of lists of milliseconds: keystroke_ms (a key pressed in the panel's search box to
// the results of the new text on screen), first_word_ms (Enter on a question to the first streamed word of the
// answer on screen), fcp_with_ms / fcp_without_ms (first contentful paint of /demo/ with the widget's script
// and with it blocked), layout_shift (the page's cumulative layout shift with the widget).
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const QUERIES = ["wrok ordr", "ppm visit", "scan checkpoint", "reset password", "sync conflict", "export report"];
const QUESTIONS = ["How do I skip a PPM visit?", "How do I assign a work order?", "What does error E1042 mean?",
  "How do I print checkpoint tags?", "How do I approve timesheets?"];

async function openPanel(page) {
  await page.goto(`${plan.base}/demo/`, { waitUntil: "load" });
  await page.click(".hcw-launcher");
  await page.waitForSelector(".hcw-search__input", { state: "visible" });
}

// Times, inside the page, from the key's keydown to the first frame where the results list shows a new answer.
async function keystroke(page, query) {
  await page.fill(".hcw-search__input", query.slice(0, -1));
  await page.waitForFunction(() => document.querySelectorAll(".hcw-results .hcw-result").length > 0 || document.querySelector(".hcw-panel .hcw-message:not([hidden])"));
  await page.evaluate(() => {
    const list = document.querySelector(".hcw-results");
    window.__mark = { start: 0, end: 0 };
    document.querySelector(".hcw-search__input").addEventListener("keydown", () => { window.__mark.start = performance.now(); }, { once: true });
    new MutationObserver((_, observer) => {
      if (window.__mark.start && list.querySelector(".hcw-result")) {
        window.__mark.end = performance.now();
        observer.disconnect();
      }
    }).observe(list, { childList: true, subtree: true });
  });
  await page.keyboard.press(query.slice(-1));
  await page.waitForFunction(() => window.__mark.end > 0, null, { timeout: 5000 });
  return page.evaluate(() => window.__mark.end - window.__mark.start);
}

async function firstWord(page, question) {
  await page.evaluate(() => window.HelpCenter.ask(""));
  await page.waitForSelector(".hcw-chat__input", { state: "visible" });
  await page.fill(".hcw-chat__input", question);
  await page.evaluate(() => {
    const turns = document.querySelector(".hcw-chat__turns");
    const before = turns.querySelectorAll(".hcw-answer__body").length;
    window.__mark = { start: 0, end: 0 };
    document.querySelector(".hcw-chat__input").addEventListener("keydown", () => { window.__mark.start = performance.now(); }, { once: true });
    new MutationObserver((_, observer) => {
      const bodies = turns.querySelectorAll(".hcw-answer__body");
      if (bodies.length > before && /\w/.test(bodies[bodies.length - 1].textContent)) {
        window.__mark.end = performance.now();
        observer.disconnect();
      }
    }).observe(turns, { childList: true, subtree: true, characterData: true });
  });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.__mark.end > 0, null, { timeout: 10000 });
  const elapsed = await page.evaluate(() => window.__mark.end - window.__mark.start);
  await page.waitForSelector(".hcw-chat .hcw-button:not([hidden])", { timeout: 10000 });
  return elapsed;
}

async function paint(browser, blockWidget) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (blockWidget) await context.route(/help-widget\.(js|css)$/, (route) => route.abort());
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => { if (!e.hadRecentInput) window.__shift += e.value; }))
      .observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(`${plan.base}/demo/`, { waitUntil: "load" });
  if (!blockWidget) await page.waitForSelector(".hcw-launcher", { state: "visible" });
  // The paint entry may come after `load` on a page this small: wait for it rather than read it too early.
  const found = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list, observer) => {
      const entry = list.getEntriesByName("first-contentful-paint")[0];
      if (entry) {
        observer.disconnect();
        resolve({ fcp: entry.startTime, shift: window.__shift });
      }
    }).observe({ type: "paint", buffered: true });
  }));
  await context.close();
  return found;
}

const browser = await chromium.launch({ executablePath: plan.chromium, args: ["--no-sandbox", "--disable-gpu"] });
const report = { keystroke_ms: [], first_word_ms: [], fcp_with_ms: [], fcp_without_ms: [], layout_shift: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openPanel(page);
  for (let i = 0; i < plan.rounds; i++) report.keystroke_ms.push(await keystroke(page, QUERIES[i % QUERIES.length]));
  for (let i = 0; i < plan.rounds; i++) report.first_word_ms.push(await firstWord(page, QUESTIONS[i % QUESTIONS.length]));
  for (let i = 0; i < plan.rounds; i++) {
    const without = await paint(browser, true);
    const withWidget = await paint(browser, false);
    report.fcp_without_ms.push(without.fcp);
    report.fcp_with_ms.push(withWidget.fcp);
    report.layout_shift.push(withWidget.shift);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
