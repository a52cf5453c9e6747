import type { RelayEvent } from '../domain/event.js';
import { eventView } from '../domain/event-view.js';
import type { RenderedMessage } from '../delivery/destination.js';
import type { DestinationSet } from '../delivery/destination-set.js';
import { routeEvent, type RoutingResult } from './route-event.js';

export interface PreviewDelivery {
  destination: string;
  /** The route that chose it; null for the fallback. */
  route: string | null;
  message?: RenderedMessage;
  /** The destination could not render this event (a template failed at render time). */
  error?: string;
}

export interface RoutePreview {
  matched: RoutingResult['matched'];
  deliveries: PreviewDelivery[];
}

/**
 * Which routes match an event and what each chosen destination would send, with nothing sent and
 * nothing stored: `enx-relay route` and the admin API's route test share it. One destination
 * that fails to render does not hide the others.
 */
export async function previewRoute(event: RelayEvent, set: DestinationSet): Promise<RoutePreview> {
  const result = routeEvent(set.rules, eventView(event));
  const deliveries: PreviewDelivery[] = [];
  for (const d of result.deliveries) {
    const destination = set.get(d.destination);
    if (!destination) {
      deliveries.push({ ...d, error: `destination "${d.destination}" is not defined` });
      continue;
    }
    try {
      deliveries.push({ ...d, message: await destination.render(event) });
    } catch (err) {
      deliveries.push({ ...d, error: (err as Error).message });
    }
  }
  return { matched: result.matched, deliveries };
}
