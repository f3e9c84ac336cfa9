// The assistant's answers as a small, safe subset of Markdown: paragraphs, lists, **bold**, `code`,
// fenced code blocks and citation markers [n]. Built with createElement and text nodes only; anything
// else stays literal text. Partial text (mid-stream) renders too: an open fence runs to the end.

const INLINE = /(`[^`\n]+`)|(\*\*(?=\S)[\s\S]*?\S\*\*)|(\[(\d{1,3})\])/g;
const LIST_ITEM = /^\s*([-*+]|\d{1,3}[.)])\s+(.*)$/;
const FENCE = /^\s*```/;

function inline(doc, text, citation) {
  const fragment = doc.createDocumentFragment();
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) fragment.append(text.slice(at, match.index));
    if (match[1]) {
      const code = doc.createElement("code");
      code.textContent = match[1].slice(1, -1);
      fragment.append(code);
    } else if (match[2]) {
      const strong = doc.createElement("strong");
      strong.append(inline(doc, match[2].slice(2, -2), citation));
      fragment.append(strong);
    } else {
      fragment.append(citation(Number(match[4])));
    }
    at = match.index + match[0].length;
  }
  if (at < text.length) fragment.append(text.slice(at));
  return fragment;
}

function blocks(lines) {
  const found = [];
  let current = null;
  const close = () => { current = null; };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (FENCE.test(line)) {
      const end = lines.findIndex((next, j) => j > i && FENCE.test(next));
      const stop = end === -1 ? lines.length : end;
      found.push({ kind: "code", text: lines.slice(i + 1, stop).join("\n") });
      i = stop;
      close();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (!line.trim()) close();
    else if (item) {
      const kind = /\d/.test(item[1]) ? "ol" : "ul";
      if (!current || current.kind !== kind) found.push((current = { kind, items: [] }));
      current.items.push(item[2]);
    } else if (current && current.kind !== "p" && /^\s+\S/.test(line)) {
      current.items[current.items.length - 1] += ` ${line.trim()}`;
    } else {
      const text = line.replace(/^\s*(#{1,6}|>)\s*/, "");
      if (!current || current.kind !== "p") found.push((current = { kind: "p", text, heading: /^\s*#/.test(line) }));
      else current.text += ` ${text}`;
    }
  }
  return found;
}

// `citation(n)` returns the node a marker [n] becomes (a link once the sources are known).
export function renderMarkdown(doc, text, citation) {
  const fragment = doc.createDocumentFragment();
  for (const block of blocks(String(text || "").split(/\r?\n/))) {
    if (block.kind === "code") {
      const pre = doc.createElement("pre");
      const code = doc.createElement("code");
      code.textContent = block.text;
      pre.append(code);
      fragment.append(pre);
    } else if (block.kind === "p") {
      const p = doc.createElement("p");
      const content = inline(doc, block.text, citation);
      if (block.heading) {
        // A heading inside an answer would break the panel's outline: it becomes a bold line.
        const strong = doc.createElement("strong");
        strong.append(content);
        p.append(strong);
      } else {
        p.append(content);
      }
      fragment.append(p);
    } else {
      const list = doc.createElement(block.kind);
      for (const item of block.items) {
        const li = doc.createElement("li");
        li.append(inline(doc, item, citation));
        list.append(li);
      }
      fragment.append(list);
    }
  }
  return fragment;
}
