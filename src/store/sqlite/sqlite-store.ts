import type { Database } from 'better-sqlite3';
import type { AttemptRecord, ClaimedDelivery, Delivery, DeliveryStatus, PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { StoreUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ClaimOptions, EventQuery, EventSummary, IngestResult, RejectedInput, RejectedRecord, ReplayQuery, Store } from '../store.js';
import type { DeadLetter, DeadLetterCursor, DeadLetterGroup, DeadLetterQuery, DestinationHealth, EventCursor, EventPageQuery, Page, RejectedPageQuery } from '../admin-types.js';
import { claim } from './claim.js';
import { complete, defer, extendLease, type Completion } from './complete.js';
import { deadLetterGroups, pageDeadLetters } from './dead-letters.js';
import { GroupCommit } from './group-commit.js';
import { countEventsSince, destinationHealth } from './health.js';
import { ingest, type IngestItem } from './ingest.js';
import { migrate } from './migrate.js';
import { openSqlite, type SqliteOptions } from './open-sqlite.js';
import { pageEvents } from './page-events.js';
import { prepared } from './prepared.js';
import { purge } from './purge.js';
import * as q from './queries.js';
import { listRejected, pageRejected, recordRejected } from './rejected.js';
import { replay } from './replay.js';
import { getState, purgeState, putStateIfAbsent, setState } from './state.js';
import { storeError } from './store-error.js';

export interface SqliteStoreOptions extends SqliteOptions {
  /** Share one commit among the ingests of one tick (default). false: one transaction each (benchmarks). */
  groupCommit?: boolean;
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
}

/** The embedded engine: one better-sqlite3 connection; every method answers from it synchronously. */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private db: Database | null;
  private readonly batcher: GroupCommit<IngestItem, IngestResult> | null;
  private readonly clock: Clock;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.db = openSqlite(path, opts);
    this.clock = opts.clock ?? systemClock;
    this.batcher =
      opts.groupCommit === false
        ? null
        : new GroupCommit(
            (items) => this.use((db) => db.transaction(() => items.map((i) => ingest(db, i))).immediate()),
            (err, size) => opts.logger?.warn({ err, size }, 'group commit failed; writing its ingests one by one'),
          );
  }

  async migrate(): Promise<string[]> {
    return this.use((db) => migrate(db));
  }

  ingest(event: RelayEvent, deliveries: PlannedDelivery[], opts: { dedupeSince: Date }): Promise<IngestResult> {
    const item = { event, deliveries, dedupeSince: opts.dedupeSince };
    if (!this.db) return Promise.reject(closed());
    if (this.batcher) return this.batcher.submit(item);
    return this.run((db) => db.transaction(() => ingest(db, item)).immediate());
  }

  claim(opts: ClaimOptions): Promise<ClaimedDelivery[]> {
    return this.run((db) => claim(db, opts));
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

  defer(id: string, until: Date, claim: number): Promise<void> {
    return this.run((db) => void defer(db, id, until.getTime(), claim, this.now()));
  }

  extendLease(id: string, leaseUntil: Date, claim?: number): Promise<boolean> {
    return this.run((db) => extendLease(db, id, leaseUntil.getTime(), this.now(), claim ?? null));
  }

  recordRejected(r: RejectedInput, keep: number): Promise<void> {
    return this.run((db) => recordRejected(db, r, keep));
  }

  listRejected(limit: number): Promise<RejectedRecord[]> {
    return this.run((db) => listRejected(db, limit));
  }

  getEvent(id: string): Promise<RelayEvent | null> {
    return this.run((db) => q.getEvent(db, id));
  }

  listEvents(query: EventQuery): Promise<EventSummary[]> {
    return this.run((db) => q.listEvents(db, query));
  }

  listDeliveries(eventId: string): Promise<Delivery[]> {
    return this.run((db) => q.listDeliveries(db, eventId));
  }

  listAttempts(deliveryId: string): Promise<(AttemptRecord & { attempt: number })[]> {
    return this.run((db) => q.listAttempts(db, deliveryId));
  }

  nextDueAt(after?: Date): Promise<Date | null> {
    return this.run((db) => q.nextDueAt(db, after));
  }

  replay(query: ReplayQuery): Promise<number> {
    return this.run((db) => replay(db, query));
  }

  purge(query: { before: Date; dead?: boolean; delivered?: boolean; dryRun?: boolean }): Promise<number> {
    return this.run((db) => purge(db, query));
  }

  pageEvents(query: EventPageQuery): Promise<Page<EventSummary, EventCursor>> {
    return this.run((db) => pageEvents(db, query));
  }

  pageDeadLetters(query: DeadLetterQuery): Promise<Page<DeadLetter, DeadLetterCursor>> {
    return this.run((db) => pageDeadLetters(db, query));
  }

  deadLetterGroups(query: { destination?: string }): Promise<{ groups: DeadLetterGroup[]; truncated: boolean }> {
    return this.run((db) => deadLetterGroups(db, query));
  }

  destinationHealth(destinations: string[]): Promise<DestinationHealth[]> {
    return this.run((db) => destinationHealth(db, destinations));
  }

  countEventsSince(since: Date, cap: number): Promise<number> {
    return this.run((db) => countEventsSince(db, since, cap));
  }

  pageRejected(query: RejectedPageQuery): Promise<RejectedRecord[]> {
    return this.run((db) => pageRejected(db, query));
  }

  getState(key: string): Promise<string | null> {
    return this.run((db) => getState(db, key));
  }

  putStateIfAbsent(key: string, value: string): Promise<string> {
    return this.run((db) => putStateIfAbsent(db, key, value, this.now()));
  }

  setState(key: string, value: string): Promise<void> {
    return this.run((db) => setState(db, key, value, this.now()));
  }

  purgeState(before: Date): Promise<number> {
    return this.run((db) => purgeState(db, before));
  }

  stats(): Promise<Record<DeliveryStatus, number>> {
    return this.run((db) => q.stats(db));
  }

  ping(): Promise<void> {
    return this.run((db) => void prepared(db, 'SELECT 1').get());
  }

  /** Writes the ingests still queued for the group commit, then closes. Idempotent. */
  async close(): Promise<void> {
    if (!this.db) return;
    this.batcher?.flush();
    const db = this.db;
    this.db = null;
    db.close();
  }

  /** For SQLite-specific checks (pragmas); not part of the port. */
  pragma(name: string): unknown {
    return this.use((db) => db.pragma(name, { simple: true }));
  }

  private finish(id: string, c: Completion, attempt: AttemptRecord): Promise<void> {
    return this.run((db) => void complete(db, id, c, attempt, this.now()));
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private use<T>(fn: (db: Database) => T): T {
    if (!this.db) throw closed();
    try {
      return fn(this.db);
    } catch (err) {
      throw storeError(err);
    }
  }

  private async run<T>(fn: (db: Database) => T): Promise<T> {
    return this.use(fn);
  }
}

const closed = (): StoreUnavailableError => new StoreUnavailableError('the store is closed');
