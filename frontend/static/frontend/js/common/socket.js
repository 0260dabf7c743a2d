// A websocket that reconnects with backoff, keeps itself alive and reports its state.
//
// States: "connecting", "open", "offline" (the next try comes after `retryIn` seconds),
// "closed" (given up: the server refused us, e.g. a console whose login ended).
//
// Every frame passes the socket's pacer (`pacer.js`), a copy of the server's frame limit.

import { FramePacer } from "./pacer.js";

const BACKOFF_SECONDS = [0.5, 1, 2, 4, 8, 15];
const PING_EVERY_MS = 20000;
const SILENCE_LIMIT_MS = 45000;

export function socketUrl(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

export class ReconnectingSocket {
  /**
   * `onOpen()` runs on every (re)connection, before any queued work is resent;
   * `onFrame(frame)` for each JSON frame; `onState(state, detail)` on every change;
   * `rate` the server's frame limit for this socket (`{per_second, burst}`).
   */
  constructor(path, { onOpen, onFrame, onState, rate }) {
    this.url = socketUrl(path);
    this.pacer = new FramePacer(rate);
    this.onOpen = onOpen;
    this.onFrame = onFrame;
    this.onState = onState;
    this.ws = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastHeard = 0;
    this.stopped = false;
    this.state = "idle";
    // Why a staff login ended (`session.revoked`, sent just before the 4401 close).
    this.endReason = "";
    window.addEventListener("online", () => this.reconnectNow());
    // The browser knows the network is gone before TCP does: drop the socket at once so
    // the page shows it and queues what the person writes.
    window.addEventListener("offline", () => this.drop());
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  setState(state, detail = {}) {
    this.state = state;
    this.onState(state, detail);
  }

  connect() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.setState("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.pacer.reset();
      this.setState("open");
      this.startHeartbeat();
      this.onOpen();
    });
    ws.addEventListener("message", (event) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && frame.type === "session.revoked" && typeof frame.reason === "string") {
        this.endReason = frame.reason;
      }
      if (frame && typeof frame.type === "string") this.onFrame(frame);
    });
    ws.addEventListener("close", (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopHeartbeat();
      // 4401/4403: the server refused this user; retrying cannot help.
      if (event.code === 4401 || event.code === 4403) {
        this.stopped = true;
        this.setState("closed", { code: event.code, reason: this.endReason });
        return;
      }
      this.scheduleRetry();
    });
  }

  scheduleRetry() {
    if (this.stopped) return;
    const base = BACKOFF_SECONDS[Math.min(this.attempt, BACKOFF_SECONDS.length - 1)];
    this.attempt += 1;
    const delay = base * (0.8 + Math.random() * 0.4);
    this.setState("offline", { retryIn: Math.ceil(delay), online: navigator.onLine });
    this.retryTimer = setTimeout(() => this.connect(), delay * 1000);
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
        this.drop();
        return;
      }
      this.send({ type: "ping" }, { optional: true });
    }, PING_EVERY_MS);
  }

  stopHeartbeat() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** Close the current socket (if any) and retry with backoff. */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    this.stopHeartbeat();
    ws.close();
    this.scheduleRetry();
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.connect();
  }

  /**
   * Send a frame if the socket is open; returns whether it went out. An `optional` frame
   * (typing, ping) is dropped when the pacer has no token for it; any other frame goes out
   * at once and uses the next token (people's actions are rare next to the limit).
   */
  send(frame, { optional = false } = {}) {
    if (!this.isOpen) return false;
    if (optional) {
      if (!this.pacer.take()) return false;
    } else {
      this.pacer.force();
    }
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Send a frame only if the pacer has a token for it beyond `reserve` (left for other
   * frames); returns whether it went out. When not, `pacer.waitMs(reserve)` says how long.
   */
  sendPaced(frame, reserve = 0) {
    if (!this.isOpen || !this.pacer.take(reserve)) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** The server refused a frame for the rate (`rate_limited`): pause for `seconds`. */
  holdFor(seconds) {
    this.pacer.hold(Math.max(0, Number(seconds) || 0) * 1000);
  }

  /** Stop for good (quick exit, logout). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close();
    }
  }
}

/** Shows a socket state in a `role="status"` element, in words (not colour alone). */
export function showConnectionState(node, t, state, detail) {
  const key = `${state}/${detail.online}/${detail.code}/${detail.reason}`;
  // A status region is read aloud on every change: repeat nothing already said.
  if (node.dataset.key === key) return;
  node.dataset.key = key;
  node.dataset.state = state;
  if (state === "open") node.textContent = t("conn_open");
  else if (state === "connecting") node.textContent = t("conn_connecting");
  else if (state === "offline" && detail.online === false) node.textContent = t("conn_offline_now");
  else if (state === "offline") node.textContent = t("conn_offline");
  else if (state === "closed" && detail.code === 4401 && detail.reason) {
    // "session_logged_out", "session_expired", …: the page's strings name each reason.
    const key = `session_${detail.reason}`;
    const text = t(key);
    node.textContent = text === key ? t("conn_login") : text;
  } else if (state === "closed" && (detail.code === 4401 || detail.code === 4403)) node.textContent = t("conn_login");
  else if (state === "closed") node.textContent = t("conn_closed");
}
