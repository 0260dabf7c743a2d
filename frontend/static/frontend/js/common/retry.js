// Resending after `busy`: the server refused a frame because it had too much work in flight.
//
// One pending retry per outbox at a time, after a growing delay with jitter, so that many
// clients refused together do not come back together. An acknowledgement resets the delay.

const BUSY_BASE_MS = 250;
const BUSY_MAX_MS = 8000;

export class BusyRetry {
  constructor(resend) {
    this.resend = resend;
    this.attempt = 0;
    this.timer = null;
  }

  /** The server said `busy`: resend the outbox once, later than last time. */
  refused() {
    if (this.timer !== null) return;
    const base = Math.min(BUSY_MAX_MS, BUSY_BASE_MS * 2 ** this.attempt);
    this.attempt += 1;
    const delay = base * (0.5 + Math.random());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.resend();
    }, delay);
  }

  /** A frame was acknowledged: the server has room again. */
  accepted() {
    this.attempt = 0;
  }
}
