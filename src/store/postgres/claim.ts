import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { ClaimOptions } from '../store.js';
import { named, type Db } from './db.js';
import { deliveryFromRow, EVENT_COLUMNS, eventFromRow, type DeliveryRow, type EventRow } from './rows.js';

// Same design as the SQLite engine: only heads of order keys have a due_at, and the claimable
// index holds only what may be claimed. Per destination with claimable rows (a loose index scan:
// one seek each), its earliest due rows, at most its free slots; SKIP LOCKED passes over rows
// another replica is claiming or finishing, and PostgreSQL re-checks the conditions on the
// latest version of each row it locks, so a row claimed meanwhile drops out. No claim ever waits
// for another. $1: the moment (NULL: the database's clock, so replicas whose clocks disagree agree
// on whose lease is live).
export const CLAIM = `
  WITH RECURSIVE dest (name) AS (
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL)
    UNION ALL
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL AND destination > dest.name)
    FROM dest WHERE dest.name IS NOT NULL
  ), t AS (
    SELECT coalesce($1::timestamptz, now()) AS now
  ), wanted AS (
    SELECT name, least($3::int, coalesce(($2::jsonb ->> name)::int, $6::int, $3::int)) AS slots
    FROM dest WHERE name IS NOT NULL AND name <> ALL ($4::text[])
  ), picked AS (
    SELECT c.seq, c.due_at FROM wanted CROSS JOIN t CROSS JOIN LATERAL (
      SELECT d.seq, d.due_at FROM deliveries d
      WHERE d.destination = wanted.name AND d.due_at <= t.now AND (d.status = 'pending' OR d.due_at < t.now)
      ORDER BY d.due_at LIMIT wanted.slots
      FOR UPDATE SKIP LOCKED) c
    ORDER BY c.due_at, c.seq LIMIT $3
  ), claimed AS (
    UPDATE deliveries d
    SET status = 'delivering', lease_until = t.now + $5 * interval '1 millisecond', due_at = t.now + $5 * interval '1 millisecond',
        attempts = d.attempts + 1, claim_seq = d.claim_seq + 1, updated_at = t.now
    FROM picked, t WHERE d.seq = picked.seq
    RETURNING d.*, picked.due_at AS was_due
  )
  SELECT to_json(c) AS delivery, ${EVENT_COLUMNS.split(', ').map((col) => `e.${col} AS e_${col}`).join(', ')}
  FROM claimed c JOIN events e ON e.id = c.event_id
  ORDER BY c.was_due, c.seq`;

type ClaimRow = { delivery: Record<string, unknown> } & Record<string, unknown>;

/** Claims due deliveries in one statement (its own transaction); `now` null: the database's clock. */
export async function claim(db: Db, opts: ClaimOptions, now: Date | null): Promise<ClaimedDelivery[]> {
  if (opts.limit <= 0) return [];
  const { rows } = await db.query<ClaimRow>(named('enx_claim', CLAIM), [
    now,
    JSON.stringify(opts.destinationSlots ?? {}),
    Math.trunc(opts.limit),
    opts.skipDestinations ?? [],
    opts.leaseMs,
    opts.otherSlots ?? null,
  ]);
  return rows.map((r) => {
    const d = deliveryFromJson(r.delivery);
    return { ...deliveryFromRow(d), event: eventFromRow(eventColumns(r)), claim: d.claim_seq };
  });
}

// The delivery comes as one JSON value (its columns would collide with the event's): times as text.
const time = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

function deliveryFromJson(j: Record<string, unknown>): DeliveryRow {
  return {
    ...(j as unknown as DeliveryRow),
    seq: String(j['seq']),
    next_attempt_at: time(j['next_attempt_at']),
    lease_until: time(j['lease_until']),
    due_at: time(j['due_at']),
    created_at: time(j['created_at'])!,
    updated_at: time(j['updated_at'])!,
  };
}

function eventColumns(r: ClaimRow): EventRow {
  const e: Record<string, unknown> = {};
  for (const col of EVENT_COLUMNS.split(', ')) e[col] = r[`e_${col}`];
  return e as unknown as EventRow;
}
