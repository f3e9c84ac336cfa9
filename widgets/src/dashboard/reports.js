// The dashboard's tables: which rows of the API's answer each shows, and with which columns.
// Each name is also the `table` the CSV endpoint takes.
import { el, pageLink } from "./dom.js";
import { count, decimal, NO_DATA, percent, yesNo } from "./format.js";
import { dataTable } from "./table.js";

const article = { label: "Article", value: (row) => pageLink(row.url, row.title || row.article_id) };
const number = (label, field) => ({ label, value: (row) => count(row[field]), numeric: true });
const rate = (label, field) => ({ label, value: (row) => percent(row[field]), numeric: true });
const subjects = {
  label: "Ticket subjects",
  value: (row) => (row.ticket_subjects?.length ? el("ul", {}, row.ticket_subjects.map((s) => el("li", {}, s))) : NO_DATA),
};
const searchesBar = { ...number("Searches", "searches"), bar: (row) => row.searches || 0 };

const TABLES = {
  top_queries: { caption: "Top queries", rows: (d) => d.top_queries, columns: [
    { label: "Query", value: (row) => row.query }, searchesBar, number("Clicks", "clicks"),
    rate("Click-through rate", "click_through_rate"), { label: "No results", value: (row) => yesNo(row.zero_result) }] },
  zero_result_queries: { caption: "Failing queries (no results)", rows: (d) => d.zero_result?.top_queries, columns: [
    { label: "Query", value: (row) => row.query }, searchesBar] },
  top_articles: { caption: "Most read articles", rows: (d) => d.top_articles, columns: [
    article, number("Views", "views"), number("Helpful", "helpful"), number("Not helpful", "not_helpful")] },
  lowest_rated: { caption: "Lowest-rated articles", rows: (d) => d.votes?.lowest_rated, columns: [
    article, rate("Helpful", "helpful_ratio"), number("Helpful votes", "helpful"), number("Not helpful votes", "not_helpful")] },
  contact_rate_articles: { caption: "Articles most often followed by a ticket", rows: (d) => d.contact_rate?.articles, columns: [
    article, rate("Contact rate", "contact_rate"), number("Readers", "readers"), number("Contacted", "contacted"), subjects] },
  contact_rate_answers: { caption: "Assistant answers most often followed by a ticket", rows: (d) => d.contact_rate?.answers, columns: [
    { label: "Question", value: (row) => row.question || row.answer_id }, rate("Contact rate", "contact_rate"),
    number("Readers", "readers"), number("Contacted", "contacted"), subjects] },
  stale_articles: { caption: "Stale articles, most urgent first", rows: (d) => d.stale_articles, columns: [
    article, { label: "Score", value: (row) => decimal(row.score), numeric: true }, number("Days overdue", "days_overdue"),
    number("Helpful", "helpful"), number("Not helpful", "not_helpful"), number("No-result searches near it", "zero_result_near"),
    number("Tickets after reading", "tickets_after")] },
};

// Builds the named tables from `data`; csv(name) gives each its download.
export function reportTables(names, data, csv) {
  return names.map((name) => {
    const table = TABLES[name];
    const rows = table.rows(data);
    return dataTable({ caption: table.caption, columns: table.columns, rows: Array.isArray(rows) ? rows : [], csv: csv(name) });
  });
}
