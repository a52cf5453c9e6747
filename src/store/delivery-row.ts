import type { Delivery, DeliveryStatus } from '../domain/delivery.js';

/** The deliveries table's columns as either engine reads them: times as ms (SQLite) or Date (PostgreSQL). */
export interface DeliveryColumns {
  id: string;
  event_id: string;
  destination: string;
  route: string | null;
  order_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | Date | null;
  lease_until: number | Date | null;
  last_error: string | null;
  created_at: number | Date;
  updated_at: number | Date;
}

const iso = (t: number | Date): string => new Date(t).toISOString();
const isoOrNull = (t: number | Date | null): string | null => (t === null ? null : iso(t));

/** A deliveries row in the domain's terms (ISO-8601 times), the same for both engines. */
export function deliveryFromRow(r: DeliveryColumns): Delivery {
  return {
    id: r.id,
    eventId: r.event_id,
    destination: r.destination,
    route: r.route,
    orderKey: r.order_key,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: isoOrNull(r.next_attempt_at),
    leaseUntil: isoOrNull(r.lease_until),
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
