import { StoreUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { Batcher, type Settled } from '../batcher.js';
import { storeError } from './store-error.js';
import { writerHost } from './writer-host.js';
import type { WriteOp } from './writer-ops.js';
import type { FromWriter, SerializedError } from './writer-protocol.js';

export interface WriterOptions {
  path: string;
  busyTimeoutMs?: number;
  /** false: one op per transaction (benchmarks of what group commit saves). */
  groupCommit?: boolean;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * One store's side of the writer thread: group commit (Batcher) across everything the store
 * writes, ingests, claims and attempt results alike. Each promise settles once the commit that
 * holds its op is durable.
 */
export class SqliteWriter {
  private readonly handle: number;
  private readonly batcher: Batcher<WriteOp, unknown>;
  private opened: Promise<void>;
  private markOpened!: (err?: unknown) => void;
  private inflight: { id: number; done: (m: Settled<unknown>[] | Error) => void } | null = null;
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private whenClosed: (() => void) | null = null;

  constructor(private readonly opts: WriterOptions) {
    this.opened = this.waitForOpen();
    this.batcher = new Batcher((ops) => this.runBatch(ops), { batching: opts.groupCommit !== false });
    this.handle = writerHost.register({
      database: { path: opts.path, busyTimeoutMs: opts.busyTimeoutMs },
      onOpened: (error) => this.markOpened(error ? storeError(revive(error)) : undefined),
      onDone: (m) => this.onDone(m),
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

  private async runBatch(ops: WriteOp[]): Promise<Settled<unknown>[]> {
    await this.opened;
    const id = this.nextId++;
    const reply = await new Promise<Settled<unknown>[] | Error>((done) => {
      this.inflight = { id, done };
      writerHost.post({ kind: 'batch', handle: this.handle, id, ops });
    });
    this.inflight = null;
    if (this.batcher.pending <= 1) writerHost.setBusy(this.handle, false);
    if (reply instanceof Error) throw reply;
    return reply;
  }

  private onDone(m: FromWriter & { kind: 'done' }): void {
    if (this.inflight?.id !== m.id) return;
    this.inflight.done(m.results.map((r) => (r.ok ? r : { ok: false, error: storeError(revive(r.error)) })));
  }

  private onThreadLost(): void {
    if (!this.closing) this.opts.logger?.warn({ inflight: !!this.inflight }, 'the SQLite writer thread stopped; starting another');
    // The next batch waits for the new thread to reopen the database.
    this.opened = this.waitForOpen();
    // Committed or not, nobody can tell: callers get 503 and EnableX sends again (dedupe).
    this.inflight?.done(new StoreUnavailableError('the SQLite writer stopped during a commit'));
    this.whenClosed?.();
  }

  private waitForOpen(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => (this.markOpened = (err) => (err ? reject(err) : resolve())));
    p.catch(() => {}); // observed by the batches that await it
    return p;
  }
}

function revive(e: SerializedError): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  return err;
}
