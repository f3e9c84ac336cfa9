// The help button and its panel: being written (issue 10).
export function mountPanel() {
  return { element: null, destroy() {}, open() {}, close() {} };
}
