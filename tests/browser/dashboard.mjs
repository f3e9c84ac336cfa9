// The analytics dashboard (/analytics/) in real headless Chromium, against a running help center.
//   node tests/browser/dashboard.mjs '{"chromium": "...", "base": "http://127.0.0.1:8000", "admin_token": "...", "no_tenant_token": "...",
//                                      "reader_token": "..."}'
// The page is served with the Content-Security-Policy a later issue adds (scripts and styles from the site only),
// so the page is checked to work under it. Prints one JSON object (see `report` below).
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { axe } from "./axe.mjs";

const plan = JSON.parse(process.argv[2]);
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";
const PAGE = `${plan.base}/analytics/`;
const origin = new URL(plan.base).origin;

const report = { requests: [], errors: [], csp_violations: [] };

async function newPage(browser, { record = true } = {}) {
  // Colours are checked in their final state, not halfway through a transition.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce", acceptDownloads: true });
  if (record) context.on("request", (request) => report.requests.push(request.url()));
  // The real page from the real server, with the policy added to its headers.
  await context.route(/\/analytics\/(index\.html)?$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": CSP } });
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__cspViolations = [];
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => report.errors.push(String(error)));
  page.on("console", (message) => message.type() === "error" && report.errors.push(message.text()));
  return page;
}


function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return { text: "", tag: "body", visible_focus: false };
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || (style.boxShadow && style.boxShadow !== "none");
  const label = el.labels?.[0]?.innerText || el.getAttribute("aria-label") || el.innerText || el.value || "";
  return { text: label.replace(/\s+/g, " ").trim().slice(0, 80), tag: el.tagName.toLowerCase(), id: el.id, visible_focus: Boolean(visible) };
}

// Tabs from the top of the page until each wanted text has had the focus, in order; stops at the last one.
async function tabThrough(page, wanted, max = 80) {
  const walk = { focused: [], reached: [] };
  for (let i = 0; i < max && walk.reached.length < wanted.length; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(describeFocus);
    walk.focused.push(focus);
    if (focus.text.toLowerCase().includes(wanted[walk.reached.length].toLowerCase())) walk.reached.push(focus.text);
  }
  return walk;
}

async function snapshot(page) {
  const found = await page.evaluate(() => ({
    url: window.location.href,
    stored_token: (() => {
      try {
        return Boolean(window.sessionStorage.getItem("hc-dash-token"));
      } catch {
        return null; // a frame on another site may be refused storage
      }
    })(),
    token_label: document.querySelector("label[for=hc-dash-token]")?.textContent,
    board_hidden: document.getElementById("hc-dash-board").hidden,
    status: document.getElementById("hc-dash-status").textContent,
    alert: document.getElementById("hc-dash-alert").textContent,
    figures: Object.fromEntries([...document.querySelectorAll(".hc-dash-figure")].map((f) => [f.querySelector("dt").textContent, f.querySelector("dd").textContent])),
    charts: [...document.querySelectorAll("figure.hc-dash-chart")].map((f) => ({
      caption: f.querySelector("figcaption").textContent, drawings: f.querySelectorAll("canvas, svg").length,
      label: f.querySelector("[role=img]")?.getAttribute("aria-label"), table: Boolean(f.querySelector("details table caption")),
    })),
    tables: [...document.querySelectorAll("table")].map((t) => ({ caption: t.caption?.textContent, rows: t.tBodies[0].rows.length })),
    csv_links: [...document.querySelectorAll("a.hc-dash-csv")].map((a) => a.getAttribute("href")),
    row_headers: [...document.querySelectorAll("tbody th")].map((th) => th.textContent),
    gap_commands: [...document.querySelectorAll(".hc-dash-command code")].map((c) => c.textContent),
    xss: Boolean(window.__xss),
    csp_violations: window.__cspViolations,
  }));
  report.csp_violations.push(...found.csp_violations);
  return found;
}

// The first content gap's Copy button puts its command on the clipboard; returns what the clipboard then holds.
async function copyFirstCommand(page) {
  const copy = page.locator(".hc-dash-command button").first();
  if (!(await copy.count())) return null;
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await copy.click();
  await page.waitForFunction(() => /cop/i.test(document.getElementById("hc-dash-status").textContent));
  return page.evaluate(() => navigator.clipboard.readText());
}

async function noToken(browser) {
  const page = await newPage(browser);
  await page.goto(PAGE, { waitUntil: "networkidle" });
  report.no_token = { ...(await snapshot(page)), violations: await axe(page) };
  await page.reload({ waitUntil: "networkidle" });
  report.keyboard_no_token = await tabThrough(page, ["Admin token"]);
  await page.context().close();
}

