/*! The help center's analytics dashboard. Includes uPlot 1.6.32: Copyright (c) 2025, Leon Sorokin. All rights
 * reserved. MIT Licensed. */
// The analytics dashboard at /analytics/: takes an admin token, then shows the analytics API's figures
// for a date range as figures, charts and tables. Nothing here parses text as HTML (see dom.js).
import "uplot/dist/uPlot.min.css";
import "./dashboard.css";
import { csvUrl, downloadCsv, explain, fetchDashboard } from "./api.js";
import { renderCharts } from "./charts.js";
import { renderFigures } from "./figures.js";
import { day } from "./format.js";
import { renderGaps } from "./gaps.js";
import { lastDays, wireRange } from "./range.js";
import { reportTables } from "./reports.js";
import { allowedOrigins, keepToken, listenForToken, storedToken, tokenFromFragment } from "./token.js";

const DEFAULT_DAYS = 30;
const ASK = "Enter an admin token to see the dashboard.";

function findParts() {
  const byId = (id) => document.getElementById(id);
  const slots = Object.fromEntries([...document.querySelectorAll("[data-slot]")].map((node) => [node.dataset.slot, node]));
  return {
    tokenForm: byId("hc-dash-token-form"), tokenField: byId("hc-dash-token"), forget: byId("hc-dash-forget"),
    alert: byId("hc-dash-alert"), status: byId("hc-dash-status"), board: byId("hc-dash-board"), range: byId("hc-dash-range"), slots,
  };
}

class Dashboard {
  constructor(ui) {
    this.ui = ui;
    this.token = null;
    this.range = lastDays(DEFAULT_DAYS);
    this.loads = 0; // a slower, older answer must not replace a newer range's
  }

  say(text) {
    this.ui.status.textContent = text;
  }

  warn(text) {
    // Emptied first, so the same message twice is announced twice.
    this.ui.alert.textContent = "";
    this.ui.alert.textContent = text;
  }

  useToken(token) {
    this.token = token;
    keepToken(token);
    this.ui.forget.hidden = false;
    this.load();
  }

  forget() {
    this.token = null;
    this.loads += 1; // an answer still on its way must not show the board again
    keepToken(null);
    this.ui.forget.hidden = true;
    this.ui.board.hidden = true;
    this.say(ASK);
  }

  async load() {
    const ticket = ++this.loads;
    this.warn("");
    this.say("Loading the dashboard…");
    this.ui.board.setAttribute("aria-busy", "true");
    try {
      const data = await fetchDashboard(this.range, this.token);
      if (ticket === this.loads) this.render(data);
    } catch (error) {
      if (ticket === this.loads) this.fail(error);
    } finally {
      this.ui.board.removeAttribute("aria-busy");
    }
  }

  fail(error) {
    const refused = error.status === 401 || error.status === 403;
    if (refused) this.forget();
    else this.say("");
    this.warn(explain(error));
  }

  csv(table) {
    return {
      href: csvUrl(table, this.range),
      download: () => downloadCsv(table, this.range, this.token)
        .then(() => this.say(`Downloaded ${table}.csv.`))
        .catch((error) => this.warn(explain(error))),
    };
  }

  render(data) {
    const { slots } = this.ui;
    const csv = (table) => this.csv(table);
    this.ui.board.hidden = false; // before the charts: they take the width the layout gives them
    renderFigures(slots.figures, data);
    renderCharts(slots.charts, data.daily, csv("daily"));
    slots.queries.replaceChildren(...reportTables(["top_queries", "zero_result_queries"], data, csv));
    slots.articles.replaceChildren(...reportTables(["top_articles", "lowest_rated", "contact_rate_articles", "contact_rate_answers"], data, csv));
    renderGaps(slots.gaps, data.content_gaps, csv("content_gaps"), (text) => this.say(text));
    slots.stale.replaceChildren(...reportTables(["stale_articles"], data, csv));
    this.say(`Showing ${day(data.from)} to ${day(data.to)}, ${data.tenant ? `tenant ${data.tenant}` : "readers without a tenant"}.`);
  }
}

function wire(dashboard) {
  const { ui } = dashboard;
  ui.tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = ui.tokenField.value.trim();
    ui.tokenField.value = "";
    if (token) dashboard.useToken(token);
  });
  ui.forget.addEventListener("click", () => {
    dashboard.forget();
    ui.tokenField.focus();
  });
  const showRange = wireRange(ui.range, (range) => {
    dashboard.range = range;
    dashboard.load();
  }, (message) => dashboard.warn(message));
  showRange(dashboard.range);
  listenForToken(allowedOrigins(), (token) => dashboard.useToken(token));
}

function start() {
  const dashboard = new Dashboard(findParts());
  wire(dashboard);
  const token = tokenFromFragment() || storedToken();
  if (token) dashboard.useToken(token);
  else dashboard.say(ASK);
}

start();
