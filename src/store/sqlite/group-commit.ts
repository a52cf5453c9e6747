/**
 * Group commit: work submitted in the same tick is written in ONE transaction (one fsync) on
 * setImmediate, and every caller is answered after that commit. If the shared transaction fails,
 * each item is retried in its own transaction so that one bad item does not fail the others.
 */
export class GroupCommit<I, R> {
  private queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled: NodeJS.Immediate | null = null;

  constructor(
    /** Runs `items` in one transaction, returning one result per item, or throws (all rolled back). */
    private readonly runBatch: (items: I[]) => R[],
    /** Called when a shared batch failed and items are retried one by one. */
    private readonly onBatchError: (err: unknown, size: number) => void = () => {},
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes whatever is queued now (close() calls this rather than waiting for the next tick). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      const results = this.runBatch(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
      return;
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      this.onBatchError(err, batch.length);
    }
    for (const b of batch) {
      try {
        b.resolve(this.runBatch([b.item])[0]!);
      } catch (err) {
        b.reject(err);
      }
    }
  }
}
