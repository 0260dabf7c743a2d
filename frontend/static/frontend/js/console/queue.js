// The live queue: cards in the server's order, waiting times ticking, one "Take" per card.
// Messages left while nobody was on duty are listed apart, under "Messages left".

import { markBidiControls } from "../common/bidi.js";
import { $, el } from "../common/dom.js";
import { formatDuration, formatNumber, t } from "../common/i18n.js";
import { categoryLabel, languageLabel } from "./alerts.js";
import { reasonTexts } from "./reasons.js";
import { config } from "../common/config.js";

export class Queue {
  /** `onClaim(id)` takes a conversation; `onChange()` follows every redraw. */
  constructor({ onClaim, onChange = () => {} }) {
    this.list = $("#queue-list");
    this.leftList = $("#left-list");
    this.entries = [];
    this.onClaim = onClaim;
    this.onChange = onChange;
    setInterval(() => this.tick(), 15000);
  }

  /** The queue in the server's order; a long one comes in parts (`part` 0 replaces, later
   * parts append). */
  snapshot(entries, part = 0) {
    this.entries = part > 0 ? this.entries.concat(entries) : entries.slice();
    this.render();
  }

  /**
   * A card that appeared or changed. A changed card keeps its place (the server's order); a
   * new one goes where the server would put it (advice/queue_policy.py): P1 first, then
   * referred to my unit or in my languages, then the rest; within each, handed-back first,
   * then urgency, referred to my unit first within an urgency, then wait.
   */
  upsert(entry) {
    if (entry.status && entry.status !== "waiting") {
      this.remove(entry.id);
      return;
    }
    const index = this.entries.findIndex((e) => e.id === entry.id);
    if (index >= 0) {
      this.entries[index] = { ...this.entries[index], ...entry };
    } else {
      const key = this.key(entry);
      const at = this.entries.findIndex((other) => this.compare(key, this.key(other)) < 0);
      this.entries.splice(at < 0 ? this.entries.length : at, 0, entry);
    }
    this.render();
  }

  key(e) {
    return [
      e.urgency === "P1" ? 0 : 1,
      e.for_my_unit || e.preferred !== false ? 0 : 1,
      e.requeued ? 0 : 1,
      Number(String(e.urgency || "P3").slice(1)),
      e.for_my_unit ? 0 : 1,
      Date.parse(e.queued_at) || 0,
    ];
  }

  compare(a, b) {
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  }

  remove(conversationId) {
    this.entries = this.entries.filter((e) => e.id !== conversationId);
    this.render();
  }

  /** The first conversation with a citizen waiting live (left messages come after). */
  first() {
    return this.entries.find((e) => !e.left_message) || this.entries[0] || null;
  }

  has(conversationId) {
    return this.entries.some((e) => e.id === conversationId);
  }

  focusCard(conversationId) {
    const selector = `[data-conversation-id="${conversationId}"] button`;
    const button = this.list.querySelector(selector) || this.leftList.querySelector(selector);
    if (button) button.focus();
  }

  waited(entry) {
    return (Date.now() - Date.parse(entry.queued_at)) / 1000;
  }

  tick() {
    for (const node of document.querySelectorAll(".queue [data-queued-at]")) {
      node.textContent = t("waiting_for", { duration: formatDuration((Date.now() - Date.parse(node.dataset.queuedAt)) / 1000, "short") });
    }
  }

  render() {
    const live = this.entries.filter((e) => !e.left_message);
    const left = this.entries.filter((e) => e.left_message);
    this.list.replaceChildren(...live.map((entry) => this.card(entry)));
    this.leftList.replaceChildren(...left.map((entry) => this.card(entry)));
    $("#queue-empty").hidden = live.length > 0;
    $("#queue-count").textContent = `(${formatNumber(live.length)})`;
    $("#left-empty").hidden = left.length > 0;
    $("#left-count").textContent = `(${formatNumber(left.length)})`;
    this.onChange();
  }

  card(entry) {
    const urgency = (config.urgencies && config.urgencies[entry.urgency]) || entry.urgency;
    const take = el(
      "button",
      { type: "button", class: "primary" },
      t("take"),
      el("span", { class: "visually-hidden" }, ` – ${t("conversation", { id: entry.id })}`),
    );
    take.addEventListener("click", () => this.onClaim(entry.id));
    const prechat = entry.prechat || {};
    const reasons = reasonTexts(entry.reasons);
    const languageBadge = entry.preferred === undefined
      ? el("span", { class: "badge", lang: entry.language || null }, languageLabel(entry.language))
      : el(
        "span",
        { class: `badge ${entry.preferred ? "lang-match" : ""}`, title: entry.preferred ? t("speaks_language") : t("no_language_match") },
        `${languageLabel(entry.language)} ${entry.preferred ? "✓" : ""}`.trim(),
      );
    return el(
      "li",
      { class: "queue-card", "data-urgency": entry.urgency, "data-conversation-id": entry.id },
      el(
        "p",
        { class: "card-head" },
        el("span", { class: `badge urgency-${entry.urgency}` }, urgency),
        el("span", {}, categoryLabel(entry.category)),
        languageBadge,
        entry.requeued ? el("span", { class: "badge" }, t("requeued")) : null,
        entry.for_my_unit ? el("span", { class: "badge" }, t("for_my_unit")) : null,
        entry.citizen_online === false ? el("span", { class: "badge away" }, `○ ${t("citizen_away_short")}`) : null,
        entry.possible_risk ? el("span", { class: "badge urgency-P2 possible-risk" }, `⚠ ${t("possible_risk")}`) : null,
      ),
      prechat.under_18 ? el("p", { class: "hint" }, `${t("prechat_under_18")}: ${t("yes")}`) : null,
      entry.preview ? el("p", { class: "preview", dir: "auto" }, markBidiControls(entry.preview)) : null,
      reasons.length
        ? el("ul", { class: "reasons", "aria-label": t("reasons") }, ...reasons.map((r) => el("li", {}, r)))
        : null,
      el(
        "p",
        { class: "card-foot" },
        el("span", { "data-queued-at": entry.queued_at }, t("waiting_for", { duration: formatDuration(this.waited(entry), "short") })),
        take,
      ),
    );
  }
}
