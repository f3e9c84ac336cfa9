// Walks a help-center page with the keyboard only, in real headless Chromium, and reports what happened.
//   node tests/browser/keyboard.mjs '{"chromium": "...", "base": "http://127.0.0.1:8000", "start": "/", "steps": [...]}'
// Steps: {"tab_until": "text", "max": 80} presses Tab until the focused element's text or label contains it;
//        {"press": "Enter", "navigates": true} (then waits for the new page); {"type": "words"};
//        {"wait_for": "css selector"}.
// Prints {"focused": [{"text", "tag", "visible_focus"}...], "url": final URL, "failed": step or null}.
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return { text: "", tag: "body", visible_focus: false };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const label = (el.getAttribute("aria-label") || el.innerText || el.value || el.getAttribute("placeholder") || "").trim();
  return { text: label.replace(/\s+/g, " ").slice(0, 80), tag: el.tagName.toLowerCase(), id: el.id, visible_focus: outline || shadow };
}

const report = { focused: [], url: "", failed: null };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(plan.base + plan.start, { waitUntil: "networkidle" });
  for (const step of plan.steps) {
    if (step.tab_until !== undefined) {
      let found = false;
      for (let i = 0; i < (step.max || 80) && !found; i++) {
        await page.keyboard.press("Tab");
        const focus = await page.evaluate(describeFocus);
        report.focused.push(focus);
        found = focus.text.toLowerCase().includes(step.tab_until.toLowerCase());
      }
      if (!found) { report.failed = step; break; }
    } else if (step.press) {
      const before = page.url();
      await page.keyboard.press(step.press);
      if (step.navigates) await page.waitForURL((url) => url.href !== before, { timeout: 10000 });
      await page.waitForLoadState("networkidle");
    } else if (step.type) {
      await page.keyboard.type(step.type);
    } else if (step.wait_for) {
      try {
        await page.waitForSelector(step.wait_for, { timeout: 10000, state: "visible" });
      } catch {
        report.failed = step;
        break;
      }
    }
  }
  report.url = page.url();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
