import { v7 as uuidv7 } from 'uuid';
import type { PlannedDelivery } from '../domain/delivery.js';
import type { RelayEvent } from '../domain/event.js';
import { eventView } from '../domain/event-view.js';
import type { DestinationSet } from '../delivery/destination-set.js';
import { routeEvent } from './route-event.js';

/** Route an event by the rules in force and give each chosen destination one delivery. */
export function planDeliveries(event: RelayEvent, set: DestinationSet): PlannedDelivery[] {
  const { deliveries } = routeEvent(set.rules, eventView(event));
  return deliveries.map(({ destination, route }) => ({
    id: uuidv7(),
    destination,
    route,
    orderKey: set.get(destination)?.orderKey(event) ?? null,
  }));
}
