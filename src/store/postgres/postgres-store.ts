import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import { runAgainIfRolledBack } from './run-again.js';
import type { AttemptRecord, ClaimedDelivery, Delivery, DeliveryStatus, PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { StoreUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { Batcher } from '../batcher.js';
import type { ClaimOptions, DestinationBacklog, EventQuery, EventSummary, IngestOptions, IngestResult, PurgeBatch, PurgeQuery, RejectedInput, RejectedRecord, ReplayQuery, Store } from '../store.js';
import { claim } from './claim.js';
import { completeBatch, defer, extendLease, PROMOTE, type Completion, type Finish, type When } from './complete.js';
import type { DeadLetter, DeadLetterCursor, DeadLetterGroup, DeadLetterQuery, DestinationHealth, EventCursor, EventPageQuery, Page, RejectedPageQuery } from '../admin-types.js';
import { deadLetterGroups, pageDeadLetters } from './dead-letters.js';
import { inTransaction, type Db } from './db.js';
import { countEventsSince } from './health.js';
import { destinationRecords, observeDestinations, transitionDestination } from './destination-health.js';
import type { DestinationHealthRecord, DestinationObservation, HealthTransition } from '../health-records.js';
import { healthFromBacklog } from '../destination-health.js';
import { ingest, WORK_CHANNEL } from './ingest.js';
import { listenForWork } from './listen.js';
import { maintain } from './maintenance.js';
import { migrate } from './migrate.js';
import { connectionConfig, openPool, type PoolOptions } from './open-pool.js';
import { pageEvents } from './page-events.js';
import { purgeBatch } from './purge.js';
import * as q from './queries.js';
import { listRejected, pageRejected, recordRejected } from './rejected.js';
import { countReplay, REPLAY_BATCH, replayBatch } from './replay.js';
import { getState, purgeStateBatch, putStateIfAbsent, setState, STATE_BATCH } from './state.js';
import { storeError } from './store-error.js';
import { dueWatches, getSession, markWatches, pageSessions, purgeSessionsBatch, SESSIONS_PURGE_BATCH } from './sessions.js';
import type { DueWatch, SessionCursor, SessionPageQuery, SessionRecord, SessionSummary, WatchMark } from '../../sessions/session-types.js';

export interface PostgresStoreOptions extends PoolOptions {
  /**
   * Where lease and due times come from. Absent (production): the database's now(), so replicas
   * whose clocks disagree never take over a live claim. Given (tests): this clock and the times
   * the worker passes, on one fixed timeline.
   */
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
  /** First reconnect delay of the LISTEN connection (doubles up to 30 s). */
  listenBackoffMs?: number;
}

/**
 * The engine for several replicas: a pg.Pool. An ingest is one statement (one round trip, its own
 * durable commit; concurrent commits share WAL flushes); a claim is one statement; attempt
 * results are batched, one transaction per batch. Workers of all replicas claim from the same
 * tables and wake each other with NOTIFY.
 */
export class PostgresStore implements Store {
  readonly claimJoinsIngest = false;
  readonly engine = 'postgres' as const;
  private pool: pg.Pool | null;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly listeners = new Set<() => void>();
  private closing: Promise<void> | null = null;
  /** Null: the database's clock (see PostgresStoreOptions.clock). */
  private readonly clock: Clock | null;
  private readonly results: Batcher<Finish, boolean>;

  constructor(
    private readonly url: string,
    private readonly opts: PostgresStoreOptions = {},
  ) {
    this.pool = openPool(url, opts);
    this.clock = opts.clock ?? null;
    this.results = new Batcher((batch) => this.tx((db) => completeBatch(db, batch, this.moment())));
  }

  migrate(): Promise<string[]> {
    return this.run((_db, pool) => migrate(pool, undefined, this.opts.schema));
  }

  ingest(event: RelayEvent, deliveries: PlannedDelivery[], opts: IngestOptions): Promise<IngestResult> {
    // On the relay's clock a delivery is due at its arrival; on the database's, at the commit.
    const due = this.clock ? new Date(event.receivedAt) : null;
    const item = { event, deliveries, dedupeSince: opts.dedupeSince, session: opts.session };
    // One statement: with a session touch it locks the session row, then watch rows, an order
    // the watchdog's marks may cross. A deadlock rolls all of it back, and it is run again.
    return this.run((db) => runAgainIfRolledBack(() => ingest(db, item, this.notifyPayload, due)));
  }

  claim(opts: ClaimOptions): Promise<ClaimedDelivery[]> {
    return this.run((db) => claim(db, opts, this.clock ? opts.now : null));
  }

  succeed(id: string, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'delivered' }, attempt);
  }

  retryLater(id: string, nextAttemptAt: Date, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'pending', next: this.when(nextAttemptAt), error: attempt.error ?? null }, attempt);
  }

  kill(id: string, reason: string, attempt: AttemptRecord): Promise<void> {
    return this.finish(id, { status: 'dead', error: reason }, attempt);
  }

  defer(id: string, until: Date, claim: number): Promise<void> {
    return this.run(async (db) => void (await defer(db, id, this.when(until), claim, this.moment())));
  }

  extendLease(id: string, leaseUntil: Date, claim?: number): Promise<boolean> {
    return this.run((db) => extendLease(db, id, this.when(leaseUntil), this.moment(), claim ?? null));
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

  /** On the database's clock, its answer is moved onto the relay's: the worker sleeps by its own. */
  async nextDueAt(after?: Date): Promise<Date | null> {
    const asked = Date.now();
    const bound = after === undefined ? { at: null, inMs: null } : this.clock ? { at: after, inMs: null } : { at: null, inMs: after.getTime() - asked };
    const { t, dbNow } = await this.run((db) => q.nextDueAt(db, bound));
    if (!t || this.clock) return t;
    return new Date(asked + (t.getTime() - dbNow.getTime()));
  }

  /** Batch after batch, each its own short transaction; then one NOTIFY wakes every worker. */
  async replay(query: ReplayQuery): Promise<number> {
    if (query.dryRun) return this.run((db) => countReplay(db, query));
    const now = this.clock ? query.now : null;
    let total = 0;
    for (let after = '0'; ; ) {
      const { n, lastSeq } = await this.tx((db) => replayBatch(db, query, after, now, async (keys) => void (await db.query(PROMOTE, [keys, now]))));
      total += n;
      after = lastSeq;
      if (n < REPLAY_BATCH) break;
    }
    if (total > 0) await this.run((db) => db.query('SELECT pg_notify($1, $2)', [WORK_CHANNEL, this.notifyPayload]));
    return total;
  }

  async purge(query: PurgeQuery): Promise<number> {
    let total = 0;
    for (let cursor: PurgeBatch['next'] = null; ; ) {
      // In a transaction that is run again on a deadlock: a batch locks the deliveries of the
      // events it deletes, which a replay on another replica may be locking in another order.
      const batch: PurgeBatch = await this.tx((db) => purgeBatch(db, query, cursor));
      total += batch.deleted;
      if (!batch.next) break;
      cursor = batch.next;
    }
    if (!query.dryRun) await this.run((db) => maintain(db, query.before));
    return total;
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
    return this.run(async (db) => healthFromBacklog(destinations, await q.backlog(db)));
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
    return this.run((db) => putStateIfAbsent(db, key, value, this.moment()));
  }

  setState(key: string, value: string): Promise<void> {
    return this.run((db) => setState(db, key, value, this.moment()));
  }

  async purgeState(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.run((db) => purgeStateBatch(db, before));
      total += n;
      if (n < STATE_BATCH) return total;
    }
  }

  observeDestinations(observations: DestinationObservation[]): Promise<void> {
    return this.run((db) => observeDestinations(db, observations));
  }

  destinationRecords(destinations: string[]): Promise<DestinationHealthRecord[]> {
    return this.run((db) => destinationRecords(db, destinations));
  }

  transitionDestination(transition: HealthTransition): Promise<boolean> {
    return this.run((db) => transitionDestination(db, transition));
  }

  getSession(key: string): Promise<SessionRecord | null> {
    return this.run((db) => getSession(db, key));
  }

  pageSessions(query: SessionPageQuery): Promise<Page<SessionSummary, SessionCursor>> {
    return this.run((db) => pageSessions(db, query));
  }

  /**
   * On the relay's clock, always: due times are an event's arrival (the relay's clock) plus the
   * expectation's `within`, so they are compared with the same clock.
   */
  dueWatches(now: Date, limit: number): Promise<DueWatch[]> {
    return this.run((db) => dueWatches(db, now, limit));
  }

  markWatches(marks: WatchMark[], now: Date): Promise<number> {
    if (marks.length === 0) return Promise.resolve(0);
    return this.tx((db) => markWatches(db, marks, now));
  }

  async purgeSessions(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const { deleted, seen } = await this.run((db) => purgeSessionsBatch(db, before));
      total += deleted;
      if (seen < SESSIONS_PURGE_BATCH) return total;
    }
  }

  stats(): Promise<Record<DeliveryStatus, number>> {
    return this.run((db) => q.stats(db));
  }

  backlog(): Promise<DestinationBacklog[]> {
    return this.run((db) => q.backlog(db));
  }

  async ping(): Promise<void> {
    await this.run((db) => db.query('SELECT 1'));
  }

  /** Calls onWork when any relay on this schema commits new or replayed deliveries (LISTEN/NOTIFY). */
  subscribe(onWork: () => void): () => void {
    if (!this.pool) return () => {};
    const config = connectionConfig(this.url, this.opts);
    const stop = listenForWork({
      newClient: () => new (pgDriver().Client)(config),
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
      await this.results.idle();
      await Promise.allSettled([...this.inflight]);
      await pool.end().catch(() => {});
    })();
    return this.closing;
  }

  private get notifyPayload(): string {
    return this.opts.schema ?? '';
  }

  /** Results share transactions (Batcher): one per batch, whatever the number of workers. */
  private async finish(id: string, completion: Completion, attempt: AttemptRecord): Promise<void> {
    if (!this.pool) throw new StoreUnavailableError('the store is closed');
    await this.results.submit({ id, completion, attempt });
  }

  /** The moment for SQL: the relay's clock, or null for the database's now(). */
  private moment(): Date | null {
    return this.clock ? this.clock.now() : null;
  }

  /** A time the worker computed on its clock, as the database should take it. */
  private when(t: Date): When {
    return this.clock ? { at: t, inMs: null } : { at: null, inMs: t.getTime() - systemClock.now().getTime() };
  }

  /**
   * One transaction. A deadlock or serialization failure (a replay and a batch of results taking
   * the same rows in another order) rolled it back whole: it is run again, a few times.
   */
  private tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.run((_db, pool) => runAgainIfRolledBack(() => inTransaction(pool, fn)));
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
