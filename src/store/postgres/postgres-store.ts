import pg from 'pg';
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
import { inTransaction, type Db } from './db.js';
import { countEventsSince, destinationHealth } from './health.js';
import { ingest, WORK_CHANNEL } from './ingest.js';
import { listenForWork } from './listen.js';
import { migrate } from './migrate.js';
import { connectionConfig, openPool, type PoolOptions } from './open-pool.js';
import { pageEvents } from './page-events.js';
import { purge } from './purge.js';
import * as q from './queries.js';
import { listRejected, pageRejected, recordRejected } from './rejected.js';
import { replay } from './replay.js';
import { getState, purgeState, putStateIfAbsent, setState } from './state.js';
import { storeError } from './store-error.js';

export interface PostgresStoreOptions extends PoolOptions {
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
  /** First reconnect delay of the LISTEN connection (doubles up to 30 s). */
  listenBackoffMs?: number;
}

/**
 * The engine for several replicas: a pg.Pool; each ingest is one transaction (PostgreSQL's
 * default commit is durable, and concurrent commits already share WAL flushes, so there is no
 * group commit here). Workers of all replicas claim from the same tables and wake each other with
 * NOTIFY.
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  private pool: pg.Pool | null;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly listeners = new Set<() => void>();
  private closing: Promise<void> | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly url: string,
    private readonly opts: PostgresStoreOptions = {},
  ) {
    this.pool = openPool(url, opts);
    this.clock = opts.clock ?? systemClock;
  }

  migrate(): Promise<string[]> {
    return this.run((_db, pool) => migrate(pool, undefined, this.opts.schema));
  }

  ingest(event: RelayEvent, deliveries: PlannedDelivery[], opts: { dedupeSince: Date }): Promise<IngestResult> {
    return this.tx((db) => ingest(db, { event, deliveries, dedupeSince: opts.dedupeSince }, this.notifyPayload));
  }

  claim(opts: ClaimOptions): Promise<ClaimedDelivery[]> {
    return this.tx((db) => claim(db, opts));
  }

  succeed(id: string, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'delivered' }, attempt);
  }

  retryLater(id: string, nextAttemptAt: Date, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'pending', nextAttemptAt, error: attempt.error ?? null }, attempt);
  }

  kill(id: string, reason: string, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'dead', error: reason }, attempt);
  }

  defer(id: string, until: Date, claim: number): Promise<void> {
    return this.run(async (db) => void (await defer(db, id, until, claim, this.clock.now())));
  }

  extendLease(id: string, leaseUntil: Date, claim?: number): Promise<boolean> {
    return this.run((db) => extendLease(db, id, leaseUntil, this.clock.now(), claim ?? null));
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
    return this.tx(async (db) => {
      const n = await replay(db, query);
      if (n > 0 && !query.dryRun) await db.query('SELECT pg_notify($1, $2)', [WORK_CHANNEL, this.notifyPayload]);
      return n;
    });
  }

  purge(query: { before: Date; dead?: boolean; delivered?: boolean }): Promise<number> {
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
    return this.run((db) => putStateIfAbsent(db, key, value, this.clock.now()));
  }

  setState(key: string, value: string): Promise<void> {
    return this.run((db) => setState(db, key, value, this.clock.now()));
  }

  purgeState(before: Date): Promise<number> {
    return this.run((db) => purgeState(db, before));
  }

  stats(): Promise<Record<DeliveryStatus, number>> {
    return this.run((db) => q.stats(db));
  }

  async ping(): Promise<void> {
    await this.run((db) => db.query('SELECT 1'));
  }

  /** Calls onWork when any relay on this schema commits new or replayed deliveries (LISTEN/NOTIFY). */
  subscribe(onWork: () => void): () => void {
    if (!this.pool) return () => {};
    const config = connectionConfig(this.url, this.opts);
    const stop = listenForWork({
      newClient: () => new pg.Client(config),
      channel: WORK_CHANNEL,
      payload: this.notifyPayload,
      onWork,
      logger: this.opts.logger,
      minBackoffMs: this.opts.listenBackoffMs,
    });
    const unsubscribe = (): void => {
      this.listeners.delete(unsubscribe);
      stop();
    };
    this.listeners.add(unsubscribe);
    return unsubscribe;
  }

  /** Lets the calls already made finish, then closes every connection. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const pool = this.pool!;
    this.pool = null;
    for (const unsubscribe of [...this.listeners]) unsubscribe();
    this.closing = (async () => {
      await Promise.allSettled([...this.inflight]);
      await pool.end().catch(() => {});
    })();
    return this.closing;
  }

  private get notifyPayload(): string {
    return this.opts.schema ?? '';
  }

  private finish(id: string, c: Completion, attempt: AttemptRecord): Promise<void> {
    return this.run(async (db) => void (await complete(db, id, c, attempt, this.clock.now())));
  }

  private tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.run((_db, pool) => inTransaction(pool, fn));
  }

  /** Every call goes through here: refused once closed, tracked so close() can wait for it, errors mapped. */
  private run<T>(fn: (db: Db, pool: pg.Pool) => Promise<T>): Promise<T> {
    const pool = this.pool;
    if (!pool) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const op = (async () => {
      try {
        return await fn(pool, pool);
      } catch (err) {
        throw storeError(err);
      }
    })();
    this.inflight.add(op);
    const forget = (): boolean => this.inflight.delete(op);
    op.then(forget, forget);
    return op;
  }
}
