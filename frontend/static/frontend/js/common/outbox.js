// Messages a person wrote that the server has not stored yet: sent in order, a few on the
// wire at once, paced under the socket's frame limit, sent again (same client_id) after a
// refusal the server asks to retry, and marked "Not sent" with a Retry button only when
// they fail.
//
// Order holds across refusals: once a message is refused for now, the server refuses every
// later one of the socket until it comes again (`chat/send_order.py`), so the outbox sends
// again from the refused message on, in order.

// Refusals that mean "later", not "no": the server stored nothing (docs/protocol.md).
const RETRY_CODES = new Set(["busy", "rate_limited", "temporarily_unavailable"]);
// Tokens left in the pacer for frames that cannot wait (claims, typing, pings).
const RESERVE = 2;
// Messages on the wire at once (each waits for its acknowledgement or refusal).
const WINDOW = 4;
// Growing extra pause after the server's hint, drawn at random so that clients refused
// together do not come back together.
const JITTER_BASE_MS = 250;
const JITTER_MAX_MS = 8000;
// A message the server keeps refusing, or that cannot leave because the connection is
// down, fails after this long; the person may send it again with Retry.
export const GIVE_UP_MS = 60000;
// Refusals that sending again cannot change, by the reason the person reads.
const REASONS = {
  text_empty: "error_text_empty",
  text_too_long: "error_text_too_long",
  text_invalid: "error_text_empty",
  invalid_field: "error_text_empty",
  conversation_ended: "error_ended",
  offline: "failed_offline",
  busy: "failed_busy",
};
// A message on the wire with no answer this long is sent again (the server stores it once).
const ANSWER_MS = 15000;

export class Outbox {
  /**
   * `socket` a ReconnectingSocket; `messages` the MessageList showing the messages;
   * `frameFor(item)` the `message.send` frame for `{client_id, text}`; `onChange(items)`
   * after every change (to keep them across a reload); `t` the page's translations.
   */
  constructor({ socket, messages, frameFor, onChange = () => {}, t }) {
    this.socket = socket;
    this.messages = messages;
    this.frameFor = frameFor;
    this.onChange = onChange;
    this.t = t;
    this.items = [];
    this.ready = false;
    this.inflight = new Set();
    this.timer = null;
    this.answerTimer = null;
    this.offlineTimer = null;
  }

  /** Messages not yet stored, in order (failed ones included), for the page's storage. */
  saved() {
    return this.items.map(({ client_id, text }) => ({ client_id, text }));
  }

  /** Show and queue messages kept from before a reload; they are sent once ready. */
  restore(items) {
    for (const { client_id, text } of items) {
      if (typeof client_id !== "string" || typeof text !== "string") continue;
      this.items.push({ client_id, text, since: 0, attempt: 0, failed: false });
      this.messages.addPending(client_id, text, "queued");
    }
    this.watchOffline();
  }

  /** A message the person just wrote, with its new `clientId`. */
  add(clientId, text) {
    const item = { client_id: clientId, text, since: 0, attempt: 0, failed: false };
    this.items.push(item);
    this.messages.addPending(clientId, text, this.ready ? "sending" : "queued");
    this.onChange(this.saved());
    this.watchOffline();
    this.pump();
  }

  has(clientId) {
    return this.items.some((item) => item.client_id === clientId);
  }

  /** Whether messages may go out (socket open, conversation attached and replayed). */
  setReady(ready) {
    this.ready = ready;
    if (ready) {
      clearTimeout(this.offlineTimer);
      this.offlineTimer = null;
      this.pump();
      return;
    }
    this.landed();
    clearTimeout(this.timer);
    this.timer = null;
    for (const item of this.items) {
      if (!item.failed) this.messages.setState(item.client_id, "queued");
    }
    this.watchOffline();
  }

