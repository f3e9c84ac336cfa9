// The date range: last 7, 30 or 90 days (today included, in UTC like the API's days), or any from/to.
import "./range.css";

const DAY_MS = 24 * 60 * 60 * 1000;

function isoDay(time) {
  return new Date(time).toISOString().slice(0, 10);
}

export function lastDays(days, now = Date.now()) {
  return { from: isoDay(now - (days - 1) * DAY_MS), to: isoDay(now), days };
}

function showRange(form, range) {
  form.elements.from.value = range.from;
  form.elements.to.value = range.to;
  for (const button of form.querySelectorAll("[data-days]")) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.days) === range.days));
  }
}

// Calls onChange(range) with each range picked; returns a function that shows a range in the form.
export function wireRange(form, onChange, onInvalid) {
  const pick = (range) => {
    showRange(form, range);
    onChange(range);
  };
  for (const button of form.querySelectorAll("[data-days]")) {
    button.addEventListener("click", () => pick(lastDays(Number(button.dataset.days))));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { from, to } = form.elements;
    if (from.value > to.value) {
      onInvalid("The start of the range is after its end: pick a From date on or before the To date.");
      from.focus();
      return;
    }
    pick({ from: from.value, to: to.value, days: null });
  });
  return (range) => showRange(form, range);
}
