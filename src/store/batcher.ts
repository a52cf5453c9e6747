/** One item's outcome in a batch: items fail alone. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatcherOptions {
  /** Most items in one batch. */
  maxBatch?: number;
  /** false: one item per batch (benchmarks of what batching saves). */
  batching?: boolean;
  /**
   * true: a batch goes at the end of each turn of the event loop that queued something, without
   * waiting for earlier batches to finish (the runner merges what reaches it while busy).
   */
  concurrent?: boolean;
}

interface Pending<I, R> {
  item: I;
  resolve: (v: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: one batch in flight at a time. Items submitted while a batch runs wait and go
 * together in the next; an item submitted while idle waits for the end of the current turn of the
 * event loop, so what arrives in one turn shares a batch. (`concurrent`: a batch per turn, each
 * sent at once.) Each promise settles with its own item's outcome; a batch that throws fails all
 * its items.
 */
export class Batcher<I, R> {
  private queue: Pending<I, R>[] = [];
  private running = false;
  private concurrentRuns = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  /**
   * `run` may settle some items before the batch ends, with `early(index, outcome)` (a writer that
   * commits the batch in parts answers each part as it commits); the rest settle with its result.
   */
  constructor(
    private readonly run: (items: I[], early: (index: number, outcome: Settled<R>) => void) => Promise<Settled<R>[]>,
    private readonly opts: BatcherOptions = {},
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.opts.concurrent) {
        if (!this.scheduled) {
          this.scheduled = true;
          setImmediate(() => {
            this.scheduled = false;
            while (this.queue.length > 0) void this.send(this.queue.splice(0, this.opts.maxBatch ?? 2000));
          });
        }
        return;
      }
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0) + this.concurrentRuns;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.pending === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Fails what is queued and not yet running. */
  failQueued(err: unknown): void {
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  private async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.queue.length > 0) await this.settle(this.queue.splice(0, this.opts.batching === false ? 1 : (this.opts.maxBatch ?? 2000)));
    this.running = false;
    this.wakeIdle();
  }

  private async send(batch: Pending<I, R>[]): Promise<void> {
    this.concurrentRuns++;
    await this.settle(batch);
    this.concurrentRuns--;
    this.wakeIdle();
  }

  private async settle(batch: Pending<I, R>[]): Promise<void> {
    const settled: boolean[] = new Array(batch.length).fill(false);
    const one = (i: number, r: Settled<R> | undefined): void => {
      const p = batch[i];
      if (!p || settled[i]) return;
      settled[i] = true;
      if (r?.ok) p.resolve(r.value);
      else p.reject(r ? r.error : new Error('no result for a batched item'));
    };
    try {
      const results = await this.run(
        batch.map((p) => p.item),
        (i, r) => one(i, r),
      );
      batch.forEach((_, i) => one(i, results[i]));
    } catch (err) {
      batch.forEach((p, i) => {
        if (settled[i]) return;
        settled[i] = true;
        p.reject(err);
      });
    }
  }

  private wakeIdle(): void {
    if (this.pending === 0 && !this.scheduled) for (const w of this.idleWaiters.splice(0)) w();
  }
}
