// A conversation's message list: ordered by seq, no duplicates, per-message delivery state.
//
// Messages the person writes appear at once as "sending" (keyed by client_id); the server's
// copy (same client_id) or its ack turns them "sent" with their seq. Replays after a
// reconnect are idempotent: a seq already shown is ignored.

import { articleFragment } from "./sanitize.js";
import { el } from "./dom.js";
import { formatTime } from "./i18n.js";
import { SeqCursor } from "./seq_cursor.js";

export class MessageList {
  /**
   * `mySender` is the sender kind whose messages are "mine" (`citizen` or `officer`);
   * `senderLabel(frame)` names the author of a message for this audience; `shownText(text)`
   * turns a message's text into what is displayed (staff: bidi controls made visible).
   */
  constructor(listNode, { mySender, senderLabel, t, shownText = (text) => text }) {
    this.list = listNode;
    this.shownText = shownText;
    this.mySender = mySender;
    this.senderLabel = senderLabel;
    this.t = t;
    this.bySeq = new Map();
    this.pending = new Map();
    this.records = new WeakMap();
    this.lastSeq = 0;
    this.cursor = new SeqCursor();
  }

  /** The `last_seq` to resume or reopen with: every message up to it is shown. */
  get resumeSeq() {
    return this.cursor.upTo;
  }

  /** Show a message the person just wrote; returns its client_id record. */
  addPending(clientId, text, state = "sending") {
    const frame = {
      seq: null, client_id: clientId, sender: this.mySender, author_name: "",
      kind: "text", text, payload: {}, created_at: new Date().toISOString(),
    };
    const item = this.render(frame);
    this.pending.set(clientId, { item, frame });
    this.setState(clientId, state);
    this.list.append(item);
    return frame;
  }

  pendingMessages() {
    return Array.from(this.pending.values()).map((p) => p.frame);
  }

  /**
   * Update the delivery state of a message still waiting for its ack. A "failed" message
   * shows why and, with `onRetry`, a button that sends it again.
   */
  setState(clientId, state, reason = "", onRetry = null) {
    const entry = this.pending.get(clientId);
    if (!entry) return;
    if (entry.state === state && state !== "failed") return;
    entry.state = state;
    const item = entry.item;
    item.dataset.state = state;
    const delivery = item.querySelector(".delivery");
    if (state === "failed") {
      delivery.replaceChildren(this.t("state_failed", { reason }));
      if (onRetry) {
        const button = el("button", { type: "button", class: "retry-send" }, this.t("retry"));
        button.addEventListener("click", onRetry, { once: true });
        delivery.append(" ", button);
      }
    } else {
      delivery.textContent = this.t(state === "queued" ? "state_queued" : "state_sending");
    }
  }

  stateOf(clientId) {
    const entry = this.pending.get(clientId);
    return entry ? entry.state : null;
  }

  /** A `message` frame; returns true if it was new (not a duplicate or a replay). */
  receive(frame) {
    if (this.bySeq.has(frame.seq)) return false;
    let item;
    const mine = frame.client_id && this.pending.get(frame.client_id);
    if (mine) {
      item = this.render(frame);
      mine.item.replaceWith(item);
      this.pending.delete(frame.client_id);
      this.markSent(item);
    } else {
      item = this.render(frame);
      if (frame.sender === this.mySender) this.markSent(item);
    }
    this.bySeq.set(frame.seq, item);
    this.place(item, frame.seq);
    this.lastSeq = Math.max(this.lastSeq, frame.seq);
    this.cursor.add(frame.seq);
    return !mine;
  }

  /** An `ack` frame for one of our messages: sent; the server's copy replaces it when it comes. */
  ack(frame) {
    const entry = this.pending.get(frame.client_id);
    if (!entry) return;
    if (this.bySeq.has(frame.seq)) {
      // The server's copy arrived first and is already shown: drop the local one.
      entry.item.remove();
      this.pending.delete(frame.client_id);
      return;
    }
    entry.state = "sent";
    this.markSent(entry.item);
    this.place(entry.item, frame.seq);
  }

  markSent(item) {
    item.dataset.state = "sent";
    const delivery = item.querySelector(".delivery");
    if (delivery) delivery.textContent = this.t("state_sent");
  }

  /** A local notice (not stored on the server), shown after the latest message. */
  addNotice(text) {
    const item = el("li", { class: "message notice", "data-seq": this.lastSeq + 0.5 }, el("p", { class: "body" }, text));
    this.records.set(item, { sender: "notice", text, created_at: new Date().toISOString(), kind: "notice", payload: {} });
    this.place(item, this.lastSeq + 0.5);
    return item;
  }

  /** Put a sequenced item before the first later or still-pending item. */
  place(item, seq) {
    item.dataset.seq = String(seq);
    let before = null;
    for (const node of this.list.children) {
      if (node === item) continue;
      const other = node.dataset.seq;
      if (other === undefined || other === "" || Number(other) > seq) {
        before = node;
        break;
      }
    }
    this.list.insertBefore(item, before);
  }

  render(frame) {
    const mine = frame.sender === this.mySender;
    const kindClass = frame.kind === "system" || frame.sender === "system" ? "system" : mine ? "mine" : "theirs";
    const created = new Date(frame.created_at);
    const item = el(
      "li",
      { class: `message ${kindClass}`, "data-client-id": frame.client_id || null },
      el(
        "p",
        { class: "meta" },
        el("span", { class: "sender", dir: "auto" }, this.senderLabel(frame)),
        el("time", { datetime: frame.created_at }, formatTime(created)),
      ),
    );
    if (frame.kind === "article") {
      const payload = frame.payload || {};
      const article = el("article", { class: "article", lang: payload.language || null });
      article.append(el("h3", { dir: "auto" }, payload.title || frame.text));
      const body = el("div", { class: "article-body" });
      body.append(articleFragment(payload.html));
      article.append(body);
      item.append(article);
    } else {
      item.append(el("p", { class: "body", dir: "auto" }, this.shownText(frame.text)));
    }
    const reference = frame.payload && frame.payload.case_reference;
    if (reference) {
      item.append(el("p", { class: "reference" }, this.t("case_reference", { reference })));
      const hint = this.t("case_reference_hint");
      if (hint !== "case_reference_hint") item.append(el("p", { class: "hint" }, hint));
    }
    if (mine && frame.kind === "text") item.append(el("p", { class: "delivery" }));
    this.records.set(item, frame);
    return item;
  }

  /** Remove every message (the conversation was erased). */
  clear() {
    this.list.replaceChildren();
    this.bySeq.clear();
    this.pending.clear();
  }

  /** Every shown message in order, as frames (for the transcript). */
  entries() {
    const out = [];
    for (const node of this.list.children) {
      const record = this.records.get(node);
      if (record) out.push(record);
    }
    return out;
  }
}
