// axe-core's WCAG 2.x A/AA rules, run in a page: shared by the browser scripts that check a page whole.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

// Evaluated through the DevTools protocol, which the page's policy does not govern (a <script> tag it would block).
export async function axe(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const found = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return found.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  }, TAGS);
}
