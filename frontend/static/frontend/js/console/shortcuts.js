// Console keyboard shortcuts (Alt+Shift+letter, by physical key so layouts do not matter).
// The same list is shown on the page and in docs/ui.md.

export function installShortcuts(handlers) {
  const byCode = {
    KeyT: handlers.takeNext,
    KeyN: handlers.nextChat,
    KeyP: handlers.previousChat,
    KeyM: handlers.focusReply,
    KeyA: handlers.focusArticles,
    KeyO: handlers.focusNote,
    KeyE: handlers.escalate,
    KeyR: handlers.refer,
    KeyC: handlers.close,
    KeyD: handlers.toggleDuty,
  };
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const handler = byCode[event.code];
    if (!handler) return;
    event.preventDefault();
    handler();
  });
}
