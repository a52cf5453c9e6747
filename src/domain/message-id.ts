import { v5 as uuidv5 } from 'uuid';
import type { Delivery } from './delivery.js';

// The namespace of replayed messages' ids (RFC 9562 name-based ids): any fixed UUID will do, so
// long as it never changes, or a replay retried after an upgrade would carry another id.
const REPLAY_NAMESPACE = '6f1d3c52-8b0e-4a7d-9e25-3c41b7a0d9e8';

/**
 * The identity of the message a delivery sends, which receivers deduplicate on (HTTP
 * `webhook-id` and `idempotency-key`, the mail's `Message-ID`, a Slack thread's record of what
 * it holds). It is the delivery's id, the same on every retry, until an admin replays the
 * delivery after it was delivered: that is a new message on purpose (the receiver acknowledged
 * the first one, so a receiver that deduplicates would drop it), with a new id derived from the
 * delivery's id and the replay's number, the same on every retry of that replay. A replay of a
 * dead or pending delivery sends the same message again: never acknowledged, it may have been
 * processed (a timeout after the receiver acted), and the same id lets the receiver tell.
 */
export function messageId(d: Pick<Delivery, 'id' | 'replays'>): string {
  return d.replays > 0 ? uuidv5(`${d.id}/replay/${d.replays}`, REPLAY_NAMESPACE) : d.id;
}
