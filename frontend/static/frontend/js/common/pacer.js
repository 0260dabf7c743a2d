// The server's per-socket frame limit mirrored in the browser: a token bucket with the
// numbers the page hands over (`config.frame_rate`, from `chat/limits.py`), so a page never
// sends faster than its socket accepts and the repeated-refusal close can never happen.

// Frames sent evenly can still arrive bunched (a slow network, a busy tab): stay a little
// under the server's figures.
const RATE_MARGIN = 0.9;
const BURST_MARGIN = 2;

export class FramePacer {
  /** `rate` is `{per_second, burst}`; without it the pacer never holds anything back. */
  constructor(rate, now = () => performance.now()) {
    this.now = now;
    this.unlimited = !rate || !(rate.per_second > 0) || !(rate.burst >= 1);
    this.perMs = this.unlimited ? 0 : (rate.per_second * RATE_MARGIN) / 1000;
    this.burst = this.unlimited ? 0 : Math.max(1, rate.burst - BURST_MARGIN);
    this.reset();
  }

  /** A new socket: the server counts from a full bucket again. */
  reset() {
    this.tokens = this.burst;
    this.at = this.now();
    this.heldUntil = 0;
  }

  refill() {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    return now;
  }

  /** Take a token if one is free beyond `reserve` (kept for other frames); true if taken. */
  take(reserve = 0) {
    if (this.unlimited) return true;
    const now = this.refill();
    if (now < this.heldUntil || this.tokens < 1 + reserve) return false;
    this.tokens -= 1;
    return true;
  }

  /** Take a token whether or not one is free (a frame that cannot wait, e.g. a claim). */
  force() {
    if (this.unlimited) return;
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
  }

  /** Milliseconds until `take(reserve)` can succeed. */
  waitMs(reserve = 0) {
    if (this.unlimited) return 0;
    const now = this.refill();
    const missing = 1 + reserve - this.tokens;
    const refillMs = missing > 0 ? missing / this.perMs : 0;
    return Math.ceil(Math.max(refillMs, this.heldUntil - now));
  }

  /** The server refused a frame for the rate: send nothing for `ms`, then start empty. */
  hold(ms) {
    if (this.unlimited) return;
    this.refill();
    this.tokens = 0;
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }
}
