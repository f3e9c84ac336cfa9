// Walks a help-center page with the keyboard only, in real headless Chromium, and reports what happened.
//   node tests/browser/keyboard.mjs '{"chromium": "...", "base": "http://127.0.0.1:8000", "start": "/", "steps": [...]}'
// Steps: {"tab_until": "text", "max": 80, "exact": false} presses Tab until the focused element's text or
//        label contains (or, exact, is) the text;
//        {"press": "Enter", "navigates": true, "wait_for": "optional css selector"} (then waits for the new
//        page, or for the selector to show); {"type": "words"};
//        {"wait_for": "css selector"}; {"wait_for_url": "end of the address"}; {"reload": true};
//        {"goto": "/path"} loads a page of the site anew in the same tab (its sessionStorage kept);
//        {"read": "css selector", "as": "name", "attr": "optional attribute"} keeps the first match's text (a
//        field's value, or the attribute) in "read"; {"count": "css selector", "as": "name"} keeps how many match.
// Every element focused by Tab or by a key that stays on the page is described in "focused".
// Prints {"focused": [{"text", "tag", "href", "visible_focus"}...], "url": final URL, "read": {...}, "failed": step or null}.
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return { text: "", tag: "body", visible_focus: false };
  // An invisible control (mkdocs-material's palette radios) shows its focus on a visible label beside it.
  const seen = (node) => {
    const box = node.getBoundingClientRect();
    return box.width * box.height > 0 && getComputedStyle(node).opacity !== "0";
  };
  const marked = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || (style.boxShadow && style.boxShadow !== "none");
  };
  const shown = el.type !== "radio" || seen(el) ? [el] : [...el.parentElement.querySelectorAll(":scope > label")].filter(seen);
  const labelled = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const label = (el.getAttribute("aria-label") || el.innerText || labelled || el.value || el.getAttribute("placeholder") || "").trim();
  return {
    text: label.replace(/\s+/g, " ").slice(0, 80), tag: el.tagName.toLowerCase(), id: el.id,
    href: el.href || null, visible_focus: shown.some(marked),
  };
}

function read(page, { read: selector, attr }) {
  return page.evaluate(([css, name]) => {
    const el = document.querySelector(css);
    if (!el) return null;
    if (name) return el.getAttribute(name);
    return "value" in el && el.tagName !== "BUTTON" && el.tagName !== "LI" ? el.value : el.innerText.trim();
  }, [selector, attr || null]);
}

async function waitFor(page, selector) {
  try {
    await page.waitForSelector(selector, { timeout: 10000, state: "visible" });
    return true;
  } catch {
    return false;
  }
}

async function tabUntil(page, step, report) {
  const wanted = step.tab_until.toLowerCase();
  for (let i = 0; i < (step.max || 80); i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(describeFocus);
    report.focused.push(focus);
    const text = focus.text.toLowerCase();
    if (step.exact ? text === wanted : text.includes(wanted)) return true;
  }
  return false;
}

async function run(page, step, report) {
  if (step.tab_until !== undefined) return tabUntil(page, step, report);
  if (step.press) {
    const before = page.url();
    await page.keyboard.press(step.press);
    if (step.navigates) await page.waitForURL((url) => url.href !== before, { timeout: 10000 });
    await page.waitForLoadState("networkidle");
    if (step.wait_for && !(await waitFor(page, step.wait_for))) return false;
    if (!step.navigates) report.focused.push(await page.evaluate(describeFocus));
  } else if (step.type) {
    await page.keyboard.type(step.type);
  } else if (step.reload) {
    await page.reload({ waitUntil: "networkidle" });
  } else if (step.goto) {
    await page.goto("about:blank"); // so that a page differing from the last one only by its #fragment loads anew
    await page.goto(plan.base + step.goto, { waitUntil: "networkidle" });
  } else if (step.read) {
    report.read[step.as || step.read] = await read(page, step);
  } else if (step.count) {
    report.read[step.as || step.count] = await page.locator(step.count).count();
  } else if (step.wait_for_url) {
    try {
      await page.waitForURL((url) => url.href.endsWith(step.wait_for_url), { timeout: 10000 });
    } catch {
      return false;
    }
  } else if (step.wait_for) {
    return waitFor(page, step.wait_for);
  }
  return true;
}

const report = { focused: [], url: "", read: {}, failed: null };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: plan.scheme === "dark" ? "dark" : "light" });
  await page.goto(plan.base + plan.start, { waitUntil: "networkidle" });
  for (const step of plan.steps) {
    if (!(await run(page, step, report))) {
      report.failed = step;
      break;
    }
  }
  report.url = page.url();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
