// The help button and panel on the demo host page, in real headless Chromium against the real server:
// a keyboard-only reader searches with a typo, reads and rates an article, asks the assistant, stops an
// answer, closes the panel; then the conversation after a reload, a citation, a token provider, a help
// center that cannot be reached, a narrow or zoomed window; and the widget's own sanitiser, Markdown renderer,
// snippet reader and event-stream parser, bundled from source, fed hostile or awkward input.
//   node tests/browser/widget_panel.mjs '{"chromium": "...", "base": "http://127.0.0.1:8000", "page": "/demo/",
//                                         "tokens": ["<expired>", "<admin>"], "screenshots": "<folder>"}'
// Prints one JSON object with what each story saw.
import { buildSync } from "esbuild";
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const PAGE = plan.base + plan.page;

// The assistant answers faster than anyone can press Stop: the page's network is slowed for /api/v1/chat
// (its body arrives in small pieces, which also splits lines and characters across chunks).
function slowChat() {
  const realFetch = window.fetch;
  window.fetch = async (...args) => {
    const response = await realFetch(...args);
    if (!String(args[0]).includes("/api/v1/chat") || !response.body) return response;
    const reader = response.body.getReader();
    const slow = new ReadableStream({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) return controller.close();
        for (let i = 0; i < value.length; i += 16) {
          await new Promise((resolve) => setTimeout(resolve, 30));
          controller.enqueue(value.slice(i, i + 16));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(slow, { status: response.status, headers: response.headers });
  };
}

// What a screen reader would hear from live regions, and how the latest answer grew.
function watchPage() {
  window.__seen = { live: [], answerLengths: [] };
  new MutationObserver(() => {
    for (const region of document.querySelectorAll(".hcw-root [aria-live]")) {
      const text = region.textContent.trim();
      if (text && region.__last !== text) window.__seen.live.push(text);
      region.__last = text;
    }
    const answers = document.querySelectorAll(".hcw-answer__body");
    const length = answers.length ? answers[answers.length - 1].textContent.length : 0;
    const lengths = window.__seen.answerLengths;
    if (length && lengths[lengths.length - 1] !== length) lengths.push(length);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

// The focused element, named roughly as a screen reader would (its label, or its text without aria-hidden parts).
function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return { text: "", tag: "body", inPanel: false };
  const style = getComputedStyle(el);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT,
    { acceptNode: (n) => (n.parentElement.closest("[aria-hidden=true]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) });
  let shown = "";
  while (walker.nextNode()) shown += ` ${walker.currentNode.data}`;
  return {
    text: (el.getAttribute("aria-label") || shown || el.value || "").trim().replace(/\s+/g, " ").slice(0, 80),
    tag: el.tagName.toLowerCase(),
    className: typeof el.className === "string" ? el.className : "",
    id: el.id,
    inPanel: Boolean(el.closest(".hcw-panel")),
    visibleFocus: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
}

// Presses Tab until the focused element's text starts with `wanted` (or its class has `.wanted`).
async function tabUntil(page, wanted, max = 80) {
  const matches = (focus) => (wanted.startsWith(".") ? focus.className.split(" ").includes(wanted.slice(1))
    : focus.text.toLowerCase().startsWith(wanted.toLowerCase()));
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(describeFocus);
    if (matches(focus)) return focus;
  }
  throw new Error(`Tab never reached "${wanted}"`);
}

const visibleView = (page) => page.evaluate(() => {
  const view = [...document.querySelectorAll(".hcw-view")].find((v) => !v.hidden);
  return view ? view.getAttribute("aria-label") : null;
});

const inertChildren = (page) => page.evaluate(() => [...document.body.children]
  .filter((c) => c.tagName !== "SCRIPT" && !c.classList.contains("hcw-root")).map((c) => c.inert));

async function searchWithTypo(page, story) {
  await page.keyboard.type("wrok ordr");
  await page.waitForSelector(".hcw-search__note:not([hidden])");
  await page.waitForFunction(() => document.querySelector(".hcw-search [aria-live]").textContent.includes("result"));
  story.correction = await page.textContent(".hcw-search__note");
  story.announced = await page.textContent(".hcw-search [aria-live]");
  story.results = await page.$$eval(".hcw-result", (links) => links.map((l) => ({
    title: l.querySelector(".hcw-result__title").textContent,
    marks: [...l.querySelectorAll("mark")].map((m) => m.textContent),
  })));
}

async function readAndVote(page, story) {
  await page.keyboard.press("ArrowDown");
  story.firstResultFocus = await page.evaluate(describeFocus);
  const clicked = page.waitForRequest((r) => r.method() === "POST" && /\/api\/v1\/search\/\w+\/click$/.test(r.url()));
  await page.keyboard.press("Enter");
  story.click = JSON.parse((await clicked).postData());
  await page.waitForSelector(".hcw-article__content:not([hidden])");
  story.articleFocus = await page.evaluate(describeFocus);
  const voted = page.waitForResponse((r) => r.url().includes("/votes") && r.request().method() === "POST");
  story.yesButton = await tabUntil(page, "Yes");
  await page.keyboard.press("Enter");
  story.vote = await (await voted).json();
  await page.waitForSelector(".hcw-vote .hcw-message:has-text('Thanks')");
  story.voteMessage = await page.textContent(".hcw-vote .hcw-message");
  await tabUntil(page, "Back");
  await page.keyboard.press("Enter");
  story.afterBack = { view: await visibleView(page), focus: await page.evaluate(describeFocus) };
}

// Words the help center has nothing close to: the results are offered as the nearest, not as matches.
async function searchNothingClose(page, story) {
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("knitting patterns");
  await page.waitForFunction(() => document.querySelector(".hcw-search .hcw-heading").textContent === "Nearest articles");
  story.nearest = await page.evaluate(() => ({
    heading: document.querySelector(".hcw-search .hcw-heading").textContent,
    message: document.querySelector(".hcw-search > .hcw-message:last-child").textContent,
    results: document.querySelectorAll(".hcw-search .hcw-result").length,
  }));
  await page.keyboard.press("ArrowDown"); // back on the first result, as the reader left it
}

async function askTheAssistant(page, story) {
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("How do I assign a work order to a technician?");
  await tabUntil(page, "Ask the assistant");
  const asked = page.waitForRequest((r) => r.url().endsWith("/api/v1/chat"));
  await page.keyboard.press("Enter");
  story.chatRequest = JSON.parse((await asked).postData());
  await page.waitForSelector(".hcw-answer__feedback");
  story.chatView = await visibleView(page);
  story.answer = await page.textContent(".hcw-answer__body");
  story.citations = await page.$$eval(".hcw-answer__body a.hcw-cite", (links) => links.map((l) => l.getAttribute("aria-label")));
  story.sources = await page.$$eval(".hcw-sources a", (links) => links.map((l) => l.textContent));
  story.answerLengths = await page.evaluate(() => window.__seen.answerLengths.slice());
  story.focusAfterAnswer = await page.evaluate(describeFocus);
  await page.waitForFunction(() => window.__seen.live.some((t) => t.startsWith("Answer:")));
}

async function stopAnAnswer(page, story) {
  await page.keyboard.type("How do I create a work order from a template?");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".hcw-turn").length === 2
    && document.querySelectorAll(".hcw-answer__body")[1].textContent.length > 0);
  story.stopButton = await tabUntil(page, "Stop", 3);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".hcw-turn:nth-child(2) >> text=Stopped.");
  const stoppedAt = await page.evaluate(() => document.querySelectorAll(".hcw-answer__body")[1].textContent.length);
  await page.waitForLoadState("networkidle");
  story.stopped = {
    lengthAtStop: stoppedAt,
    lengthLater: await page.evaluate(() => document.querySelectorAll(".hcw-answer__body")[1].textContent.length),
    feedbackOffered: await page.isVisible(".hcw-turn:nth-child(2) .hcw-answer__feedback"),
    focus: await page.evaluate(describeFocus),
  };
  await page.waitForFunction(() => window.__seen.live.includes("Answer stopped."));
}

async function keyboardStory(browser) {
  const story = {};
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  await context.addInitScript(slowChat);
  await context.addInitScript(watchPage);
  const page = await context.newPage();
  const errors = [];
  const sent = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (r) => { if (r.url().endsWith("/api/v1/events")) sent.push(...JSON.parse(r.postData()).events); });
  await page.goto(PAGE, { waitUntil: "networkidle" });
  story.mainBefore = await page.evaluate(() => document.querySelector("main").getBoundingClientRect().toJSON());
  story.launcher = await tabUntil(page, ".hcw-launcher", 120);
  await page.keyboard.press("Enter");
  story.openFocus = await page.evaluate(describeFocus);
  story.dialog = await page.evaluate(() => {
    const d = document.querySelector(".hcw-panel");
    return { role: d.getAttribute("role"), modal: d.getAttribute("aria-modal"),
      label: document.getElementById(d.getAttribute("aria-labelledby")).textContent };
  });
  story.inertWhileOpen = await inertChildren(page);
  story.mainWhileOpen = await page.evaluate(() => document.querySelector("main").getBoundingClientRect().toJSON());
  await searchWithTypo(page, story);
  await readAndVote(page, story);
  await searchNothingClose(page, story);
  await askTheAssistant(page, story);
  await stopAnAnswer(page, story);
  story.trapped = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press("Tab");
    story.trapped.push((await page.evaluate(describeFocus)).inPanel);
  }
  await page.keyboard.press("Escape");
  story.closeFocus = await page.evaluate(describeFocus);
  story.inertAfterClose = await inertChildren(page);
  story.live = await page.evaluate(() => window.__seen.live.slice());
  // Events wait a few seconds in the page before they are sent together.
  if (!sent.some((e) => e.type === "article_view")) {
    await page.waitForRequest((r) => r.url().endsWith("/api/v1/events") && r.postData().includes("article_view"));
  }
  story.events = sent.map((e) => ({ type: e.type, article_id: e.article_id, session_id: e.session_id }));
  story.chatStore = await page.evaluate(() => JSON.parse(sessionStorage.getItem("hcw:chat")).value);
  story.errors = errors;
  return { story, page, context };
}

async function reloadStory(page, previous) {
  const story = {};
  await page.reload({ waitUntil: "networkidle" });
  await page.focus(".hcw-launcher");
  await page.keyboard.press("Enter");
  story.view = await visibleView(page);
  story.questions = await page.$$eval(".hcw-turn__question", (q) => q.map((n) => n.textContent.replace("You asked: ", "")));
  story.answerKept = (await page.textContent(".hcw-answer__body")) === previous.answer;
  story.focus = await page.evaluate(describeFocus);
  const asked = page.waitForRequest((r) => r.url().endsWith("/api/v1/chat"));
  await page.keyboard.type("And how do I reassign it?");
  await page.keyboard.press("Enter");
  story.followUp = JSON.parse((await asked).postData());
  await page.waitForSelector(".hcw-turn:nth-child(3) .hcw-answer__feedback");
  story.conversationBefore = previous.chatStore.conversationId;
  return story;
}

async function citationStory(page) {
  // A citation of a section (its link has an anchor), not of an article's introduction.
  await page.click(".hcw-turn:nth-child(1) .hcw-answer__body a.hcw-cite[href*='#']");
  await page.waitForSelector(".hcw-article__content:not([hidden])");
  const cited = await page.evaluate(() => {
    const focused = document.activeElement;
    const view = document.querySelector(".hcw-article");
    const box = focused.getBoundingClientRect();
    const panel = view.getBoundingClientRect();
    return { tag: focused.tagName.toLowerCase(), id: focused.id, text: focused.textContent,
      title: document.querySelector(".hcw-article__title").textContent,
      inSight: box.top >= panel.top && box.bottom <= panel.bottom };
  });
  // A link in the article to another article of the help center opens it in the panel, not in a new tab.
  const link = page.locator(".hcw-article__body a[href^='http']").first();
  cited.link = await link.textContent();
  const pages = page.context().pages().length;
  await link.click();
  await page.waitForFunction((title) => document.querySelector(".hcw-article__title").textContent !== title
    && !document.querySelector(".hcw-article__content").hidden, cited.title);
  cited.linked = await page.textContent(".hcw-article__title");
  cited.newTabs = page.context().pages().length - pages;
  await page.click(".hcw-back");
  await page.waitForFunction((title) => document.querySelector(".hcw-article__title").textContent === title, cited.title);
  cited.back = await page.textContent(".hcw-article__title");
  return cited;
}

async function tokenStory(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(PAGE, { waitUntil: "networkidle" });
  const asked = await page.evaluate(async (tokens) => {
    let calls = 0;
    window.HelpCenter.setTokenProvider(async () => { calls += 1; return tokens[calls - 1] || null; });
    window.HelpCenter.openArticle("audit-log");
    await new Promise((resolve) => {
      const done = () => document.querySelector(".hcw-article__content:not([hidden]), .hcw-article [role=status]:not(:empty)");
      const wait = () => (done() && !document.querySelector(".hcw-article [role=status]").textContent.startsWith("Loading")
        ? resolve() : setTimeout(wait, 20));
      wait();
    });
    return calls;
  }, plan.tokens);
  const story = { providerCalls: asked, title: await page.textContent(".hcw-article__title"),
    openLink: await page.isVisible(".hcw-article__open") };
  // In the results too it is read in the panel: even a Ctrl+click (a new tab, with no token) opens it there.
  await page.evaluate(() => window.HelpCenter.search("audit log"));
  const result = page.locator(".hcw-result", { hasText: "Audit log" }).first();
  await result.waitFor();
  story.result = await result.evaluate((node) => ({ tag: node.tagName.toLowerCase(), href: node.getAttribute("href") }));
  await result.click({ modifiers: ["Control"] });
  await page.waitForSelector(".hcw-article__content:not([hidden])");
  story.ctrlClicked = { title: await page.textContent(".hcw-article__title"), pages: page.context().pages().length };
  // And in the assistant's answer: its citations and sources of the restricted article are buttons too.
  await page.evaluate(() => window.HelpCenter.ask("How do I export the audit log?"));
  await page.waitForSelector(".hcw-answer__feedback");
  story.cited = await page.$$eval(".hcw-answer__body .hcw-cite, .hcw-sources li > *", (nodes) => nodes.map((node) => ({
    tag: node.tagName.toLowerCase(), href: node.getAttribute("href"), text: node.textContent })));
  await page.close();
  return story;
}

// A product page on the help host's origin whose script tag has only `attributes` (the demo page has a
// support address; these stories need a page without one, or with a token in it).
async function productPage(page, attributes) {
  await page.route(`${plan.base}/product/`, (route) => route.fulfill({ contentType: "text/html", body:
    `<!doctype html><html lang="en"><title>Product</title><main><h1>Work orders</h1></main>
     <script src="/widgets/help-widget.js" ${attributes} defer></script>` }));
  await page.goto(`${plan.base}/product/`, { waitUntil: "networkidle" });
}

// Without data-support-url, a declined answer still offers "Contact support": the host page hears it.
async function supportStory(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await productPage(page, "");
  await page.evaluate(() => {
    window.__support = [];
    window.HelpCenter.on("contact-support", (detail) => window.__support.push(detail));
    window.HelpCenter.ask("What is the best banana bread recipe?");
  });
  await page.waitForSelector(".hcw-answer__feedback");
  const control = page.locator(".hcw-answer__support");
  const story = { tag: await control.evaluate((node) => node.tagName.toLowerCase()), text: await control.textContent() };
  const tracked = page.waitForRequest((r) => r.url().endsWith("/api/v1/events") && r.postData().includes("contact_support"));
  await control.click();
  story.event = JSON.parse((await tracked).postData()).events.find((e) => e.type === "contact_support");
  story.heard = await page.evaluate(() => window.__support);
  story.pages = page.context().pages().length;
  await page.close();
  return story;
}

// Escape in the search box with text in it clears the box and leaves the panel open; the next Escape closes it.
async function escapeStory(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await productPage(page, "");
  await page.evaluate(() => window.HelpCenter.search("work order"));
  await page.waitForSelector(".hcw-results .hcw-result");
  await page.focus(".hcw-search__input");
  await page.keyboard.press("Escape");
  const panelOpen = () => page.evaluate(() => !document.querySelector(".hcw-panel").hidden);
  const story = { value: await page.inputValue(".hcw-search__input"), openAfterFirst: await panelOpen() };
  await page.keyboard.press("Escape");
  story.openAfterSecond = await panelOpen();
  await page.close();
  return story;
}

// A product page whose data-token has expired (and no provider to renew it): the widgets drop the token and
// go on as for an anonymous reader, rather than failing every call.
async function expiredTokenStory(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const statuses = [];
  page.on("response", (r) => { if (r.url().includes("/api/v1/search?")) statuses.push(r.status()); });
  await productPage(page, `data-token="${plan.tokens[0]}"`);
  const contextual = page.waitForResponse((r) => r.url().includes("/api/v1/contextual?") && r.status() === 200);
  await page.click(".hcw-launcher");
  await contextual;
  await page.keyboard.type("work order");
  await page.waitForFunction(() => document.querySelector(".hcw-search [aria-live]").textContent.includes("result"));
  const story = {
    results: await page.$$eval(".hcw-result__title", (titles) => titles.map((t) => t.textContent)),
    error: await page.isVisible(".hcw-search .hcw-message--error"),
    statuses,
    errors,
  };
  await page.close();
  return story;
}

async function unreachableStory(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(PAGE, { waitUntil: "networkidle" });
  await page.route(/\/api\/v1\/(search|suggest|chat|articles\/[\w-]+\/votes)/, (route) => route.abort("connectionrefused"));
  await page.click(".hcw-launcher");
  await page.keyboard.type("boiler");
  await page.waitForSelector(".hcw-search .hcw-message--error:not([hidden])");
  const search = await page.textContent(".hcw-search .hcw-message--error");
  await page.click(".hcw-search__ask");
  await page.waitForSelector(".hcw-turn .hcw-message--error");
  const chat = await page.textContent(".hcw-turn .hcw-message--error");
  await page.evaluate(() => window.HelpCenter.openArticle("assign-a-work-order"));
  await page.waitForSelector(".hcw-article__content:not([hidden])");
  await page.click(".hcw-vote button:has-text('Yes')");
  await page.waitForSelector(".hcw-vote .hcw-message:has-text('could not be sent')");
  const vote = { message: await page.textContent(".hcw-vote .hcw-message"),
    pressed: await page.$$eval(".hcw-vote button[aria-pressed]", (buttons) => buttons.map((b) => b.getAttribute("aria-pressed"))) };
  await page.close();
  return { search, chat, vote, errors };
}

async function sizeStory(browser, width, height, screenshot) {
  const page = await browser.newPage({ viewport: { width, height }, reducedMotion: "reduce" });
  await page.goto(PAGE, { waitUntil: "networkidle" });
  const launcher = await page.evaluate(() => document.querySelector(".hcw-launcher").getBoundingClientRect().toJSON());
  await page.click(".hcw-launcher");
  await page.waitForSelector(".hcw-result");
  const found = await page.evaluate(() => ({
    panel: document.querySelector(".hcw-panel").getBoundingClientRect().toJSON(),
    scrollWidth: document.documentElement.scrollWidth,
    input: document.querySelector(".hcw-search__input").getBoundingClientRect().toJSON(),
  }));
  if (plan.screenshots) await page.screenshot({ path: `${plan.screenshots}/panel-${width}x${height}.png` });
  await page.close();
  return { width, height, launcher, ...found };
}

// The widget's own parsers and renderers, bundled from source, fed hostile and awkward input in the browser.
const UNITS = `export { renderMarkdown } from "./markdown.js"; export { linkHref, safeHtml } from "./safe-html.js";
export { renderSnippet } from "./snippet.js"; export { readServerSentEvents } from "./sse.js";`;

// An article as the build renders raw HTML written by an author (content/ is reviewed, but not trusted).
const HOSTILE_ARTICLE = `<p>The warning <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="gauge" onerror="window.__pwned = 1"> shows.</p>
<script>window.__pwned = 2</script><style>body { display: none }</style>
<p><a href="javascript:window.__pwned=3">Reset</a> or see <a href="#codes" onclick="window.__pwned=4">the codes</a>
and <a href="/boilers/">boilers</a>.</p><iframe src="javascript:parent.__pwned=6"></iframe><form><input value="x"></form>
<h2 id="codes">Codes<a class="headerlink" href="#codes">&para;</a></h2>
<div class="admonition warning"><p class="admonition-title">Warning</p><p><b onmouseover="window.__pwned=5" style="position:fixed">E-119</b></p></div>
<svg><script>window.__pwned = 8</script></svg><table><tr><td colspan="2" onclick="x()">cell</td></tr></table>`;

const ANSWER = "Use <img src=x onerror=\"window.__pwned=1\"> and **Save [2]** then `<b>code</b>` [1].\n\n"
  + "- item one\n- item **two**\n\n1. first\n2. second\n\n# Heading\n\n```\n<script>window.__pwned=2</script>\n```";

// Server-sent events cut at awkward places: inside a field name, between CR and LF, inside UTF-8 characters;
// the last event has no blank line after it (the stream just ends).
function sseChunks() {
  const bytes = new TextEncoder().encode('event: delta\r\ndata: {"text": "caf\u00e9 \u201cok\u201d"}\r\n\r\n'
    + ': a comment\n\nevent: done\ndata: {"answered": true}');
  const text = new TextDecoder().decode(bytes);
  const at = (part, extra) => new TextEncoder().encode(text.slice(0, text.indexOf(part))).length + extra;
  const cuts = [at("ta\r", 0), at("\r\ndata", 1), at("\u00e9", 1), at("\u201c", 1), at("\u201c", 2), bytes.length];
  return cuts.map((end, i) => [...bytes.slice(i ? cuts[i - 1] : 0, end)]);
}

async function unitStory(browser) {
  const code = buildSync({ stdin: { contents: UNITS, resolveDir: "widgets/src/widget" }, bundle: true, format: "iife",
    globalName: "hcwUnits", write: false, logLevel: "error" }).outputFiles[0].text;
  const page = await browser.newPage();
  await page.goto(PAGE, { waitUntil: "networkidle" });
  await page.evaluate(code);
  const found = await page.evaluate(async ({ article, answer, chunks }) => {
    const { renderMarkdown, safeHtml, linkHref, renderSnippet, readServerSentEvents } = window.hcwUnits;
    const hrefs = ["/boilers/#codes", "https://example.com/a", "javascript:alert(1)", "data:text/html,x", "//evil.example/"]
      .map((url) => linkHref(url, "https://help.example.com/"));
    const box = document.createElement("div");
    document.body.append(box);
    box.append(safeHtml(article, { doc: document, base: "https://help.example.com/", idPrefix: "hcw-a-", headingShift: 2 }));
    box.querySelectorAll("b").forEach((b) => b.dispatchEvent(new MouseEvent("mouseover", { bubbles: true })));
    box.querySelectorAll("a").forEach((a) => a.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true })));
    const rebuilt = {
      tags: [...new Set([...box.querySelectorAll("*")].map((n) => n.tagName.toLowerCase()))].sort(),
      attributes: [...new Set([...box.querySelectorAll("*")].flatMap((n) => n.getAttributeNames()))].sort(),
      links: [...box.querySelectorAll("a")].map((a) => a.getAttribute("href")),
      heading: box.querySelector("h4") && box.querySelector("h4").id,
      admonition: box.querySelector(".hcw-admonition") !== null,
      img: box.querySelector("img") && { alt: box.querySelector("img").alt, src: box.querySelector("img").getAttribute("src") },
    };
    box.replaceChildren(renderMarkdown(document, answer, (n) => Object.assign(document.createElement("a"), { textContent: `[${n}]`, className: "cite" })));
    const markdown = {
      blocks: [...box.children].map((n) => n.tagName.toLowerCase()),
      text: box.querySelector("p").textContent,
      strong: [...box.querySelectorAll("strong")].map((n) => n.textContent),
      code: [...box.querySelectorAll("code")].map((n) => n.textContent),
      cites: box.querySelectorAll("a.cite").length,
      items: [...box.querySelectorAll("li")].map((n) => n.textContent),
      elements: [...new Set([...box.querySelectorAll("*")].map((n) => n.tagName.toLowerCase()))].sort(),
    };
    box.replaceChildren(renderSnippet(document, "a &lt;b&gt; <mark>work</mark> &amp; <mark>order&#39;s</mark> &#x2192;"));
    const snippet = { text: box.textContent, marks: [...box.querySelectorAll("mark")].map((m) => m.textContent),
      elements: box.querySelectorAll("*").length };
    box.remove();
    const events = [];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      },
    });
    await readServerSentEvents(stream, (name, data) => events.push([name, data]), new AbortController().signal);
    return { rebuilt, markdown, snippet, events, hrefs, pwned: window.__pwned === undefined ? null : window.__pwned };
  }, { article: HOSTILE_ARTICLE, answer: ANSWER, chunks: sseChunks() });
  await page.close();
  return found;
}

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const report = {};
try {
  const { story, page, context } = await keyboardStory(browser);
  report.keyboard = story;
  report.reload = await reloadStory(page, story);
  report.citation = await citationStory(page);
  await context.close();
  report.token = await tokenStory(browser);
  report.expired = await expiredTokenStory(browser);
  report.support = await supportStory(browser);
  report.escape = await escapeStory(browser);
  report.unreachable = await unreachableStory(browser);
  report.units = await unitStory(browser);
  report.sizes = [await sizeStory(browser, 320, 640), await sizeStory(browser, 640, 400), await sizeStory(browser, 1280, 800)];
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
