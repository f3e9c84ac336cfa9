// An article's HTML rebuilt element by element from an allow-list: what is not known to be harmless
// (scripts, handlers, styles, forms, frames, javascript: URLs) never reaches the page.

const KEEP = new Set([
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "strong", "b", "em", "i",
  "u", "s", "del", "ins", "small", "sub", "sup", "mark", "kbd", "abbr", "code", "pre", "blockquote", "table",
  "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "img", "figure", "figcaption", "details", "summary",
  "span", "div",
]);
// Dropped with everything inside them; any other unknown element is replaced by its children.
const DROP = new Set([
  "script", "style", "template", "noscript", "iframe", "frame", "object", "embed", "form", "input", "button",
  "select", "textarea", "svg", "math", "link", "meta", "base", "audio", "video", "canvas",
]);
const ATTRIBUTES = {
  "*": ["title", "lang", "dir"],
  a: ["href"],
  img: ["src", "alt", "width", "height"],
  ol: ["start"],
  th: ["colspan", "rowspan", "scope"],
  td: ["colspan", "rowspan"],
  details: ["open"],
};
const ADMONITION = /(^|\s)(admonition|details)(\s|$)/;

// A URL on the help host (relative ones are relative to it), or null for any other scheme.
function safeUrl(value, base, schemes) {
  try {
    const url = new URL(value, base);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

// An address the API gave (a result, a citation, a related article) made into a link's href: http(s) only,
// site-relative paths resolved on the help host; null for anything else, and the link gets no href.
export function linkHref(value, base) {
  return safeUrl(String(value || "/"), base, ["http:", "https:"]);
}

// The reader page (/read/?id=) shows a restricted article with the reader's token; opened anywhere but the
// panel (a new tab has no token) it could only ask the reader to sign in.
export function needsToken(value) {
  return /^\/read(\/|\?|$)/.test(String(value || ""));
}

function copyAttribute(source, target, name, options) {
  const value = source.getAttribute(name);
  if (value === null) return;
  if (name === "href") {
    if (value.startsWith("#")) target.setAttribute("href", `#${options.idPrefix}${value.slice(1)}`);
    else {
      const href = safeUrl(value, options.base, ["http:", "https:", "mailto:"]);
      if (href) target.setAttribute("href", href);
    }
  } else if (name === "src") {
    const src = safeUrl(value, options.base, ["http:", "https:"]);
    if (src) target.setAttribute("src", src);
  } else {
    target.setAttribute(name, value);
  }
}

function tagFor(tag, shift) {
  const level = /^h([1-6])$/.exec(tag);
  return level ? `h${Math.min(6, Number(level[1]) + shift)}` : tag;
}

function rebuild(source, options) {
  const tag = source.tagName.toLowerCase();
  if (source.classList.contains("headerlink")) return null;  // the ¶ permalink of a heading
  const node = options.doc.createElement(tagFor(tag, options.headingShift));
  for (const name of [...ATTRIBUTES["*"], ...(ATTRIBUTES[tag] || [])]) copyAttribute(source, node, name, options);
  if (source.id) node.id = options.idPrefix + source.id;
  if (ADMONITION.test(source.className)) node.className = "hcw-admonition";
  else if (source.classList.contains("admonition-title")) node.className = "hcw-admonition-title";
  if (tag === "a" && node.hasAttribute("href") && !node.getAttribute("href").startsWith("#")) {
    node.rel = "noopener noreferrer";
  }
  if (tag === "img") node.loading = "lazy";
  appendChildren(source, node, options);
  return node;
}

function appendChildren(source, target, options) {
  for (const child of source.childNodes) {
    if (child.nodeType === 3) target.append(options.doc.createTextNode(child.data));
    else if (child.nodeType !== 1) continue;
    else {
      const tag = child.tagName.toLowerCase();
      if (DROP.has(tag)) continue;
      if (KEEP.has(tag)) {
        const built = rebuild(child, options);
        if (built) target.append(built);
      } else {
        appendChildren(child, target, options);
      }
    }
  }
}

// `html`: the build's rendered article. `options`: {doc, base (the help host, for relative URLs), idPrefix
// (so the article's ids cannot clash with the host page's), headingShift (levels to add to headings)}.
export function safeHtml(html, options) {
  const { doc } = options;
  // DOMParser makes an inert document: nothing in it runs or loads while it is read.
  const parsed = new doc.defaultView.DOMParser().parseFromString(String(html || ""), "text/html");
  const fragment = doc.createDocumentFragment();
  appendChildren(parsed.body, fragment, { idPrefix: "", headingShift: 0, ...options });
  return fragment;
}
