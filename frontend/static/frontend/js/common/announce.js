// The page's polite ARIA live region: screen readers hear incoming messages and state changes.

const region = () => document.getElementById("announcer");

export function announce(text) {
  const node = region();
  if (!node) return;
  const line = document.createElement("p");
  line.textContent = text;
  node.append(line);
  // Keep the region short: old lines have been read already.
  while (node.childElementCount > 5) node.firstElementChild.remove();
}
