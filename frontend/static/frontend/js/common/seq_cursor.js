// Where a conversation's replay must start after a reconnect: the highest message number up
// to which every number has arrived. With several server processes a later message can
// arrive before an earlier one (each process publishes its own sockets' messages); resuming
// after the highest number seen would then skip the earlier one for good.

export class SeqCursor {
  constructor() {
    this.upTo = 0;
    this.early = new Set();
  }

  /** A message number that arrived (live or replayed). */
  add(seq) {
    if (!Number.isInteger(seq) || seq <= this.upTo) return;
    this.early.add(seq);
    while (this.early.delete(this.upTo + 1)) this.upTo += 1;
  }
}