async function admin(browser) {
  const page = await newPage(browser);
  await page.goto(`${PAGE}#token=${encodeURIComponent(plan.admin_token)}`, { waitUntil: "networkidle" });
  await page.waitForSelector(".hc-dash-figure", { timeout: 15000 });
  report.admin = { ...(await snapshot(page)), violations: await axe(page), copied: await copyFirstCommand(page) };
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
  report.admin.violations_tables_open = await axe(page);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.waitForTimeout(200); // the charts' resize observers redraw at the new width
  report.admin.narrow = {
    overflow: await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    violations: await axe(page),
  };
  await snapshot(page); // for the policy violations the narrow layout may have caused
  await page.context().close();
}

// From a fresh load (the token now in this tab's sessionStorage): the keyboard reaches the token field,
// picks the last 7 days, and downloads a table as CSV.
async function keyboard(browser) {
  const page = await newPage(browser);
  await page.goto(`${PAGE}#token=${encodeURIComponent(plan.admin_token)}`, { waitUntil: "networkidle" });
  await page.reload({ waitUntil: "networkidle" });
  await page.waitForSelector(".hc-dash-figure");
  const walk = await tabThrough(page, ["Admin token", "Last 7 days"]);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-days='7']").getAttribute("aria-pressed") === "true"
    && /^Showing/.test(document.getElementById("hc-dash-status").textContent));
  const sevenDays = await page.evaluate(() => ({ from: document.getElementById("hc-dash-from").value, to: document.getElementById("hc-dash-to").value }));
  const more = await tabThrough(page, ["Download CSV"]);
  const downloading = page.waitForEvent("download", { timeout: 15000 });
  await page.keyboard.press("Enter");
  const download = await downloading;
  const text = readFileSync(await download.path(), "utf8");
  report.keyboard = {
    focused: [...walk.focused, ...more.focused], reached: [...walk.reached, ...more.reached],
    download: { name: download.suggestedFilename(), first_line: text.split(/\r?\n/)[0] }, seven_days: sevenDays,
  };
  await page.context().close();
}

// An admin token of no tenant shows the figures of the readers who have none: the status says so, not "all tenants".
async function noTenant(browser) {
  const page = await newPage(browser);
  await page.goto(`${PAGE}#token=${encodeURIComponent(plan.no_tenant_token)}`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => /^Showing/.test(document.getElementById("hc-dash-status").textContent), null, { timeout: 15000 });
  report.no_tenant = await snapshot(page);
  await page.context().close();
}

async function reader(browser) {
  const page = await newPage(browser);
  await page.goto(`${PAGE}#token=${encodeURIComponent(plan.reader_token)}`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => document.getElementById("hc-dash-alert").textContent !== "", null, { timeout: 15000 });
  report.reader = { ...(await snapshot(page)), violations: await axe(page) };
  await page.context().close();
}

// A product on another origin (localhost, where the page is at 127.0.0.1) embeds the page twice and posts the
// token to both frames; the second frame is loaded without a Referer, so it cannot know the product's origin.
function hostPage(token) {
  const frame = (policy) => `<iframe title="Analytics" src="${PAGE}" referrerpolicy="${policy}" width="1000" height="600"></iframe>`;
  const post = `document.querySelectorAll("iframe").forEach((f) => f.addEventListener("load", () =>
    f.contentWindow.postMessage({ type: "help-center-token", token: ${JSON.stringify(token)} }, ${JSON.stringify(origin)})));`;
  return `<!doctype html><title>Host</title>${frame("strict-origin-when-cross-origin")}${frame("no-referrer")}<script>${post}</script>`;
}

async function embedded(browser) {
  const page = await newPage(browser, { record: false });
  const host = `http://localhost:${new URL(plan.base).port}/host-product.html`;
  await page.route(host, (route) => route.fulfill({ contentType: "text/html", body: hostPage(plan.admin_token) }));
  await page.goto(host, { waitUntil: "networkidle" });
  const [withReferrer, without] = page.frames().filter((f) => f.url().startsWith(PAGE));
  await withReferrer.waitForSelector(".hc-dash-figure", { timeout: 15000 });
  report.embedded = { with_referrer: await snapshot(withReferrer), without_referrer: await snapshot(without) };
  await page.context().close();
}

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  for (const step of [noToken, admin, keyboard, noTenant, reader, embedded]) await step(browser);
} finally {
  await browser.close();
}
// A blob: URL's origin is the page's; a data: URL leaves for nowhere.
report.foreign = report.requests.filter((url) => !url.startsWith("data:") && new URL(url).origin !== origin);
report.dashboard_requests = report.requests.filter((url) => url.includes("/api/v1/analytics/")).map((url) => new URL(url).search);
console.log(JSON.stringify(report));
