// Drives common/outbox.js against a stand-in server that keeps the same token bucket as
// chat/consumers/base.py and the same order across refusals as chat/send_order.py; prints
// what happened as JSON. Usage: node outbox_harness.mjs <js dir> <scenario>

const [jsDir, scenario] = process.argv.slice(2);
const { Outbox } = await import(`${jsDir}/common/outbox.js`);
const { FramePacer } = await import(`${jsDir}/common/pacer.js`);

const RATE = { per_second: 10, burst: 30 };

class Server {
  constructor({ refuse = () => null } = {}) {
    this.tokens = RATE.burst;
    this.at = 0;
    this.stored = [];
    this.wire = [];
    this.refusals = [];
    this.refuse = refuse;
    this.held = null;
  }

  /** The consumer's bucket: true if the frame is accepted. */
  allow() {
    const now = performance.now();
    const elapsed = this.at ? (now - this.at) / 1000 : 0;
    this.at = now;
    this.tokens = Math.min(RATE.burst, this.tokens + elapsed * RATE.per_second);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

class Socket {
  constructor(server, deliver) {
    this.server = server;
    this.deliver = deliver;
    this.pacer = new FramePacer(RATE);
    this.isOpen = true;
  }

  sendPaced(frame, reserve) {
    if (!this.pacer.take(reserve)) return false;
    this.transmit(frame);
    return true;
  }

  holdFor(seconds) {
    this.pacer.hold(seconds * 1000);
  }

  transmit(frame) {
    const server = this.server;
    server.wire.push(frame.client_id);
    setTimeout(() => {
      const refuse = (refusal) => {
        server.refusals.push(refusal.code);
        if (refusal.code !== "not_allowed" && server.held === null) server.held = frame.client_id;
        this.deliver({ type: "error", ref: frame.client_id, message: "no", ...refusal });
      };
      if (!server.allow()) {
        refuse({ code: "rate_limited", retry_after: Math.max(0.05, (1 - server.tokens) / RATE.per_second) });
        return;
      }
      if (server.held !== null && server.held !== frame.client_id) {
        server.refusals.push("held back");
        this.deliver({ type: "error", code: "busy", ref: frame.client_id, retry_after: 0.5 });
        return;
      }
      if (server.held === frame.client_id) server.held = null;
      const refusal = server.refuse(frame);
      if (refusal) {
        refuse(refusal);
        return;
      }
      if (!server.stored.includes(frame.client_id)) server.stored.push(frame.client_id);
      this.deliver({ type: "ack", client_id: frame.client_id });
    }, 2);
  }
}

function run({ count, refuse, settleMs }) {
  return new Promise((resolve) => {
    const states = new Map();
    const retries = new Map();
    const server = new Server({ refuse });
    let outbox;
    const socket = new Socket(server, (frame) => {
      if (frame.type === "ack") outbox.delivered(frame.client_id);
      else outbox.refused(frame);
    });
    const messages = {
      addPending: (id, _text, state) => states.set(id, state),
      setState: (id, state, reason, onRetry) => {
        states.set(id, state === "failed" ? `failed: ${reason}` : state);
        if (onRetry) retries.set(id, onRetry);
      },
    };
    outbox = new Outbox({
      socket,
      messages,
      frameFor: (item) => ({ type: "message.send", client_id: item.client_id, text: item.text }),
      t: (key, params = {}) => (params.reason ? `${key}(${params.reason})` : key),
    });
    outbox.setReady(true);
    const began = performance.now();
    for (let i = 1; i <= count; i++) outbox.add(`m${i}`, `message ${i}`);
    setTimeout(() => {
      const report = () => ({
        stored: [...server.stored],
        wire: [...server.wire],
        refusals: [...server.refusals],
        left: outbox.saved().map((item) => item.client_id),
        states: Object.fromEntries(states),
        ms: Math.round(performance.now() - began),
      });
      const first = report();
      const failed = [...retries.keys()];
      if (!failed.length) return resolve({ first });
      server.refuse = () => null;
      for (const id of failed) retries.get(id)();
      setTimeout(() => resolve({ first, afterRetry: report() }), 500);
    }, settleMs);
  });
}

const scenarios = {
  // Forty messages at once: all stored in order without one refusal from the bucket.
  fast: () => run({ count: 40, settleMs: 3500 }),
  // The server is busy for the first two tries of m2: it goes again, in its place.
  busy: () => {
    const tries = new Map();
    return run({
      count: 3,
      settleMs: 1500,
      refuse: (frame) => {
        const n = (tries.get(frame.client_id) || 0) + 1;
        tries.set(frame.client_id, n);
        return frame.client_id === "m2" && n <= 2 ? { code: "busy", retry_after: 0.1 } : null;
      },
    });
  },
  // A refusal that a retry cannot change: m2 fails, m3 still goes, Retry sends m2.
  refused: () =>
    run({
      count: 3,
      settleMs: 500,
      refuse: (frame) => (frame.client_id === "m2" ? { code: "not_allowed" } : null),
    }),
};

process.stdout.write(JSON.stringify(await scenarios[scenario]()));
