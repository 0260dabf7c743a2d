// A supervisor watching one of the officer's conversations (`supervisor.watching`), and
// their whispers (notes with `whisper: true`), shown apart from ordinary notes.

import { announce } from "../common/announce.js";
import { el } from "../common/dom.js";
import { t } from "../common/i18n.js";

/** Show or clear "a supervisor is watching" in a chat panel. */
export function showWatching(chat, frame) {
  let line = chat.panel.querySelector(".watching");
  if (!frame.watching) {
    line?.remove();
    return;
  }
  if (!line) {
    line = el("p", { class: "watching notice", role: "status" });
    chat.panel.querySelector(".chat-header").append(line);
  }
  line.textContent = t("supervisor_watching", { name: frame.supervisor_name });
  announce(line.textContent);
}

/** Mark a rendered note as a supervisor's whisper. */
export function markWhisper(item, frame) {
  item.classList.add("whisper");
  item.prepend(el("p", { class: "whisper-label" }, t("whisper_from", { name: frame.author_name })));
  announce(t("whisper_from", { name: frame.author_name }));
}
