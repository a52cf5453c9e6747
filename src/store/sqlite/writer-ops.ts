import type { Database } from 'better-sqlite3';
import type { AttemptRecord } from '../../domain/delivery.js';
import type { ClaimOptions, PurgeQuery, PurgeBatch, RejectedInput, ReplayQuery } from '../store.js';
import { claim } from './claim.js';
import { complete, defer, extendLease, type Completion } from './complete.js';
import { ingest, type IngestItem } from './ingest.js';
import { migrate } from './migrate.js';
import { purgeBatch } from './purge.js';
import { recordRejected } from './rejected.js';
import { replay } from './replay.js';
import { purgeStateBatch, putStateIfAbsent, setState } from './state.js';
import { markWatches, purgeSessionsBatch } from './sessions.js';
import type { WatchMark } from '../../sessions/session-types.js';

/**
 * Everything that writes, as messages to the writer thread. Each op is a plain object (it crosses
 * a MessagePort by structured clone); times are ms since the epoch.
 */
export type WriteOp =
  | { op: 'migrate' }
  | { op: 'ingest'; item: IngestItem }
  | { op: 'claim'; opts: ClaimOptions }
  | { op: 'complete'; id: string; completion: Completion; attempt: AttemptRecord; now: number }
  | { op: 'defer'; id: string; until: number; claim: number; now: number }
  | { op: 'extendLease'; id: string; until: number; now: number; claim: number | null }
  | { op: 'recordRejected'; rejected: RejectedInput; keep: number }
  | { op: 'replay'; query: ReplayQuery; afterSeq: number }
  | { op: 'purge'; query: PurgeQuery; cursor: PurgeBatch['next'] }
  | { op: 'purgeState'; before: Date }
  | { op: 'putStateIfAbsent'; key: string; value: string; now: number }
  | { op: 'setState'; key: string; value: string; now: number }
  | { op: 'markWatches'; marks: WatchMark[]; now: number }
  | { op: 'purgeSessions'; before: number };

/**
 * Ops whose loss in a power failure would lose something EnableX or an admin handed over: they
 * commit with an fsync before anyone is answered. The others are attempt bookkeeping, which a
 * crash may undo at the cost of one more send (see writer-thread.ts).
 */
export const isDurable = (o: WriteOp): boolean => !(o.op === 'claim' || o.op === 'complete' || o.op === 'defer' || o.op === 'extendLease');

/** Claims run after the other ops of their batch, so they see what the batch ingested or finished. */
export const runsLast = (o: WriteOp): boolean => o.op === 'claim';

/** Runs one op on the writer's connection, inside the batch's transaction (migrate: outside any). */
export function runWriteOp(db: Database, o: WriteOp): unknown {
  switch (o.op) {
    case 'migrate':
      return migrate(db);
    case 'ingest':
      return ingest(db, o.item);
    case 'claim':
      return claim(db, o.opts);
    case 'complete':
      return complete(db, o.id, o.completion, o.attempt, o.now);
    case 'defer':
      return defer(db, o.id, o.until, o.claim, o.now);
    case 'extendLease':
      return extendLease(db, o.id, o.until, o.now, o.claim);
    case 'recordRejected':
      return recordRejected(db, o.rejected, o.keep);
    case 'replay':
      return replay(db, o.query, o.afterSeq);
    case 'purge':
      return purgeBatch(db, o.query, o.cursor);
    case 'purgeState':
      return purgeStateBatch(db, o.before);
    case 'putStateIfAbsent':
      return putStateIfAbsent(db, o.key, o.value, o.now);
    case 'setState':
      return setState(db, o.key, o.value, o.now);
    case 'markWatches':
      return markWatches(db, o.marks, o.now);
    case 'purgeSessions':
      return purgeSessionsBatch(db, o.before);
  }
}
