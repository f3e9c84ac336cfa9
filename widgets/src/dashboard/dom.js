// Every element of the dashboard is made here: text goes in as text nodes only, never parsed as HTML,
// because queries, titles, ticket subjects and examples are typed by readers.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "on") Object.entries(value).forEach(([event, handler]) => node.addEventListener(event, handler));
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

// Only a link into this help center: an API value such as `javascript:...` or `//elsewhere` stays plain text.
export function pageLink(url, text) {
  if (typeof url !== "string" || url === "") return text;
  let target;
  try {
    target = new URL(url, document.baseURI);
  } catch {
    return text;
  }
  if (target.origin !== window.location.origin) return text;
  return el("a", { href: target.pathname + target.search + target.hash }, text);
}

// Words for screen readers that sighted readers get from the layout.
export function hidden(text) {
  return el("span", { className: "hc-dash-sr" }, text);
}

let nextId = 0;
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
