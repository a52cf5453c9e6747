import type { Database } from 'better-sqlite3';
import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { ClaimOptions } from '../store.js';
import { prepared } from './prepared.js';
import { deliveryFromRow, eventFromRow, type DeliveryRow, type EventRow } from './rows.js';

// The destinations that have claimable deliveries, one index seek each (a loose index scan of
// deliveries_claimable): a handful of names, whatever the backlog.
export const CLAIMABLE_DESTINATIONS = `
  WITH RECURSIVE dest (name) AS (
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL)
    UNION ALL
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL AND destination > dest.name)
    FROM dest WHERE dest.name IS NOT NULL)
  SELECT name FROM dest WHERE name IS NOT NULL`;

// Due: pending and its attempt time reached, or delivering with a lease that ran out (its worker
// died or stalled; a lease holds through its last millisecond). Only heads of order keys have a
// due_at, so nothing here waits behind another.
export const DUE_OF_DESTINATION = `
  SELECT * FROM deliveries
  WHERE destination = @destination AND due_at <= @now AND (status = 'pending' OR due_at < @now)
  ORDER BY due_at LIMIT @limit`;

export const MARK = `
  UPDATE deliveries
  SET status = 'delivering', lease_until = @lease, due_at = @lease, attempts = attempts + 1,
      claim_seq = claim_seq + 1, updated_at = @now
  WHERE seq = @seq`;

export const EVENT = 'SELECT * FROM events WHERE id = ?';

/**
 * The event as it crosses to the main thread: its body stays the JSON text it is stored as (see
 * lazyBody in sqlite-store.ts). Most sends never read it (an HTTP `body: original` sends `raw`),
 * and parsing it here only to copy the object across would cost both threads.
 */
function wireEvent(row: EventRow): ReturnType<typeof eventFromRow> {
  const e = eventFromRow({ ...row, body: '{}' });
  (e as { body: unknown }).body = row.body;
  return e;
}

/**
 * Claims due deliveries, earliest due first, at most `destinationSlots[d]` (else `otherSlots`) of each destination
 * and `limit` in all. Reads only the rows it may claim: per destination the first due rows of
 * the claimable index. Runs inside the writer's transaction, so the claim commits (and survives a
 * crash) before anything is sent.
 */
export function claim(db: Database, opts: ClaimOptions): ClaimedDelivery[] {
  if (opts.limit <= 0) return [];
  const now = opts.now.getTime();
  const lease = now + opts.leaseMs;
  const skip = new Set(opts.skipDestinations ?? []);
  const due = prepared(db, DUE_OF_DESTINATION);
  let candidates: DeliveryRow[] = [];
  for (const { name } of prepared(db, CLAIMABLE_DESTINATIONS).all() as { name: string }[]) {
    if (skip.has(name)) continue;
    const slots = Math.min(opts.limit, opts.destinationSlots?.[name] ?? opts.otherSlots ?? opts.limit);
    if (slots > 0) candidates = candidates.concat(due.all({ destination: name, now, limit: slots }) as DeliveryRow[]);
  }
  candidates.sort((a, b) => a.due_at! - b.due_at! || a.seq - b.seq);
  const mark = prepared(db, MARK);
  const event = prepared(db, EVENT);
  const events = new Map<string, ReturnType<typeof eventFromRow>>();
  return candidates.slice(0, opts.limit).map((r): ClaimedDelivery => {
    mark.run({ lease, now, seq: r.seq });
    let e = events.get(r.event_id);
    if (!e) events.set(r.event_id, (e = wireEvent(event.get(r.event_id) as EventRow)));
    const claimed = { ...r, status: 'delivering' as const, lease_until: lease, attempts: r.attempts + 1, claim_seq: r.claim_seq + 1, updated_at: now };
    return { ...deliveryFromRow(claimed), event: e, claim: claimed.claim_seq };
  });
}
