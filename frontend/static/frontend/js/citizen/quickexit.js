// Quick exit: the button or Esc pressed twice leaves for a neutral page and wipes the tab.
//
// location.replace swaps this history entry, so Back does not return to the chat.

import { wipe } from "./store.js";

const DOUBLE_ESC_MS = 1500;

export function installQuickExit({ button, exitUrl, beforeExit }) {
  const leave = () => {
    try {
      beforeExit();
    } finally {
      wipe();
      document.title = "";
      document.body.replaceChildren();
      location.replace(exitUrl);
    }
  };
  button.addEventListener("click", (event) => {
    // On the self-help pages the button is a link: replace the page instead of following it.
    event.preventDefault();
    leave();
  });
  let lastEsc = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEsc < DOUBLE_ESC_MS) {
      event.preventDefault();
      leave();
    }
    lastEsc = now;
  });
}
