// A search snippet is HTML-escaped text with <mark> around the matched words: it becomes text nodes and
// <mark> elements, never parsed as HTML.

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function unescapeText(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export function renderSnippet(doc, snippet) {
  const fragment = doc.createDocumentFragment();
  const parts = String(snippet || "").split(/<(\/?)mark>/);
  // split with one capture group: text, slash, text, slash, ...; a slash-less tag opens a mark.
  let marked = false;
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      marked = part !== "/";
      return;
    }
    if (!part) return;
    const text = doc.createTextNode(unescapeText(part));
    if (marked) {
      const mark = doc.createElement("mark");
      mark.className = "hcw-mark";
      mark.append(text);
      fragment.append(mark);
    } else {
      fragment.append(text);
    }
  });
  return fragment;
}
