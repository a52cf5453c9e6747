import { StoreUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { Batcher, type Settled } from '../batcher.js';
import { storeError } from './store-error.js';
import { writerHost } from './writer-host.js';
import type { WriteOp } from './writer-ops.js';
import type { FromWriter, SerializedError, WriterResult } from './writer-protocol.js';

export interface WriterOptions {
  path: string;
  busyTimeoutMs?: number;
  /** false: one op per transaction (benchmarks of what group commit saves). */
  groupCommit?: boolean;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * One store's side of the writer thread. What the store writes in one turn of the event loop
 * (ingests, claims, attempt results alike) is posted as one batch at the end of that turn,
 * without waiting for earlier batches: the writer commits every batch that reached it while it
 * was busy together (writer-thread.ts). Each promise settles once the commit that holds its op is
 * durable.
 */
export class SqliteWriter {
  private readonly handle: number;
  private readonly batcher: Batcher<WriteOp, unknown>;
  private opened: Promise<void>;
  private markOpened!: (err?: unknown) => void;
  /** Whether `opened` has settled (false: batches are waiting for a thread to open the database). */
  private openSettled = false;
  private readonly inflight = new Map<number, { done: (m: Settled<unknown>[] | Error) => void; early: (index: number, outcome: Settled<unknown>) => void }>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private whenClosed: (() => void) | null = null;

  constructor(private readonly opts: WriterOptions) {
    this.opened = this.waitForOpen();
    // groupCommit false (benchmarks): one op per batch, one batch at a time.
    this.batcher = new Batcher((ops, early) => this.runBatch(ops, early), opts.groupCommit === false ? { batching: false } : { concurrent: true });
    this.handle = writerHost.register({
      database: { path: opts.path, busyTimeoutMs: opts.busyTimeoutMs },
      onOpened: (error) => this.markOpened(error ? storeError(revive(error)) : undefined),
      onDone: (m) => this.onDone(m),
      onEarly: (m) => this.onEarly(m),
      onClosed: () => this.whenClosed?.(),
      onThreadLost: () => this.onThreadLost(),
    });
  }

  submit<T>(op: WriteOp): Promise<T> {
    if (this.closing) return Promise.reject(new StoreUnavailableError('the store is closed'));
    writerHost.setBusy(this.handle, true);
    return this.batcher.submit(op) as Promise<T>;
  }

  /** Writes what is queued, then closes the connection. Idempotent. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await this.batcher.idle();
      const open = await this.opened.then(
        () => true,
        () => false,
      );
      if (open) {
        const closed = new Promise<void>((r) => (this.whenClosed = r));
        writerHost.setBusy(this.handle, true);
        writerHost.post({ kind: 'close', handle: this.handle });
        await closed;
      }
      writerHost.unregister(this.handle);
    })());
  }

  private async runBatch(ops: WriteOp[], early: (index: number, outcome: Settled<unknown>) => void): Promise<Settled<unknown>[]> {
    await this.opened;
    const id = this.nextId++;
    const reply = await new Promise<Settled<unknown>[] | Error>((done) => {
      this.inflight.set(id, { done, early });
      writerHost.post({ kind: 'batch', handle: this.handle, id, ops });
    });
    this.inflight.delete(id);
    if (this.batcher.pending <= 1) writerHost.setBusy(this.handle, false);
    if (reply instanceof Error) throw reply;
    return reply;
  }

  private onDone(m: FromWriter & { kind: 'done' }): void {
    this.inflight.get(m.id)?.done(m.results.map(settledOf));
  }

  /** The durable ops of a batch have committed: their callers go on before its bookkeeping commits. */
  private onEarly(m: FromWriter & { kind: 'early' }): void {
    const batch = this.inflight.get(m.id);
    if (batch) for (const [i, r] of m.results) batch.early(i, settledOf(r));
  }

  private onThreadLost(): void {
    if (!this.closing) this.opts.logger?.warn({ inflight: this.inflight.size }, 'the SQLite writer thread stopped; starting another');
    // The next batch waits for the new thread to reopen the database. If the thread that died had
    // not opened it yet, batches already wait on `opened`: it stays, for the next thread to settle.
    if (this.openSettled) this.opened = this.waitForOpen();
    // Committed or not, nobody can tell: callers get 503 and EnableX sends again (dedupe).
    for (const { done } of this.inflight.values()) done(new StoreUnavailableError('the SQLite writer stopped during a commit'));
    this.whenClosed?.();
  }

  private waitForOpen(): Promise<void> {
    this.openSettled = false;
    const p = new Promise<void>(
      (resolve, reject) =>
        (this.markOpened = (err) => {
          this.openSettled = true;
          if (err) reject(err);
          else resolve();
        }),
    );
    p.catch(() => {}); // observed by the batches that await it
    return p;
  }
}

const settledOf = (r: WriterResult): Settled<unknown> => (r.ok ? r : { ok: false, error: storeError(revive(r.error)) });

function revive(e: SerializedError): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  return err;
}
