// Runs axe-core (WCAG 2.2 A and AA rules) on pages of a running help center, in real headless Chromium.
//   node tests/browser/axe_pages.mjs '{"chromium": "/usr/bin/chromium", "base": "http://127.0.0.1:8000", "pages": ["/"]}'
// Prints one JSON object: {"<path>": {"status": HTTP status, "violations": [...], "scheme": ..., "results": ...,
// "csp": [what the page's Content-Security-Policy refused: "directive blocked-uri", ...]}}.
// A page entry may be an object: {"path": "/", "search": "query"} checks the page with the header search
// showing results ("results" says whose: "api" or "lunr"); {"path": "/an/article/", "vote": "No"} after
// answering "Was this helpful?". "scheme": "dark" in the plan asks for the reader's system to be dark;
// "width" sets the viewport's width in CSS pixels (default 1280).
import { chromium } from "playwright-core";
import { axe } from "./axe.mjs";

const plan = JSON.parse(process.argv[2]);
// Colours are checked in their final state, not halfway through the theme's transitions. A constructed stylesheet:
// the pages' Content-Security-Policy refuses inline <style>, as it should.
const NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }";

// The search box is opened through Material's own toggle (what its search button does): the site turns Material's
// "/" shortcut off (WCAG 2.1.4).
async function showSearch(page, words) {
  await page.evaluate(() => {
    const toggle = document.getElementById("__search");
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
  });
  await page.locator(".md-search__input").focus();
  await page.keyboard.type(words);
  // Whichever search answers (the API's or lunr's) shows its results in a visible list, under a count.
  await page.waitForSelector(".md-search-result__item >> visible=true", { timeout: 10000 });
  await page.waitForFunction((typed) => {
    const meta = [...document.querySelectorAll(".md-search-result__meta")].find((m) => m.offsetParent !== null);
    return document.querySelector(".md-search__input").value === typed && meta && /\d|No /.test(meta.textContent);
  }, words);
  return page.evaluate(() => (document.querySelector(".hcw-site-hit") ? "api" : "lunr"));
}

async function vote(page, answer) {
  await page.getByRole("button", { name: answer, exact: true }).click();
  await page.waitForSelector(".hcw-site-feedback textarea >> visible=true", { timeout: 10000 });
}

function label({ path, search, vote: answer }) {
  return path + (search ? ` (search: ${search})` : "") + (answer ? ` (voted ${answer})` : "");
}

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const results = {};
try {
  const page = await browser.newPage({
    viewport: { width: plan.width || 1280, height: 900 }, reducedMotion: "reduce", colorScheme: plan.scheme === "dark" ? "dark" : "light",
  });
  // Before any script of the page: every refusal of its policy is kept for the report.
  await page.addInitScript(() => {
    window.__cspRefused = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspRefused.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  for (const raw of plan.pages) {
    const entry = typeof raw === "string" ? { path: raw } : raw;
    await page.goto("about:blank"); // so that a page differing from the last one only by its #fragment loads anew
    const response = await page.goto(plan.base + entry.path, { waitUntil: "networkidle" });
    await page.evaluate((css) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }, NO_TRANSITIONS);
    const shown = entry.search ? await showSearch(page, entry.search) : null;
    if (entry.vote) await vote(page, entry.vote);
    const found = await axe(page);
    const scheme = await page.evaluate(() => document.body.getAttribute("data-md-color-scheme"));
    const csp = await page.evaluate(() => window.__cspRefused);
    results[label(entry)] = { status: response.status(), violations: found, scheme, results: shown, csp };
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
