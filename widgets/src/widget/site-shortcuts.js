// mkdocs-material answers single keys anywhere on a page (f, s and / open search; p and , the previous page;
// n and . the next), which a speech-input user or a stray key press sets off by accident (WCAG 2.1.4), and
// Material has no setting to turn them off. They are stopped before Material sees them; the search stays a
// click or a Tab away, and the previous and next pages are links in the footer.
const MATERIAL_KEYS = new Set(["f", "s", "/", "p", ",", "n", "."]);

function typing(target) {
  return Boolean(target && target.closest && target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
}

export function muteSingleKeyShortcuts(win) {
  const onKey = (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || !MATERIAL_KEYS.has(event.key.toLowerCase())) return;
    if (!typing(event.target)) event.stopImmediatePropagation();
  };
  win.addEventListener("keydown", onKey, true);
  return () => win.removeEventListener("keydown", onKey, true);
}
