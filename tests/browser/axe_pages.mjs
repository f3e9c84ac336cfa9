// Runs axe-core (WCAG 2.2 A and AA rules) on pages of a running help center, in real headless Chromium.
//   node tests/browser/axe_pages.mjs '{"chromium": "/usr/bin/chromium", "base": "http://127.0.0.1:8000", "pages": ["/"]}'
// Prints one JSON object: {"<path>": {"status": HTTP status, "violations": [...]}}. A page entry may be
// {"path": "/", "search": "query"} to check the page with mkdocs-material's search dialog showing results.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const plan = JSON.parse(process.argv[2]);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const results = {};
try {
  // Colours are checked in their final state, not halfway through the theme's transitions.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  for (const entry of plan.pages) {
    const { path, search } = typeof entry === "string" ? { path: entry } : entry;
    const response = await page.goto(plan.base + path, { waitUntil: "networkidle" });
    await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; animation: none !important; }" });
    if (search) {
      await page.keyboard.press("/");
      await page.keyboard.type(search);
      await page.waitForSelector(".md-search-result__item", { timeout: 10000 });
      await page.waitForFunction((words) => document.querySelector(".md-search__input").value === words
        && document.querySelector(".md-search-result__meta").textContent.trim() !== "", search);
    }
    await page.addScriptTag({ content: axeSource });
    const found = await page.evaluate(async (tags) => {
      const report = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
      return report.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      }));
    }, TAGS);
    results[search ? `${path} (search: ${search})` : path] = { status: response.status(), violations: found };
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
