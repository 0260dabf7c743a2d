// Canned replies: the knowledge base's list per conversation language (`canned.list`), with
// the built-in replies as a fallback, and "/shortcut" + Tab in the reply box.

import { config } from "../common/config.js";
import { el } from "../common/dom.js";
import { locale } from "../common/i18n.js";

const fromServer = new Map();

function bare(shortcut) {
  return String(shortcut || "").replace(/^\//, "");
}

/** Remember a `canned.replies` frame; returns its language. */
export function storeCanned(frame) {
  const replies = Array.isArray(frame.replies) ? frame.replies : [];
  fromServer.set(frame.language, replies.map((r) => ({ ...r, shortcut: bare(r.shortcut) })));
  return frame.language;
}

export function hasCanned(language) {
  return fromServer.has(language);
}

export function cannedFor(language) {
  const served = fromServer.get(language);
  if (served && served.length) return served;
  const canned = config.canned || {};
  return canned[language] || canned[locale] || canned.en || [];
}

/** Fill the list with buttons that put a reply into the box (the officer still sends it). */
export function renderCanned(list, language, textarea) {
  list.replaceChildren(
    ...cannedFor(language).map((reply) => {
      const button = el(
        "button",
        { type: "button", class: "secondary", lang: reply.language || language || null },
        el("kbd", {}, `/${reply.shortcut}`),
        " ",
        reply.title || reply.text,
      );
      button.addEventListener("click", () => {
        textarea.value = reply.text;
        textarea.focus();
      });
      return el("li", {}, button);
    }),
  );
}

/**
 * If the box holds only "/shortcut", replace it with the canned reply and return true;
 * returns the unknown shortcut name (string) when none matches, or false when not a shortcut.
 */
export function expandShortcut(textarea, language) {
  const match = /^\/([\w-]+)$/.exec(textarea.value.trim());
  if (!match) return false;
  const reply = cannedFor(language).find((r) => r.shortcut === match[1]);
  if (!reply) return match[1];
  textarea.value = reply.text;
  return true;
}
