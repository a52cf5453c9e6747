import type { Database } from 'better-sqlite3';
import type { AttemptRecord, ClaimedDelivery, Delivery, DeliveryStatus, PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { StoreUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ClaimOptions, DestinationBacklog, EventQuery, EventSummary, IngestOptions, IngestResult, PurgeBatch, PurgeQuery, RejectedInput, RejectedRecord, ReplayQuery, Store } from '../store.js';
import type { Completion } from './complete.js';
import type { DeadLetter, DeadLetterCursor, DeadLetterGroup, DeadLetterQuery, DestinationHealth, EventCursor, EventPageQuery, Page, RejectedPageQuery } from '../admin-types.js';
import { deadLetterGroups, pageDeadLetters } from './dead-letters.js';
import { countEventsSince } from './health.js';
import { healthFromBacklog } from '../destination-health.js';
import { openSqlite, type SqliteOptions } from './open-sqlite.js';
import { pageEvents } from './page-events.js';
import { prepared } from './prepared.js';
import * as q from './queries.js';
import { listRejected, pageRejected } from './rejected.js';
import { REPLAY_BATCH, replayMatch, replayParams } from './replay.js';
import { getState, STATE_BATCH } from './state.js';
import { storeError } from './store-error.js';
import { SqliteWriter } from './writer-client.js';
import type { WriteOp } from './writer-ops.js';
import type { IngestItem } from './ingest.js';
import { dueWatches, getSession, pageSessions, SESSIONS_PURGE_BATCH } from './sessions.js';
import type { DueWatch, SessionCursor, SessionPageQuery, SessionRecord, SessionSummary, WatchMark } from '../../sessions/session-types.js';

export interface SqliteStoreOptions extends SqliteOptions {
  /** Share commits among everything written in one tick (default). false: one transaction each (benchmarks). */
  groupCommit?: boolean;
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * The embedded engine. Writes go to a worker thread that owns the write connection and commits
 * them in groups; reads (bounded, index-driven) are answered on this thread from a connection of
 * their own, which WAL lets run beside the writer.
 */
export class SqliteStore implements Store {
  readonly claimJoinsIngest = true;
  readonly engine = 'sqlite' as const;
  private reader: Database | null;
  private readonly writer: SqliteWriter;
  private readonly clock: Clock;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    // Opened here first: a path that cannot be opened fails at once, and WAL is set on the file
    // before the writer starts.
    this.reader = openSqlite(path, opts);
    this.clock = opts.clock ?? systemClock;
    this.writer = new SqliteWriter({ path, busyTimeoutMs: opts.busyTimeoutMs, groupCommit: opts.groupCommit, logger: opts.logger });
  }

  migrate(): Promise<string[]> {
    return this.write<string[]>({ op: 'migrate' });
  }

  ingest(event: RelayEvent, deliveries: PlannedDelivery[], opts: IngestOptions): Promise<IngestResult> {
    const item: IngestItem = { event: { ...event, raw: ownBytes(event.raw) }, deliveries, dedupeSince: opts.dedupeSince };
    if (opts.session) item.session = opts.session;
    return this.write({ op: 'ingest', item });
  }

  async claim(opts: ClaimOptions): Promise<ClaimedDelivery[]> {
    if (opts.limit <= 0) return [];
    const claimed = await this.write<ClaimedDelivery[]>({ op: 'claim', opts });
    for (const d of claimed) {
      d.event.raw = toBuffer(d.event.raw);
      lazyBody(d.event);
    }
    return claimed;
  }

  succeed(id: string, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'delivered' }, attempt);
  }

  retryLater(id: string, nextAttemptAt: Date, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'pending', nextAttemptAt: nextAttemptAt.getTime(), error: attempt.error ?? null }, attempt);
  }

  kill(id: string, reason: string, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'dead', error: reason }, attempt);
  }

  async defer(id: string, until: Date, claim: number): Promise<void> {
    await this.write({ op: 'defer', id, until: until.getTime(), claim, now: this.now() });
  }

  extendLease(id: string, leaseUntil: Date, claim?: number): Promise<boolean> {
    return this.write({ op: 'extendLease', id, until: leaseUntil.getTime(), now: this.now(), claim: claim ?? null });
  }

  async recordRejected(r: RejectedInput, keep: number): Promise<void> {
    await this.write({ op: 'recordRejected', rejected: { ...r, raw: ownBytes(r.raw) }, keep });
  }

  async listRejected(limit: number): Promise<RejectedRecord[]> {
    return this.read((db) => listRejected(db, limit));
  }

  async getEvent(id: string): Promise<RelayEvent | null> {
    return this.read((db) => q.getEvent(db, id));
  }

  async listEvents(query: EventQuery): Promise<EventSummary[]> {
    return this.read((db) => q.listEvents(db, query));
  }

  async listDeliveries(eventId: string): Promise<Delivery[]> {
    return this.read((db) => q.listDeliveries(db, eventId));
  }

  async listAttempts(deliveryId: string): Promise<(AttemptRecord & { attempt: number })[]> {
    return this.read((db) => q.listAttempts(db, deliveryId));
  }

  async nextDueAt(after?: Date): Promise<Date | null> {
    return this.read((db) => q.nextDueAt(db, after));
  }

  /** Batch after batch, each its own short commit, so intake goes on between them. */
  async replay(query: ReplayQuery): Promise<number> {
    if (query.dryRun) return this.read((db) => (prepared(db, `SELECT count(*) AS n ${replayMatch(query)}`).get(replayParams(query)) as { n: number }).n);
    let total = 0;
    for (let after = 0; ; ) {
      const { n, lastSeq } = await this.write<{ n: number; lastSeq: number }>({ op: 'replay', query, afterSeq: after });
      total += n;
      if (n < REPLAY_BATCH) return total;
      after = lastSeq;
    }
  }

  async purge(query: PurgeQuery): Promise<number> {
    let total = 0;
    for (let cursor: PurgeBatch['next'] = null; ; ) {
      const batch: PurgeBatch = await this.write<PurgeBatch>({ op: 'purge', query, cursor });
      total += batch.deleted;
      if (!batch.next) return total;
      cursor = batch.next;
    }
  }

  async pageEvents(query: EventPageQuery): Promise<Page<EventSummary, EventCursor>> {
    return this.read((db) => pageEvents(db, query));
  }

  async pageDeadLetters(query: DeadLetterQuery): Promise<Page<DeadLetter, DeadLetterCursor>> {
    return this.read((db) => pageDeadLetters(db, query));
  }

  async deadLetterGroups(query: { destination?: string }): Promise<{ groups: DeadLetterGroup[]; truncated: boolean }> {
    return this.read((db) => deadLetterGroups(db, query));
  }

  async destinationHealth(destinations: string[]): Promise<DestinationHealth[]> {
    return this.read((db) => healthFromBacklog(destinations, q.backlog(db)));
  }

  async countEventsSince(since: Date, cap: number): Promise<number> {
    return this.read((db) => countEventsSince(db, since, cap));
  }

  async pageRejected(query: RejectedPageQuery): Promise<RejectedRecord[]> {
    return this.read((db) => pageRejected(db, query));
  }

  async getState(key: string): Promise<string | null> {
    return this.read((db) => getState(db, key));
  }

  putStateIfAbsent(key: string, value: string): Promise<string> {
    return this.write({ op: 'putStateIfAbsent', key, value, now: this.now() });
  }

  async setState(key: string, value: string): Promise<void> {
    await this.write({ op: 'setState', key, value, now: this.now() });
  }

  async purgeState(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.write<number>({ op: 'purgeState', before });
      total += n;
      if (n < STATE_BATCH) return total;
    }
  }

  async getSession(key: string): Promise<SessionRecord | null> {
    return this.read((db) => getSession(db, key));
  }

  async pageSessions(query: SessionPageQuery): Promise<Page<SessionSummary, SessionCursor>> {
    return this.read((db) => pageSessions(db, query));
  }

  async dueWatches(now: Date, limit: number): Promise<DueWatch[]> {
    return this.read((db) => dueWatches(db, now.getTime(), limit));
  }

  markWatches(marks: WatchMark[], now: Date): Promise<number> {
    if (marks.length === 0) return Promise.resolve(0);
    return this.write({ op: 'markWatches', marks, now: now.getTime() });
  }

  async purgeSessions(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.write<number>({ op: 'purgeSessions', before: before.getTime() });
      total += n;
      if (n < SESSIONS_PURGE_BATCH) return total;
    }
  }

  async stats(): Promise<Record<DeliveryStatus, number>> {
    return this.read((db) => q.stats(db));
  }

  async backlog(): Promise<DestinationBacklog[]> {
    return this.read((db) => q.backlog(db));
  }

  async ping(): Promise<void> {
    this.read((db) => prepared(db, 'SELECT 1').get());
  }

  /** Writes what is still queued, then closes both connections. Idempotent. */
  async close(): Promise<void> {
    if (!this.reader) return;
    const reader = this.reader;
    this.reader = null;
    await this.writer.close();
    reader.close();
  }

  /** For SQLite-specific checks (pragmas); not part of the port. */
  pragma(name: string): unknown {
    return this.read((db) => db.pragma(name, { simple: true }));
  }

  private async finish(id: string, completion: Completion, attempt: AttemptRecord): Promise<void> {
    await this.write({ op: 'complete', id, completion, attempt, now: this.now() });
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private write<T>(op: WriteOp): Promise<T> {
    if (!this.reader) return Promise.reject(closed());
    return this.writer.submit<T>(op);
  }

  private read<T>(fn: (db: Database) => T): T {
    if (!this.reader) throw closed();
    try {
      return fn(this.reader);
    } catch (err) {
      throw storeError(err);
    }
  }
}

const closed = (): StoreUnavailableError => new StoreUnavailableError('the store is closed');

/**
 * The bytes in an ArrayBuffer of their own. A small Buffer is a view of Node's shared 8 KB pool,
 * and posting it to the writer thread would copy the whole pool, not the body.
 */
function ownBytes(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  const copy = new Uint8Array(b);
  return Buffer.from(copy.buffer, 0, copy.byteLength);
}

/** A claimed event's body arrives as its JSON text (claim.ts): parsed on first read, once. */
function lazyBody(e: RelayEvent): void {
  const text = e.body as unknown;
  if (typeof text !== 'string') return;
  let parsed: RelayEvent['body'] | undefined;
  Object.defineProperty(e, 'body', {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= JSON.parse(text) as RelayEvent['body']),
    set: (v: RelayEvent['body']) => void (parsed = v),
  });
}

const toBuffer = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));
