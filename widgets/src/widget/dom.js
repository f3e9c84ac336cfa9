// Every element the widgets make is made here: text goes in as text nodes, never parsed as HTML,
// because titles, snippets, answers and questions come from the network or from readers.

export function el(doc, tag, props = {}, ...children) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name === "on") Object.entries(value).forEach(([type, handler]) => node.addEventListener(type, handler));
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

// Shared by every instance on purpose: ids must be unique in the whole document.
let nextId = 0;
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// An element whose text a screen reader speaks when it changes, without taking focus.
export function liveRegion(doc) {
  return el(doc, "div", { className: "hcw-sr", role: "status", "aria-live": "polite", "aria-atomic": "true" });
}

export function announce(region, text) {
  // Cleared first so that the same words said twice are spoken twice.
  region.textContent = "";
  region.ownerDocument.defaultView.setTimeout(() => { region.textContent = text; }, 50);
}

// decodeURIComponent that gives back the text as it was when it is not valid percent-encoding
// (a hand-typed "#search=100%" must not throw and stop the widget).
export function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// A click the page should handle itself: the primary button with no modifier. Ctrl, Cmd, Shift or
// Alt (a new tab, a new window, a download) and the middle button are left to the browser.
export function isPlainClick(event) {
  return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
}
