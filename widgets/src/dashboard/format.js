// Numbers as the dashboard shows them. Any figure may be null when the range has no data: shown as a dash.

export const NO_DATA = "—";

const isNumber = (value) => typeof value === "number" && Number.isFinite(value);
const numbers = new Intl.NumberFormat("en-GB");
const days = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function count(value) {
  return isNumber(value) ? numbers.format(value) : NO_DATA;
}

export function percent(rate) {
  if (!isNumber(rate)) return NO_DATA;
  const points = rate * 100;
  // Small rates keep one decimal: 0.4% and 0% must not look the same.
  return `${points > 0 && points < 10 ? points.toFixed(1) : Math.round(points)}%`;
}

export function decimal(value) {
  return isNumber(value) ? value.toFixed(1) : NO_DATA;
}

export function day(iso) {
  return typeof iso === "string" ? days.format(new Date(`${iso}T00:00:00Z`)) : NO_DATA;
}

export function yesNo(value) {
  return value ? "yes" : "no";
}
