import type { Database } from 'better-sqlite3';
import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { ClaimOptions } from '../store.js';
import { prepared } from './prepared.js';
import { deliveryFromRow, eventFromRow, type DeliveryRow, type EventRow } from './rows.js';

// Due: pending and next_attempt_at reached, or delivering with a lease that has run out (its
// worker died or stalled). Ordered: claimable only when no earlier delivery of the same order_key
// is unfinished, so the earliest unfinished one of each key is the only candidate (one per key
// per call); an expired lease is itself that earliest one, and so is taken over.
const CANDIDATES = `
  SELECT * FROM (
    SELECT d.*,
      CASE d.status WHEN 'pending' THEN d.next_attempt_at ELSE d.lease_until END AS due_at,
      ROW_NUMBER() OVER (PARTITION BY d.destination
        ORDER BY CASE d.status WHEN 'pending' THEN d.next_attempt_at ELSE d.lease_until END, d.seq) AS nth
    FROM deliveries d
    WHERE ((d.status = 'pending' AND d.next_attempt_at <= @now)
        OR (d.status = 'delivering' AND d.lease_until < @now))
      AND d.destination NOT IN (SELECT value FROM json_each(@skip))
      AND (d.order_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM deliveries e
        WHERE e.order_key = d.order_key AND e.seq < d.seq AND e.status IN ('pending', 'delivering')))
  )
  -- A destination's free slots bound how many of its deliveries one call takes.
  WHERE nth <= COALESCE((SELECT value FROM json_each(@caps) WHERE key = destination), @limit)
  ORDER BY due_at, seq
  LIMIT @limit`;

const MARK = `
  UPDATE deliveries SET status = 'delivering', lease_until = ?, attempts = attempts + 1, claim_seq = claim_seq + 1, updated_at = ?
  WHERE id = ?`;

const EVENT = 'SELECT * FROM events WHERE id = ?';

/** Claims due deliveries in one IMMEDIATE transaction, so two processes never take the same one. */
export function claim(db: Database, opts: ClaimOptions): ClaimedDelivery[] {
  if (opts.limit <= 0) return [];
  const now = opts.now.getTime();
  const leaseUntil = now + opts.leaseMs;
  return db
    .transaction(() => {
      const rows = prepared(db, CANDIDATES).all({ now, skip: JSON.stringify(opts.skipDestinations ?? []), caps: JSON.stringify(opts.destinationSlots ?? {}), limit: opts.limit }) as DeliveryRow[];
      const mark = prepared(db, MARK);
      const events = new Map<string, ReturnType<typeof eventFromRow>>();
      return rows.map((r): ClaimedDelivery => {
        mark.run(leaseUntil, now, r.id);
        let event = events.get(r.event_id);
        if (!event) events.set(r.event_id, (event = eventFromRow(prepared(db, EVENT).get(r.event_id) as EventRow)));
        const claimed = { ...r, status: 'delivering' as const, lease_until: leaseUntil, attempts: r.attempts + 1, claim_seq: r.claim_seq + 1, updated_at: now };
        return { ...deliveryFromRow(claimed), event, claim: claimed.claim_seq };
      });
    })
    .immediate();
}
