/** What one post got: an HTTP status, no answer (the connection died), or none in time (a hang). */
export type PostOutcome = number | 'no answer' | 'hang';

export interface StreamRun {
  /** At most this many events (the stream is bounded in count, not in time). */
  count: number;
  /** One post every this many ms, without waiting for earlier answers. */
  everyMs: number;
  /** Called after each 200, with how many this run got so far. */
  onAck?: (acks: number) => void;
  /** Checked before each post: true stops the stream (the relay is being killed). */
  stop?: () => boolean;
}

/**
 * A steady stream of distinct events (a `roomdrop` each, told apart by `conf_num`) posted to a
 * relay, with what each answer was. An event is acked when it got a 200: the relay promised to
 * deliver it. Every other event sent is unacked: it may or may not have been stored.
 */
export class EventStream {
  readonly sent: string[] = [];
  readonly acked = new Set<string>();
  readonly outcomes = new Map<string, PostOutcome>();
  /** How many posts got each outcome: `200`, `503`, `no answer`, `hang`. */
  readonly tally = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly prefix: string,
    private readonly hangMs = 15_000,
  ) {}

  get unacked(): string[] {
    return this.sent.filter((c) => !this.acked.has(c));
  }

  static body(conf: string): string {
    return JSON.stringify({ type: 'roomdrop', trans_date: 1732700512, app_id: 'stream-app', room_id: 'stream-room', conf_num: conf });
  }

  /** Posts `count` events at the pace given to the relay at `url()`; resolves once every answer is in. */
  async run(url: () => string, o: StreamRun): Promise<void> {
    const inflight: Promise<void>[] = [];
    let acks = 0;
    for (let i = 0; i < o.count && !o.stop?.(); i++) {
      inflight.push(
        this.post(url()).then((status) => {
          if (status === 200) o.onAck?.(++acks);
        }),
      );
      await new Promise((r) => setTimeout(r, o.everyMs));
    }
    await Promise.all(inflight);
  }

  /** One event; never rejects. */
  async post(url: string): Promise<PostOutcome> {
    const conf = `${this.prefix}-${this.seq++}`;
    this.sent.push(conf);
    let outcome: PostOutcome = 'no answer';
    try {
      const res = await fetch(`${url}/webhooks/enablex`, { method: 'POST', body: EventStream.body(conf), signal: AbortSignal.timeout(this.hangMs) });
      // The status is the answer (a 200 is sent only once the event is committed), even if the
      // process dies before the rest of the body is out: counted as acked, the stricter count.
      outcome = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') outcome = 'hang';
    }
    if (outcome === 200) this.acked.add(conf);
    this.outcomes.set(conf, outcome);
    this.tally.set(String(outcome), (this.tally.get(String(outcome)) ?? 0) + 1);
    return outcome;
  }
}
