/**
 * Slack allows about one message per second per channel. Each channel has its own next free slot,
 * so a busy channel makes only its own senders wait, never the others'. Time is passed in, so
 * tests drive it with a fake clock.
 */
export class ChannelLimiter {
  private readonly nextFree = new Map<string, number>();

  constructor(
    private readonly intervalMs = 1000,
    /** Longer waits give the worker slot back: the caller returns a retry instead of blocking. */
    readonly maxWaitMs = 3000,
  ) {}

  /** Reserve the channel's next slot: `waitMs` until it, or `ok: false` when that is too far off. */
  reserve(channel: string, nowMs: number): { ok: boolean; waitMs: number } {
    const slot = Math.max(nowMs, this.nextFree.get(channel) ?? 0);
    const waitMs = slot - nowMs;
    if (waitMs > this.maxWaitMs) return { ok: false, waitMs };
    this.nextFree.set(channel, slot + this.intervalMs);
    this.prune(nowMs);
    return { ok: true, waitMs };
  }

  /** Slack said to wait (429 Retry-After): nobody posts to the channel before then. */
  pause(channel: string, untilMs: number): void {
    this.nextFree.set(channel, Math.max(untilMs, this.nextFree.get(channel) ?? 0));
  }

  private prune(nowMs: number): void {
    if (this.nextFree.size < 1000) return;
    for (const [channel, t] of this.nextFree) if (t < nowMs) this.nextFree.delete(channel);
  }
}