  /** The server stored `clientId` (its ack or its copy of the message arrived). */
  delivered(clientId) {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.client_id !== clientId);
    if (this.items.length === before) return;
    this.inflight.delete(clientId);
    this.heard();
    this.onChange(this.saved());
    this.pump();
  }

  /** An `error` frame; returns true when it was about one of these messages. */
  refused(frame) {
    const index = this.items.findIndex((entry) => entry.client_id === frame.ref);
    if (index === -1) return false;
    const item = this.items[index];
    // Refusals of messages already taken back from the wire (the server refused them only
    // because an earlier one was refused) change nothing.
    if (!this.inflight.has(item.client_id)) return true;
    this.heard();
    const hintMs = Math.max(0, Number(frame.retry_after) || 0) * 1000;
    if (frame.code === "rate_limited") this.socket.holdFor(hintMs / 1000);
    if (RETRY_CODES.has(frame.code) && Date.now() - item.since < GIVE_UP_MS) {
      // Still "Sending…": this one and all after it go again, in order, a little later.
      for (const later of this.items.slice(index)) this.inflight.delete(later.client_id);
      const jitter = Math.min(JITTER_MAX_MS, JITTER_BASE_MS * 2 ** item.attempt) * Math.random();
      item.attempt += 1;
      this.wait(hintMs + jitter);
      return true;
    }
    this.inflight.delete(item.client_id);
    const code = RETRY_CODES.has(frame.code) ? "busy" : frame.code;
    this.fail(item, this.reason(code));
    this.pump();
    return true;
  }

  /** Forget every message (the conversation ended or was erased). */
  clear() {
    this.items = [];
    this.landed();
    clearTimeout(this.timer);
    clearTimeout(this.offlineTimer);
    this.timer = null;
    this.offlineTimer = null;
    this.onChange(this.saved());
  }

  /** Send the next messages in order while the window and the pacer allow. */
  pump() {
    if (!this.ready || this.timer !== null) return;
    for (const item of this.items) {
      if (this.inflight.size >= WINDOW) return;
      if (item.failed || this.inflight.has(item.client_id)) continue;
      if (!this.socket.sendPaced(this.frameFor(item), RESERVE)) {
        if (this.socket.isOpen) this.wait(this.socket.pacer.waitMs(RESERVE));
        return;
      }
      // The give-up clock runs from the first time it went out, not from while offline.
      if (!item.since) item.since = Date.now();
      this.inflight.add(item.client_id);
      this.messages.setState(item.client_id, "sending");
      if (this.answerTimer === null) this.heard();
    }
  }

  /** An answer came: messages still on the wire get another ANSWER_MS before going again. */
  heard() {
    clearTimeout(this.answerTimer);
    this.answerTimer = null;
    if (!this.inflight.size) return;
    this.answerTimer = setTimeout(() => {
      this.landed();
      this.pump();
    }, ANSWER_MS);
  }

  /** Nothing is on the wire any more. */
  landed() {
    this.inflight.clear();
    clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }

  wait(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(10, ms));
  }

  /** Why a message was not sent, in the page's language ("offline", "busy" or a code). */
  reason(code) {
    return this.t(REASONS[code] || "failed_refused");
  }

  fail(item, reason) {
    item.failed = true;
    this.messages.setState(item.client_id, "failed", reason, () => this.retry(item.client_id));
    this.onChange(this.saved());
  }

  /** The person pressed Retry: send it again (after anything still waiting). */
  retry(clientId) {
    const index = this.items.findIndex((entry) => entry.client_id === clientId);
    if (index === -1) return;
    const [item] = this.items.splice(index, 1);
    Object.assign(item, { failed: false, attempt: 0, since: 0 });
    this.items.push(item);
    this.messages.setState(clientId, this.ready ? "sending" : "queued");
    this.onChange(this.saved());
    this.watchOffline();
    this.pump();
  }

  /** While messages cannot leave, fail them once the connection has been down too long. */
  watchOffline() {
    if (this.ready || this.offlineTimer !== null || !this.items.some((item) => !item.failed)) return;
    this.offlineTimer = setTimeout(() => {
      this.offlineTimer = null;
      if (this.ready) return;
      const reason = this.reason("offline");
      for (const item of this.items) if (!item.failed) this.fail(item, reason);
    }, GIVE_UP_MS);
  }
}
