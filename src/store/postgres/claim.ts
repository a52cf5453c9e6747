import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { ClaimOptions } from '../store.js';
import { LOCK, lockOnSchema, type Db } from './db.js';
import { deliveryFromRow, eventFromRow, type DeliveryRow, type EventRow } from './rows.js';

const DUE = `((d.status = 'pending' AND d.next_attempt_at <= $1) OR (d.status = 'delivering' AND d.lease_until < $1))`;

// Same semantics as the SQLite engine: due (pending and next_attempt_at reached, or a lease that
// ran out); ordered (only the earliest unfinished delivery of an order_key is a candidate, so at
// most one per key per call); free slots per destination; `limit`. One addition for replicas: a
// delivery also waits while another of its key is held under a live lease, which covers an ingest
// whose earlier seq committed after a later one had already been claimed.
// DUE is repeated on the locking level because PostgreSQL re-checks only that level's conditions
// on a row changed since the snapshot: a row another relay claimed meanwhile drops out.
const CLAIM = `
  WITH ranked AS (
    SELECT d.seq, d.destination,
      CASE d.status WHEN 'pending' THEN d.next_attempt_at ELSE d.lease_until END AS due_at,
      row_number() OVER (PARTITION BY d.destination
        ORDER BY CASE d.status WHEN 'pending' THEN d.next_attempt_at ELSE d.lease_until END, d.seq) AS nth
    FROM deliveries d
    WHERE ${DUE}
      AND d.destination <> ALL ($2::text[])
      AND (d.order_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM deliveries e
        WHERE e.order_key = d.order_key AND e.seq <> d.seq
          AND ((e.seq < d.seq AND e.status IN ('pending', 'delivering'))
            OR (e.status = 'delivering' AND e.lease_until >= $1))))
  ), picked AS (
    SELECT d.seq, r.due_at FROM deliveries d JOIN ranked r ON r.seq = d.seq
    WHERE r.nth <= COALESCE(($3::jsonb ->> r.destination)::int, $4) AND ${DUE}
    ORDER BY r.due_at, r.seq
    LIMIT $4
    FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE deliveries d SET status = 'delivering', lease_until = $5, attempts = d.attempts + 1, claim_seq = d.claim_seq + 1, updated_at = $1
  FROM picked WHERE d.seq = picked.seq
  RETURNING d.*, picked.due_at AS due_at`;

const EVENTS = 'SELECT * FROM events WHERE id = ANY ($1::text[])';

/**
 * Claims due deliveries; runs inside the caller's transaction.
 *
 * Claims of all relays on one schema take turns under a transaction-level advisory lock. SKIP
 * LOCKED alone keeps two relays from taking the same row, but the orderKey check reads OTHER rows
 * (the earlier deliveries of the key) from each claim's own snapshot, which PostgreSQL never
 * re-checks after a lock wait; two overlapping claims could each see a different delivery of one
 * key as the next. Taking turns (a claim lasts milliseconds) means each claim's snapshot includes
 * every earlier claim's commit. SKIP LOCKED still keeps a claim from waiting on rows a finishing
 * worker or a replay is updating.
 */
export async function claim(db: Db, opts: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (opts.limit <= 0) return [];
  await db.query(lockOnSchema(LOCK.claim));
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const { rows } = await db.query<DeliveryRow & { due_at: Date }>(CLAIM, [
    opts.now,
    opts.skipDestinations ?? [],
    JSON.stringify(opts.destinationSlots ?? {}),
    Math.trunc(opts.limit),
    leaseUntil,
  ]);
  if (rows.length === 0) return [];
  rows.sort((a, b) => a.due_at.getTime() - b.due_at.getTime() || Number(a.seq) - Number(b.seq));
  const events = await db.query<EventRow>(EVENTS, [[...new Set(rows.map((r) => r.event_id))]]);
  const byId = new Map(events.rows.map((r) => [r.id, eventFromRow(r)]));
  return rows.map((r) => ({ ...deliveryFromRow(r), event: byId.get(r.event_id)!, claim: r.claim_seq }));
}
