// P1 alerts: a banner inside the page's role="alert" region plus a generated beep.

import { beep } from "../common/beep.js";
import { config } from "../common/config.js";
import { $, el } from "../common/dom.js";
import { t } from "../common/i18n.js";
import { reasonTexts } from "./reasons.js";

export function categoryLabel(code) {
  return (config.categories && config.categories[code]) || code || "";
}

export function languageLabel(code) {
  return (config.language_names && config.language_names[code]) || code || "?";
}

/** Show an `alert.p1` frame; `onOpen(conversationId)` is called by the banner's button. */
export function showP1Alert(frame, onOpen) {
  const region = $("#p1-alerts");
  const existing = region.querySelector(`[data-conversation-id="${Number(frame.conversation_id)}"]`);
  if (existing) existing.remove();
  // The reason that made it P1 (urgency reasons come first); the card lists them all.
  const reasons = reasonTexts((frame.reasons || []).slice(0, 1)).join("; ");
  const text = t("p1_alert", { category: categoryLabel(frame.category), language: languageLabel(frame.language) });
  const open = el("button", { type: "button" }, t("p1_take"));
  const dismiss = el("button", { type: "button" }, t("dismiss"));
  const banner = el(
    "div",
    { class: "p1-banner", "data-conversation-id": Number(frame.conversation_id) },
    el("span", { class: "message-text" }, text, reasons ? ` (${reasons})` : ""),
    open,
    dismiss,
  );
  open.addEventListener("click", () => {
    onOpen(Number(frame.conversation_id));
    banner.remove();
  });
  dismiss.addEventListener("click", () => banner.remove());
  region.append(banner);
  region.dataset.beeped = String(beep());
}

export function clearP1Alert(conversationId) {
  const banner = $("#p1-alerts").querySelector(`[data-conversation-id="${Number(conversationId)}"]`);
  if (banner) banner.remove();
}
