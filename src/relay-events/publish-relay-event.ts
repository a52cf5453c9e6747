import type { Clock } from '../domain/clock.js';
import type { DestinationSet } from '../delivery/destination-set.js';
import type { Logger } from '../logger.js';
import { planDeliveries } from '../routing/plan-deliveries.js';
import { sessionTouch } from '../sessions/session-touch.js';
import type { Store } from '../store/store.js';
import { createRelayEvent } from './create-relay-event.js';
import { isRelayType, type PublishResult, type RelayEventDraft, type RelayEventSink } from './relay-event.js';

export interface RelayEventPublisherDeps {
  store: Store;
  /** The destinations (and rules) in force: relay events are routed like EnableX's. */
  destinations: () => DestinationSet;
  clock: Clock;
  logger: Logger;
  /** After a relay event is stored with its deliveries: wakes the worker. */
  onPublished?: () => void;
}

/**
 * Stores a relay event with the deliveries the rules give it, as the webhook does for EnableX's.
 * Loops cannot form: a relay event caused by a relay event is refused, one about a destination
 * is never routed to it (routing/route-event.ts), and relay events carry no files to mirror.
 * Throws what the store throws (StoreUnavailableError): the producer retries, and `once` keeps
 * a repeat from becoming a second event.
 */
export class RelayEventPublisher implements RelayEventSink {
  constructor(private readonly deps: RelayEventPublisherDeps) {}

  async publish(draft: RelayEventDraft): Promise<PublishResult> {
    const { store, logger } = this.deps;
    if (draft.cause && isRelayType(draft.cause.type)) {
      logger.warn({ type: draft.type, cause: draft.cause.id }, 'relay event refused: a relay event cannot cause another');
      return { published: false, eventId: null, reason: 'loop' };
    }
    const event = createRelayEvent(draft, this.deps.clock.now());
    const set = this.deps.destinations();
    const planned = planDeliveries(event, set);
    // A relay event about a session is one of its events too (a mirrored copy, an overdue).
    const session = sessionTouch(event, set.rules.expectations ?? []);
    // Since the beginning of time, not the webhook's dedupe window: `once` means once.
    const dedupeSince = new Date(0);
    const result = await store.ingest(event, planned, session ? { dedupeSince, session } : { dedupeSince });
    if (result.duplicate) return { published: false, eventId: result.eventId, reason: 'duplicate' };
    this.deps.onPublished?.();
    logger.info({ id: result.eventId, type: event.type, cause: draft.cause?.id, deliveries: result.deliveries, routes: planned.map((p) => p.route ?? 'fallback') }, 'relay event published');
    return { published: true, eventId: result.eventId, deliveries: result.deliveries };
  }
}
