import { v7 as uuidv7 } from 'uuid';
import type { PlannedDelivery } from '../domain/delivery.js';
import type { RelayEvent } from '../domain/event.js';
import { eventView } from '../domain/event-view.js';
import type { DestinationSet } from '../delivery/destination-set.js';
import { routeEvent } from './route-event.js';

/**
 * Route an event by the rules in force and give each chosen destination one delivery, or one per
 * unit of work where the destination splits the event (a mirror: one per file).
 */
export function planDeliveries(event: RelayEvent, set: DestinationSet): PlannedDelivery[] {
  const { deliveries } = routeEvent(set.rules, eventView(event));
  return deliveries.flatMap(({ destination, route }) => {
    const dest = set.get(destination);
    const units = dest?.units?.(event) ?? [];
    if (units.length === 0) return [{ id: uuidv7(), destination, route, orderKey: dest?.orderKey(event) ?? null }];
    return units.map((orderKey) => ({ id: uuidv7(), destination, route, orderKey }));
  });
}
