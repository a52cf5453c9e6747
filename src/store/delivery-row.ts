import type { Delivery, DeliveryStatus } from '../domain/delivery.js';
import type { EventSummary } from './store.js';

/** The deliveries table's columns as an engine reads them: times as ms (SQLite) or Date (PostgreSQL). */
export interface DeliveryColumns<T extends number | Date = number | Date> {
  /** Incremented by every claim, never reset: names one claim (see 003_claim_seq.sql). */
  claim_seq: number;
  id: string;
  event_id: string;
  destination: string;
  route: string | null;
  order_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: T | null;
  lease_until: T | null;
  last_error: string | null;
  created_at: T;
  updated_at: T;
  /** When it can next be claimed (see 004_claimable.sql); null when finished or waiting behind its order key. */
  due_at?: T | null;
  /** How many times an admin replayed it after it was delivered (each such replay is a new message, see message-id.ts). */
  replays: number;
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
    replays: r.replays,
  };
}

/** The columns of an event that a listing shows. */
export interface EventSummaryColumns {
  id: string;
  type: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  received_at: number | Date;
}

/** Events with their deliveries (each list in the order given), as `listEvents` answers. */
export function eventSummaries(events: EventSummaryColumns[], deliveries: DeliveryColumns[]): EventSummary[] {
  const byEvent = new Map<string, Delivery[]>();
  for (const d of deliveries) {
    const list = byEvent.get(d.event_id);
    if (list) list.push(deliveryFromRow(d));
    else byEvent.set(d.event_id, [deliveryFromRow(d)]);
  }
  return events.map((r) => ({
    id: r.id,
    type: r.type,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    receivedAt: iso(r.received_at),
    deliveries: byEvent.get(r.id) ?? [],
  }));
}
