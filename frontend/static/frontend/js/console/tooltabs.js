// The tools beside a conversation (articles, canned replies, notes, triage, case) as tabs:
// the WAI-ARIA tab pattern, with one tab in the Tab order and the arrow keys, Home and End
// moving between tabs (selection follows focus).

export class ToolTabs {
  /**
   * `root` holds a `[role=tablist]` whose tabs name their panel in `aria-controls`;
   * `onSelect(name)` is called whenever a tool is shown.
   */
  constructor(root, { onSelect = () => {} } = {}) {
    this.root = root;
    this.onSelect = onSelect;
    this.tabs = Array.from(root.querySelectorAll('[role="tab"]'));
    for (const tab of this.tabs) {
      tab.addEventListener("click", () => this.select(tab.dataset.tool, false));
    }
    root.querySelector('[role="tablist"]').addEventListener("keydown", (event) => this.onKey(event));
  }

  tab(name) {
    return this.tabs.find((tab) => tab.dataset.tool === name) || null;
  }

  get selected() {
    const tab = this.tabs.find((t) => t.getAttribute("aria-selected") === "true");
    return tab ? tab.dataset.tool : null;
  }

  /** Show the tool `name`; the others are hidden. Clears the tab's "new" mark. */
  select(name, focusTab) {
    const chosen = this.tab(name);
    if (!chosen) return;
    for (const tab of this.tabs) {
      const on = tab === chosen;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      this.root.querySelector(`#${tab.getAttribute("aria-controls")}`).hidden = !on;
    }
    this.mark(name, "");
    this.onSelect(name);
    if (focusTab) chosen.focus();
  }

  /** Show `text` (e.g. "1 unread") on a tab; an empty text clears it. */
  mark(name, text) {
    const badge = this.tab(name)?.querySelector(".unread");
    if (!badge) return;
    badge.hidden = !text;
    badge.textContent = text;
  }

  onKey(event) {
    const index = this.tabs.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (index + 1) % this.tabs.length;
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (index - 1 + this.tabs.length) % this.tabs.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = this.tabs.length - 1;
    if (next === null) return;
    event.preventDefault();
    this.select(this.tabs[next].dataset.tool, true);
  }
}
